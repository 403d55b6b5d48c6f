#include "cli/plan_command.hpp"

#include <unistd.h>

#include <boost/asio/ssl/context.hpp>
#include <boost/json.hpp>

#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "cli/cost_report.hpp"
#include "cli/event_loop.hpp"
#include "cli/exit_codes.hpp"
#include "cli/permissions.hpp"
#include "cli/preflight.hpp"
#include "cli/preflight_json.hpp"
#include "cli/purger_hooks.hpp"
#include "cli/report_output.hpp"
#include "cli/selection_flags.hpp"
#include "cli/session.hpp"
#include "cli/status_display.hpp"
#include "cli/text.hpp"
#include "engine/purger.hpp"
#include "protocol/printable.hpp"

namespace s3purge::cli {

namespace asio = boost::asio;
namespace json = boost::json;
using engine::Kind;

namespace {

// `text` as one shell word: as it is where that is safe, else in single quotes.
std::string shell_word(const std::string& text) {
  const bool plain = !text.empty() && text.find_first_not_of(
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./:=@%+,-") == std::string::npos;
  if (plain) return text;
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The purge this plan describes, as a command to paste: the target, and every flag that
// decides where and how (endpoint, profile, region, addressing, trust, speed, shard).
std::string next_command(const Target& t, const Flags& f, std::uint64_t expect) {
  std::ostringstream cmd;
  const bool selective = !selection_words(f).empty();  // a selective run keeps the bucket
  cmd << "s3purge " << (t.prefix.empty() && !selective ? "delete " : "empty ")
      << shell_word("s3://" + t.bucket + (t.prefix.empty() ? "" : "/" + t.prefix));
  const auto flag = [&](const char* name, const std::optional<std::string>& v) {
    if (v) cmd << " " << name << " " << shell_word(*v);
  };
  flag("--profile", f.config.profile);
  flag("--region", f.config.region);
  flag("--endpoint-url", f.config.endpoint_url);
  flag("--addressing-style", f.config.addressing_style);
  flag("--ca-bundle", f.config.ca_bundle);
  if (f.no_verify_ssl) cmd << " --no-verify-ssl";
  if (f.request_payer) cmd << " --request-payer";
  if (!f.expected_bucket_owner.empty()) cmd << " --expected-bucket-owner " << f.expected_bucket_owner;
  if (!f.connect_to.empty()) cmd << " --connect-to " << shell_word(f.connect_to);
  const Flags defaults;
  if (f.concurrency != defaults.concurrency) cmd << " --concurrency " << f.concurrency;
  if (f.listers != defaults.listers) cmd << " --listers " << f.listers;
  if (f.rate != defaults.rate) cmd << " --rate " << f.rate;
  if (f.burst != defaults.burst) cmd << " --burst " << f.burst;
  if (!f.shard.empty()) cmd << " --shard " << shell_word(f.shard);
  if (!f.only.empty()) cmd << " --only " << shell_word(f.only);
  if (!f.older_than.empty()) cmd << " --older-than " << shell_word(f.older_than);
  if (!f.newer_than.empty()) cmd << " --newer-than " << shell_word(f.newer_than);
  if (f.keep_newest > 0) cmd << " --keep-newest " << f.keep_newest;
  for (const auto& p : f.include) cmd << " --include " << shell_word(p);
  for (const auto& p : f.exclude) cmd << " --exclude " << shell_word(p);
  if (!f.storage_class.empty()) cmd << " --storage-class " << shell_word(f.storage_class);
  if (f.skip_early_charges) cmd << " --skip-early-deletion-charges";
  if (f.allow_resurface) cmd << " --allow-resurface";
  cmd << " --expect " << expect;
  return cmd.str();
}

// What the role or the server refused to tell, by name, with the refusal's code.
std::map<std::string, std::string> refusals(const Preflight& p, const engine::PurgeReport& r) {
  std::map<std::string, std::string> out = r.not_checked;
  if (!p.versioning_unknown_because.empty()) out["versioning"] = p.versioning_unknown_because;
  if (!p.lock.value) out["object lock"] = p.lock.unknown_because;
  if (!p.replication.value) out["replication"] = p.replication.unknown_because;
  if (!p.lifecycle.value) out["lifecycle"] = p.lifecycle.unknown_because;
  return out;
}

// S3 documents at least 3,500 writes/s per partitioned prefix; a cold bucket starts there.
constexpr double kAwsColdWritesPerSecond = 3500;

struct Estimate {
  std::uint64_t entries = 0, uploads = 0;
  std::uint64_t delete_requests = 0, abort_requests = 0, list_requests = 0;
  double listing_seconds = 0;  // what this plan's listing took: a purge lists the same way
  double rate_seconds = 0;     // entries / --rate
  double lower_bound_seconds = 0;
};

// Of what is listed, what the selection takes: what the run will remove.
Estimate estimate(const engine::PurgeReport& r, const Flags& f) {
  Estimate e;
  e.uploads = r.of(Kind::upload).listed - r.of(Kind::upload).kept;
  e.entries = r.total(&engine::KindCounts::listed) - r.total(&engine::KindCounts::kept) - e.uploads;
  e.delete_requests = (e.entries + f.batch_size - 1) / f.batch_size;
  e.abort_requests = e.uploads;
  e.list_requests = r.calls.requests;
  e.listing_seconds = std::chrono::duration<double>(r.elapsed).count();
  if (f.rate > 0) e.rate_seconds = static_cast<double>(e.entries + e.uploads) / f.rate;
  // A purge lists the same way, and cannot go faster than its ceiling; it is slower when
  // the server deletes more slowly than it lists.
  e.lower_bound_seconds = std::max(e.listing_seconds, e.rate_seconds);
  return e;
}

struct Counts {
  std::uint64_t current = 0, current_bytes = 0, noncurrent = 0, noncurrent_bytes = 0;
  std::uint64_t markers = 0, uploads = 0;
};

// What was listed; with `taken`, what of it the selection takes.
Counts counts_of(const engine::PurgeReport& r, bool taken = false) {
  Counts c;
  const auto& objects = r.of(Kind::object);
  const auto& versions = r.of(Kind::version);
  const auto n = [&](const engine::KindCounts& k) { return k.listed - (taken ? k.kept : 0); };
  const auto bytes = [&](const engine::KindCounts& k) { return k.bytes_listed - (taken ? k.bytes_kept : 0); };
  const std::uint64_t current = r.current_versions.listed - (taken ? r.current_versions.kept : 0);
  const std::uint64_t current_bytes = r.current_versions.bytes_listed - (taken ? r.current_versions.bytes_kept : 0);
  c.current = n(objects) + current;
  c.current_bytes = bytes(objects) + current_bytes;
  c.noncurrent = n(versions) - current;
  c.noncurrent_bytes = bytes(versions) - current_bytes;
  c.markers = n(r.of(Kind::delete_marker));
  c.uploads = n(r.of(Kind::upload));
  return c;
}

json::object kept_json(const engine::PurgeReport& r) {
  json::object kept;
  for (std::size_t i = 1; i < protocol::kKeptByCount; ++i) {
    if (r.kept_by[i]) kept[std::string(protocol::json_name(static_cast<protocol::KeptBy>(i)))] = r.kept_by[i];
  }
  return kept;
}

Requests requests_of(const Estimate& e) { return {e.list_requests, e.delete_requests, e.abort_requests}; }

void print_plan_json(std::ostream& out, const Target& t, const std::string& region,
                     const Preflight& p, const engine::PurgeReport& r, const Flags& f,
                     const std::optional<protocol::Prices>& prices, bool interrupted) {
  const Counts c = counts_of(r);
  const Counts taken = counts_of(r, true);
  const Estimate e = estimate(r, f);
  json::object doc{{"command", "plan"}, {"bucket", t.bucket}, {"prefix", t.prefix}, {"region", region}};
  doc["versioning"] = std::string(protocol::to_string(p.versioning.status));
  json::object not_checked;
  for (const auto& [what, code] : refusals(p, r)) not_checked[what] = code;
  doc["not_checked"] = std::move(not_checked);
  json::array missing;
  for (const auto& action : missing_permissions(refusals(p, r))) missing.push_back(json::value(action));
  doc["missing_permissions"] = std::move(missing);
  doc["mfa_delete"] = p.versioning.mfa_delete;
  doc["object_lock"] = lock_json(p.lock);
  doc["replication"] = replication_json(p.replication);
  doc["lifecycle"] = lifecycle_json(p.lifecycle);
  doc["counts"] = {
      {"current_objects", {{"count", c.current}, {"bytes", c.current_bytes}, {"taken", taken.current}, {"taken_bytes", taken.current_bytes}}},
      {"noncurrent_versions",
       {{"count", c.noncurrent}, {"bytes", c.noncurrent_bytes}, {"taken", taken.noncurrent}, {"taken_bytes", taken.noncurrent_bytes}}},
      {"delete_markers", {{"count", c.markers}, {"taken", taken.markers}}},
      {"incomplete_uploads", {{"count", c.uploads}, {"taken", taken.uploads}}}};
  doc["total_entries"] = e.entries + e.uploads;
  doc["selection"] = {{"flags", selection_words(f)}, {"kept", kept_json(r)}, {"keys_resurfaced", r.keys_resurfaced},
                      {"unknown_ages", r.unknown_ages}};
  doc["costs"] = costs_json(r, requests_of(e), prices);
  doc["estimate"] = {{"concurrency", f.concurrency}, {"rate", f.rate},
                     {"delete_requests", e.delete_requests}, {"abort_requests", e.abort_requests},
                     {"list_requests", e.list_requests}, {"listing_seconds", e.listing_seconds},
                     {"rate_limited_seconds", e.rate_seconds}, {"lower_bound_seconds", e.lower_bound_seconds}};
  doc["complete"] = !interrupted && r.stopped.empty();
  doc["stopped"] = r.stopped;
  out << json::serialize(doc) << "\n";
}

void print_plan(std::ostream& out, const Target& t, const std::string& region, bool aws,
                const Preflight& p, const engine::PurgeReport& r, const Flags& f,
                const std::optional<protocol::Prices>& prices, bool interrupted) {
  const Counts c = counts_of(r);
  const Counts taken = counts_of(r, true);
  const bool selective = !selection_words(f).empty();
  const Estimate e = estimate(r, f);
  out << "plan s3://" << t.bucket << "/" << t.prefix << "  (region " << protocol::printable(region) << ")\n";
  out << "  versioning: " << protocol::to_string(p.versioning.status)
      << (p.versioning.status == protocol::VersioningStatus::unknown
              ? " (" + protocol::printable(p.versioning_unknown_because) + "): listed as if versioned"
              : "")
      << (p.versioning.mfa_delete ? ", MFA delete ON: deletes need --mfa, which s3purge does not send" : "")
      << "\n";
  for (const auto& [what, code] : r.not_checked) {
    if (what != "versioning") out << "  " << what << ": not checked (" << protocol::printable(code) << ")\n";
  }
  if (const auto missing = missing_permissions(refusals(p, r)); !missing.empty()) {
    out << "  permissions the role lacks (AccessDenied):";
    for (const auto& action : missing) out << " " << action;
    out << "\n";
  }
  if (!p.lock.value) out << "  object lock: unknown (" << p.lock.unknown_because << ")\n";
  else if (!p.lock.value->enabled) out << "  object lock: off\n";
  else out << "  object lock: ON" << (p.lock.value->default_mode.empty() ? "" : ", default " + protocol::printable(p.lock.value->default_mode))
           << (p.lock.value->default_mode != "COMPLIANCE"
                   ? ": versions under governance retention are deleted only with --bypass-governance-retention "
                     "(and s3:BypassGovernanceRetention); under compliance retention, not at all"
                   : ": versions under compliance retention cannot be deleted before it ends")
           << "\n";
  if (!p.replication.value) out << "  replication: unknown (" << p.replication.unknown_because << ")\n";
  else if (p.replication.value->rules.empty()) out << "  replication: none\n";
  else out << "  replication: " << p.replication.value->rules.size() << " rule(s), to "
           << protocol::printable(p.replication.value->rules.front().destination_bucket) << ": deletions may replicate\n";
  if (!p.lifecycle.value) {
    out << "  lifecycle: unknown (" << p.lifecycle.unknown_because << ")\n";
  } else if (p.lifecycle.value->rules.empty()) {
    out << "  lifecycle: no rules\n";
  } else {
    for (const auto& rule : p.lifecycle.value->rules) {
      out << "  lifecycle rule " << protocol::printable(rule.id) << (rule.enabled ? "" : " (disabled)") << ": prefix '"
          << protocol::printable(rule.prefix) << "'";
      if (rule.expiration_days) out << ", expire after " << *rule.expiration_days << "d";
      if (rule.noncurrent_expiration_days) out << ", noncurrent after " << *rule.noncurrent_expiration_days << "d";
      if (rule.expired_object_delete_marker) out << ", expired delete markers";
      if (rule.abort_incomplete_upload_days) out << ", abort uploads after " << *rule.abort_incomplete_upload_days << "d";
      out << "\n";
    }
  }
  char row[200];
  std::snprintf(row, sizeof row, selective ? "  %-22s %14s %12s %14s %12s\n" : "  %-22s %14s %12s\n", "", "count",
                "bytes", "to delete", "bytes");
  out << row;
  auto line = [&](const char* what, std::uint64_t n, const std::string& bytes, std::uint64_t to_delete,
                  const std::string& to_delete_bytes) {
    std::snprintf(row, sizeof row, selective ? "  %-22s %14s %12s %14s %12s\n" : "  %-22s %14s %12s\n", what,
                  thousands(n).c_str(), bytes.c_str(), thousands(to_delete).c_str(), to_delete_bytes.c_str());
    out << row;
  };
  line("current objects", c.current, bytes_text(c.current_bytes), taken.current, bytes_text(taken.current_bytes));
  line("noncurrent versions", c.noncurrent, bytes_text(c.noncurrent_bytes), taken.noncurrent, bytes_text(taken.noncurrent_bytes));
  line("delete markers", c.markers, "-", taken.markers, "-");
  line("incomplete uploads", c.uploads, "(parts)", taken.uploads, "(parts)");
  if (selective) {
    out << "  selection " << selection_words(f) << ":";
    bool any = false;
    for (std::size_t i = 1; i < protocol::kKeptByCount; ++i) {
      if (!r.kept_by[i]) continue;
      const auto why = static_cast<protocol::KeptBy>(i);
      out << (any ? "," : "") << " keeps " << thousands(r.kept_by[i])
          << (why == protocol::KeptBy::resurface ? " as taking them " : " by ") << protocol::to_string(why);
      any = true;
    }
    out << (any ? "" : " keeps nothing") << "\n";
    if (r.kept_by[static_cast<std::size_t>(protocol::KeptBy::resurface)]) {
      out << "  " << thousands(r.kept_by[static_cast<std::size_t>(protocol::KeptBy::resurface)])
          << " keys would have an older version current again: a run refuses without --allow-resurface\n";
    }
    if (r.keys_resurfaced) {
      out << "  " << thousands(r.keys_resurfaced) << " keys will have an older version current again (--allow-resurface)\n";
    }
    if (r.unknown_ages) {
      out << "  " << thousands(r.unknown_ages) << " of the entries kept by age had no readable age (no LastModified, or "
          << "the server listed a key's entries out of order)\n";
    }
  }
  print_costs(out, r, requests_of(e), prices);
  out << "  estimate at --concurrency " << f.concurrency << ", --rate "
      << (f.rate > 0 ? thousands(static_cast<std::uint64_t>(f.rate)) + "/s" : std::string("unlimited"))
      << ": " << thousands(e.delete_requests) << " DeleteObjects + " << thousands(e.abort_requests)
      << " AbortMultipartUpload + ~" << thousands(e.list_requests) << " list requests; at least "
      << duration_text(e.lower_bound_seconds) << " (the listing alone took " << duration_text(e.listing_seconds)
      << (f.rate > 0 ? ", the rate allows no less than " + duration_text(e.rate_seconds) : "")
      << "; more if the server deletes more slowly than it lists)\n";
  if (aws && e.entries > 0) {
    out << "  on AWS a cold prefix takes ~3,500 deletes/s before it scales: at least "
        << duration_text(static_cast<double>(e.entries) / kAwsColdWritesPerSecond)
        << " unless the bucket is already spread over partitions\n";
  }
  if (interrupted || !r.stopped.empty()) {
    out << "  INCOMPLETE: " << (interrupted ? "interrupted" : r.stopped) << "; the counts are partial\n";
  } else {
    out << "  next, with progress in percent:\n    " << next_command(t, f, e.entries + e.uploads) << "\n";
  }
}

}  // namespace

int run_plan(const std::vector<std::string>& texts, const Flags& given) {
  Flags f = given;
  f.dry_run = true;  // a plan never deletes
  std::optional<protocol::Prices> prices;
  if (!f.prices.empty()) {
    std::ifstream in(f.prices);
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = protocol::parse_prices(text.str());
    if (!in || !parsed) {
      std::cerr << "s3purge: error: --prices " << f.prices << ": "
                << (parsed ? std::string("cannot be read") : parsed.error().message) << "\n";
      return static_cast<int>(ExitCode::usage);
    }
    prices = std::move(*parsed);
  }
  auto session = open_session(f);
  if (!session) {
    std::cerr << "s3purge: error: " << session.error().message << "\n";
    return static_cast<int>(ExitCode::usage);
  }
  const auto& cfg = session->config;
  const bool terminal = isatty(STDERR_FILENO);
  int exit_code = 0;
  for (const auto& text : texts) {
    auto target = parse_target(text);
    if (!target) {
      std::cerr << "s3purge: error: " << target.error().message << "\n";
      return static_cast<int>(ExitCode::usage);
    }
    auto options = purge_options(*session, *target, f);
    if (!options) {
      std::cerr << "s3purge: error: " << options.error().message << "\n";
      return static_cast<int>(ExitCode::usage);
    }
    // Everything is listed, and what the selection leaves is counted by the rule that keeps it.
    options->objects = options->uploads = true;
    std::optional<protocol::Error> error;
    Preflight facts;
    engine::PurgeReport report;
    engine::Purger* running = nullptr;
    StatusDisplay status(std::cerr, terminal, "plan s3://" + target->bucket + "/" + target->prefix, 0,
                         [] { return terminal_columns(STDERR_FILENO); });
    status.speak_of_listing();
    const LoopHooks hooks = purger_hooks(running, status, !f.quiet && !f.no_progress, terminal);
    const bool interrupted = run_event_loop([&](asio::any_io_executor ex) -> asio::awaitable<void> {
      auto p = co_await preflight([&] {
        return std::make_unique<engine::BucketClient>(ex, *options, cfg.credentials, cfg.region,
                                                      session->tls.get());
      }, *target, {.lifecycle = true, .siblings = false});
      if (!p) {
        error = p.error();
        co_return;
      }
      facts = std::move(*p);
      // Asked a moment ago; unknown: the run asks again and works out how to list.
      if (facts.versioning.status != protocol::VersioningStatus::unknown) options->versioning = facts.versioning.status;
      engine::Purger purger(ex, *options, cfg.credentials, cfg.region, session->tls.get());
      running = &purger;
      report = co_await purger.run();
      running = nullptr;
    }, hooks);
    status.clear();
    if (error) {
      std::cerr << "s3purge: error: s3://" << target->bucket << ": " << error->describe() << "\n";
      if (f.json) print_json_error(std::cout, {"plan", target->bucket, target->prefix}, *error);
      if (!exit_code) exit_code = static_cast<int>(ExitCode::usage);
      continue;
    }
    if (f.json) {
      print_plan_json(std::cout, *target, cfg.region, facts, report, f, prices, interrupted);
    } else {
      std::ostringstream shown;
      print_plan(shown, *target, cfg.region, !cfg.custom_endpoint, facts, report, f, prices, interrupted);
      std::cout << fit_text(shown.str(), isatty(STDOUT_FILENO) ? terminal_columns(STDOUT_FILENO) : 0) << std::flush;
    }
    if (interrupted) return static_cast<int>(ExitCode::interrupted);
    if (!report.stopped.empty() && !exit_code) exit_code = static_cast<int>(ExitCode::usage);
  }
  return exit_code;
}

}  // namespace s3purge::cli
