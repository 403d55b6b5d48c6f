// Where keys are hierarchical, the folders decide a listing's first ranges. One delimited
// list request finds the folders under the prefix (going down while there is a single
// folder and nothing beside it, at most three levels). Where ranges may start after any
// key (objects), they are runs of folders, cut where a folder starts, and the folders are
// asked while the whole range is already being listed: the first page does not wait a
// round trip for them. Elsewhere (versions, uploads), a range per folder, listed with the
// folder as its prefix, wherever every key lies in one. Not with a state file, which
// records ranges by their bounds alone.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/key_range.hpp"
#include "engine/listing_state.hpp"
#include "engine/run_context.hpp"

namespace s3purge::engine {

struct Folders {
  std::string parent;
  std::vector<std::string> names;  // sorted
  bool all_keys_inside = false;    // nothing beside them, and the answer was complete
};

// The folders under the prefix; none when the request fails (the listing itself then
// reports the error) or when the server answers outside what was asked.
boost::asio::awaitable<Folders> find_folders(RunContext& run, protocol::ListingKind kind);

// Before a pass's listing starts: its first ranges from the folders, where they are asked
// first (see above). `listers`: how many the listing starts with.
boost::asio::awaitable<void> probe_first(RunContext& run, Listing& listing, int listers);

// Asks the folders while the whole range is listed; where they come in time, the whole
// range ends at the first cut past its lister's last key, and the ranges above go to the
// listers that wait.
boost::asio::awaitable<void> probe_alongside(RunContext& run, Listing& listing, int listers);

// The run of keys between two folder cuts that `key` lies in: 0 before folders[0].
std::size_t folder_of(const Listing& listing, std::string_view key);

}  // namespace s3purge::engine
