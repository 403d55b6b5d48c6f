// One entry per request: DeleteObject (keys a DeleteObjects body cannot carry, entries its
// answer left unknown, servers without DeleteObjects) and AbortMultipartUpload. Each takes
// one token of the shared limiter, and both end in one outcome switch: removed, failed
// with its code, or skipped because the run stops (a fatal error stops it).
#pragma once

#include <boost/asio/awaitable.hpp>

#include "engine/batch_queue.hpp"
#include "engine/in_flight.hpp"
#include "engine/item.hpp"
#include "engine/run_context.hpp"
#include "engine/s3_call.hpp"

namespace s3purge::engine {

// Whether sending the entry's delete again is harmless: a version id names one thing to
// remove, and so does a key in a bucket that never had versioning. A key without a version
// id in a versioned bucket gets a new delete marker each time.
bool resend_safe(const RunContext& run, const Item& item);

boost::asio::awaitable<void> delete_single(RunContext& run, S3Call& call, const Item& item,
                                           protocol::HttpResponse& resp);

// Aborts each upload of each batch received, until an end marker.
boost::asio::awaitable<void> aborter(RunContext& run, BatchQueue<Batch>& in);

}  // namespace s3purge::engine
