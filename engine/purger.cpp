#include "engine/purger.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <spdlog/spdlog.h>

#include <unordered_map>
#include <unordered_set>

#include "engine/backoff.hpp"
#include "engine/key_source.hpp"
#include "engine/rate_limiter.hpp"
#include "protocol/bucket_requests.hpp"
#include "protocol/delete_requests.hpp"
#include "protocol/delete_result.hpp"
#include "protocol/key_list.hpp"
#include "protocol/list_requests.hpp"
#include "protocol/list_responses.hpp"
#include "protocol/time_text.hpp"
#include "protocol/uri.hpp"
#include "protocol/xml_writer.hpp"

namespace s3purge::engine {

namespace asio = boost::asio;
using boost::system::error_code;
using protocol::Error;
using protocol::HttpRequest;
using protocol::HttpResponse;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

namespace {

struct Item {
  std::string key;
  std::string version_id;  // empty in unversioned buckets
  Kind kind = Kind::object;
  std::uint64_t size = 0;
  bool latest = false;  // the current version
};
using Batch = std::vector<Item>;  // empty: the end of the listing, one per receiver

struct Upload {
  std::string key, upload_id;
};
using Uploads = std::vector<Upload>;  // empty: the end

using BatchChannel = asio::experimental::channel<void(error_code, Batch)>;
using UploadChannel = asio::experimental::channel<void(error_code, Uploads)>;

std::string id_of(std::string_view key, std::string_view version) {
  std::string id(key);
  id.push_back('\0');
  id.append(version);
  return id;
}

// Runs coroutines side by side and waits for all of them; the first exception is
// rethrown once every one has ended (no detached work whose errors vanish).
class TaskGroup {
 public:
  explicit TaskGroup(asio::any_io_executor ex)
      : ex_(ex), done_(ex, std::chrono::steady_clock::time_point::max()) {}
  void spawn(asio::awaitable<void> task) {
    ++pending_;
    asio::co_spawn(ex_, std::move(task), [this](std::exception_ptr e) {
      if (e && !error_) error_ = e;
      if (--pending_ == 0) done_.cancel();
    });
  }
  asio::awaitable<void> wait() {
    while (pending_ > 0) co_await done_.async_wait(use_tuple);
    if (error_) std::rethrow_exception(error_);
  }

 private:
  asio::any_io_executor ex_;
  asio::steady_timer done_;
  int pending_ = 0;
  std::exception_ptr error_;
};

}  // namespace

struct Purger::Impl {
  asio::any_io_executor executor;
  PurgeOptions options;
  protocol::Signer signer;
  asio::ssl::context* tls;
  protocol::RequestContext ctx;
  Backoff backoff;
  RateLimiter limiter;
  PurgeReport report;
  bool versioned = false;
  bool stop = false;
  std::optional<Error> fatal;
  std::unordered_set<std::string> failed_ids;  // permanent failures: not listed again
  std::string endpoint_name;

  Impl(asio::any_io_executor ex, PurgeOptions o, protocol::Credentials creds, std::string region,
       asio::ssl::context* t)
      : executor(ex),
        options(std::move(o)),
        signer(std::move(creds), std::move(region)),
        tls(t),
        ctx{options.bucket, options.address, options.request_options},
        backoff(options.retry.backoff),
        limiter(ex, options.rate, options.burst, options.adaptive) {
    endpoint_name = options.address.connect_host + ":" + std::to_string(options.address.port);
  }

  HttpConnection connection() {
    ConnectionOptions c = options.connection;
    c.host = options.address.connect_host;
    c.port = options.address.port;
    c.https = options.address.https;
    return HttpConnection(executor, std::move(c), tls);
  }

  // Over https the body is protected by TLS and checked by Content-MD5; over plain http
  // only signing its SHA-256 protects it.
  protocol::PayloadSigning payload() const {
    return options.address.https ? protocol::PayloadSigning::unsigned_payload
                                 : protocol::PayloadSigning::sha256;
  }

