#include "engine/bucket_deletion.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

#include "engine/verification.hpp"
#include "protocol/bucket_requests.hpp"

namespace s3purge::engine {

namespace asio = boost::asio;

namespace {

// The spacing between HeadBucket answers: deliberate, so not ended by a stop.
asio::awaitable<void> pause(RunContext& run, std::chrono::milliseconds d) {
  asio::steady_timer t(run.client.executor(), d);
  co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
}

}  // namespace

asio::awaitable<bool> confirm_gone(RunContext& run, int needed) {
  constexpr auto kApart = std::chrono::milliseconds(500);
  auto lease = run.client.connection();
  S3Call call = run.client.call_on(*lease);
  protocol::HttpResponse resp;
  int in_a_row = 0;
  for (unsigned attempt = 0; attempt < 5; ++attempt) {
    auto req = protocol::build_head_bucket(run.client.ctx());
    auto r = co_await call("HeadBucket", req, resp);
    if (!r && (r.error().code == protocol::s3_errc::not_found ||
               r.error().code == protocol::s3_errc::no_such_bucket)) {
      if (++in_a_row >= needed) co_return true;
      co_await pause(run, kApart);
      continue;
    }
    in_a_row = 0;
    if (!r) {
      spdlog::warn("bucket {}: HeadBucket answered {}: that the bucket is gone is not confirmed",
                   run.options.bucket, r.error().describe());
      co_return false;
    }
    // Found. Just after this run's DeleteBucket an endpoint may still answer for it for a
    // moment; otherwise it is simply there.
    if (needed > 1) co_return false;
    co_await pause(run, std::max<std::chrono::milliseconds>(run.client.backoff().delay(attempt), kApart));
  }
  spdlog::warn("bucket {}: HeadBucket still finds it: that it is gone is not confirmed", run.options.bucket);
  co_return false;
}

asio::awaitable<void> delete_bucket(RunContext& run, const std::function<asio::awaitable<void>()>& empty_again) {
  PurgeReport& report = run.report;
  if (!run.options.ranges.empty() && run.ledger.no_failures()) {
    auto others = co_await count_left(run, true, std::vector<KeyRange>(1));  // the whole bucket
    if (!others) co_return;
    if (others->total > 0) {
      spdlog::info("shard emptied; other shards still hold entries: the bucket is left for "
                   "the last shard to delete");
      report.left_to_other_shards = true;
      co_return;
    }
  }
  for (int attempt = 0; !run.control.stopping(); ++attempt) {
    if (!run.ledger.no_failures()) co_return;  // what failed stays, and so does the bucket
    auto req = protocol::build_delete_bucket(run.client.ctx());
    protocol::HttpResponse resp;
    auto r = co_await run.client.call("DeleteBucket", req, resp);
    if (r) {
      spdlog::info("bucket {} deleted", run.options.bucket);
      report.bucket_deleted = co_await confirm_gone(run, 1);
      report.empty_verified = report.bucket_deleted;  // S3 deletes only an empty bucket
      report.deletion_unconfirmed = !report.bucket_deleted;
      co_return;
    }
    if (r.error().code == protocol::s3_errc::no_such_bucket) {
      // It existed when the run began: a retried DeleteBucket whose first answer was lost,
      // or another shard that finished at the same time, deleted it; or the server lost its
      // way. Only HeadBucket's 404, twice, says which.
      if (!co_await confirm_gone(run, 2)) {
        run.control.fail(r.error());
        co_return;
      }
      spdlog::info("bucket {} is gone (deleted by a retried request or another shard)", run.options.bucket);
      report.bucket_deleted = true;
      report.empty_verified = true;
      co_return;
    }
    if (r.error().code != protocol::s3_errc::bucket_not_empty) {
      run.control.fail(r.error());
      co_return;
    }
    report.empty_verified = false;
    if (attempt >= run.options.extra_passes) co_return;  // the run counts what is left
    // Late writers, deletions the server shows late, or a listing that ended early: empty
    // again, then retry.
    spdlog::info("DeleteBucket after pass {}: BucketNotEmpty; another pass", report.passes);
    co_await empty_again();
  }
}

}  // namespace s3purge::engine
