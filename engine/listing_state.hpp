// One listing (a bucket's entries, or its uploads) of some key ranges, by several listers
// at once: the state they share while it runs, and the page each one hands on.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/item.hpp"
#include "engine/key_range.hpp"
#include "engine/range_work.hpp"
#include "protocol/listing.hpp"

namespace s3purge::engine {

// What one page of a range gave: its items inside the range, in listing order.
struct Page {
  std::vector<Item> items;
  std::size_t range = 0;             // the range's number in this listing
  std::optional<std::string> after;  // where the range starts
  bool range_end = false;            // the range has been listed to its end
  // Every key of the range up to this one has been listed whole (resume points).
  std::optional<std::string> complete_through;
};

struct Listing {
  Listing(boost::asio::any_io_executor ex, protocol::ListingKind k, std::vector<KeyRange> ranges)
      : kind(k), start(std::move(ranges)), work(ex, {}), look_now(ex) {}

  protocol::ListingKind kind;
  std::vector<KeyRange> start;  // handed to `work` when the listing starts
  RangeWork work;
  std::function<boost::asio::awaitable<void>(Page&)> on_page;
  bool halt = false;       // the consumer has seen enough
  // The run can go without this listing (uploads): a refusal of its requests ends it
  // without stopping the run, and is kept here.
  bool optional = false;
  std::optional<protocol::Error> refusal;
  bool cut_short = false;  // some range was not listed to its end
  std::size_t ranges_taken = 0;
  // A pass's listing: folders are probed first. Verification lists without: it mostly
  // finds nothing.
  bool in_pass = false;
  // Listers are added while the deleters starve (a pass's entries, unless --listers).
  bool grows = false;
  // The queue it feeds holds two batches per lister of it (engine/batch_queue).
  bool sizes_queue = false;
  // Its batches are paced by key range (engine/lane_pacer): each holds keys of one lane.
  bool paced = false;
  // List requests sent again after a failure (a 5xx, a reset): what ends a growth trial.
  std::uint64_t list_errors = 0;
  std::uint64_t list_requests = 0;
  // Listers to retire (a growth trial that did not pay): each leaves when its range ends.
  int retire = 0;
  std::uint64_t pages = 0;
  std::uint64_t entries = 0;  // listed, before any filtering
  double page_seconds = 0;    // summed over the pages: their round trips, parsing included
  double probe_seconds = 0;   // the folders' round trip (0: none asked)
  std::vector<std::string> folders;  // where to cut first, when the keys are in folders
  // Keys listed in each run of keys between two folder cuts (folder_keys[i + 1]: from
  // folders[i]), and the most in any: how many a folder holds, for guessing how far the
  // keys of the one being split go.
  std::vector<std::uint64_t> folder_keys;
  std::uint64_t most_folder_keys = 0;
  // Where ranges may start after any key (objects), the folders are asked while the first
  // range, the whole, is listed. Until they answer it is not split; then it is cut at the
  // folders past where its lister has reached.
  bool probing = false;
  KeyRange* whole = nullptr;            // the whole range, while a lister holds it
  std::optional<std::string> whole_at;  // the last key listed from it
  int listers_running = 0;
  // Starts one more lister, while the listing runs (see range_lister's hand_on_lanes).
  std::function<void()> add_lister;
  // Wakes the growth's look early: cancelled when the last lister ends, and when the
  // folders come (their ranges wait for listers).
  boost::asio::steady_timer look_now;

  const protocol::ListingTraits& traits() const { return protocol::traits(kind); }
};

}  // namespace s3purge::engine
