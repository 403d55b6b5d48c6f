// A lister: takes ranges from its listing's RangeWork and lists each to its end on one
// connection, handing every page to the listing's consumer. While other listers wait for
// work it splits the upper part of its range off for them: whole folders first where the
// range still holds some, else cuts guessed from the keys of the page just listed
// (engine/key_range). A listing that stops early is marked cut_short.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "engine/listing_state.hpp"
#include "engine/run_context.hpp"

namespace s3purge::engine {

// Counted in listing.listers_running by the caller; uncounts itself when it ends.
boost::asio::awaitable<void> range_lister(RunContext& run, Listing& listing);

}  // namespace s3purge::engine
