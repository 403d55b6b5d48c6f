// Runs one listing with several range listers side by side: its first ranges (the folders,
// engine/folder_probe), the listers, and for a growing listing the loop that adds listers
// while the deleters starve and this process waits for the network, not for a core
// (engine/lister_growth). Ends when every lister has.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "engine/listing_state.hpp"
#include "engine/purge_options.hpp"
#include "engine/run_context.hpp"

namespace s3purge::engine {

// Listers a listing starts with: --listers, else one per four deleters.
int starting_listers(const PurgeOptions& options);

boost::asio::awaitable<void> run_listing(RunContext& run, Listing& listing);

}  // namespace s3purge::engine
