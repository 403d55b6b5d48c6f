// The engine's own figures: empty (and delete) a bucket on a running s3emu and report
// entries/s, this process's CPU seconds and CPU per entry, and its peak RSS.
//
//   s3emu --seed bucket=bench,objects=1000000,prefixes=100 --port-file p &
//   purge_bench --port $(cat p) --bucket bench --concurrency 16
//
// s3emu runs in its own process, so the CPU and memory measured here are the client's.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <sys/resource.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdio>

#include "engine/purger.hpp"

using namespace s3purge;

namespace {

double cpu_seconds(const rusage& u) {
  auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return s(u.ru_utime) + s(u.ru_stime);
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);  // the engine's pass lines would break the output
  CLI::App app{"purge_bench: the engine against a running s3emu"};
  int port = 0;
  engine::PurgeOptions o;
  o.bucket = "bench";
  std::string access_key = "bench", secret_key = "bench";
  app.add_option("--port", port)->required();
  app.add_option("--bucket", o.bucket);
  app.add_option("--prefix", o.prefix);
  app.add_option("--concurrency", o.concurrency)->capture_default_str();
  app.add_option("--rate", o.rate, "objects/s ceiling (0: none)");
  app.add_flag("--delete-bucket", o.delete_bucket);
  app.add_option("--access-key", access_key);
  app.add_option("--secret-key", secret_key);
  CLI11_PARSE(app, argc, argv);

  auto ep = protocol::parse_endpoint("http://127.0.0.1:" + std::to_string(port));
  auto address = protocol::resolve_bucket_address(*ep, o.bucket, protocol::AddressingStyle::path);
  if (!address) {
    std::fprintf(stderr, "%s\n", address.error().describe().c_str());
    return 2;
  }
  o.address = *address;

  boost::asio::io_context ioc(1);
  engine::Purger purger(ioc.get_executor(), o, {access_key, secret_key, ""}, "us-east-1", nullptr);
  engine::PurgeReport report;
  rusage before{}, after{};
  getrusage(RUSAGE_SELF, &before);
  const auto start = std::chrono::steady_clock::now();
  boost::asio::co_spawn(ioc, [&]() -> boost::asio::awaitable<void> { report = co_await purger.run(); },
                        [](std::exception_ptr e) {
                          if (e) std::rethrow_exception(e);
                        });
  ioc.run();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  getrusage(RUSAGE_SELF, &after);

  const double cpu = cpu_seconds(after) - cpu_seconds(before);
  const auto entries = report.total(&engine::KindCounts::deleted);
  std::printf("deleted %llu entries (objects %llu, versions %llu, markers %llu, uploads %llu) in %.2f s\n",
              static_cast<unsigned long long>(entries),
              static_cast<unsigned long long>(report.of(engine::Kind::object).deleted),
              static_cast<unsigned long long>(report.of(engine::Kind::version).deleted),
              static_cast<unsigned long long>(report.of(engine::Kind::delete_marker).deleted),
              static_cast<unsigned long long>(report.of(engine::Kind::upload).deleted), wall);
  std::printf("  %.0f entries/s; client CPU %.2f s (%.2f us per entry); peak RSS %.1f MiB\n",
              static_cast<double>(entries) / wall, cpu,
              entries ? cpu * 1e6 / static_cast<double>(entries) : 0.0,
              static_cast<double>(after.ru_maxrss) / 1024.0);
  std::printf("  requests %llu, throttle retries %llu, transient retries %llu, balanced %s, "
              "bucket deleted %s%s%s\n",
              static_cast<unsigned long long>(report.calls.requests),
              static_cast<unsigned long long>(report.calls.throttle_retries),
              static_cast<unsigned long long>(report.calls.transient_retries),
              report.balanced() ? "yes" : "NO", report.bucket_deleted ? "yes" : "no",
              report.stopped.empty() ? "" : ", stopped: ", report.stopped.c_str());
  return report.stopped.empty() && report.balanced() ? 0 : 1;
}