  S3Call call_on(HttpConnection& c) {
    return S3Call(c, signer, limiter, backoff, options.retry, payload(), report.calls, endpoint_name);
  }

  void fail(const Error& e) {
    if (!fatal) {
      fatal = e;
      spdlog::debug("stopping: {}", e.describe());
    }
    stop = true;
  }

  void record_failure(const Item& item, const std::string& code, const std::string& message,
                      const std::string& request_id) {
    ++report.of(item.kind).failed;
    failed_ids.insert(id_of(item.key, item.version_id));
    if (report.failures.size() < options.max_failure_records) {
      report.failures.push_back({item.key, item.version_id, item.kind, code, message, request_id});
    } else {
      ++report.failures_not_recorded;
    }
  }

  void record_failure(const Item& item, const Error& e) {
    record_failure(item, e.s3_code.empty() ? e.code.message() : e.s3_code, e.message, e.request_id);
  }

  void skip(const Batch& batch) {
    for (const auto& it : batch) ++report.of(it.kind).skipped;
  }

  void deleted(const Item& item) {
    auto& c = report.of(item.kind);
    ++c.deleted;
    c.bytes_deleted += item.size;
  }

  asio::awaitable<void> sleep(std::chrono::milliseconds d) {
    asio::steady_timer t(executor, d);
    co_await t.async_wait(use_tuple);
  }

  // ---- listing -------------------------------------------------------------------------

  // One page of versions or objects as items; nullopt after a fatal error or when the
  // answer stays unreadable. `more` and the markers advance the listing.
  struct Cursor {
    std::string key_marker, version_marker, token;
    bool more = true;
  };

  asio::awaitable<std::optional<std::vector<Item>>> list_page(S3Call& call, HttpResponse& resp,
                                                              Cursor& cursor) {
    for (unsigned attempt = 0;; ++attempt) {
      HttpRequest req;
      if (versioned) {
        protocol::ListObjectVersionsParams p;
        p.prefix = options.prefix;
        p.key_marker = cursor.key_marker;
        p.version_id_marker = cursor.version_marker;
        req = protocol::build_list_object_versions(ctx, p);
      } else {
        protocol::ListObjectsV2Params p;
        p.prefix = options.prefix;
        p.continuation_token = cursor.token;
        req = protocol::build_list_objects_v2(ctx, p);
      }
      auto r = co_await call(versioned ? "ListObjectVersions" : "ListObjectsV2", req, resp);
      if (!r) {
        fail(r.error());
        co_return std::nullopt;
      }
      std::vector<Item> items;
      std::optional<Error> parse_error;
      if (versioned) {
        auto page = protocol::parse_list_object_versions(resp.body);
        if (page) {
          for (auto& e : page->entries) {
            const Kind k = e.kind == protocol::VersionKind::delete_marker ? Kind::delete_marker
                                                                         : Kind::version;
            items.push_back({std::move(e.key), std::move(e.version_id), k, e.size, e.is_latest});
          }
          cursor.more = page->is_truncated;
          cursor.key_marker = page->next_key_marker;
          cursor.version_marker = page->next_version_id_marker;
        } else {
          parse_error = std::move(page).error();
        }
      } else {
        auto page = protocol::parse_list_objects_v2(resp.body);
        if (page) {
          for (auto& o : page->objects) items.push_back({std::move(o.key), {}, Kind::object, o.size});
          cursor.more = page->is_truncated;
          cursor.token = page->next_continuation_token;
        } else {
          parse_error = std::move(page).error();
        }
      }
      if (!parse_error) co_return items;
      // A 200 whose listing does not parse: fetch the page again, a few times.
      ++report.calls.errors_by_code[parse_error->code.message()];
      if (!protocol::is_retryable(parse_error->code) || attempt >= options.retry.transient_retries) {
        parse_error->message = "listing of " + options.bucket + ": " + parse_error->message;
        fail(*parse_error);
        co_return std::nullopt;
      }
      ++report.calls.transient_retries;
      co_await sleep(backoff.delay(attempt));
    }
  }

