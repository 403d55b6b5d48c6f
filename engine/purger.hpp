// Empties a bucket (or a prefix of it) completely, and deletes it when asked:
//
//   listers (key ranges) ──batches of ≤1000──▶ BatchQueue ──▶ N deleters ──DeleteObjects──▶ S3
//   uploads listers ────────────────────────▶ BatchQueue ──▶ M aborters ──AbortMultipartUpload─▶ S3
//
// Listers wait when the queue is full, so memory stays flat however large the bucket.
// Versioned (or suspended) buckets are listed with ListObjectVersions and every
// (key, versionId) is deleted, markers included, so no delete marker is created. Each
// DeleteObjects answer is matched with its batch entry by entry (protocol/delete_reconcile);
// each listing must move forward (protocol/list_progress). Deletes and aborts share one
// rate limiter. After a pass, a listing checks what is left; another pass runs while
// something is (at most extra_passes). When the bucket is to be deleted, DeleteBucket is
// that check: 409 BucketNotEmpty means another pass and a retry, and HeadBucket's 404
// confirms the deletion.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <memory>

#include "engine/purge_options.hpp"
#include "engine/purge_report.hpp"
#include "protocol/credentials.hpp"

namespace boost::asio::ssl {
class context;
}

namespace s3purge::engine {

class Purger {
 public:
  // `tls` may be null for plain-http endpoints; `region` is the one requests are signed for.
  Purger(boost::asio::any_io_executor executor, PurgeOptions options,
         protocol::Credentials credentials, std::string region, boost::asio::ssl::context* tls);
  ~Purger();

  boost::asio::awaitable<PurgeReport> run();

  // Stop listing; deleters finish what they hold (the rest is counted as skipped).
  void request_stop();
  // A consistent snapshot of the counters, for progress display (same thread only).
  const PurgeReport& progress() const;
  // The report as it stands now, for a stop that will not wait for the run's end (same
  // thread only): elapsed until now; the entries of requests in flight left unknown; the
  // entries listed and never sent counted skipped; remaining, what is known to be left
  // (skipped and failed; the listing may not have reached the rest).
  PurgeReport settled_now() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace s3purge::engine
