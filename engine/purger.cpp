#include "engine/purger.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <spdlog/spdlog.h>

#include <time.h>

#include <algorithm>
#include <fstream>
#include <functional>

#include "engine/backoff.hpp"
#include "engine/batch_queue.hpp"
#include "engine/body_pool.hpp"
#include "engine/failed_entries.hpp"
#include "engine/key_range.hpp"
#include "engine/key_source.hpp"
#include "engine/lister_growth.hpp"
#include "engine/range_journal.hpp"
#include "engine/range_progress.hpp"
#include "engine/range_work.hpp"
#include "engine/rate_limiter.hpp"
#include "protocol/bucket_requests.hpp"
#include "protocol/delete_reconcile.hpp"
#include "protocol/delete_requests.hpp"
#include "protocol/delete_result.hpp"
#include "protocol/key_list.hpp"
#include "protocol/list_progress.hpp"
#include "protocol/list_requests.hpp"
#include "protocol/list_responses.hpp"
#include "protocol/printable.hpp"
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
  std::string version_id;  // empty in unversioned buckets; an upload's id
  Kind kind = Kind::object;
  std::uint64_t size = 0;
  bool latest = false;  // the current version
  bool kept_newer = false;  // an upload newer than --older-than: listed, not aborted
  std::uint64_t ticket = 0;  // the listed page it came from, for --state-file; 0: none
};
using Batch = std::vector<Item>;  // empty: the end of the listing, one per receiver