  asio::awaitable<void> lister(BatchChannel& out) {
    HttpConnection conn = connection();
    S3Call call = call_on(conn);
    HttpResponse resp;
    Batch batch;
    batch.reserve(options.batch_size);
    Cursor cursor;
    while (cursor.more && !stop) {
      auto items = co_await list_page(call, resp, cursor);
      if (!items) break;
      for (auto& item : *items) {
        if (!failed_ids.empty() && failed_ids.count(id_of(item.key, item.version_id))) {
          continue;  // reported already
        }
        auto& c = report.of(item.kind);
        ++c.listed;
        c.bytes_listed += item.size;
        if (item.latest && item.kind == Kind::version) {
          ++report.current_versions_listed;
          report.current_bytes_listed += item.size;
        }
        if (!item.key.starts_with(options.prefix)) {
          // A server that lists outside the prefix asked for: never delete what was not named.
          ++c.skipped;
          continue;
        }
        batch.push_back(std::move(item));
        if (batch.size() == options.batch_size) co_await send(out, batch);
      }
    }
    listing_ended(cursor.more);
    co_await end_of(out, batch);
  }

  // Hands a batch to the deleters and starts a new one.
  asio::awaitable<void> send(BatchChannel& out, Batch& batch) {
    co_await out.async_send(error_code{}, std::move(batch), asio::use_awaitable);
    batch = Batch();
    batch.reserve(options.batch_size);
  }

  // The last, partial batch, then one end marker per deleter.
  asio::awaitable<void> end_of(BatchChannel& out, Batch& last) {
    if (!last.empty()) co_await out.async_send(error_code{}, std::move(last), asio::use_awaitable);
    for (int i = 0; i < options.concurrency; ++i) {
      co_await out.async_send(error_code{}, Batch(), asio::use_awaitable);
    }
  }

  // Totals are known once every lister of the first pass has reached its end.
  int listers_running = 0;
  bool listing_cut_short = false;
  void listing_ended(bool cut_short) {
    listing_cut_short = listing_cut_short || cut_short;
    if (--listers_running == 0 && report.passes == 1 && !listing_cut_short) {
      report.listing_done = true;
      spdlog::info("listing ended: {} entries", report.total(&KindCounts::listed));
    }
  }

  // rm: the keys come from options.keys, each line "KEY" or "KEY<TAB>VERSION_ID".
  asio::awaitable<void> key_lister(BatchChannel& out) {
    Batch batch;
    batch.reserve(options.batch_size);
    std::uint64_t line_no = 0;
    bool ended = false;
    while (!stop) {
      auto lines = co_await options.keys->next();
      if (!lines) {
        fail(lines.error());
        break;
      }
      if (lines->empty()) {
        ended = true;
        break;
      }
      for (auto& line : *lines) {
        ++line_no;
        auto parsed = protocol::parse_key_line(line, options.prefix);
        if (!parsed) {
          // The line as it came may not even be UTF-8: reported URL-encoded, so every
          // report and JSON document stays valid.
          const Item bad{protocol::uri_encode(line, false), {}, Kind::object};
          ++report.of(Kind::object).listed;
          record_failure(bad, "InvalidKeyLine",
                         "line " + std::to_string(line_no) + ": " + parsed.error().message, "");
          continue;
        }
        if (!*parsed) continue;  // a blank line
        auto& [key, version_id] = **parsed;
        const Kind kind = version_id.empty() ? Kind::object : Kind::version;
        ++report.of(kind).listed;
        batch.push_back({std::move(key), std::move(version_id), kind});
        if (batch.size() == options.batch_size) co_await send(out, batch);
      }
    }
    if (!ended) options.keys->close();
    listing_ended(!ended);
    co_await end_of(out, batch);
  }

  // ---- deleting ------------------------------------------------------------------------

