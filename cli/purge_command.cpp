#include "cli/purge_command.hpp"

#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/exit_codes.hpp"
#include "cli/report_output.hpp"
#include "cli/target.hpp"
#include "engine/purger.hpp"
#include "engine/tls_context.hpp"
#include "protocol/system_environment.hpp"

namespace s3purge::cli {

namespace asio = boost::asio;

namespace {

int config_error(const std::string& message) {
  std::cerr << "s3purge: error: " << message << "\n";
  return static_cast<int>(ExitCode::usage);
}

// Destructive runs are confirmed: on a terminal by typing the bucket name, elsewhere only
// with --yes.
bool confirmed(const Target& t, bool delete_bucket, const PurgeFlags& f) {
  if (f.yes || f.dry_run) return true;
  if (!isatty(STDIN_FILENO)) {
    std::cerr << "s3purge: error: refusing to delete without --yes: there is no terminal to "
                 "confirm on\n";
    return false;
  }
  std::cerr << "This permanently deletes every object version, delete marker and incomplete "
               "upload in s3://"
            << t.bucket << "/" << t.prefix << (delete_bucket ? ", then the bucket itself" : "")
            << ".\nType the bucket name to continue: " << std::flush;
  std::string answer;
  std::getline(std::cin, answer);
  if (answer != t.bucket) {
    std::cerr << "s3purge: not confirmed; nothing deleted\n";
    return false;
  }
  return true;
}

bool is_loopback(const std::string& host) {
  return host == "localhost" || host.ends_with(".localhost") || host.starts_with("127.") ||
         host == "::1";
}

}  // namespace

int run_purge(const std::vector<std::string>& targets, bool delete_bucket, const PurgeFlags& f) {
  auto config = protocol::resolve_config(f.config, protocol::system_env(),
                                         protocol::system_file_reader());
  if (!config) return config_error(config.error().message);

  std::vector<Target> parsed;
  for (const auto& text : targets) {
    auto t = parse_target(text);
    if (!t) return config_error(t.error().message);
    if (delete_bucket && !t->prefix.empty()) {
      return config_error("'" + text + "': delete removes whole buckets; use `s3purge empty` "
                          "for a prefix");
    }
    parsed.push_back(std::move(*t));
  }
  if (f.concurrency < 1 || f.batch_size < 1 || f.batch_size > 1000 || f.queue_depth < 1 ||
      f.rate < 0 || f.timeout_seconds <= 0 || f.max_retries < 0) {
    return config_error("--concurrency >= 1, --batch-size 1..1000, --queue-depth >= 1, "
                        "--rate >= 0, --timeout > 0, --max-retries >= 0");
  }

  const auto& endpoint = config->endpoint;
  if (!endpoint.https && !is_loopback(endpoint.host) && !f.quiet) {
    std::cerr << "s3purge: warning: " << endpoint.url()
              << " is plain http: requests are signed but not encrypted\n";
  }
  std::shared_ptr<asio::ssl::context> tls;
  if (endpoint.https) {
    auto ctx = engine::make_tls_context({config->ca_bundle, !f.no_verify_ssl});
    if (!ctx) return config_error(ctx.error().message);
    tls = *ctx;
    if (f.no_verify_ssl && !f.quiet) {
      std::cerr << "s3purge: warning: --no-verify-ssl: the server's certificate is not checked\n";
    }
  }

  // Opened (and emptied) before anything is deleted: a path we cannot write is found now.
  std::ofstream failed_keys;
  if (!f.failed_keys.empty()) {
    failed_keys.open(f.failed_keys, std::ios::trunc);
    if (!failed_keys) return config_error("cannot write --failed-keys " + f.failed_keys);
  }

  int exit_code = static_cast<int>(ExitCode::ok);
  for (const auto& target : parsed) {
    auto address = protocol::resolve_bucket_address(endpoint, target.bucket, config->addressing_style);
    if (!address) return config_error(address.error().message);
    if (!confirmed(target, delete_bucket, f)) return static_cast<int>(ExitCode::usage);

    engine::PurgeOptions o;
    o.bucket = target.bucket;
    o.prefix = target.prefix;
    o.delete_bucket = delete_bucket;
    o.address = *address;
    o.concurrency = f.concurrency;
    o.rate = f.rate;
    o.burst = f.burst;
    o.batch_size = f.batch_size;
    o.queue_depth = f.queue_depth;
    o.retry.transient_retries = static_cast<unsigned>(f.max_retries);
    o.dry_run = f.dry_run;
    o.bypass_governance = f.bypass_governance;
    o.request_options.requester_pays = f.request_payer;
    o.connection.request_timeout =
        std::chrono::milliseconds(static_cast<std::int64_t>(f.timeout_seconds * 1000));
    o.connection.connect_address = f.connect_to;

    asio::io_context ioc(1);
    engine::Purger purger(ioc.get_executor(), o, config->credentials, config->region, tls.get());
    engine::PurgeReport report;
    bool interrupted = false;

    // First Ctrl-C (or SIGTERM): stop listing, let requests in flight finish, report.
    // Second: leave at once.
    asio::signal_set signals(ioc, SIGINT, SIGTERM);
    std::function<void(const boost::system::error_code&, int)> on_signal =
        [&](const boost::system::error_code& ec, int) {
          if (ec) return;
          if (interrupted) std::_Exit(static_cast<int>(ExitCode::interrupted));
          interrupted = true;
          std::cerr << "\ns3purge: interrupted: finishing requests in flight (again to quit now)\n";
          purger.request_stop();
          signals.async_wait(on_signal);
        };
    signals.async_wait(on_signal);

    // A progress line every few seconds on stderr.
    asio::steady_timer ticker(ioc);
    const auto started = std::chrono::steady_clock::now();
    std::function<void(const boost::system::error_code&)> tick = [&](const boost::system::error_code& ec) {
      if (ec) return;
      print_progress(std::cerr, purger.progress(), std::chrono::steady_clock::now() - started);
      ticker.expires_after(std::chrono::seconds(2));
      ticker.async_wait(tick);
    };
    if (!f.quiet && !f.no_progress) {
      ticker.expires_after(std::chrono::seconds(2));
      ticker.async_wait(tick);
    }

    std::exception_ptr failure;
    asio::co_spawn(ioc, [&]() -> asio::awaitable<void> { report = co_await purger.run(); },
                   [&](std::exception_ptr e) {
                     failure = e;
                     signals.cancel();
                     ticker.cancel();
                   });
    ioc.run();
    if (failure) std::rethrow_exception(failure);

    if (failed_keys.is_open()) {
      print_failed_keys(failed_keys, target.bucket, report);
      failed_keys.flush();
      if (report.failures_not_recorded && !f.quiet) {
        std::cerr << "s3purge: warning: " << report.failures_not_recorded
                  << " more failures were counted but not recorded in " << f.failed_keys << "\n";
      }
    }
    if (f.json) {
      print_json(std::cout, target.bucket, target.prefix, delete_bucket, report, interrupted);
    } else if (!f.quiet) {
      print_summary(std::cout, target.bucket, target.prefix, delete_bucket, report, interrupted);
    }
    int code = static_cast<int>(ExitCode::ok);
    if (interrupted) {
      code = static_cast<int>(ExitCode::interrupted);
    } else if (!report.stopped.empty()) {
      std::cerr << "s3purge: error: " << report.stopped << "\n";
      code = static_cast<int>(ExitCode::usage);
    } else if (report.total(&engine::KindCounts::failed) > 0) {
      code = static_cast<int>(ExitCode::some_failed);
    } else if (!f.dry_run && ((delete_bucket && !report.bucket_deleted) || !report.empty_verified)) {
      code = static_cast<int>(ExitCode::not_empty);
    }
    if (exit_code == static_cast<int>(ExitCode::ok)) exit_code = code;  // the first problem

    if (interrupted) break;
  }
  return exit_code;
}

}  // namespace s3purge::cli
