#include "engine/purger.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <functional>
#include <optional>

#include "engine/batch_queue.hpp"
#include "engine/batcher.hpp"
#include "engine/bucket_deletion.hpp"
#include "engine/deleter.hpp"
#include "engine/listing_state.hpp"
#include "engine/lister_growth.hpp"
#include "engine/range_journal.hpp"
#include "engine/run_context.hpp"
#include "engine/single_requests.hpp"
#include "engine/task_group.hpp"
#include "engine/verification.hpp"
#include "protocol/bucket_requests.hpp"
#include "protocol/bucket_responses.hpp"

namespace s3purge::engine {

namespace asio = boost::asio;
using protocol::Error;

// Owns what a run shares (engine/run_context.hpp) and wires the mechanisms: the check of
// the bucket, the passes (listings feeding deleters and aborters), the verification after
// each, and the bucket's deletion.
struct Purger::Impl {
  PurgeOptions options;
  PurgeReport report;
  S3Client client;
  RunControl control;
  OutcomeLedger ledger;
  RunContext run;

  Impl(asio::any_io_executor ex, PurgeOptions o, protocol::Credentials creds, std::string region,
       asio::ssl::context* tls)
      : options(std::move(o)),
        client(ex, options, std::move(creds), std::move(region), tls, report.calls),
        control(client.stop_signal()),
        ledger(report, options),
        run{options, client, control, ledger, report} {}

  // The ranges to list: those named (a shard), else everything under the prefix.
  std::vector<KeyRange> ranges() const {
    return options.ranges.empty() ? std::vector<KeyRange>{KeyRange{}} : options.ranges;
  }

  // The first pass skips what --state-file says an earlier run emptied.
  std::vector<KeyRange> pass_ranges(const char* what) const {
    if (!options.journal || report.passes != 1) return ranges();
    const auto done = options.journal->done(options.bucket, options.prefix, what);
    if (done.empty()) return ranges();
    std::vector<KeyRange> out;
    for (const auto& r : ranges()) {
      for (auto& left : subtract(r, done)) out.push_back(std::move(left));
    }
    spdlog::info("--state-file: {} ranges of {} emptied earlier are not listed again; {} left",
                 done.size(), what, out.size());
    return out;
  }

  // One pass: the bucket's entries (or rm's named keys) to the deleters, its uploads to the
  // aborters, side by side.
  asio::awaitable<void> pass() {
    ++report.passes;
    spdlog::info("pass {} over s3://{}/{}{}", report.passes, options.bucket, options.prefix,
                 options.dry_run ? " (dry run: nothing is deleted)" : "");
    const auto ex = client.executor();
    BatchQueue<Batch> batches(ex, options.queue_depth, kMaxListers, client.limiter().lanes(), &client.stop_signal());
    BatchQueue<Batch> upload_batches(ex, 4, 0);
    const auto uploads_kind = protocol::ListingKind::uploads;
    Listing entries(ex, run.entries, pass_ranges(protocol::traits(run.entries).what));
    Listing uploads(ex, uploads_kind, pass_ranges(protocol::traits(uploads_kind).what));
    entries.in_pass = uploads.in_pass = true;
    entries.grows = options.listers == 0;
    entries.sizes_queue = true;
    entries.paced = client.limiter().lanes() != nullptr;
    // Refused: not checked, said so, and the run goes on with the entries (abort-uploads,
    // which has nothing else to do, stops).
    uploads.optional = options.objects;
    // rm's named keys are all it removes: no upload is listed, none aborted.
    const bool with_uploads = options.uploads && !options.keys && !run.uploads_refused;
    ListingEnds ends(run, (options.objects || options.keys ? 1 : 0) + (with_uploads ? 1 : 0));
    TaskGroup group(ex);
    if (options.keys) {
      group.spawn(feed_named_keys(run, batches, options.concurrency, ends));
    } else if (options.objects) {
      group.spawn(feed(run, entries, batches, options.concurrency, ends));
    }
    if (options.keys || options.objects) {
      for (int i = 0; i < options.concurrency; ++i) group.spawn(deleter(run, batches));
    }
    if (with_uploads) {
      group.spawn(feed(run, uploads, upload_batches, options.abort_concurrency, ends));
      for (int i = 0; i < options.abort_concurrency; ++i) group.spawn(aborter(run, upload_batches));
    }
    co_await group.wait();
  }

