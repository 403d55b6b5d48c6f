#include "engine/range_lister.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "engine/folder_probe.hpp"
#include "engine/key_range.hpp"
#include "engine/key_selector.hpp"
#include "engine/lane_pacer.hpp"
#include "engine/listed_coverage.hpp"
#include "engine/list_page.hpp"
#include "protocol/uri.hpp"
#include "protocol/utf8.hpp"

namespace s3purge::engine {

namespace asio = boost::asio;

namespace {

// Hands the upper part of what is left of `range` to the listers that wait for work.
void split(const RunContext& run, Listing& listing, KeyRange& range, const std::vector<Item>& page) {
  // Where the keys left in the range probably end, in widths of the page just listed.
  // Too far, and most pieces come back empty after one request; too near, and the
  // highest piece keeps most keys until an idle lister cuts it again. 1024 pages (1M
  // keys) errs towards the first for small ranges, and the second corrects itself.
  constexpr int kPagesAhead = 1024;
  // Paced by lane (engine/lane_pacer): other lanes first, where the range reaches some (a
  // folder's range is inside one). Then whole folders, where the range still holds some.
  const bool lanes = listing.paced && range.within.size() <= run.options.prefix.size();
  auto cuts = lanes ? LanePacer::cuts(run.options.prefix, page.back().key, range.through, listing.work.waiting())
                    : std::vector<std::string>{};
  if (cuts.empty()) cuts = cuts_among(listing.folders, page.back().key, range.through, listing.work.waiting());
  const bool computed = cuts.empty();  // not lanes' or folders' bounds: computed between keys
  std::vector<std::string_view> keys;
  if (cuts.empty()) {
    keys.reserve(page.size());
    for (const auto& item : page) keys.push_back(item.key);
  }
  const auto within = range.within.empty() ? std::string_view(run.options.prefix) : std::string_view(range.within);
  if (cuts.empty() && !listing.folders.empty()) {
    // No folder starts in what is left: it is the rest of one folder. Its keys left are
    // guessed as the largest folder listed so far less what this one has given, or as
    // many again as it has given if that is more (a large folder doubles the guess as it
    // goes on); cut near only, into pieces of about a page or more. Cuts 1024 pages
    // ahead, or far towards the next folder, come back empty from a 10-page folder, and
    // its last pages are then listed one after another.
    const auto here = listing.folder_keys[folder_of(listing, page.back().key)];
    const auto pages = std::max(listing.most_folder_keys - here, here) / page.size() + 1;
    const int ahead = static_cast<int>(std::clamp<std::uint64_t>(pages, 2, kPagesAhead));
    cuts = split_points_in_alphabet(within, keys, range.through, std::min(listing.work.waiting(), ahead), ahead);
  }
  if (cuts.empty()) cuts = cut_range(within, keys, range.through, listing.work.waiting(), kPagesAhead);
  if (computed) {
    // A cut is sent as a key (start-after, key-marker): S3 keys are UTF-8, and a server may
    // echo it in XML. Computed between keys, it may be any bytes: it ends where they stop
    // being plain UTF-8, a lower cut and still a bound between the same keys or fewer.
    for (auto& c : cuts) c.resize(protocol::plain_utf8_prefix(c).size());
    std::erase_if(cuts, [&](const std::string& c) {
      return c <= page.back().key || (range.through && c >= *range.through);
    });
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  }
  if (cuts.empty()) return;
  std::vector<KeyRange> pieces;
  for (std::size_t i = 0; i < cuts.size(); ++i) {
    pieces.push_back({cuts[i], i + 1 < cuts.size() ? std::optional(cuts[i + 1]) : range.through,
                      range.within});
  }
  spdlog::debug("split {} listing at {}: {} new ranges", listing.traits().what,
                protocol::uri_encode(cuts.front(), false), pieces.size());
  range.through = std::move(cuts.front());
  listing.work.give(std::move(pieces));
}

// Paced by lane: once the lane a lister has reached is paced, the lister stays in it (it
// waits for the lane's room) and hands the lanes after it to another lister, started for
// them where none waits. Every lane with keys gets a lister, and every lane's partition is
// busy from its first throttle on, instead of one lane after the other.
void hand_on_lanes(RunContext& run, Listing& listing, KeyRange& range, std::string_view last) {
  const auto& prefix = run.options.prefix;
  if (!listing.paced || range.within.size() > prefix.size()) return;
  const LanePacer* pacer = run.client.limiter().lanes();  // one thread: read between awaits
  if (!pacer || std::isinf(pacer->allowed(LanePacer::lane_of(last, prefix)))) return;
  auto next = LanePacer::next_lane_start(last, prefix);
  if (!next || (range.through && *range.through <= *next)) return;
  spdlog::debug("{} listing: the lanes from {} go to another lister", listing.traits().what,
                protocol::uri_encode(*next, false));
  listing.work.give({KeyRange{*next, range.through, range.within}});
  range.through = std::move(*next);
  if (listing.work.waiting() == 0 && listing.add_lister) listing.add_lister();
}

// The page's items that belong to `range`; ends the cursor where the range ends.
void keep_inside(const KeyRange& range, protocol::ListCursor& cursor, std::vector<Item>& kept) {
  if (range.through) {
    const auto past = std::find_if(kept.begin(), kept.end(),
                                   [&](const Item& item) { return item.key > *range.through; });
    if (past != kept.end()) {
      cursor.more = false;  // the rest belongs to the next range
      kept.erase(past, kept.end());
    }
  }
  // A server that answers below the marker asked for: that key is another range's.
  if (range.after) std::erase_if(kept, [&](const Item& item) { return item.key <= *range.after; });
}

// Every key up to which the range has been listed whole, after this page.
std::optional<std::string> complete_through(const Listing& listing, const KeyRange& range, const Page& page) {
  if (page.range_end) return range.through;
  if (page.items.empty()) return std::nullopt;
  // Where entries of one key can span pages, the last key may go on in the next page.
  const std::string& last = page.items.back().key;
  const bool last_may_go_on = listing.traits().resumes_from_markers;
  for (auto it = page.items.rbegin(); it != page.items.rend(); ++it) {
    if (!last_may_go_on || it->key < last) return it->key;
  }
  return std::nullopt;
}

// Lists one range to its end, splitting off its upper part for listers that wait.
// False when the listing stopped before the end.
asio::awaitable<bool> list_range(RunContext& run, Listing& listing, KeyRange& range, std::size_t id,
                                 S3Call& call, protocol::HttpResponse& resp) {
  Cursor cursor;
  cursor.at.prefix = range.within.empty() ? run.options.prefix : range.within;
  if (range.after) cursor.at.start_after_key(*range.after);
  struct Whole {  // the folders may cut this range while it is listed (probe_alongside)
    Listing* l = nullptr;
    ~Whole() {
      if (l) l->whole = nullptr;
    }
  } whole;
  if (listing.probing && range == KeyRange{}) {
    listing.whole = &range;
    whole.l = &listing;
  }
  // Only the first pass of a run that follows none lists the bucket as it was before the
  // run deleted anything (engine/key_selector).
  const bool first_pass = listing.in_pass && run.report.passes == 1;
  std::optional<KeySelector> selector;
  if (run.options.selection.selective()) {
    selector.emplace(run.options.selection, run.options.prefix, !first_pass || run.after_earlier_run);
  }
  // What the first pass lists whole: from where the range starts, and then up to the last
  // key listed (taken in once a page goes past it, or the range ends on a page that
  // lists it: an empty last page may be a listing cut short, as moto's can be).
  ListedCoverage* covered = first_pass ? &run.first_pass[listing.traits().uploads ? 1 : 0] : nullptr;
  std::string covered_from = range.after ? just_after(*range.after) : std::string();
  if (covered && covered_from < cursor.at.prefix) covered_from = cursor.at.prefix;
  struct Resurfaced {  // counted once, where the first pass lists (not in later listings)
    const std::optional<KeySelector>& s;
    PurgeReport* out;
    ~Resurfaced() {
      if (!s || !out) return;
      out->keys_resurfaced += s->resurfacing();
      out->unknown_ages += s->unknown_ages();
    }
  } resurfaced{selector, first_pass ? &run.report : nullptr};
  while (cursor.at.more) {
    if (run.control.stopping() || listing.halt) co_return false;
    const auto asked = std::chrono::steady_clock::now();
    auto items = co_await list_page(run, call, resp, listing.kind, cursor,
                                    listing.optional ? &listing.refusal : nullptr);
    listing.list_errors += call.last_attempts() > 0 ? call.last_attempts() - 1 : 0;
    listing.list_requests += call.last_attempts();
    if (!items) co_return false;
    listing.page_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - asked).count();
    ++listing.pages;
    listing.entries += items->size();
    if (listing.whole == &range && !items->empty()) listing.whole_at = items->back().key;
    Page page;
    page.range = id;
    page.after = range.after;
    page.items = std::move(*items);  // kept in place, its items filtered: no copy
    keep_inside(range, cursor.at, page.items);
    if (!listing.folders.empty() && !page.items.empty()) {
      auto& keys = listing.folder_keys[folder_of(listing, page.items.back().key)];
      keys += page.items.size();
      listing.most_folder_keys = std::max(listing.most_folder_keys, keys);
    }
    page.range_end = !cursor.at.more;
    if (covered && !page.items.empty()) {
      const std::string& last = page.items.back().key;
      std::string to = page.range_end ? just_after(last) : last;
      covered->add(covered_from, to);
      covered_from = std::move(to);
    }
    page.complete_through = complete_through(listing, range, page);
    // Listers waiting for a range get one cut off this one; not those due to retire.
    if (cursor.at.more && !page.items.empty() && listing.work.waiting() > listing.retire && !listing.probing) {
      split(run, listing, range, page.items);
    }
    if (cursor.at.more && !page.items.empty() && !listing.probing) {
      hand_on_lanes(run, listing, range, page.items.back().key);
    }
    if (selector) selector->judge_page(page.items, page.range_end);
    co_await listing.on_page(page);
  }
  co_return true;
}

}  // namespace

asio::awaitable<void> range_lister(RunContext& run, Listing& listing) {
  struct Leave {  // the lister was counted by whoever started it
    Listing& l;
    ~Leave() {
      if (--l.listers_running == 0) l.look_now.cancel();
    }
  } leave{listing};
  auto lease = run.client.connection();
  S3Call call = run.client.call_on(*lease);
  protocol::HttpResponse resp;
  for (;;) {
    if (listing.retire > 0 && listing.listers_running > 1) {
      --listing.retire;  // between ranges: what it held is listed whole
      break;
    }
    auto range = co_await listing.work.take();
    if (!range) break;
    const std::size_t id = listing.ranges_taken++;
    ++run.report.ranges_listed;
    const bool whole = co_await list_range(run, listing, *range, id, call, resp);
    listing.work.finished();
    if (!whole) {
      // Stopping, or refused: the waiting listers end too. A refused optional listing is
      // not cut short: it is not had at all, and the report says so.
      listing.cut_short = listing.cut_short || !listing.refusal;
      listing.work.stop();
    }
  }
}

}  // namespace s3purge::engine
