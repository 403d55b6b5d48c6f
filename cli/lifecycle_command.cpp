#include "cli/lifecycle_command.hpp"

#include <unistd.h>

#include <boost/asio/ssl/context.hpp>
#include <boost/json.hpp>

#include <iostream>

#include "cli/event_loop.hpp"
#include "cli/exit_codes.hpp"
#include "cli/session.hpp"
#include "engine/bucket_client.hpp"
#include "protocol/printable.hpp"

namespace s3purge::cli {

namespace asio = boost::asio;

namespace {

int fail(const std::string& message) {
  std::cerr << "s3purge: error: " << message << "\n";
  return static_cast<int>(ExitCode::usage);
}

void show(std::ostream& out, const std::string& bucket, const protocol::LifecycleConfiguration& c) {
  if (c.rules.empty()) {
    out << "s3://" << bucket << ": no lifecycle rules\n";
    return;
  }
  out << "s3://" << bucket << ": " << c.rules.size() << " lifecycle rule(s)\n";
  for (const auto& r : c.rules) {
    out << "  " << protocol::printable(r.id) << (r.enabled ? "" : " (disabled)") << (protocol::is_s3purge_rule(r) ? " [s3purge]" : "")
        << ": prefix '" << protocol::printable(r.prefix) << "'" << (r.has_other_filter ? " and other filters" : "");
    if (r.expiration_days) out << "; expire current objects after " << *r.expiration_days << " days";
    if (!r.expiration_date.empty()) out << "; expire current objects on " << protocol::printable(r.expiration_date);
    if (r.noncurrent_expiration_days) out << "; expire noncurrent versions after " << *r.noncurrent_expiration_days << " days";
    if (r.expired_object_delete_marker) out << "; remove delete markers left alone";
    if (r.abort_incomplete_upload_days) out << "; abort incomplete uploads after " << *r.abort_incomplete_upload_days << " days";
    out << "\n";
  }
}

boost::json::object rule_json(const protocol::LifecycleRule& r) {
  boost::json::object o{{"id", r.id},
                        {"enabled", r.enabled},
                        {"s3purge", protocol::is_s3purge_rule(r)},
                        {"prefix", r.prefix},
                        {"other_filters", r.has_other_filter},
                        {"expired_object_delete_marker", r.expired_object_delete_marker}};
  auto days = [&](const char* name, const std::optional<std::uint64_t>& d) {
    o[name] = d ? boost::json::value(*d) : boost::json::value(nullptr);
  };
  days("expiration_days", r.expiration_days);
  o["expiration_date"] = r.expiration_date.empty() ? boost::json::value(nullptr) : boost::json::value(r.expiration_date);
  days("noncurrent_expiration_days", r.noncurrent_expiration_days);
  days("abort_incomplete_upload_days", r.abort_incomplete_upload_days);
  return o;
}

// What a lifecycle command did, for --json: the rules the bucket holds (or would hold, in a
// dry run) afterwards.
void print_json(std::ostream& out, const std::string& bucket, const std::string& action, bool dry_run,
                bool changed, const protocol::LifecycleConfiguration& rules) {
  boost::json::array list;
  for (const auto& r : rules.rules) list.push_back(rule_json(r));
  const boost::json::object doc{{"bucket", bucket}, {"action", action},  {"dry_run", dry_run},
                                {"changed", changed}, {"rules", std::move(list)}};
  out << boost::json::serialize(doc) << "\n";
}

bool confirm_install(const Target& t, const Flags& f) {
  if (f.yes) return true;
  if (!isatty(STDIN_FILENO)) {
    std::cerr << "s3purge: error: refusing to install a lifecycle rule without --yes: there is no "
                 "terminal to confirm on\n";
    return false;
  }
  std::cerr << "S3 will permanently delete "
            << (f.uploads_only ? "the parts of incomplete uploads" : "every object, version and delete marker")
            << " under s3://" << t.bucket << "/" << t.prefix << " older than " << f.days
            << " days, now and from now on.\nType the bucket name to continue: " << std::flush;
  std::string answer;
  std::getline(std::cin, answer);
  if (answer != t.bucket) std::cerr << "s3purge: not confirmed; nothing changed\n";
  return answer == t.bucket;
}

}  // namespace

int run_lifecycle(const std::string& action, const std::string& text, const Flags& f) {
  auto target = parse_target(text);
  if (!target) return fail(target.error().message);
  auto session = open_session(f);
  if (!session) return fail(session.error().message);
  auto options = purge_options(*session, *target, f);
  if (!options) return fail(options.error().message);
  const auto& cfg = session->config;
  if (action == "install" && !f.dry_run && !confirm_install(*target, f)) {
    return static_cast<int>(ExitCode::usage);
  }

  int rc = 0;
  run_event_loop([&](asio::any_io_executor ex) -> asio::awaitable<void> {
    engine::BucketClient client(ex, *options, cfg.credentials, cfg.region, session->tls.get());
    auto current = co_await client.lifecycle();
    if (!current) {
      rc = fail("s3://" + target->bucket + ": " + current.error().describe());
      co_return;
    }
    std::vector<std::string> theirs;
    bool ours = false;
    for (const auto& r : current->rules) {
      if (protocol::is_s3purge_rule(r)) ours = true;
      else theirs.push_back(r.id);
    }
    auto list = [](const std::vector<std::string>& ids) {
      std::string s;
      for (const auto& id : ids) s += (s.empty() ? "" : ", ") + id;
      return s;
    };
    const auto& bucket = target->bucket;
    if (action == "show") {
      if (f.json) print_json(std::cout, bucket, action, false, false, *current);
      else show(std::cout, bucket, *current);
      co_return;
    }
    if (action == "remove") {
      if (!ours) {
        if (f.json) print_json(std::cout, bucket, action, f.dry_run, false, *current);
        else std::cout << "s3://" << bucket << ": no s3purge rule to remove\n";
        co_return;
      }
      if (!theirs.empty()) {
        rc = fail("s3://" + target->bucket + " also has rules s3purge did not write (" + list(theirs) +
                  "); removing only its own would mean rewriting those, which s3purge does not "
                  "do: remove the s3purge-* rules with `aws s3api put-bucket-lifecycle-configuration`");
        co_return;
      }
      if (f.dry_run) {
        if (f.json) print_json(std::cout, bucket, action, true, true, {});
        else std::cout << "dry run: would delete the lifecycle configuration of s3://" << bucket << "\n";
        co_return;
      }
      auto r = co_await client.delete_lifecycle();
      if (!r) rc = fail("s3://" + bucket + ": " + r.error().describe());
      else if (f.json) print_json(std::cout, bucket, action, false, true, {});
      else std::cout << "s3://" << bucket << ": s3purge lifecycle rules removed\n";
      co_return;
    }
    // install
    if (!theirs.empty() && !f.replace_rules) {
      rc = fail("s3://" + target->bucket + " has lifecycle rules s3purge did not write (" + list(theirs) +
                "): a new configuration replaces them all. Pass --replace-rules to replace them, "
                "or add the rule with the AWS CLI");
      co_return;
    }
    const auto rules = protocol::s3purge_lifecycle_rules(target->prefix, f.days, f.uploads_only);
    if (f.dry_run) {
      if (f.json) {
        print_json(std::cout, bucket, action, true, true, rules);
      } else {
        std::cout << "dry run: would install on s3://" << bucket << ":\n";
        show(std::cout, bucket, rules);
      }
      co_return;
    }
    auto put = co_await client.put_lifecycle(rules);
    if (!put) {
      rc = fail("s3://" + target->bucket + ": " + put.error().describe());
      co_return;
    }
    auto after = co_await client.lifecycle();  // what S3 now holds, read back
    if (!after) {
      rc = fail("s3://" + target->bucket + ": installed, but reading it back failed: " + after.error().describe());
      co_return;
    }
    if (f.json) print_json(std::cout, bucket, action, false, true, *after);
    else show(std::cout, bucket, *after);
  });
  return rc;
}

}  // namespace s3purge::cli