  asio::awaitable<void> deleter(BatchChannel& in) {
    HttpConnection conn = connection();
    S3Call call = call_on(conn);
    HttpResponse resp;
    std::string body;  // the DeleteObjects body buffer, reused from batch to batch
    for (;;) {
      Batch batch = co_await in.async_receive(asio::use_awaitable);
      if (batch.empty()) co_return;
      if (stop || options.dry_run) {
        skip(batch);
        continue;
      }
      co_await delete_batch(call, batch, body, resp);
    }
  }

  asio::awaitable<void> delete_batch(S3Call& call, Batch& batch, std::string& body,
                                     HttpResponse& resp) {
    // Keys XML 1.0 cannot carry go alone, URL-encoded in a request path.
    Batch singles, pending;
    for (auto& item : batch) {
      (protocol::xml_can_carry(item.key) ? pending : singles).push_back(std::move(item));
    }
    std::vector<protocol::ObjectId> ids;
    for (unsigned attempt = 0; !pending.empty();) {
      if (stop) {
        skip(pending);
        break;
      }
      if (report.delete_objects_unsupported) {
        for (auto& item : pending) singles.push_back(std::move(item));
        break;
      }
      co_await limiter.acquire(pending.size());
      ids.clear();
      for (const auto& item : pending) ids.push_back({item.key, item.version_id});
      protocol::DeleteOptions opts;
      opts.bypass_governance = options.bypass_governance;
      auto req = protocol::build_delete_objects(ctx, ids, opts, std::move(body));
      if (!req) {  // cannot happen: sizes and keys were checked
        for (const auto& item : pending) record_failure(item, req.error());
        break;
      }
      auto r = co_await call("DeleteObjects", *req, resp);
      body = std::move(req->body);
      if (!r) {
        const Error& e = r.error();
        if (e.code == protocol::s3_errc::not_implemented ||
            e.code == protocol::s3_errc::method_not_allowed) {
          // A server without DeleteObjects (the GCS XML API, some older S3 clones): single
          // deletes from now on, for the rest of the run.
          if (!report.delete_objects_unsupported) {
            spdlog::warn("the server has no DeleteObjects ({}): deleting one key per request",
                         e.s3_code);
          }
          report.delete_objects_unsupported = true;
          continue;
        }
        if (protocol::is_fatal(e.code)) {
          fail(e);
          skip(pending);
          break;
        }
        for (const auto& item : pending) record_failure(item, e);  // budget spent, or permanent
        break;
      }
      auto result = protocol::parse_delete_objects_result(resp.body);
      if (!result) {
        ++report.calls.errors_by_code[result.error().code.message()];
        if (attempt++ >= options.retry.transient_retries) {
          for (const auto& item : pending) record_failure(item, result.error());
          break;
        }
        ++report.calls.transient_retries;
        co_await sleep(backoff.delay(attempt));
        continue;
      }
      std::unordered_map<std::string, const protocol::DeleteFailure*> errors;
      for (const auto& f : result->errors) errors.emplace(id_of(f.key, f.version_id), &f);
      const std::string request_id(resp.headers.get("x-amz-request-id"));
      Batch retry;
      std::vector<const protocol::DeleteFailure*> retry_errors;
      bool throttled = false;
      for (auto& item : pending) {
        const auto it = errors.empty() ? errors.end() : errors.find(id_of(item.key, item.version_id));
        if (it == errors.end()) {
          deleted(item);
        } else if (protocol::is_retryable(it->second->ec)) {
          throttled = throttled || protocol::is_throttle(it->second->ec);
          retry_errors.push_back(it->second);
          retry.push_back(std::move(item));
        } else {
          record_failure(item, it->second->code, it->second->message, request_id);
        }
      }
      limiter.on_success(pending.size() - retry.size());
      if (throttled) limiter.on_throttle(std::chrono::milliseconds(0));
      if (retry.empty()) break;
      if (attempt++ >= options.retry.transient_retries) {
        for (std::size_t i = 0; i < retry.size(); ++i) {
          record_failure(retry[i], retry_errors[i]->code, retry_errors[i]->message, request_id);
        }
        break;
      }
      report.key_retries += retry.size();
      co_await sleep(backoff.delay(attempt));
      pending = std::move(retry);
    }
    for (const auto& item : singles) co_await delete_single(call, item, resp);
  }

