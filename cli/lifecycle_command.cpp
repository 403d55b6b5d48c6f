#include "cli/lifecycle_command.hpp"

#include <unistd.h>

#include <boost/asio/ssl/context.hpp>

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
  if (action == "install" && (f.days < 1 || f.days > 36500)) return fail("--days 1..36500");
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
    if (action == "show") {
      show(std::cout, target->bucket, *current);
      co_return;
    }
    if (action == "remove") {
      if (!ours) {
        std::cout << "s3://" << target->bucket << ": no s3purge rule to remove\n";
        co_return;
      }
      if (!theirs.empty()) {
        rc = fail("s3://" + target->bucket + " also has rules s3purge did not write (" + list(theirs) +
                  "); removing only its own would mean rewriting those, which s3purge does not "
                  "do: remove the s3purge-* rules with `aws s3api put-bucket-lifecycle-configuration`");
        co_return;
      }
      if (f.dry_run) {
        std::cout << "dry run: would delete the lifecycle configuration of s3://" << target->bucket << "\n";
        co_return;
      }
      auto r = co_await client.delete_lifecycle();
      if (!r) rc = fail("s3://" + target->bucket + ": " + r.error().describe());
      else std::cout << "s3://" << target->bucket << ": s3purge lifecycle rules removed\n";
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
      std::cout << "dry run: would install on s3://" << target->bucket << ":\n";
      show(std::cout, target->bucket, rules);
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
    show(std::cout, target->bucket, *after);
  });
  return rc;
}

}  // namespace s3purge::cli
