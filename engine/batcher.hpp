// Turns a pass's listing into batches of up to batch_size entries for its receivers
// (deleters or aborters), then one end marker per receiver. Each listed entry is counted
// here; what may not be deleted never reaches a batch: entries that failed earlier in the
// run, keys outside the prefix (a server that lists more than was asked), what the
// selection keeps (engine/key_selector). For rm, the batches come from the named keys instead.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "engine/batch_queue.hpp"
#include "engine/item.hpp"
#include "engine/listing_state.hpp"
#include "engine/run_context.hpp"

namespace s3purge::engine {

// The listings of a pass; once each has reached its end whole in the first pass, the totals
// are known (report.listing_done).
class ListingEnds {
 public:
  ListingEnds(RunContext& run, int listings) : run_(run), running_(listings) {}
  void ended(bool cut_short);

 private:
  RunContext& run_;
  int running_;
  bool cut_short_ = false;
};

// The listing's pages as batches into `out`, then one end marker per receiver.
boost::asio::awaitable<void> feed(RunContext& run, Listing& listing, BatchQueue<Batch>& out,
                                  int receivers, ListingEnds& ends);

// rm: the keys of options.keys, each line "KEY" or "KEY<TAB>VERSION_ID", as batches.
boost::asio::awaitable<void> feed_named_keys(RunContext& run, BatchQueue<Batch>& out, int receivers,
                                             ListingEnds& ends);

}  // namespace s3purge::engine