  asio::awaitable<void> delete_single(S3Call& call, const Item& item, HttpResponse& resp) {
    if (stop) {
      ++report.of(item.kind).skipped;
      co_return;
    }
    co_await limiter.acquire(1);
    protocol::DeleteOptions opts;
    opts.bypass_governance = options.bypass_governance;
    auto req = protocol::build_delete_object(ctx, {item.key, item.version_id}, opts);
    if (!req) {
      record_failure(item, req.error());
      co_return;
    }
    auto r = co_await call("DeleteObject", *req, resp);
    if (r) {
      deleted(item);
      limiter.on_success(1);
    } else if (protocol::is_fatal(r.error().code)) {
      fail(r.error());
      ++report.of(item.kind).skipped;
    } else {
      record_failure(item, r.error());
    }
  }

  // ---- uploads -------------------------------------------------------------------------

  struct UploadCursor {
    protocol::ListMultipartUploadsParams params;
    bool more = true;
  };

  // One page of incomplete uploads, the cursor advanced; nullopt after a fatal error.
  asio::awaitable<std::optional<protocol::ListUploadsPage>> uploads_page(S3Call& call,
                                                                         HttpResponse& resp,
                                                                         UploadCursor& cursor) {
    HttpRequest req = protocol::build_list_multipart_uploads(ctx, cursor.params);
    auto r = co_await call("ListMultipartUploads", req, resp);
    if (!r) {
      fail(r.error());
      co_return std::nullopt;
    }
    auto page = protocol::parse_list_multipart_uploads(resp.body);
    if (!page) {
      fail(page.error());
      co_return std::nullopt;
    }
    cursor.more = page->is_truncated;
    cursor.params.key_marker = page->next_key_marker;
    cursor.params.upload_id_marker = page->next_upload_id_marker;
    co_return std::move(page).value();
  }

  asio::awaitable<void> upload_lister(UploadChannel& out) {
    HttpConnection conn = connection();
    S3Call call = call_on(conn);
    HttpResponse resp;
    UploadCursor cursor;
    cursor.params.prefix = options.prefix;
    while (cursor.more && !stop) {
      auto page = co_await uploads_page(call, resp, cursor);
      if (!page) break;
      Uploads batch;
      for (auto& u : page->uploads) {
        if (!failed_ids.empty() && failed_ids.count(id_of(u.key, u.upload_id))) continue;
        ++report.of(Kind::upload).listed;
        if (!u.key.starts_with(options.prefix)) {
          ++report.of(Kind::upload).skipped;
          continue;
        }
        if (!old_enough(u)) {
          ++report.of(Kind::upload).skipped;
          ++report.uploads_kept_newer;
          continue;
        }
        batch.push_back({std::move(u.key), std::move(u.upload_id)});
      }
      if (!batch.empty()) co_await out.async_send(error_code{}, std::move(batch), asio::use_awaitable);
    }
    listing_ended(cursor.more);
    for (int i = 0; i < options.abort_concurrency; ++i) {
      co_await out.async_send(error_code{}, Uploads(), asio::use_awaitable);
    }
  }

  // --older-than: an upload whose start time is unreadable is kept, never guessed old.
  bool old_enough(const protocol::ListedUpload& u) const {
    if (!options.uploads_started_before) return true;
    const auto started = protocol::parse_iso8601(u.initiated);
    return started && *started < *options.uploads_started_before;
  }

