#include "cli/report_output.hpp"

#include <boost/json.hpp>

#include <cstdio>

namespace s3purge::cli {

namespace {

double seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

std::string number(std::uint64_t n) {
  std::string s = std::to_string(n), out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i && (s.size() - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return out;
}

}  // namespace

void print_progress(std::ostream& out, const engine::PurgeReport& r,
                    std::chrono::steady_clock::duration elapsed) {
  const auto deleted = r.total(&engine::KindCounts::deleted);
  const double rate = static_cast<double>(deleted) / std::max(seconds(elapsed), 1e-3);
  char line[256];
  std::snprintf(line, sizeof line,
                "[%6.1fs] deleted %s (%.0f/s): %s versions, %s markers, %s objects, %s uploads; "
                "failed %s; retries %s; throttles %s\n",
                seconds(elapsed), number(deleted).c_str(), rate,
                number(r.of(engine::Kind::version).deleted).c_str(),
                number(r.of(engine::Kind::delete_marker).deleted).c_str(),
                number(r.of(engine::Kind::object).deleted).c_str(),
                number(r.of(engine::Kind::upload).deleted).c_str(),
                number(r.total(&engine::KindCounts::failed)).c_str(),
                number(r.calls.throttle_retries + r.calls.transient_retries + r.key_retries).c_str(),
                number(r.throttles).c_str());
  out << line << std::flush;
}

void print_summary(std::ostream& out, const std::string& bucket, const std::string& prefix,
                   bool delete_bucket, const engine::PurgeReport& r, bool interrupted) {
  out << "s3://" << bucket << "/" << prefix << "  (versioning: " << protocol::to_string(r.versioning)
      << ", " << r.passes << " pass" << (r.passes == 1 ? "" : "es") << ", "
      << seconds(r.elapsed) << " s)\n";
  char row[160];
  std::snprintf(row, sizeof row, "  %-15s %12s %12s %10s %10s\n", "", "listed", "deleted", "failed",
                "skipped");
  out << row;
  for (const auto k : engine::kKinds) {
    const auto& c = r.of(k);
    std::snprintf(row, sizeof row, "  %-15s %12s %12s %10s %10s\n",
                  std::string(engine::to_string(k)).c_str(), number(c.listed).c_str(),
                  number(c.deleted).c_str(), number(c.failed).c_str(), number(c.skipped).c_str());
    out << row;
  }
  const auto deleted = r.total(&engine::KindCounts::deleted);
  std::snprintf(row, sizeof row, "  %.0f entries/s; %s requests; retries %s (throttle %s, transient %s, keys %s)\n",
                static_cast<double>(deleted) / std::max(seconds(r.elapsed), 1e-3),
                number(r.calls.requests).c_str(),
                number(r.calls.throttle_retries + r.calls.transient_retries + r.key_retries).c_str(),
                number(r.calls.throttle_retries).c_str(), number(r.calls.transient_retries).c_str(),
                number(r.key_retries).c_str());
  out << row;
  out << "  accounting: listed = deleted + failed + skipped " << (r.balanced() ? "holds" : "DOES NOT HOLD")
      << "\n";
  if (r.delete_objects_unsupported) out << "  the server has no DeleteObjects: keys were deleted one by one\n";
  for (std::size_t i = 0; i < r.failures.size() && i < 10; ++i) {
    const auto& f = r.failures[i];
    out << "  failed: " << f.key << (f.version_id.empty() ? "" : " (" + f.version_id + ")") << ": "
        << f.code << (f.message.empty() ? "" : ": " + f.message) << "\n";
  }
  if (r.failures.size() > 10) out << "  ... and " << (r.failures.size() - 10) << " more failures\n";
  if (interrupted) out << "  interrupted: the rest was not attempted (counted as skipped)\n";
  if (!r.stopped.empty()) out << "  stopped: " << r.stopped << "\n";
  if (delete_bucket) {
    out << (r.bucket_deleted ? "  bucket deleted\n" : "  bucket NOT deleted\n");
  } else if (r.empty_verified && r.failures.empty()) {
    out << "  verified empty\n";
  }
  if (r.remaining) out << "  still there: " << number(r.remaining) << " entries\n";
}

void print_failed_keys(std::ostream& out, const std::string& bucket, const engine::PurgeReport& r) {
  for (const auto& f : r.failures) {
    const boost::json::object line{{"bucket", bucket},
                                   {"key", f.key},
                                   {"version_id", f.version_id},
                                   {"kind", std::string(engine::to_string(f.kind))},
                                   {"code", f.code},
                                   {"message", f.message},
                                   {"request_id", f.request_id}};
    out << boost::json::serialize(line) << "\n";
  }
}

void print_json(std::ostream& out, const std::string& bucket, const std::string& prefix,
                bool delete_bucket, const engine::PurgeReport& r, bool interrupted) {
  namespace json = boost::json;
  json::object doc;
  doc["bucket"] = bucket;
  doc["prefix"] = prefix;
  doc["delete_bucket"] = delete_bucket;
  doc["versioning"] = std::string(protocol::to_string(r.versioning));
  json::object counts;
  for (const auto k : engine::kKinds) {
    const auto& c = r.of(k);
    counts[std::string(engine::to_string(k))] = {
        {"listed", c.listed}, {"deleted", c.deleted}, {"failed", c.failed},
        {"skipped", c.skipped}, {"bytes_listed", c.bytes_listed}, {"bytes_deleted", c.bytes_deleted}};
  }
  doc["counts"] = std::move(counts);
  doc["balanced"] = r.balanced();
  doc["elapsed_seconds"] = seconds(r.elapsed);
  doc["entries_per_second"] =
      static_cast<double>(r.total(&engine::KindCounts::deleted)) / std::max(seconds(r.elapsed), 1e-3);
  doc["passes"] = r.passes;
  doc["requests"] = r.calls.requests;
  doc["retries"] = {{"throttle", r.calls.throttle_retries},
                    {"transient", r.calls.transient_retries},
                    {"keys", r.key_retries}};
  doc["throttles"] = r.throttles;
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
                        {"kind", std::string(engine::to_string(f.kind))}, {"code", f.code},
                        {"message", f.message}, {"request_id", f.request_id}});
  }
  doc["failures"] = std::move(failures);
  doc["failures_not_recorded"] = r.failures_not_recorded;
  doc["delete_objects_unsupported"] = r.delete_objects_unsupported;
  doc["bucket_deleted"] = r.bucket_deleted;
  doc["empty_verified"] = r.empty_verified;
  doc["remaining"] = r.remaining;
  doc["interrupted"] = interrupted;
  doc["stopped"] = r.stopped;
  out << json::serialize(doc) << "\n";
}

}  // namespace s3purge::cli
