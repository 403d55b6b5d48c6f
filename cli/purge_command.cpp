#include "cli/purge_command.hpp"

#include <chrono>
#include <unistd.h>

#include <boost/asio/ssl/context.hpp>
#include <spdlog/spdlog.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include "cli/cost_report.hpp"
#include "cli/event_loop.hpp"
#include "cli/exit_codes.hpp"
#include "cli/preflight.hpp"
#include "cli/purger_hooks.hpp"
#include "cli/report_output.hpp"
#include "cli/selection_flags.hpp"
#include "cli/session.hpp"
#include "cli/status_display.hpp"
#include "cli/target.hpp"
#include "engine/key_source.hpp"
#include "engine/purger.hpp"
#include "engine/range_journal.hpp"
#include "protocol/printable.hpp"

namespace s3purge::cli {

namespace asio = boost::asio;

namespace {

constexpr int code(ExitCode c) { return static_cast<int>(c); }

int usage_error(const std::string& message) {
  std::cerr << "s3purge: error: " << message << "\n";
  return code(ExitCode::usage);
}

const char* name_of(PurgeCommand c) {
  switch (c) {
    case PurgeCommand::empty: return "empty";
    case PurgeCommand::delete_bucket: return "delete";
    case PurgeCommand::rm: return "rm";
    case PurgeCommand::abort_uploads: return "abort-uploads";
  }
  return "?";
}

// The targets named, and for delete those of --buckets-from (names or s3:// URLs, one per
// line; blank lines and # comments skipped, a comment may end a line).
protocol::Result<std::vector<Target>> gather_targets(PurgeCommand command,
                                                     const std::vector<std::string>& named,
                                                     const Flags& f) {
  std::vector<std::string> texts = named;
  if (!f.buckets_from.empty()) {
    std::ifstream in(f.buckets_from);
    if (!in) {
      return protocol::Error(protocol::client_errc::invalid_config,
                             "cannot read --buckets-from " + f.buckets_from);
    }
    for (std::string line; std::getline(in, line);) {
      // No bucket name holds '#' (and delete takes no prefix): the rest is a comment.
      if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
      while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.pop_back();
      while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.erase(0, 1);
      if (line.empty()) continue;
      texts.push_back(line.starts_with("s3://") ? line : "s3://" + line);
    }
  }
  if (texts.empty()) {
    return protocol::Error(protocol::client_errc::invalid_config,
                           "name a bucket: s3://BUCKET" + std::string(command == PurgeCommand::delete_bucket
                                                                          ? " (or --buckets-from FILE)"
                                                                          : ""));
  }
  std::vector<Target> out;
  for (const auto& text : texts) {
    auto t = parse_target(text);
    if (!t) return std::move(t).error();
    if (command == PurgeCommand::delete_bucket && !t->prefix.empty()) {
      return protocol::Error(protocol::client_errc::invalid_config,
                             "'" + text + "': delete removes whole buckets; use `s3purge empty` for a prefix");
    }
    out.push_back(std::move(*t));
  }
  if (command == PurgeCommand::rm && out.size() != 1) {
    return protocol::Error(protocol::client_errc::invalid_config,
                           "rm takes one s3://BUCKET[/PREFIX]; name the keys after it or with --keys-from");
  }
  return out;
}

// rm's keys as they will be deleted: the prefix and each key joined as they are.
std::string full_keys(const Target& t, const std::vector<std::string>& keys) {
  constexpr std::size_t kShown = 10;
  std::string out;
  for (std::size_t i = 0; i < keys.size() && i < kShown; ++i) {
    out += "\n    s3://" + t.bucket + "/" + protocol::printable(t.prefix + keys[i]);
  }
  if (keys.size() > kShown) out += "\n    ... and " + std::to_string(keys.size() - kShown) + " more";
  return out;
}

std::string what_is_deleted(PurgeCommand command, const Target& t, const Flags& f,
                            const std::vector<std::string>& named_keys) {
  const std::string where = "s3://" + t.bucket + "/" + t.prefix;
  switch (command) {
    case PurgeCommand::empty:
      if (const auto chosen = selection_words(f); !chosen.empty()) {
        return "the entries of " + where + " that match " + chosen + " (`plan` with the same flags counts them)";
      }
      return "every object version, delete marker and incomplete upload in " + where;
    case PurgeCommand::delete_bucket:
      return "every object version, delete marker and incomplete upload in " + where +
             ", then the bucket itself";
    case PurgeCommand::rm:
      if (f.keys_from.empty()) return std::to_string(named_keys.size()) + " keys:" + full_keys(t, named_keys);
      return "the keys listed in " + (f.keys_from == "-" ? std::string("standard input") : f.keys_from) +
             ", each joined to '" + where + "' as it is";
    case PurgeCommand::abort_uploads:
      return "incomplete multipart uploads" +
             (selection_words(f).empty() ? std::string() : " that match " + selection_words(f)) + " in " + where +
             " (their parts are lost)";
  }
  return where;
}

// rm joins the prefix and each key as they are: a prefix without a trailing '/' is not a
// folder, and "s3://b/logs 2024.gz" names logs2024.gz.
void warn_prefix_join(const Target& t, const std::vector<std::string>& keys) {
  if (t.prefix.empty() || t.prefix.back() == '/') return;
  const std::string example = keys.empty() ? "KEY" : keys.front();
  std::cerr << "s3purge: warning: prefix '" << protocol::printable(t.prefix)
            << "' has no trailing '/': each key is joined to it as it is ('"
            << protocol::printable(t.prefix) << "' + '" << protocol::printable(example) << "' = '"
            << protocol::printable(t.prefix + example) << "'); for keys inside a folder write s3://"
            << t.bucket << "/" << protocol::printable(t.prefix) << "/\n";
}

// On a terminal: type the bucket name (or, for several, how many). Without one: --yes.
bool confirmed(PurgeCommand command, const std::vector<Target>& targets, const Flags& f,
               const std::vector<std::string>& named_keys) {
  if (f.yes || f.dry_run) return true;
  if (!isatty(STDIN_FILENO)) {
    std::cerr << "s3purge: error: refusing to delete without --yes: there is no terminal to "
                 "confirm on\n";
    return false;
  }
  std::string what = "This permanently deletes:\n";
  for (const auto& t : targets) what += "  " + what_is_deleted(command, t, f, named_keys) + "\n";
  std::cerr << fit_text(what, terminal_columns(STDERR_FILENO));  // cut between words, not in one
  const std::string expected =
      targets.size() == 1 ? targets.front().bucket : std::to_string(targets.size());
  std::cerr << (targets.size() == 1 ? "Type the bucket name to continue: "
                                    : "Type the number of buckets (" + expected + ") to continue: ")
            << std::flush;
  std::string answer;
  std::getline(std::cin, answer);
  if (answer != expected) {
    std::cerr << "s3purge: not confirmed; nothing deleted\n";
    return false;
  }
  return true;
}

// How long the checks' answers stand before the run asks again.
constexpr auto kFreshCheck = std::chrono::seconds(2);

struct Checked {
  Target target;
  engine::PurgeOptions options;
  std::optional<protocol::Error> error;  // the bucket could not be checked: not run
  std::chrono::steady_clock::time_point checked_at;
};

// Whether `path` can be written: the file where it exists, else its folder.
bool writable(const std::string& path) {
  if (::access(path.c_str(), F_OK) == 0) return ::access(path.c_str(), W_OK) == 0;
  const auto slash = path.rfind('/');
  const std::string folder = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  return ::access(folder.c_str(), W_OK) == 0;
}

int exit_code_for(PurgeCommand command, const engine::PurgeReport& r, bool interrupted, bool dry_run) {
  if (interrupted) return code(ExitCode::interrupted);
  if (!r.stopped.empty()) {
    std::cerr << "s3purge: error: " << r.stopped << "\n";
    return code(ExitCode::usage);
  }
  if (r.total(&engine::KindCounts::failed) > 0) return code(ExitCode::some_failed);
  if (dry_run || command == PurgeCommand::rm) return code(ExitCode::ok);
  if (command == PurgeCommand::delete_bucket && !r.bucket_deleted && !r.left_to_other_shards) {
    return code(ExitCode::not_empty);
  }
  if (command != PurgeCommand::delete_bucket && !r.empty_verified && !r.unverifiable) return code(ExitCode::not_empty);
  return code(ExitCode::ok);
}

}  // namespace

int run_purge(PurgeCommand command, const std::vector<std::string>& named,
              const std::vector<std::string>& keys, const Flags& f) {
  auto targets = gather_targets(command, named, f);
  if (!targets) return usage_error(targets.error().message);
  if (command == PurgeCommand::rm && (!f.shard.empty() || !f.state_file.empty())) {
    return usage_error("rm deletes the keys it is given: --shard and --state-file are for listing runs");
  }
  if (command == PurgeCommand::rm && keys.empty() == f.keys_from.empty()) {
    return usage_error("rm: name the keys after the target or give --keys-from FILE, not both");
  }
  // A path we cannot write is found before any request; the file is written (emptied)
  // only once a run is about to start, so a refused or unconfirmed run leaves it as it was.
  std::ofstream failed_keys;
  if (!f.failed_keys.empty() && !writable(f.failed_keys)) {
    return usage_error("cannot write --failed-keys " + f.failed_keys);
  }

  std::unique_ptr<engine::RangeJournal> journal;
  if (!f.state_file.empty()) {
    auto opened = engine::RangeJournal::open(f.state_file);
    if (!opened) return usage_error(opened.error().message);
    journal = std::move(*opened);
  }

  auto session = open_session(f);
  if (!session) return usage_error(session.error().message);
  const auto& cfg = session->config;

  std::vector<Checked> checked;
  for (const auto& t : *targets) {
    auto o = purge_options(*session, t, f);
    if (!o) return usage_error(o.error().message);
    o->delete_bucket = command == PurgeCommand::delete_bucket;
    o->objects = o->objects && command != PurgeCommand::abort_uploads;
    o->uploads = o->uploads && command != PurgeCommand::rm;  // rm removes the keys it names
    if (command == PurgeCommand::abort_uploads) o->abort_concurrency = f.concurrency;
    o->journal = journal.get();
    checked.push_back({t, std::move(*o), std::nullopt, {}});
  }

  // Check every bucket before asking anything: a typo or a wrong region shows up now.
  bool interrupted = run_event_loop([&](asio::any_io_executor ex) -> asio::awaitable<void> {
    for (auto& c : checked) {
      PreflightWants wants;
      wants.siblings = command == PurgeCommand::empty;
      auto p = co_await preflight([&] {
        return std::make_unique<engine::BucketClient>(ex, c.options, cfg.credentials, cfg.region,
                                                      session->tls.get());
      }, c.target, wants);
      if (!p) {
        c.error = p.error();
        continue;
      }
      // Unknown: the run asks again, and works out how to list (engine/purger.cpp).
      if (p->versioning.status != protocol::VersioningStatus::unknown) c.options.versioning = p->versioning.status;
      const auto& selection = c.options.selection;
      if (p->versioning.status != protocol::VersioningStatus::never_enabled && c.options.objects && !f.dry_run &&
          selection.may_resurface() && !selection.allow_resurface) {
        c.error = protocol::resurface_refusal(selection);  // before the confirmation
        continue;
      }
      c.checked_at = std::chrono::steady_clock::now();
      if (!f.quiet) print_warnings(std::cerr, c.target, *p, f.bypass_governance);
      if (command == PurgeCommand::rm && (p->versioning.status == protocol::VersioningStatus::enabled ||
                                          p->versioning.status == protocol::VersioningStatus::suspended) &&
          !f.quiet) {
        std::cerr << "s3purge: note: " << c.target.bucket << " is versioned: a key without a "
                  << "version id gets a delete marker and keeps its versions; give KEY<TAB>VERSION_ID "
                  << "lines to remove versions\n";
      }
    }
  });
  if (interrupted) return code(ExitCode::interrupted);

  int exit_code = code(ExitCode::ok);
  auto note = [&](int c) {
    if (exit_code == code(ExitCode::ok)) exit_code = c;  // the first problem decides
  };
  std::vector<Target> runnable;
  for (const auto& c : checked) {
    if (!c.error) {
      runnable.push_back(c.target);
      continue;
    }
    std::cerr << "s3purge: error: s3://" << c.target.bucket << ": " << c.error->describe() << "\n";
    if (f.json) {
      print_json_error(std::cout, {name_of(command), c.target.bucket, c.target.prefix,
                                   command == PurgeCommand::delete_bucket}, *c.error);
    }
    note(code(ExitCode::usage));
  }
  if (runnable.empty()) return exit_code;
  if (command == PurgeCommand::rm && !f.quiet) warn_prefix_join(runnable.front(), keys);
  if (!confirmed(command, runnable, f, keys)) return code(ExitCode::usage);
  if (!f.failed_keys.empty()) {
    failed_keys.open(f.failed_keys, std::ios::trunc);
    if (!failed_keys) return usage_error("cannot write --failed-keys " + f.failed_keys);
  }

  const bool terminal = isatty(STDERR_FILENO);
  for (auto& c : checked) {
    if (c.error) continue;
    RunInfo info{name_of(command), c.target.bucket, c.target.prefix,
                 command == PurgeCommand::delete_bucket, command != PurgeCommand::rm, false};
    info.dry_run = f.dry_run;
    engine::PurgeReport report;
    engine::Purger* running = nullptr;  // while the run lasts, for Ctrl-C and progress
    StatusDisplay status(std::cerr, terminal, name_of(command) + std::string(" s3://") +
                                                  c.target.bucket + "/" + c.target.prefix, f.expect,
                         [] { return terminal_columns(STDERR_FILENO); });
    // The failed keys, then the summary or JSON: at the end, or when the grace period
    // after Ctrl-C ends with requests in flight.
    auto publish = [&](const RunInfo& run, const engine::PurgeReport& r) {
      if (failed_keys.is_open()) failed_keys.flush();
      if (f.json) {
        print_json(std::cout, run, r);
      } else if (!f.quiet) {
        std::ostringstream text;
        print_summary(text, run, r);
        Flags without = f;
        without.skip_early_charges = false;
        if (f.skip_early_charges) {
          print_kept_for_charges(text, r, "s3://" + run.bucket + "/" + run.prefix, !selection_words(without).empty());
        } else {
          print_early_billed(text, r, run.dry_run);
        }
        std::cout << fit_text(text.str(), isatty(STDOUT_FILENO) ? terminal_columns(STDOUT_FILENO) : 0);
      }
      std::cout << std::flush;
    };
    const LoopHooks hooks = purger_hooks(running, status, !f.quiet && !f.no_progress, terminal,
                                         [&](const engine::PurgeReport& now) {
                                           RunInfo late = info;
                                           late.interrupted = late.grace_expired = true;
                                           publish(late, now);
                                         });
    std::optional<protocol::Error> source_error;
    info.interrupted = run_event_loop([&](asio::any_io_executor ex) -> asio::awaitable<void> {
      // Everything bound to this event loop ends inside it.
      std::unique_ptr<engine::KeySource> key_source;
      if (command == PurgeCommand::rm) {
        if (f.keys_from.empty()) {
          key_source = std::make_unique<engine::ListKeySource>(keys);
        } else {
          auto file = engine::FileKeySource::open(ex, f.keys_from);
          if (!file) {
            source_error = file.error();
            co_return;
          }
          key_source = std::move(*file);
        }
        c.options.keys = key_source.get();
      }
      // The checks' versioning stands for the run that starts right after them (--yes, a
      // first bucket); after a question or another bucket's run, the run asks again.
      if (std::chrono::steady_clock::now() - c.checked_at >= kFreshCheck) c.options.versioning.reset();
      // Every failure goes to --failed-keys as it happens; the report keeps only the first.
      if (failed_keys.is_open()) {
        c.options.on_failure = [&failed_keys, &c](const engine::FailureRecord& record) {
          print_failed_key(failed_keys, c.target.bucket, record);
        };
      }
      engine::Purger purger(ex, c.options, cfg.credentials, cfg.region, session->tls.get());
      running = &purger;
      report = co_await purger.run();
      running = nullptr;
      c.options.keys = nullptr;
    }, hooks);
    status.clear();
    if (source_error) return usage_error(source_error->message);

    publish(info, report);
    note(exit_code_for(command, report, info.interrupted, f.dry_run));
    if (info.interrupted) break;
  }
  return exit_code;
}

}  // namespace s3purge::cli