  asio::awaitable<void> aborter(UploadChannel& in) {
    HttpConnection conn = connection();
    S3Call call = call_on(conn);
    HttpResponse resp;
    for (;;) {
      Uploads batch = co_await in.async_receive(asio::use_awaitable);
      if (batch.empty()) co_return;
      for (const auto& u : batch) {
        const Item item{u.key, u.upload_id, Kind::upload, 0};
        if (stop || options.dry_run) {
          ++report.of(Kind::upload).skipped;
          continue;
        }
        co_await limiter.acquire(1);
        auto req = protocol::build_abort_multipart_upload(ctx, u.key, u.upload_id);
        auto r = co_await call("AbortMultipartUpload", *req, resp);
        // NoSuchUpload: completed or aborted since it was listed; either way it is gone.
        if (r || r.error().code == protocol::s3_errc::no_such_upload) {
          deleted(item);
          limiter.on_success(1);
        } else if (protocol::is_fatal(r.error().code)) {
          fail(r.error());
          ++report.of(Kind::upload).skipped;
        } else {
          record_failure(item, r.error());
        }
      }
    }
  }

  // ---- passes and verification ---------------------------------------------------------

  asio::awaitable<void> pass() {
    ++report.passes;
    spdlog::info("pass {} over s3://{}/{}{}", report.passes, options.bucket, options.prefix,
                 options.dry_run ? " (dry run: nothing is deleted)" : "");
    BatchChannel batches(executor, options.queue_depth);
    UploadChannel uploads(executor, 4);
    TaskGroup group(executor);
    listers_running = (options.objects || options.keys ? 1 : 0) + (options.uploads ? 1 : 0);
    if (options.keys) {
      group.spawn(key_lister(batches));
    } else if (options.objects) {
      group.spawn(lister(batches));
    }
    if (options.keys || options.objects) {
      for (int i = 0; i < options.concurrency; ++i) group.spawn(deleter(batches));
    }
    if (options.uploads) {
      group.spawn(upload_lister(uploads));
      for (int i = 0; i < options.abort_concurrency; ++i) group.spawn(aborter(uploads));
    }
    co_await group.wait();
  }

  // Lists everything under the prefix: how many entries and uploads are left, and how many
  // of them are not known failures. Stops early at the first unknown one when asked.
  struct Left {
    std::uint64_t total = 0, unknown = 0;
  };
  asio::awaitable<std::optional<Left>> left(bool stop_at_first_unknown) {
    HttpConnection conn = connection();
    S3Call call = call_on(conn);
    HttpResponse resp;
    Left out;
    Cursor cursor;
    cursor.more = options.objects;
    while (cursor.more) {
      auto items = co_await list_page(call, resp, cursor);
      if (!items) co_return std::nullopt;
      for (const auto& item : *items) {
        ++out.total;
        if (!failed_ids.count(id_of(item.key, item.version_id))) ++out.unknown;
      }
      if (stop_at_first_unknown && out.unknown) co_return out;
    }
    UploadCursor uploads;
    uploads.params.prefix = options.prefix;
    uploads.more = options.uploads;
    while (uploads.more) {
      auto page = co_await uploads_page(call, resp, uploads);
      if (!page) co_return std::nullopt;
      for (const auto& u : page->uploads) {
        if (!old_enough(u)) continue;
        ++out.total;
        if (!failed_ids.count(id_of(u.key, u.upload_id))) ++out.unknown;
      }
    }
    co_return out;
  }

  // Passes until a listing finds nothing but known failures, at most 1 + extra_passes.
  asio::awaitable<void> empty_bucket(int budget) {
    for (int i = 0; i < budget && !stop; ++i) {
      co_await pass();
      if (stop || options.dry_run) co_return;
      auto l = co_await left(true);
      if (!l) co_return;
      spdlog::info("verification after pass {}: {} left, {} of them unknown", report.passes,
                   l->total, l->unknown);
      if (l->unknown == 0) {
        report.empty_verified = true;
        co_return;
      }
      report.empty_verified = false;
    }
  }

