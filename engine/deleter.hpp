// A deleter: takes batches from the queue and sends each as one DeleteObjects on its own
// connection, until an end marker. The answer is matched with the batch entry by entry
// (protocol/delete_reconcile): deleted entries and refusals are written down; entries to
// retry (a per-key SlowDown or InternalError) go again as a smaller batch, with backoff;
// entries the answer leaves unknown go again once with the batch, then alone
// (engine/single_requests); keys XML cannot carry go alone from the start. A request that
// would add delete markers is never resent after an answer that does not prove it was not
// carried out.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "engine/batch_queue.hpp"
#include "engine/item.hpp"
#include "engine/run_context.hpp"

namespace s3purge::engine {

boost::asio::awaitable<void> deleter(RunContext& run, BatchQueue<Batch>& in);

}  // namespace s3purge::engine
