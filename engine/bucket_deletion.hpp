// Deleting the bucket once it is empty, and proving it gone. DeleteBucket answers 409
// BucketNotEmpty while anything is left, so it is the emptiness check itself: after its
// success, one HeadBucket 404 confirms the deletion; its NoSuchBucket (a retried request
// whose first answer was lost, another shard) counts only after two HeadBucket 404s apart.
// A shard deletes the bucket only once the whole bucket is empty: the last shard to finish
// does it, the others leave it to that one.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <functional>

#include "engine/run_context.hpp"

namespace s3purge::engine {

// Whether HeadBucket finds the bucket gone: `needed` answers of 404 in a row, apart.
// Anything else (a 403, a bucket still found after a few tries) proves nothing.
boost::asio::awaitable<bool> confirm_gone(RunContext& run, int needed);

// Deletes the emptied bucket, retrying after `empty_again` (another pass) on
// BucketNotEmpty, up to extra_passes times. Writes bucket_deleted, empty_verified,
// deletion_unconfirmed and left_to_other_shards into the report.
boost::asio::awaitable<void> delete_bucket(RunContext& run,
                                           const std::function<boost::asio::awaitable<void>()>& empty_again);

}  // namespace s3purge::engine