  // DeleteBucket answered 204: HeadBucket must now answer 404. A few tries, since some
  // endpoints cache a bucket's existence for a moment.
  asio::awaitable<void> verify_gone(S3Call& call, HttpResponse& resp) {
    for (unsigned attempt = 0; attempt < 5; ++attempt) {
      HttpRequest req = protocol::build_head_bucket(ctx);
      auto r = co_await call("HeadBucket", req, resp);
      if (!r && (r.error().code == protocol::s3_errc::not_found ||
                 r.error().code == protocol::s3_errc::no_such_bucket)) {
        report.bucket_deleted = true;
        co_return;
      }
      if (!r) {  // 403: the name may already be someone else's; the deletion was answered
        spdlog::warn("bucket {} deleted; HeadBucket then answered {}", options.bucket,
                     r.error().describe());
        report.bucket_deleted = true;
        co_return;
      }
      co_await sleep(backoff.delay(attempt));
    }
    spdlog::warn("bucket {}: DeleteBucket succeeded but HeadBucket still finds it", options.bucket);
  }

  asio::awaitable<PurgeReport> run() {
    const auto started = std::chrono::steady_clock::now();
    co_await run_steps();
    if (fatal) report.stopped = fatal->describe();
    if (!report.bucket_deleted && !options.dry_run && !options.keys &&
        (!report.empty_verified || !report.failures.empty())) {
      const bool was_stopped = stop;
      stop = false;  // count what is left even after a fatal error, if the server answers
      if (auto l = co_await left(false)) report.remaining = l->total;
      stop = was_stopped;
    }
    report.throttles = limiter.core().throttles();
    report.elapsed = std::chrono::steady_clock::now() - started;
    co_return report;
  }

  asio::awaitable<void> run_steps() {
    if (options.delete_bucket && (!options.prefix.empty() || !options.objects || !options.uploads ||
                                  options.keys || options.uploads_started_before)) {
      fail(Error(protocol::client_errc::invalid_config,
                 "a bucket is deleted only when emptied whole: drop the prefix or the deletion"));
      co_return;
    }
    // GetBucketVersioning also proves the bucket exists and the credentials and region
    // are right, before anything is deleted.
    {
      HttpConnection conn = connection();
      S3Call call = call_on(conn);
      HttpResponse resp;
      HttpRequest req = protocol::build_get_bucket_versioning(ctx);
      auto r = co_await call("GetBucketVersioning", req, resp);
      if (!r) {
        fail(r.error());
        co_return;
      }
      auto v = protocol::parse_bucket_versioning(resp.body);
      if (!v) {
        fail(v.error());
        co_return;
      }
      report.versioning = v->status;
      versioned = v->status != protocol::VersioningStatus::never_enabled;
    }
    if (options.keys) {
      // rm: the named keys, once. What is left of the bucket is not this command's business.
      co_await pass();
      co_return;
    }
    co_await empty_bucket(1 + options.extra_passes);
    if (!options.delete_bucket || stop || options.dry_run) co_return;

    for (int attempt = 0; attempt <= options.extra_passes && !stop; ++attempt) {
      if (!failed_ids.empty()) co_return;  // what failed stays, and so does the bucket
      HttpConnection conn = connection();
      S3Call call = call_on(conn);
      HttpResponse resp;
      HttpRequest req = protocol::build_delete_bucket(ctx);
      auto r = co_await call("DeleteBucket", req, resp);
      if (r) {
        spdlog::info("bucket {} deleted", options.bucket);
        co_await verify_gone(call, resp);
        co_return;
      }
      if (r.error().code != protocol::s3_errc::bucket_not_empty) {
        fail(r.error());
        co_return;
      }
      // Late writers or a listing that ended early: empty again, then retry.
      co_await empty_bucket(1);
    }
  }
};

Purger::Purger(asio::any_io_executor executor, PurgeOptions options,
               protocol::Credentials credentials, std::string region, asio::ssl::context* tls)
    : impl_(std::make_unique<Impl>(executor, std::move(options), std::move(credentials),
                                   std::move(region), tls)) {}

Purger::~Purger() = default;

asio::awaitable<PurgeReport> Purger::run() { return impl_->run(); }

void Purger::request_stop() { impl_->stop = true; }

const PurgeReport& Purger::progress() const { return impl_->report; }

}  // namespace s3purge::engine