  // DeleteBucket answers 409 BucketNotEmpty while any entry or upload is left, so where the
  // bucket is to be deleted whole and nothing failed, it is the check: a listing before it
  // costs a list round trip of each kind and proves no more.
  bool deletion_checks() const {
    return options.delete_bucket && options.ranges.empty() && ledger.no_failures();
  }

  // Passes until a listing finds nothing but known failures, at most `budget`; one pass
  // where the deletion of the bucket checks instead.
  asio::awaitable<void> empty_bucket(int budget) {
    for (int i = 0; i < budget && !control.stopping(); ++i) {
      co_await pass();
      if (control.stopping() || options.dry_run) co_return;
      if (deletion_checks()) co_return;
      if (run.versioned && options.selection.may_resurface()) {
        // Taking current versions makes the versions beneath current: a new listing would
        // select those too. One pass, as `plan` counted it.
        report.unverifiable = true;
        co_return;
      }
      auto l = co_await count_left(run, true, ranges());
      if (!l) co_return;
      spdlog::info("verification after pass {}: {} left, {} of them unknown", report.passes, l->total,
                   l->unknown);
      if (l->unknown == 0) {
        report.empty_verified = true;
        co_return;
      }
      report.empty_verified = false;
    }
  }

  // GetBucketVersioning also proves the bucket exists and the credentials and region are
  // right, before anything is deleted. Where the role or the server will not tell, the
  // bucket is listed as if versioned (check_entries_listing).
  asio::awaitable<bool> check_bucket() {
    if (options.versioning) {
      report.versioning = *options.versioning;
    } else {
      std::optional<protocol::BucketVersioning> got;
      auto req = protocol::build_get_bucket_versioning(client.ctx());
      protocol::HttpResponse resp;
      BodyCheck read = [&](protocol::HttpResponse& answer) -> protocol::Result<protocol::Ok> {
        auto v = protocol::parse_bucket_versioning(answer.body);
        if (!v) return std::move(v).error();
        got = std::move(*v);
        return protocol::Ok{};
      };
      auto r = co_await client.call("GetBucketVersioning", req, resp, Resend::safe, std::move(read));
      if (r) {
        report.versioning = got->status;
      } else if (protocol::is_refusal(r.error().code)) {
        report.versioning = protocol::VersioningStatus::unknown;
        report.not_checked["versioning"] = code_of(r.error());
      } else {
        control.fail(r.error());
        co_return false;
      }
    }
    // Unknown counts as versioned: a delete without a version id may add a marker.
    run.versioned = report.versioning != protocol::VersioningStatus::never_enabled;
    run.entries = protocol::entries_listing(run.versioned);
    if (report.versioning == protocol::VersioningStatus::unknown) co_return co_await check_entries_listing();
    co_return true;
  }

  static std::string code_of(const Error& e) { return e.s3_code.empty() ? e.code.message() : e.s3_code; }

  // Versioning unknown: ListObjectVersions lists every bucket, versioned or not (null
  // versions), so it is asked for one entry; where it is refused too, the bucket is listed
  // with ListObjectsV2, and the bucket's deletion (409 while anything is left) or the final
  // listing tells whether something stays.
  asio::awaitable<bool> check_entries_listing() {
    protocol::ListCursor at;
    at.prefix = options.prefix;
    auto req = protocol::build_list_request(protocol::ListingKind::versions, client.ctx(), at, {}, 1);
    protocol::HttpResponse resp;
    auto r = co_await client.call("ListObjectVersions", req, resp);
    if (r) {
      spdlog::warn("versioning of {} unknown ({}): listing its versions, which covers either case",
                   options.bucket, report.not_checked["versioning"]);
      co_return true;
    }
    if (!protocol::is_refusal(r.error().code)) {
      control.fail(r.error());
      co_return false;
    }
    report.not_checked["versions"] = code_of(r.error());
    run.entries = protocol::ListingKind::objects;
    spdlog::warn("versioning of {} unknown ({}) and its versions not listable ({}): listing current "
                 "objects only; in a versioned bucket their deletion adds delete markers and "
                 "leaves the versions",
                 options.bucket, report.not_checked["versioning"], report.not_checked["versions"]);
    co_return true;
  }

