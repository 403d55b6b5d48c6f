#include "cli/report_output.hpp"

#include <boost/json.hpp>

#include <cstdio>

#include "cli/cost_report.hpp"
#include "cli/permissions.hpp"
#include "cli/text.hpp"
#include "engine/secrets.hpp"
#include "protocol/printable.hpp"

namespace s3purge::cli {

namespace {

double seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

std::string number(std::uint64_t n) { return thousands(n); }

// Listed but neither deleted, failed nor skipped: only while requests are in flight.
std::uint64_t outcome_unknown(const engine::PurgeReport& r) {
  const auto listed = r.total(&engine::KindCounts::listed);
  return listed > r.settled() ? listed - r.settled() : 0;
}

// Entries a selection kept (not those outside the prefix, which a server listed by mistake).
std::uint64_t kept(const engine::PurgeReport& r) {
  std::uint64_t n = 0;
  for (std::size_t i = 2; i < protocol::kKeptByCount; ++i) n += r.kept_by[i];
  return n;
}

// A final listing found only the entries reported failed.
bool remaining_are_failures(const engine::PurgeReport& r) { return r.remaining > 0 && r.empty_verified; }

}  // namespace

void print_summary(std::ostream& out, const RunInfo& run, const engine::PurgeReport& r) {
  out << run.command << " s3://" << run.bucket << "/" << run.prefix << "  (versioning: " << protocol::to_string(r.versioning)
      << ", " << r.passes << " pass" << (r.passes == 1 ? "" : "es") << ", "
      << duration_text(seconds(r.elapsed)) << ")" << (run.dry_run ? "  DRY RUN: nothing was deleted" : "")
      << "\n";
  char row[160];
  // rm lists nothing: the keys it counts are those it was given.
  const char* listed = run.command == "rm" ? "requested" : "listed";
  std::snprintf(row, sizeof row, "  %-20s %12s %12s %10s %10s\n", "", listed, "deleted", "failed",
                "skipped");
  out << row;
  // The plan's words: current objects (of unversioned buckets, and the versions listed as
  // current), noncurrent versions (the other versions), delete markers, uploads.
  const auto& cur = r.current_versions;
  const auto& objects = r.of(engine::Kind::object);
  const auto& versions = r.of(engine::Kind::version);
  auto minus = [](std::uint64_t a, std::uint64_t b) { return a - std::min(a, b); };
  const engine::KindCounts rows[] = {
      {objects.listed + cur.listed, objects.deleted + cur.deleted, objects.failed + cur.failed,
       objects.skipped + cur.skipped},
      {minus(versions.listed, cur.listed), minus(versions.deleted, cur.deleted), minus(versions.failed, cur.failed),
       minus(versions.skipped, cur.skipped)},
      r.of(engine::Kind::delete_marker), r.of(engine::Kind::upload)};
  const char* names[] = {"current objects", "noncurrent versions", "delete markers", "incomplete uploads"};
  for (std::size_t i = 0; i < 4; ++i) {
    const auto& c = rows[i];
    std::snprintf(row, sizeof row, "  %-20s %12s %12s %10s %10s\n", names[i], number(c.listed).c_str(),
                  number(c.deleted).c_str(), number(c.failed).c_str(), number(c.skipped).c_str());
    out << row;
  }
  const auto deleted = r.total(&engine::KindCounts::deleted);
  std::snprintf(row, sizeof row, "  %s entries/s; %s requests; retries %s (throttle %s, transient %s, keys %s)\n",
                number(static_cast<std::uint64_t>(static_cast<double>(deleted) /
                                                  std::max(seconds(r.elapsed), 1e-3))).c_str(),
                number(r.calls.requests).c_str(),
                number(r.calls.throttle_retries + r.calls.transient_retries + r.key_retries).c_str(),
                number(r.calls.throttle_retries).c_str(), number(r.calls.transient_retries).c_str(),
                number(r.key_retries).c_str());
  out << row;
  if (r.throttles_noise + r.throttles_capacity > 0) {
    out << "  throttles of deletions: " << number(r.throttles_noise) << " judged noise (the rate kept), "
        << number(r.throttles_capacity) << " capacity (the rate cut)\n";
  }
  out << "  accounting: " << listed << " = deleted + failed + skipped " << (r.balanced() ? "holds" : "DOES NOT HOLD")
      << "\n";
  if (run.command == "rm") out << "  (S3 answers a key that did not exist as deleted)\n";
  if (r.deletions_taken_back) {
    out << "  " << number(r.deletions_taken_back)
        << " entries the server answered deleted were listed again: each is counted once, as it ended\n";
  }
  if (r.delete_objects_unsupported) out << "  the server has no DeleteObjects: keys were deleted one by one\n";
  if (r.checksum_refused) out << "  the server refused the flexible checksum: DeleteObjects carried Content-MD5\n";
  for (const auto& [what, code] : r.not_checked) {
    const auto action = permission_for(what);
    out << "  not checked: " << what << " (" << protocol::printable(code)
        << (code == "AccessDenied" && !action.empty() ? ", needs " + std::string(action) : "") << ")"
        << (what == "uploads" ? ": incomplete uploads were neither listed nor aborted" : "")
        << (what == "versioning" ? ": listed as if versioned" : "")
        << (what == "versions" ? ": current objects only; versions and delete markers stay" : "") << "\n";
  }
  // Keys are the bucket's and messages the server's: both made printable.
  for (std::size_t i = 0; i < r.failures.size() && i < 10; ++i) {
    const auto& f = r.failures[i];
    out << "  failed: " << protocol::printable(f.key)
        << (f.version_id.empty() ? "" : " (" + protocol::printable(f.version_id) + ")") << ": "
        << protocol::printable(f.code) << (f.message.empty() ? "" : ": " + protocol::printable(f.message)) << "\n";
  }
  const auto failed = r.total(&engine::KindCounts::failed);
  if (failed > 10) out << "  ... and " << number(failed - 10) << " more failures\n";
  for (std::size_t i = 1; i < protocol::kKeptByCount; ++i) {
    if (!r.kept_by[i]) continue;
    const auto why = static_cast<protocol::KeptBy>(i);
    out << "  kept " << number(r.kept_by[i]) << " entries: "
        << (why == protocol::KeptBy::resurface ? std::string("taking them ") : std::string("by ")) << protocol::to_string(why)
        << " (counted as skipped)\n";
  }
  if (r.unknown_ages) {
    out << "  " << number(r.unknown_ages) << " of the entries kept by age had no readable age (no LastModified, or "
        << "the server listed a key's entries out of order): kept, as an age limit cannot be judged without one\n";
  }
  if (r.keys_resurfaced) {
    out << "  " << number(r.keys_resurfaced) << " keys " << (run.dry_run ? "would have" : "have")
        << " an older version current again (--allow-resurface)\n";
  }
  if (r.unverifiable) out << "  not verified: a new listing would select the versions this run made current\n";
  if (const auto unknown = outcome_unknown(r); unknown) {
    out << "  " << number(unknown) << " entries were in flight" << (run.grace_expired ? " when the grace period ended" : "")
        << ": their outcome is unknown (a new run lists what is left)\n";
  }
  if (run.interrupted) out << "  interrupted: the rest was not attempted (counted as skipped)\n";
  if (!r.stopped.empty()) out << "  stopped: " << r.stopped << "\n";
  if (run.delete_bucket) {
    out << (r.bucket_deleted         ? "  bucket deleted\n"
            : r.left_to_other_shards ? "  shard emptied; other shards still hold entries: the "
                                       "last shard to finish deletes the bucket\n"
            : r.deletion_unconfirmed ? "  bucket NOT confirmed deleted: DeleteBucket succeeded, but HeadBucket "
                                       "does not find it gone\n"
                                     : "  bucket NOT deleted\n");
  } else if (run.verify && r.empty_verified && r.failures.empty()) {
    out << "  verified: nothing left to remove" << (r.not_checked.empty() ? "" : " among what could be listed")
        << (kept(r) ? " but the " + number(kept(r)) + " entries the selection keeps" : "")
        << "\n";
  }
  if (r.remaining || (r.in_flight_at_stop && !r.listing_done)) {
    out << "  still there: " << (r.in_flight_at_stop ? "at least " : "") << number(r.remaining) << " entries"
        << (remaining_are_failures(r) ? " (those that failed)" : "")
        << (r.in_flight_at_stop && !r.listing_done ? ", and what the listing had not reached" : "") << "\n";
  }
}

std::string stop_line(const engine::PurgeReport& r) {
  return "deleted " + number(r.total(&engine::KindCounts::deleted)) + ", failed " +
         number(r.total(&engine::KindCounts::failed)) + ", in flight " + number(outcome_unknown(r)) +
         " (outcome unknown), not sent " + number(r.total(&engine::KindCounts::skipped)) + ", after " +
         duration_text(seconds(r.elapsed)) + (r.listing_done ? "" : "; the listing was not finished");
}

void print_failed_key(std::ostream& out, const std::string& bucket, const engine::FailureRecord& f) {
  const boost::json::object line{{"bucket", bucket},
                                 {"key", f.key},
                                 {"version_id", f.version_id},
                                 {"kind", std::string(engine::json_name(f.kind))},
                                 {"code", f.code},
                                 {"message", f.message},
                                 {"request_id", f.request_id}};
  out << engine::redact_secrets(boost::json::serialize(line)) << "\n";
}

namespace {

boost::json::object json_head(const RunInfo& run) {
  boost::json::object doc;
  doc["command"] = run.command;
  doc["bucket"] = run.bucket;
  doc["prefix"] = run.prefix;
  doc["delete_bucket"] = run.delete_bucket;
  return doc;
}

}  // namespace

void print_json_error(std::ostream& out, const RunInfo& run, const protocol::Error& e) {
  auto doc = json_head(run);
  doc["error"] = {{"code", e.s3_code.empty() ? e.code.message() : e.s3_code},
                  {"message", e.describe()}};
  out << boost::json::serialize(doc) << "\n";
}

void print_json(std::ostream& out, const RunInfo& run, const engine::PurgeReport& r) {
  namespace json = boost::json;
  json::object doc = json_head(run);
  doc["versioning"] = std::string(protocol::to_string(r.versioning));
  json::object counts;
  for (const auto k : engine::kKinds) {
    const auto& c = r.of(k);
    counts[std::string(engine::json_name(k))] = {
        {run.command == "rm" ? "requested" : "listed", c.listed}, {"deleted", c.deleted}, {"failed", c.failed},
        {"skipped", c.skipped}, {"bytes_listed", c.bytes_listed}, {"bytes_deleted", c.bytes_deleted}};
  }
  doc["counts"] = std::move(counts);
  doc["current_versions_listed"] = r.current_versions.listed;
  // Of the versions, those listed as current: with the objects, the plan's current objects.
  doc["current_versions"] = {{"listed", r.current_versions.listed},
                             {"deleted", r.current_versions.deleted},
                             {"failed", r.current_versions.failed},
                             {"skipped", r.current_versions.skipped}};
  json::object kept_by;
  for (std::size_t i = 1; i < protocol::kKeptByCount; ++i) {
    kept_by[std::string(protocol::json_name(static_cast<protocol::KeptBy>(i)))] = r.kept_by[i];
  }
  doc["kept"] = std::move(kept_by);
  doc["keys_resurfaced"] = r.keys_resurfaced;
  doc["unknown_ages"] = r.unknown_ages;
  doc["storage_classes"] = costs_json(r, {}, std::nullopt)["classes"];
  doc["unverifiable"] = r.unverifiable;
  doc["balanced"] = r.balanced();
  doc["outcome_unknown"] = outcome_unknown(r);
  doc["elapsed_seconds"] = seconds(r.elapsed);
  doc["entries_per_second"] =
      static_cast<double>(r.total(&engine::KindCounts::deleted)) / std::max(seconds(r.elapsed), 1e-3);
  doc["passes"] = r.passes;
  doc["requests"] = r.calls.requests;
  doc["retries"] = {{"throttle", r.calls.throttle_retries},
                    {"transient", r.calls.transient_retries},
                    {"keys", r.key_retries}};
  doc["deletions_taken_back"] = r.deletions_taken_back;
  doc["throttles"] = r.throttles;
  doc["throttles_judged"] = {{"noise", r.throttles_noise}, {"capacity", r.throttles_capacity}};
  doc["expired_token_resends"] = r.calls.credential_renewals;
  json::object errors;
  for (const auto& [code, n] : r.calls.errors_by_code) errors[code] = n;
  doc["errors_by_code"] = std::move(errors);
  json::object latency;
  for (const auto& [op, h] : r.calls.latency) {
    latency[op] = {{"count", h.count()},
                   {"p50_ms", h.percentile_ms(50)},
                   {"p99_ms", h.percentile_ms(99)},
                   {"max_ms", h.max_ms()}};
  }
  doc["latency"] = std::move(latency);
  json::array failures;
  for (const auto& f : r.failures) {
    failures.push_back({{"key", f.key}, {"version_id", f.version_id},
                        {"kind", std::string(engine::json_name(f.kind))}, {"code", f.code},
                        {"message", f.message}, {"request_id", f.request_id}});
  }
  doc["failures"] = std::move(failures);
  doc["failures_not_recorded"] = r.failures_not_recorded;
  doc["delete_objects_unsupported"] = r.delete_objects_unsupported;
  doc["checksum"] = std::string(protocol::checksum_name(r.checksum));
  doc["checksum_refused"] = r.checksum_refused;
  json::object not_checked;
  for (const auto& [what, code] : r.not_checked) not_checked[what] = code;
  doc["not_checked"] = std::move(not_checked);
  doc["bucket_deleted"] = r.bucket_deleted;
  doc["bucket_deletion_unconfirmed"] = r.deletion_unconfirmed;
  doc["left_to_other_shards"] = r.left_to_other_shards;
  doc["ranges_listed"] = r.ranges_listed;
  doc["listers_peak"] = r.listers_peak;
  // Empty means nothing left; what failed and is still there is in `remaining`.
  doc["empty_verified"] = r.empty_verified && r.remaining == 0;
  doc["remaining"] = r.remaining;
  // Stopped with requests in flight: remaining is what is known to be left, the least.
  doc["remaining_is_lower_bound"] = r.in_flight_at_stop;
  doc["listing_done"] = r.listing_done;
  doc["remaining_are_failures"] = remaining_are_failures(r);
  doc["interrupted"] = run.interrupted;
  doc["dry_run"] = run.dry_run;
  doc["stopped"] = r.stopped;
  out << json::serialize(doc) << "\n";
}

}  // namespace s3purge::cli
