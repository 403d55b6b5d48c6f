// What one purge does and how hard it may push. Every default says why it is that value.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/call_settings.hpp"
#include "engine/connection_options.hpp"
#include "engine/key_range.hpp"
#include "engine/purge_report.hpp"
#include "engine/rate_limiter.hpp"
#include "protocol/checksums.hpp"
#include "protocol/bucket_responses.hpp"
#include "protocol/endpoint.hpp"
#include "protocol/request_context.hpp"
#include "protocol/selection.hpp"
#include "protocol/sigv4.hpp"

namespace s3purge::engine {

class CredentialSource;
class KeySource;
class RangeJournal;

struct PurgeOptions {
  std::string bucket;
  std::string prefix;          // only keys under it are touched; then the bucket is kept
  // Credentials that renew themselves (credential_source.hpp), shared by every client of
  // the process; none: the static credentials the client is given.
  std::shared_ptr<CredentialSource> credentials;
  bool delete_bucket = false;  // after emptying it (refused together with a prefix)
  // What is removed: `empty` and `delete` take both, `abort-uploads` only uploads.
  bool objects = true;  // current objects, versions and delete markers
  bool uploads = true;  // incomplete multipart uploads
  // What of the listed entries is removed (--only, --older-than, --include, ...); the rest
  // is kept, counted as skipped and by the rule that kept it. A selective run never
  // deletes the bucket, and refuses, on a versioned bucket, a selection that may bring
  // back versions beneath what it takes unless allow_resurface.
  protocol::Selection selection;
  // rm: delete the keys this gives ("KEY" or "KEY<TAB>VERSION_ID" lines, relative to
  // `prefix`) instead of listing the bucket; one pass, no uploads, no verification.
  KeySource* keys = nullptr;

  // Listers per listing, each with its own connection; 0: one per four deleters. They
  // list key ranges side by side, cutting ranges further whenever one of them is idle.
  int listers = 0;
  // The key ranges to empty (a shard: see shard_ranges); empty: everything under `prefix`.
  std::vector<KeyRange> ranges;
  // --state-file: ranges emptied by an earlier run are not listed again in the first pass,
  // and those this run empties are recorded. Later passes and checks list everything.
  RangeJournal* journal = nullptr;

  // Deleters, each with its own connection. 16 batches of 1000 in flight keep an S3
  // partition near its documented 3,500 writes/s even at 4 s per DeleteObjects, and are
  // far below what one client machine can drive.
  int concurrency = 16;
  // Aborts have no batch form: one request per upload, on connections of their own.
  int abort_concurrency = 8;
  std::size_t batch_size = 1000;  // S3's maximum per DeleteObjects
  // Batches between listers and deleters: 32 x 1000 keys (~3 MB) absorbs the jitter of
  // listing without letting a lister run far ahead of deletion.
  std::size_t queue_depth = 32;
  double rate = 0;   // objects/s ceiling shared by deletes and aborts; 0: adaptive only
  double burst = 0;  // 0: max(1000, rate / 20)
  AdaptiveOptions adaptive;  // how throttles slow the run below the ceiling
  // Each key range listed is paced on its own (engine/lane_pacer): a throttled partition of
  // the bucket slows the batches listed from it, not the others. false: one adaptive rate
  // for the whole run (--pacing global).
  bool pace_ranges = true;
  RetryOptions retry;
  bool bypass_governance = false;
  // DeleteObjects' integrity header. With checksum_fallback (--checksum auto), a server that
  // refuses a flexible checksum gets Content-MD5 for the rest of the run; without it, such a
  // refusal stops the run.
  protocol::ChecksumAlgorithm checksum = protocol::ChecksumAlgorithm::md5;
  bool checksum_fallback = true;
  bool dry_run = false;  // list and count, delete nothing
  // After the first pass, re-list and delete again while anything is left (late writers,
  // listings that end early on some servers), at most this many times.
  int extra_passes = 3;
  // Permanent per-key failures kept in the report (for its summary and JSON); beyond this
  // they are counted, and reach only on_failure: memory stays flat however many fail.
  std::size_t max_failure_records = 1'000;
  // Called with every permanent failure as it happens (--failed-keys writes them out).
  std::function<void(const FailureRecord&)> on_failure;

  // The bucket's versioning as checked moments before (the CLI's checks, which also proved
  // the bucket, region and credentials): the run does not ask again. Empty: it asks first.
  std::optional<protocol::VersioningStatus> versioning;

  protocol::BucketAddress address;
  protocol::RequestOptions request_options;
  // Timeouts and connect_address; host, port and https are taken from `address`.
  ConnectionOptions connection;
};

}  // namespace s3purge::engine