  asio::awaitable<void> run_steps() {
    if (options.delete_bucket && (!options.prefix.empty() || !options.objects || !options.uploads ||
                                  options.keys || options.selection.selective())) {
      control.fail(Error(protocol::client_errc::invalid_config,
                         "a bucket is deleted only when emptied whole: drop the prefix, the selection or the deletion"));
      co_return;
    }
    if (!co_await check_bucket()) co_return;
    if (run.versioned && options.objects && !options.dry_run && options.selection.may_resurface() &&
        !options.selection.allow_resurface) {
      control.fail(protocol::resurface_refusal(options.selection));
      co_return;
    }
    if (options.journal && !options.dry_run && !options.keys) {
      run.after_earlier_run = options.journal->begun_before(options.bucket, options.prefix);
      if (auto e = options.journal->record_begun(options.bucket, options.prefix)) {
        spdlog::warn("{}; the purge goes on, but a re-run will list everything again", e->message);
      }
    }
    if (options.keys) {
      // rm: the named keys, once. What is left of the bucket is not this command's business.
      co_await pass();
      co_return;
    }
    co_await empty_bucket(1 + options.extra_passes);
    if (!options.delete_bucket || control.stopping() || options.dry_run) co_return;
    const std::function<asio::awaitable<void>()> empty_again = [this] { return empty_bucket(1); };
    co_await delete_bucket(run, empty_again);
  }

  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();

  asio::awaitable<PurgeReport> run_all() {
    started = std::chrono::steady_clock::now();
    run.started_at = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
    if (options.selection.now == 0) {
      options.selection.now = std::chrono::duration_cast<std::chrono::seconds>(
                                  std::chrono::system_clock::now().time_since_epoch()).count();
    }
    report.checksum = options.checksum;
    co_await run_steps();
    const auto& fatal = control.fatal();
    if (!options.ranges.empty() && report.passes > 0 && fatal &&
        fatal->code == protocol::s3_errc::no_such_bucket && ledger.no_failures()) {
      const bool was_stopping = control.pause_stop();  // HeadBucket retried as usual
      const bool gone = co_await confirm_gone(run, 2);
      control.restore_stop(was_stopping);
      if (gone) {
        // It existed when this shard began, and S3 deletes only empty buckets: the last of
        // the other shards emptied it and deleted it while this one checked.
        spdlog::info("bucket {} was deleted by another shard (HeadBucket confirms it)", options.bucket);
        control.forgive();
        report.bucket_deleted = options.delete_bucket;
        report.empty_verified = true;
      }
    }
    if (control.fatal()) report.stopped = control.fatal()->describe();
    if (!report.bucket_deleted && !options.dry_run && !options.keys &&
        !report.unverifiable && (!report.empty_verified || !report.failures.empty())) {
      // Count what is left even after a fatal error, if the server answers.
      // A run that sent all it listed settles what it counted deleted and finds again.
      const bool sent_all = !control.stopping();
      const bool was_stopping = control.pause_stop();
      if (auto l = co_await count_left(run, false, ranges(), sent_all)) report.remaining = l->total;
      control.restore_stop(was_stopping);
    }
    report.throttles = client.limiter().throttles();
    report.throttles_noise = client.limiter().noise_throttles();
    report.throttles_capacity = client.limiter().capacity_throttles();
    report.elapsed = std::chrono::steady_clock::now() - started;
    co_return report;
  }
};

Purger::Purger(asio::any_io_executor executor, PurgeOptions options, protocol::Credentials credentials,
               std::string region, asio::ssl::context* tls)
    : impl_(std::make_unique<Impl>(executor, std::move(options), std::move(credentials), std::move(region),
                                   tls)) {}

Purger::~Purger() = default;

asio::awaitable<PurgeReport> Purger::run() { return impl_->run_all(); }

void Purger::request_stop() { impl_->control.request_stop(); }

const PurgeReport& Purger::progress() const { return impl_->report; }

PurgeReport Purger::settled_now() const {
  PurgeReport r = impl_->report;
  r.elapsed = std::chrono::steady_clock::now() - impl_->started;
  r.in_flight_at_stop = true;
  r.remaining = 0;
  const auto unsent = [](const KindCounts& c, std::uint64_t in_flight) {
    return c.listed - std::min(c.listed, c.deleted + c.failed + c.skipped + in_flight);
  };
  for (const auto k : kKinds) {
    auto& c = r.of(k);
    c.skipped += unsent(c, r.in_flight[static_cast<std::size_t>(k)]);
    r.remaining += c.failed + c.skipped;
  }
  r.current_versions.skipped += unsent(r.current_versions, r.current_versions_in_flight);
  return r;
}

}  // namespace s3purge::engine