// CPU seconds this process has used, all threads.
double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// The machine's CPU times; nothing where there is no /proc/stat.
std::optional<CpuTimes> machine_cpu_times() {
  std::ifstream in("/proc/stat");
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  return parse_proc_stat(line);
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
  FailedEntries failed_ids;  // permanent failures: not listed again
  std::optional<RangeProgress> progress;  // with --state-file, outside dry runs
  bool server_lists_deletions = false;  // it ignores Quiet (see delete_batch)
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
    if (options.journal && !options.dry_run) {
      progress.emplace([this](bool uploads, const KeyRange& emptied) { record_emptied(uploads, emptied); });
    }
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
    settle(item, false);
    failed_ids.add(item.key, item.version_id);
    FailureRecord record{item.key, item.version_id, item.kind, code, message, request_id};
    if (options.on_failure) options.on_failure(record);
    if (report.failures.size() < options.max_failure_records) {
      report.failures.push_back(std::move(record));
    } else {
      ++report.failures_not_recorded;
    }
  }

  void record_failure(const Item& item, const Error& e) {
    std::string code = e.s3_code;
    if (code.empty()) {
      code = e.code == protocol::client_errc::outcome_unknown ? "OutcomeUnknown" : e.code.message();
    }
    record_failure(item, code, e.message, e.request_id);
  }

  void skipped(const Item& item) {
    ++report.of(item.kind).skipped;
    settle(item, false);
  }

  void settle(const Item& item, bool deleted) {
    if (item.ticket) progress->settle(item.ticket, deleted);
  }

  void skip(const Batch& batch) {
    for (const auto& it : batch) skipped(it);
  }

  void deleted(const Item& item) {
    auto& c = report.of(item.kind);
    ++c.deleted;
    c.bytes_deleted += item.size;
    settle(item, true);
  }

  asio::awaitable<void> sleep(std::chrono::milliseconds d) {
    asio::steady_timer t(executor, d);
    co_await t.async_wait(use_tuple);
  }

  // ---- listing -------------------------------------------------------------------------

  // Where a listing of one range has got to. Objects start after `start_after`, then
  // follow `token`; versions and uploads follow the two markers.
  struct Cursor {
    std::string prefix, start_after, key_marker, version_marker, token;
    bool more = true;
    protocol::ListProgress progress;  // a page that does not move the listing ends it
  };

  const char* list_operation(bool uploads) const {
    return uploads ? "ListMultipartUploads" : versioned ? "ListObjectVersions" : "ListObjectsV2";
  }

  // The list request for the cursor's position: uploads, versions (versioned or suspended
  // buckets) or objects.
  HttpRequest list_request(bool uploads, const Cursor& cursor, std::string_view delimiter) const {
    if (uploads) {
      protocol::ListMultipartUploadsParams p;
      p.prefix = cursor.prefix;
      p.delimiter = delimiter;
      p.key_marker = cursor.key_marker;
      p.upload_id_marker = cursor.version_marker;
      return protocol::build_list_multipart_uploads(ctx, p);
    }
    if (versioned) {
      protocol::ListObjectVersionsParams p;
      p.prefix = cursor.prefix;
      p.delimiter = delimiter;
      p.key_marker = cursor.key_marker;
      p.version_id_marker = cursor.version_marker;
      return protocol::build_list_object_versions(ctx, p);
    }
    protocol::ListObjectsV2Params p;
    p.prefix = cursor.prefix;
    p.delimiter = delimiter;
    p.start_after = cursor.start_after;
    p.continuation_token = cursor.token;
    return protocol::build_list_objects_v2(ctx, p);
  }

  // One page of a listing as items, the cursor advanced; nullopt after a fatal error or
  // when the answer stays unreadable. Uploads are items of kind upload, their id in
  // version_id.
  asio::awaitable<std::optional<std::vector<Item>>> list_page(S3Call& call, HttpResponse& resp,
                                                              Cursor& cursor, bool uploads) {
    const char* op = list_operation(uploads);
    for (unsigned attempt = 0;; ++attempt) {
      HttpRequest req = list_request(uploads, cursor, {});
      auto r = co_await call(op, req, resp);
      if (!r) {
        fail(r.error());
        co_return std::nullopt;
      }
      std::vector<Item> items;
      std::optional<Error> parse_error;
      protocol::Result<protocol::Ok> stalled = protocol::Ok{};
      // The page against the listing's progress, before its cursor is followed.
      const auto check = [&](const auto& listed, bool truncated, protocol::ListPosition next) {
        return cursor.progress.check({listed.size(), listed.empty() ? "" : listed.front().key,
                                      listed.empty() ? "" : listed.back().key, truncated, next},
                                     uploads || versioned);
      };
      if (uploads) {
        auto page = protocol::parse_list_multipart_uploads(resp.body);
        if (page) {
          stalled = check(page->uploads, page->is_truncated,
                          {{}, page->next_key_marker, page->next_upload_id_marker});
          items.reserve(page->uploads.size());
          for (auto& u : page->uploads) {
            Item item{std::move(u.key), std::move(u.upload_id), Kind::upload};
            item.kept_newer = !old_enough(u);
            items.push_back(std::move(item));
          }
          cursor.more = page->is_truncated;
          cursor.key_marker = page->next_key_marker;
          cursor.version_marker = page->next_upload_id_marker;
        } else {
          parse_error = std::move(page).error();
        }
      } else if (versioned) {
        auto page = protocol::parse_list_object_versions(resp.body);
        if (page) {
          stalled = check(page->entries, page->is_truncated,
                          {{}, page->next_key_marker, page->next_version_id_marker});
          items.reserve(page->entries.size());
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
          stalled = check(page->objects, page->is_truncated, {page->next_continuation_token, {}, {}});
          items.reserve(page->objects.size());
          for (auto& o : page->objects) items.push_back({std::move(o.key), {}, Kind::object, o.size});
          cursor.more = page->is_truncated;
          cursor.token = page->next_continuation_token;
        } else {
          parse_error = std::move(page).error();
        }
      }
      // The page is parsed: its buffer goes to the next large answer read on this thread.
      BodyPool::of_thread().give(std::move(resp.body));
      if (!stalled) {
        // Asking again would get the same answer: the listing ends here, unfinished.
        Error e = stalled.error();
        e.message = "listing of " + options.bucket + ": " + e.message;
        fail(e);
        co_return std::nullopt;
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

  // --older-than: an upload whose start time is unreadable is kept, never guessed old.
  bool old_enough(const protocol::ListedUpload& u) const {
    if (!options.uploads_started_before) return true;
    const auto started = protocol::parse_iso8601(u.initiated);
    return started && *started < *options.uploads_started_before;
  }

  // What one page of a range gave: its items inside the range, in listing order.
  struct Page {
    std::vector<Item> items;
    std::size_t range = 0;          // the range's number in this listing
    std::optional<std::string> after;  // where the range starts
    bool range_end = false;         // the range has been listed to its end
    // Every key of the range up to this one has been listed whole (resume points).
    std::optional<std::string> complete_through;
  };

  // One listing (entries, or uploads) of the ranges to list, by several listers at once.
  struct Listing {
    Listing(asio::any_io_executor ex, bool u, std::vector<KeyRange> ranges)
        : uploads(u), start(std::move(ranges)), work(ex, {}), look_now(ex) {}
    bool uploads;
    std::vector<KeyRange> start;  // handed to `work` when the listing starts
    RangeWork work;
    std::function<asio::awaitable<void>(Page&)> on_page;
    bool halt = false;       // the consumer has seen enough
    bool cut_short = false;  // some range was not listed to its end
    std::size_t ranges_taken = 0;
    // A pass's listing: folders probed first, and for entries listers added while the
    // deleters starve. Verification lists without either: it mostly finds nothing.
    bool in_pass = false;
    std::uint64_t pages = 0;
    std::uint64_t entries = 0;  // listed, before any filtering
    double page_seconds = 0;    // summed over the pages: their round trips, parsing included
    double probe_seconds = 0;   // the folders' round trip (0: none asked)
    std::vector<std::string> folders;  // where to cut first, when the keys are in folders
    // Keys listed in each run of keys between two folder cuts (folder_keys[i + 1]: from
    // folders[i]), and the most in any: how many a folder holds, for guessing how far the
    // keys of the one being split go.
    std::vector<std::uint64_t> folder_keys;
    std::uint64_t most_folder_keys = 0;
    // Objects of an unversioned bucket: the folders are asked while the first range, the
    // whole, is listed. Until they answer it is not split; then it is cut at the folders
    // past where its lister has reached.
    bool probing = false;
    KeyRange* whole = nullptr;        // the whole range, while a lister holds it
    std::optional<std::string> whole_at;  // the last key listed from it
    int listers_running = 0;
    // Wakes the growth's look early: cancelled when the last lister ends, and when the
    // folders come (their ranges wait for listers).
    asio::steady_timer look_now;
  };

  // The ranges to list: those named (a shard), else everything under the prefix.
  std::vector<KeyRange> ranges() const {
    return options.ranges.empty() ? std::vector<KeyRange>{KeyRange{}} : options.ranges;
  }

  // The first pass skips what --state-file says an earlier run emptied.
  std::vector<KeyRange> pass_ranges(bool uploads) const {
    if (!options.journal || report.passes != 1) return ranges();
    const auto done = options.journal->done(options.bucket, options.prefix,
                                            uploads ? "uploads" : "entries");
    if (done.empty()) return ranges();
    std::vector<KeyRange> out;
    for (const auto& r : ranges()) {
      for (auto& left : subtract(r, done)) out.push_back(std::move(left));
    }
    spdlog::info("--state-file: {} {} ranges emptied earlier are not listed again; {} left",
                 done.size(), uploads ? "upload" : "entry", out.size());
    return out;
  }

  int listers() const {
    // S3 deletes at most ~3,500 keys/s per partition, so a DeleteObjects of 1000 keys takes
    // 0.3 s or more, against tens to hundreds of ms for a list page of 1000: a lister per
    // four deleters keeps them fed once splitting has spread the listers out. Where list
    // pages are as slow as deletes (bench/listers), more are added as the deleters starve
    // (grow_listers), unless --listers fixes the number.
    return options.listers > 0 ? options.listers : std::clamp(options.concurrency / 4, 1, kMaxListers);
  }

  // The folders of a listing's first cut (see folders()).
  struct Folders {
    std::string parent;
    std::vector<std::string> names;  // sorted
    bool all_keys_inside = false;    // nothing beside them, and the answer was complete
  };

  asio::awaitable<void> run_listing(Listing& listing) {
    // Where keys are hierarchical, the folders decide the first ranges. Objects: ranges are
    // runs of folders, cut where a folder starts (the first range also holds what comes
    // before the second folder); small folders share a page, and a split hands out whole
    // folders while the range holds some. Versions and uploads: a range per folder, listed
    // with the folder as its prefix, wherever every key lies in one: their key-marker is
    // not honoured everywhere for a key that does not exist (moto drops the next version),
    // start-after is. Not with a state file, which records ranges by their bounds alone.
    // Objects of an unversioned bucket need no folder ranges, so their folders are asked
    // while the whole range is listed, and cut it when they come: the first page does not
    // wait a round trip for them (a list page on a WAN, 0.1 s of C at 1M objects).
    const bool probe = listing.in_pass && listers() > 1 && listing.start == std::vector<KeyRange>{KeyRange{}};
    const bool alongside = probe && !listing.uploads && !versioned;
    if (probe && !alongside) {
      const auto asked = std::chrono::steady_clock::now();
      auto found = co_await folders(listing.uploads);
      listing.probe_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - asked).count();
      if (found.names.size() >= 2 && found.all_keys_inside && !options.journal) {
        listing.start.clear();
        for (auto& f : found.names) listing.start.push_back({std::nullopt, std::nullopt, std::move(f)});
        spdlog::debug("{} listing starts as {} folders under {}", listing.uploads ? "uploads" : "entries",
                      listing.start.size(), protocol::uri_encode(found.parent, false));
      } else if (found.names.size() >= 2) {
        listing.start = cut_at_folders(listing, found, std::nullopt);
      }
    }
    listing.work.give(std::move(listing.start));
    TaskGroup group(executor);
    if (alongside) {
      listing.probing = true;
      group.spawn(probe_alongside(listing));
    }
    for (int i = 0; i < listers(); ++i) add_lister(listing, group);
    report.listers_peak = std::max(report.listers_peak, listers());
    if (grows(listing)) group.spawn(grow_listers(listing, group));
    co_await group.wait();
  }

  // The folders' cuts of the whole range above `at`: the ranges between them, the first
  // from `at` (or from the first key). Sets the listing's folders.
  std::vector<KeyRange> cut_at_folders(Listing& listing, Folders& found, const std::optional<std::string>& at) {
    listing.folders.assign(std::make_move_iterator(found.names.begin() + 1),
                           std::make_move_iterator(found.names.end()));
    listing.folder_keys.assign(listing.folders.size() + 1, 0);
    std::vector<KeyRange> out;
    std::optional<std::string> after = at;
    const int pieces = first_ranges(listers(), grows(listing), listing.probe_seconds);
    for (auto& cut : cuts_among(listing.folders, at, std::nullopt, pieces - 1)) {
      out.push_back({after, cut});
      after = std::move(cut);
    }
    out.push_back({after, std::nullopt});
    spdlog::debug("{} listing {} as {} ranges, cut at {} folders under {}", listing.uploads ? "uploads" : "entries",
                  at ? "goes on" : "starts", out.size(), found.names.size(),
                  protocol::uri_encode(found.parent, false));
    return out;
  }

  // Asks the folders while the whole range is listed; where they come in time, the whole
  // range ends at the first cut past its lister's last key, and the ranges above go to the
  // listers that wait.
  asio::awaitable<void> probe_alongside(Listing& listing) {
    const auto asked = std::chrono::steady_clock::now();
    auto found = co_await folders(false);
    listing.probe_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - asked).count();
    listing.probing = false;
    // Listed already, or stopping: nothing to cut.
    if (found.names.size() < 2 || !listing.whole || stop || listing.halt) co_return;
    auto ranges = cut_at_folders(listing, found, listing.whole_at);
    if (ranges.size() < 2) co_return;
    listing.whole->through = ranges.front().through;
    ranges.erase(ranges.begin());
    listing.work.give(std::move(ranges));
    // Growth looks now rather than at its next look, up to 50 ms on (C: 30 ms of 3 s).
    listing.look_now.cancel();
  }

  // Listers are added to a pass's listing of entries, unless --listers fixes them.
  bool grows(const Listing& listing) const {
    return listing.in_pass && !listing.uploads && options.listers == 0;
  }

  void add_lister(Listing& listing, TaskGroup& group) {
    ++listing.listers_running;
    group.spawn(range_lister(listing));
  }

  // Every kLook, adds listers as lister_growth.hpp says: while the deleters starve and
  // this process waits for the network, not for a core. A new lister waits for a range,
  // and the next page of a busy one is split for it.
  asio::awaitable<void> grow_listers(Listing& listing, TaskGroup& group) {
    constexpr auto kLook = std::chrono::milliseconds(50);
    ListerGrowth growth;
    ListingLook look;
    look.running = listers();
    look.concurrency = options.concurrency;
    auto cpu_before = process_cpu_seconds();
    auto machine_before = machine_cpu_times();
    auto wall_before = std::chrono::steady_clock::now();
    std::uint64_t pages_before = 0;
    double page_seconds_before = 0;
    while (listing.listers_running > 0 && !stop && !listing.halt) {
      listing.look_now.expires_after(kLook);
      co_await listing.look_now.async_wait(use_tuple);
      if (listing.listers_running == 0) break;
      const auto cpu = process_cpu_seconds();
      const auto machine = machine_cpu_times();
      const auto wall = std::chrono::steady_clock::now();
      look.busy = (cpu - cpu_before) / std::chrono::duration<double>(wall - wall_before).count();
      look.machine_idle = idle_share(machine_before, machine);
      cpu_before = cpu;
      machine_before = machine;
      wall_before = wall;
      look.deleters_waiting = deleters_waiting;
      // The folders' answer is a list page too: where it came, the network answers, and
      // growth need not wait for the ranges' first pages (a round trip or more on a WAN).
      look.pages_came = listing.pages > 0 || listing.probe_seconds > 0;
      if (listing.pages == 0) look.page_seconds = listing.probe_seconds;
      look.keys_listed = listing.entries;
      look.ranges_waiting = listing.work.left();
      if (listing.pages > pages_before) {
        look.page_seconds = (listing.page_seconds - page_seconds_before) /
                            static_cast<double>(listing.pages - pages_before);
      }
      pages_before = listing.pages;
      page_seconds_before = listing.page_seconds;
      const int more = growth.on_look(look);
      if (more == 0) continue;
      for (int i = 0; i < more; ++i) add_lister(listing, group);
      look.running += more;
      report.listers_peak = std::max(report.listers_peak, look.running);
      spdlog::debug("{} listers: the deleters wait for keys, and this process for the network "
                    "({:.0f}% of a core, the machine {:.0f}% idle{})",
                    look.running, 100 * look.busy, 100 * look.machine_idle,
                    growth.in_trial() ? "; a trial, as the machine is busy" : "");
    }
  }

  asio::awaitable<void> range_lister(Listing& listing) {
    struct Leave {  // the lister was counted by add_lister
      Listing& l;
      ~Leave() {
        if (--l.listers_running == 0) l.look_now.cancel();
      }
    } leave{listing};
    HttpConnection conn = connection();
    S3Call call = call_on(conn);
    HttpResponse resp;
    while (auto range = co_await listing.work.take()) {
      const std::size_t id = listing.ranges_taken++;
      ++report.ranges_listed;
      const bool whole = co_await list_range(listing, *range, id, call, resp);
      listing.work.finished();
      if (!whole) {
        listing.cut_short = true;
        listing.work.stop();  // stopping: the waiting listers end too
      }
    }
  }

  // Lists one range to its end, splitting off its upper part for listers that wait.
  // False when the listing stopped before the end.
  asio::awaitable<bool> list_range(Listing& listing, KeyRange& range, std::size_t id, S3Call& call,
                                   HttpResponse& resp) {
    Cursor cursor;
    cursor.prefix = range.within.empty() ? options.prefix : range.within;
    if (range.after) cursor.start_after = cursor.key_marker = *range.after;
    struct Whole {  // the folders may cut this range while it is listed (probe_alongside)
      Listing* l = nullptr;
      ~Whole() {
        if (l) l->whole = nullptr;
      }
    } whole;
    if (listing.probing && range == KeyRange{}) {
      listing.whole = &range;
      whole.l = &listing;
    }
    while (cursor.more) {
      if (stop || listing.halt) co_return false;
      const auto asked = std::chrono::steady_clock::now();
      auto items = co_await list_page(call, resp, cursor, listing.uploads);
      if (!items) co_return false;
      listing.page_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - asked).count();
      ++listing.pages;
      listing.entries += items->size();
      if (listing.whole == &range && !items->empty()) listing.whole_at = items->back().key;
      Page page;
      page.range = id;
      page.after = range.after;
      page.items = std::move(*items);  // kept in place, its items filtered: no copy
      auto& kept = page.items;
      if (range.through) {
        const auto past = std::find_if(kept.begin(), kept.end(),
                                       [&](const Item& item) { return item.key > *range.through; });
        if (past != kept.end()) {
          cursor.more = false;  // the rest belongs to the next range
          kept.erase(past, kept.end());
        }
      }
      // A server that answers below the marker asked for: that key is another range's.
      if (range.after) std::erase_if(kept, [&](const Item& item) { return item.key <= *range.after; });
      if (!listing.folders.empty() && !page.items.empty()) {
        auto& keys = listing.folder_keys[folder_of(listing, page.items.back().key)];
        keys += page.items.size();
        listing.most_folder_keys = std::max(listing.most_folder_keys, keys);
      }
      page.range_end = !cursor.more;
      if (page.range_end) {
        page.complete_through = range.through;
      } else if (!page.items.empty()) {
        // Versions and uploads: the last key may go on in the next page.
        const std::string& last = page.items.back().key;
        const bool last_may_go_on = listing.uploads || versioned;
        for (auto it = page.items.rbegin(); it != page.items.rend(); ++it) {
          if (!last_may_go_on || it->key < last) {
            page.complete_through = it->key;
            break;
          }
        }
      }
      if (cursor.more && !page.items.empty() && listing.work.waiting() > 0 && !listing.probing) {
        split(listing, range, page.items);
      }
      co_await listing.on_page(page);
    }
    co_return true;
  }

  // The folders ("/"-delimited common prefixes) under the prefix, from one delimited list
  // request, going down while there is a single folder and nothing beside it (at most three
  // levels). None when the request fails: the listing itself then reports the error.
  asio::awaitable<Folders> folders(bool uploads) {
    HttpConnection conn = connection();
    S3Call call = call_on(conn);
    HttpResponse resp;
    Folders out;
    out.parent = options.prefix;
    for (int depth = 0; depth < 3; ++depth) {
      Cursor at;
      at.prefix = out.parent;
      HttpRequest req = list_request(uploads, at, "/");
      const char* op = list_operation(uploads);
      if (!co_await call(op, req, resp)) co_return Folders{};
      bool beside = false, truncated = false;
      if (uploads) {
        auto page = protocol::parse_list_multipart_uploads(resp.body);
        if (!page) co_return Folders{};
        out.names = std::move(page->common_prefixes);
        beside = !page->uploads.empty();
        truncated = page->is_truncated;
      } else if (versioned) {
        auto page = protocol::parse_list_object_versions(resp.body);
        if (!page) co_return Folders{};
        out.names = std::move(page->common_prefixes);
        beside = !page->entries.empty();
        truncated = page->is_truncated;
      } else {
        auto page = protocol::parse_list_objects_v2(resp.body);
        if (!page) co_return Folders{};
        out.names = std::move(page->common_prefixes);
        beside = !page->objects.empty();
        truncated = page->is_truncated;
      }
      BodyPool::of_thread().give(std::move(resp.body));
      // A server that answers outside what was asked: no folders from it.
      if (std::any_of(out.names.begin(), out.names.end(),
                      [&](const std::string& f) { return !f.starts_with(out.parent) || f == out.parent; })) {
        co_return Folders{};
      }
      std::sort(out.names.begin(), out.names.end());
      out.names.erase(std::unique(out.names.begin(), out.names.end()), out.names.end());
      out.all_keys_inside = !beside && !truncated;
      if (out.names.size() != 1 || beside || truncated) co_return out;
      out.parent = std::move(out.names.front());
    }
    out.names.clear();
    co_return out;
  }

  // The run of keys between two folder cuts that `key` lies in: 0 before folders[0].
  static std::size_t folder_of(const Listing& listing, std::string_view key) {
    return static_cast<std::size_t>(std::upper_bound(listing.folders.begin(), listing.folders.end(), key,
                                                     [](std::string_view k, const std::string& f) { return k < f; }) -
                                    listing.folders.begin());
  }

  // Hands the upper part of what is left of `range` to the listers that wait for work.
  void split(Listing& listing, KeyRange& range, const std::vector<Item>& page) {
    // Where the keys left in the range probably end, in widths of the page just listed.
    // Too far, and most pieces come back empty after one request; too near, and the
    // highest piece keeps most keys until an idle lister cuts it again. 1024 pages (1M
    // keys) errs towards the first for small ranges, and the second corrects itself.
    constexpr int kPagesAhead = 1024;
    // Whole folders first, where the range still holds some.
    auto cuts = cuts_among(listing.folders, page.back().key, range.through, listing.work.waiting());
    std::vector<std::string_view> keys;
    if (cuts.empty()) {
      keys.reserve(page.size());
      for (const auto& item : page) keys.push_back(item.key);
    }
    const auto within = range.within.empty() ? std::string_view(options.prefix) : std::string_view(range.within);
    if (cuts.empty() && !listing.folders.empty()) {
      // No folder starts in what is left: it is the rest of one folder. Its keys left are
      // guessed as the largest folder listed so far less what this one has given, or as
      // many again as it has given if that is more (a large folder doubles the guess as it
      // goes on); cut near only, into pieces of about a page or more. Cuts 1024 pages
      // ahead, or far towards the next folder, come back empty from a 10-page folder, and
      // its last pages are then listed one after another.
      const auto here = listing.folder_keys[folder_of(listing, page.back().key)];
      const auto pages = std::max(listing.most_folder_keys - here, here) / page.size() + 1;
      const int ahead = static_cast<int>(std::clamp<std::uint64_t>(pages, 2, kPagesAhead));
      cuts = split_points_in_alphabet(within, keys, range.through, std::min(listing.work.waiting(), ahead), ahead);
    }
    if (cuts.empty()) cuts = cut_range(within, keys, range.through, listing.work.waiting(), kPagesAhead);
    if (cuts.empty()) return;
    std::vector<KeyRange> pieces;
    for (std::size_t i = 0; i < cuts.size(); ++i) {
      pieces.push_back({cuts[i], i + 1 < cuts.size() ? std::optional(cuts[i + 1]) : range.through,
                        range.within});
    }
    spdlog::debug("split {} listing at {}: {} new ranges", listing.uploads ? "uploads" : "entries",
                  protocol::uri_encode(cuts.front(), false), pieces.size());
    range.through = std::move(cuts.front());
    listing.work.give(std::move(pieces));
  }

  // Feeds a pass's listing into batches for the deleters (or aborters), then one end
  // marker per receiver.
  asio::awaitable<void> feed(Listing& listing, BatchQueue<Batch>& out, int receivers) {
    Batch batch;
    batch.reserve(options.batch_size);
    listing.on_page = [this, &batch, &out, &listing](Page& page) -> asio::awaitable<void> {
      const std::uint64_t ticket = open_ticket(listing.uploads, page);
      if (!listing.uploads) out.listers(listing.listers_running);
      for (auto& item : page.items) {
        if (!failed_ids.empty() && failed_ids.contains(item.key, item.version_id)) {
          if (ticket) progress->taint(ticket);
          continue;  // reported already
        }
        auto& c = report.of(item.kind);
        ++c.listed;
        c.bytes_listed += item.size;
        if (item.latest && item.kind == Kind::version) {
          ++report.current_versions_listed;
          report.current_bytes_listed += item.size;
        }
        if (!item.key.starts_with(options.prefix) || item.kept_newer) {
          // Kept: the range it came from is not emptied (--state-file must list it again).
          if (ticket) progress->taint(ticket);
          ++c.skipped;
          // A server that lists outside the prefix asked for: never delete what was not named.
          if (item.kept_newer) ++report.uploads_kept_newer;
          continue;
        }
        if (ticket) {
          item.ticket = ticket;
          progress->add(ticket);
        }
        batch.push_back(std::move(item));
        if (batch.size() == options.batch_size) co_await send(out, batch);
      }
      if (ticket) progress->close(ticket);
    };
    co_await run_listing(listing);
    listing_ended(listing.cut_short);
    co_await end_of(out, batch, receivers);
  }

  // Hands a batch to the receivers and starts a new one. The batch is swapped out before
  // waiting, since other listers may add to it meanwhile.
  asio::awaitable<void> send(BatchQueue<Batch>& out, Batch& batch) {
    Batch full = std::exchange(batch, Batch());
    batch.reserve(options.batch_size);
    co_await out.send(std::move(full));
  }

  // The last, partial batch, then one end marker per receiver.
  asio::awaitable<void> end_of(BatchQueue<Batch>& out, Batch& last, int receivers) {
    if (!last.empty()) co_await out.send(std::move(last));
    for (int i = 0; i < receivers; ++i) co_await out.send(Batch());
  }

  int deleters_waiting = 0;  // deleters waiting for a batch: the listing is slower

  // Totals are known once every listing of the first pass has reached its end.
  int listings_running = 0;
  bool listing_cut_short = false;
  void listing_ended(bool cut_short) {
    listing_cut_short = listing_cut_short || cut_short;
    if (--listings_running == 0 && report.passes == 1 && !listing_cut_short) {
      report.listing_done = true;
      spdlog::info("listing ended: {} entries", report.total(&KindCounts::listed));
    }
  }

  // rm: the keys come from options.keys, each line "KEY" or "KEY<TAB>VERSION_ID".
  asio::awaitable<void> key_lister(BatchQueue<Batch>& out) {
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
    co_await end_of(out, batch, options.concurrency);
  }

  // ---- deleting ------------------------------------------------------------------------

  // The next batch, counted in deleters_waiting while it is awaited (not while deleted).
  asio::awaitable<Batch> receive(BatchQueue<Batch>& in) {
    ++deleters_waiting;
    struct Count {  // also when the receive throws
      int& n;
      ~Count() { --n; }
    } waited{deleters_waiting};
    co_return co_await in.receive();
  }

  asio::awaitable<void> deleter(BatchQueue<Batch>& in) {
    HttpConnection conn = connection();
    S3Call call = call_on(conn);
    HttpResponse resp;
    std::string body;  // the DeleteObjects body buffer, reused from batch to batch
    std::vector<protocol::ObjectId> ids;  // its keys, their strings' room reused likewise
    for (;;) {
      Batch batch = co_await receive(in);
      if (batch.empty()) co_return;
      if (stop || options.dry_run) {
        skip(batch);
        continue;
      }
      co_await delete_batch(call, batch, body, ids, resp);
    }
  }

  // Whether deleting the entry again is harmless: a version id names one thing to remove,
  // and so does a key in a bucket that never had versioning. A key without a version id
  // in a versioned bucket gets a new delete marker each time.
  bool resend_safe(const Item& item) const { return !versioned || !item.version_id.empty(); }

  // Entries to send again, each with the code and message it is reported with if it runs
  // out of attempts.
  struct Again {
    Batch items;
    std::vector<std::pair<std::string, std::string>> why;
    void add(Item&& item, std::string code, std::string message) {
      items.push_back(std::move(item));
      why.emplace_back(std::move(code), std::move(message));
    }
  };

  // Entries whose outcome cannot be known: those that may be sent again go back, the
  // others are reported with `code`.
  void unsure(Batch& entries, Again& again, const char* code, const std::string& why) {
    for (auto& item : entries) {
      if (resend_safe(item)) {
        again.add(std::move(item), code, why);
      } else {
        record_failure(item, code, why, "");
      }
    }
  }

  asio::awaitable<void> delete_batch(S3Call& call, Batch& batch, std::string& body,
                                     std::vector<protocol::ObjectId>& ids, HttpResponse& resp) {
    Batch singles, pending = std::move(batch);
    for (unsigned attempt = 0; !pending.empty();) {
      if (stop) {
        skip(pending);
        break;
      }
      if (report.delete_objects_unsupported) {
        for (auto& item : pending) singles.push_back(std::move(item));
        break;
      }
      ids.resize(pending.size());
      for (std::size_t i = 0; i < pending.size(); ++i) {  // assign: no allocation once warm
        ids[i].key.assign(pending[i].key);
        ids[i].version_id.assign(pending[i].version_id);
      }
      protocol::DeleteOptions opts;
      opts.bypass_governance = options.bypass_governance;
      auto req = protocol::build_delete_objects(ctx, ids, opts, std::move(body));
      if (!req) {
        // Keys XML 1.0 cannot carry go alone, URL-encoded in a request path. They are rare,
        // so they are looked for only when a body could not be written.
        const auto carried = [](const Item& item) {
          return protocol::xml_can_carry(item.key) && protocol::xml_can_carry(item.version_id);
        };
        if (req.error().code == protocol::client_errc::key_not_xml_safe &&
            !std::all_of(pending.begin(), pending.end(), carried)) {
          Batch rest;
          rest.reserve(pending.size());
          for (auto& item : pending) (carried(item) ? rest : singles).push_back(std::move(item));
          pending = std::move(rest);
          continue;
        }
        for (const auto& item : pending) record_failure(item, req.error());  // cannot happen
        break;
      }
      const bool careful = !std::all_of(pending.begin(), pending.end(),
                                        [this](const Item& item) { return resend_safe(item); });
      co_await limiter.acquire(pending.size());
      auto r = co_await call("DeleteObjects", *req, resp,
                             careful ? Resend::only_if_not_carried_out : Resend::safe);
      body = std::move(req->body);
      Again again;  // sent again, as a batch
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
        if (e.code != protocol::client_errc::outcome_unknown) {
          for (const auto& item : pending) record_failure(item, e);  // budget spent, or permanent
          break;
        }
        unsure(pending, again, "OutcomeUnknown", e.message);
      } else if (auto result = protocol::parse_delete_objects_result(resp.body); !result) {
        // A 200 whose answer cannot be read: what it did is unknown.
        ++report.calls.errors_by_code[result.error().code.message()];
        unsure(pending, again, "OutcomeUnknown",
               "the answer could not be read (" + result.error().describe() +
                   "), and sending the request again could repeat it");
      } else {
        // A server that lists deletions although asked for Quiet answers (moto) must list
        // each one: from it, an answer that names nothing has confirmed nothing.
        server_lists_deletions = server_lists_deletions || !result->deleted.empty();
        const auto rec = protocol::reconcile_delete_result(ids, *result, server_lists_deletions);
        const std::string request_id = protocol::printable(resp.headers.get("x-amz-request-id"));
        if (!rec.unmatched.empty()) {
          ++report.calls.errors_by_code["UnmatchedAnswer"];
          spdlog::warn("DeleteObjects (request id {}): {}; its {} entries are not taken as deleted",
                       request_id, rec.unmatched, pending.size());
          unsure(pending, again, "UnmatchedAnswer", rec.unmatched);
        } else {
          bool throttled = false;
          std::size_t done = 0;
          for (std::size_t i = 0; i < pending.size(); ++i) {
            Item& item = pending[i];
            const protocol::DeleteFailure* f = rec.errors[i];
            switch (rec.outcome[i]) {
              case protocol::EntryOutcome::deleted:
                deleted(item);
                ++done;
                break;
              case protocol::EntryOutcome::failed:
                record_failure(item, f->code, f->message, request_id);
                break;
              case protocol::EntryOutcome::retry:
                throttled = throttled || protocol::is_throttle(f->ec);
                again.add(std::move(item), f->code, f->message);
                break;
              case protocol::EntryOutcome::unknown:
                // Named ambiguously (several versions of a key, errors without version
                // ids) or not at all in an answer that names the others: sent again with
                // the batch's retries, where a refusal that stands names each entry it
                // refuses; still unknown after that, each goes alone, where its answer can
                // only be its own.
                if (resend_safe(item) && attempt == 0) {
                  again.add(std::move(item), "OutcomeUnknown", "the answer does not say what became of it");
                } else if (resend_safe(item)) {
                  singles.push_back(std::move(item));
                } else {
                  record_failure(item, "OutcomeUnknown", "the answer does not say which of the key's entries it refused", request_id);
                }
                break;
            }
          }
          limiter.on_success(done);
          if (throttled) limiter.on_throttle(std::chrono::milliseconds(0));
        }
      }
      if (again.items.empty()) break;
      if (attempt++ >= options.retry.transient_retries) {
        for (std::size_t i = 0; i < again.items.size(); ++i) {
          record_failure(again.items[i], again.why[i].first, again.why[i].second, "");
        }
        break;
      }
      report.key_retries += again.items.size();
      co_await sleep(backoff.delay(attempt));
      pending = std::move(again.items);
    }
    for (const auto& item : singles) co_await delete_single(call, item, resp);
  }

  asio::awaitable<void> delete_single(S3Call& call, const Item& item, HttpResponse& resp) {
    if (stop) {
      skipped(item);
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
    auto r = co_await call("DeleteObject", *req, resp,
                           resend_safe(item) ? Resend::safe : Resend::only_if_not_carried_out);
    if (r) {
      deleted(item);
      limiter.on_success(1);
    } else if (protocol::is_fatal(r.error().code)) {
      fail(r.error());
      skipped(item);
    } else {
      record_failure(item, r.error());
    }
  }

  // ---- resume: which listed ranges are emptied (--state-file) ---------------------------

  // Pages of the first pass get tickets when a state file is kept (not in a dry run).
  std::uint64_t open_ticket(bool uploads, const Page& page) {
    if (!progress || report.passes != 1) return 0;
    return progress->open({uploads, page.range, page.after,
                           page.range_end || page.complete_through.has_value(), page.range_end,
                           page.complete_through});
  }

  void record_emptied(bool uploads, const KeyRange& emptied) {
    if (auto e = options.journal->record(options.bucket, options.prefix,
                                         uploads ? "uploads" : "entries", emptied)) {
      spdlog::warn("{}; the purge goes on, but a re-run will list everything again", e->message);
    }
  }

  // ---- uploads -------------------------------------------------------------------------

  asio::awaitable<void> aborter(BatchQueue<Batch>& in) {
    HttpConnection conn = connection();
    S3Call call = call_on(conn);
    HttpResponse resp;
    for (;;) {
      Batch batch = co_await in.receive();
      if (batch.empty()) co_return;
      for (const auto& item : batch) {
        if (stop || options.dry_run) {
          skipped(item);
          continue;
        }
        co_await limiter.acquire(1);
        auto req = protocol::build_abort_multipart_upload(ctx, item.key, item.version_id);
        auto r = co_await call("AbortMultipartUpload", *req, resp);
        // NoSuchUpload: completed or aborted since it was listed; either way it is gone.
        if (r || r.error().code == protocol::s3_errc::no_such_upload) {
          deleted(item);
          limiter.on_success(1);
        } else if (protocol::is_fatal(r.error().code)) {
          fail(r.error());
          skipped(item);
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
    BatchQueue<Batch> batches(executor, options.queue_depth, kMaxListers);
    BatchQueue<Batch> uploads(executor, 4, 0);
    Listing entries(executor, false, pass_ranges(false));
    Listing upload_listing(executor, true, pass_ranges(true));
    entries.in_pass = upload_listing.in_pass = true;
    TaskGroup group(executor);
    listings_running = (options.objects || options.keys ? 1 : 0) + (options.uploads ? 1 : 0);
    if (options.keys) {
      group.spawn(key_lister(batches));
    } else if (options.objects) {
      group.spawn(feed(entries, batches, options.concurrency));
    }
    if (options.keys || options.objects) {
      for (int i = 0; i < options.concurrency; ++i) group.spawn(deleter(batches));
    }
    if (options.uploads) {
      group.spawn(feed(upload_listing, uploads, options.abort_concurrency));
      for (int i = 0; i < options.abort_concurrency; ++i) group.spawn(aborter(uploads));
    }
    co_await group.wait();
  }

  // Lists everything in the ranges: how many entries and uploads are left, and how many of
  // them are not known failures. Stops early at the first unknown one when asked.
  struct Left {
    std::uint64_t total = 0, unknown = 0;
  };
  asio::awaitable<std::optional<Left>> left(bool stop_at_first_unknown,
                                            std::vector<KeyRange> where) {
    Left out;
    // Entries and uploads side by side: a check of an empty bucket costs one list request
    // of each, at once.
    std::optional<Listing> entries, uploads;
    if (options.objects) entries.emplace(executor, false, where);
    if (options.uploads) uploads.emplace(executor, true, std::move(where));
    TaskGroup group(executor);
    for (auto* listing : {&entries, &uploads}) {
      if (!*listing) continue;
      (*listing)->on_page = [&](Page& page) -> asio::awaitable<void> {
        for (const auto& item : page.items) {
          if (item.kept_newer) continue;
          ++out.total;
          if (failed_ids.empty() || !failed_ids.contains(item.key, item.version_id)) ++out.unknown;
        }
        if (stop_at_first_unknown && out.unknown) {
          for (auto* l : {&entries, &uploads}) {
            if (*l) (*l)->halt = true;
          }
        }
        co_return;
      };
      group.spawn(run_listing(**listing));
    }
    co_await group.wait();
    for (auto* listing : {&entries, &uploads}) {
      if (*listing && (*listing)->cut_short && !(*listing)->halt) co_return std::nullopt;  // failed
    }
    co_return out;
  }

  // DeleteBucket answers 409 BucketNotEmpty while any entry or upload is left, so where
  // the bucket is to be deleted whole and nothing failed, it is the check: a listing before
  // it costs a list round trip of each kind (0.1-0.2 s on a WAN) and proves no more.
  bool deletion_checks() const {
    return options.delete_bucket && options.ranges.empty() && failed_ids.empty();
  }

  // Passes until a listing finds nothing but known failures, at most 1 + extra_passes; one
  // pass where the deletion of the bucket checks instead.
  asio::awaitable<void> empty_bucket(int budget) {
    for (int i = 0; i < budget && !stop; ++i) {
      co_await pass();
      if (stop || options.dry_run) co_return;
      if (deletion_checks()) co_return;
      auto l = co_await left(true, ranges());
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

  // Whether HeadBucket finds the bucket gone: `needed` answers of 404 in a row, apart. One
  // 404 after DeleteBucket's own success proves it; where nothing this run sent deleted it
  // (a list or DeleteBucket answering NoSuchBucket), two are needed. Anything else (a 403,
  // a bucket still found after a few tries) proves nothing: the deletion is not claimed.
  asio::awaitable<bool> confirm_gone(S3Call& call, HttpResponse& resp, int needed) {
    constexpr auto kApart = std::chrono::milliseconds(500);
    int in_a_row = 0;
    for (unsigned attempt = 0; attempt < 5; ++attempt) {
      HttpRequest req = protocol::build_head_bucket(ctx);
      auto r = co_await call("HeadBucket", req, resp);
      if (!r && (r.error().code == protocol::s3_errc::not_found ||
                 r.error().code == protocol::s3_errc::no_such_bucket)) {
        if (++in_a_row >= needed) co_return true;
        co_await sleep(kApart);
        continue;
      }
      in_a_row = 0;
      if (!r) {
        spdlog::warn("bucket {}: HeadBucket answered {}: that the bucket is gone is not confirmed",
                     options.bucket, r.error().describe());
        co_return false;
      }
      // Found. Just after this run's DeleteBucket an endpoint may still answer for it for a
      // moment; otherwise it is simply there.
      if (needed > 1) co_return false;
      co_await sleep(std::max<std::chrono::milliseconds>(backoff.delay(attempt), kApart));
    }
    spdlog::warn("bucket {}: HeadBucket still finds it: that it is gone is not confirmed", options.bucket);
    co_return false;
  }

  asio::awaitable<bool> gone_for_another_shard() {
    HttpConnection conn = connection();
    S3Call call = call_on(conn);
    HttpResponse resp;
    co_return co_await confirm_gone(call, resp, 2);
  }

  asio::awaitable<PurgeReport> run() {
    const auto started = std::chrono::steady_clock::now();
    co_await run_steps();
    if (!options.ranges.empty() && report.passes > 0 && fatal &&
        fatal->code == protocol::s3_errc::no_such_bucket && failed_ids.empty() &&
        co_await gone_for_another_shard()) {
      // It existed when this shard began, and S3 deletes only empty buckets: the last of the
      // other shards emptied it and deleted it while this one checked.
      spdlog::info("bucket {} was deleted by another shard (HeadBucket confirms it)", options.bucket);
      fatal.reset();
      stop = false;
      report.bucket_deleted = options.delete_bucket;
      report.empty_verified = true;
    }
    if (fatal) report.stopped = fatal->describe();
    if (!report.bucket_deleted && !options.dry_run && !options.keys &&
        (!report.empty_verified || !report.failures.empty())) {
      const bool was_stopped = stop;
      stop = false;  // count what is left even after a fatal error, if the server answers
      if (auto l = co_await left(false, ranges())) report.remaining = l->total;
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
    if (options.versioning) {
      report.versioning = *options.versioning;
      versioned = *options.versioning != protocol::VersioningStatus::never_enabled;
    } else {
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

    if (!options.ranges.empty() && failed_ids.empty()) {
      // A shard deletes the bucket only when the other shards have emptied theirs: the
      // last one to finish does it.
      auto others = co_await left(true, std::vector<KeyRange>(1));  // the whole bucket
      if (!others) co_return;
      if (others->total > 0) {
        spdlog::info("shard emptied; other shards still hold entries: the bucket is left for "
                     "the last shard to delete");
        report.left_to_other_shards = true;
        co_return;
      }
    }
    for (int attempt = 0; !stop; ++attempt) {
      if (!failed_ids.empty()) co_return;  // what failed stays, and so does the bucket
      HttpConnection conn = connection();
      S3Call call = call_on(conn);
      HttpResponse resp;
      HttpRequest req = protocol::build_delete_bucket(ctx);
      auto r = co_await call("DeleteBucket", req, resp);
      if (r) {
        spdlog::info("bucket {} deleted", options.bucket);
        report.bucket_deleted = co_await confirm_gone(call, resp, 1);
        report.empty_verified = report.bucket_deleted;  // S3 deletes only an empty bucket
        report.deletion_unconfirmed = !report.bucket_deleted;
        co_return;
      }
      if (r.error().code == protocol::s3_errc::no_such_bucket) {
        // It existed when the run began: a retried DeleteBucket whose first answer was
        // lost, or another shard that finished at the same time, deleted it; or the server
        // lost its way. Only HeadBucket's 404, twice, says which.
        if (!co_await confirm_gone(call, resp, 2)) {
          fail(r.error());
          co_return;
        }
        spdlog::info("bucket {} is gone (deleted by a retried request or another shard)",
                     options.bucket);
        report.bucket_deleted = true;
        report.empty_verified = true;
        co_return;
      }
      if (r.error().code != protocol::s3_errc::bucket_not_empty) {
        fail(r.error());
        co_return;
      }
      report.empty_verified = false;
      if (attempt >= options.extra_passes) co_return;  // run() counts what is left
      // Late writers, deletions the server shows late, or a listing that ended early:
      // empty again, then retry.
      spdlog::info("DeleteBucket after pass {}: BucketNotEmpty; another pass", report.passes);
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
