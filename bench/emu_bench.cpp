// How much one s3emu thread serves: DeleteObjects keys/s and ListObjectsV2 pages/s over
// plain HTTP on loopback, measured against the server's own CPU time (from /proc), so the
// figure is the emulator's capacity, not this client's.
//
//   s3emu --threads 1 --seed bucket=bench,objects=2000000,prefixes=100 --port-file p &
//   emu_bench --port $(cat p) --pid $! --mode delete --objects 2000000 --prefixes 100
//   emu_bench --port $(cat p) --pid $! --mode list --pages 5000
//
// Requests are built before the clock starts (the client must not be the bottleneck on a
// 2-core machine); each of --connections threads sends them over one keep-alive connection.
#include <CLI/CLI.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>
#include <vector>

#include "protocol/delete_requests.hpp"
#include "protocol/list_requests.hpp"
#include "s3emu/seed.hpp"

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using namespace s3purge::protocol;

namespace {

// utime + stime of a process, in seconds.
double cpu_seconds(int pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(f, line);
  std::istringstream in(line.substr(line.rfind(')') + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && in >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(field);
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::string wire(const HttpRequest& r) {
  std::string out = r.method + " " + r.target() + " HTTP/1.1\r\nHost: " + r.host + "\r\n";
  for (const auto& [n, v] : r.headers) out += n + ": " + v + "\r\n";
  out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n\r\n" + r.body;
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"emu_bench: what one s3emu thread serves"};
  int port = 0, pid = 0, connections = 2;
  std::string mode = "delete", bucket = "bench";
  std::uint64_t objects = 1'000'000, prefixes = 100, pages = 2000;
  app.add_option("--port", port)->required();
  app.add_option("--pid", pid, "the s3emu process, for its CPU time")->required();
  app.add_option("--mode", mode)->check(CLI::IsMember({"delete", "list"}));
  app.add_option("--bucket", bucket);
  app.add_option("--objects", objects, "objects seeded (delete mode deletes them all)");
  app.add_option("--prefixes", prefixes, "prefixes they were seeded over");
  app.add_option("--pages", pages, "list mode: pages to fetch");
  app.add_option("--connections", connections);
  CLI11_PARSE(app, argc, argv);

  auto ep = *parse_endpoint("http://127.0.0.1:" + std::to_string(port));
  const RequestContext ctx{bucket, *resolve_bucket_address(ep, bucket, AddressingStyle::path), {}};

  // Build every request up front.
  std::vector<std::string> requests;
  std::uint64_t items_per_request = 0;
  if (mode == "delete") {
    std::vector<ObjectId> batch;
    std::uint64_t made = 0;
    for (std::uint64_t p = 0; p < prefixes; ++p) {
      const std::uint64_t share = objects / prefixes + (p < objects % prefixes ? 1 : 0);
      for (std::uint64_t i = 0; i < share; ++i, ++made) {
        batch.push_back({s3emu::seed_key("plain", p, made), ""});
        if (batch.size() == kMaxDeleteKeys) {
          requests.push_back(wire(*build_delete_objects(ctx, batch, {})));
          batch.clear();
        }
      }
    }
    if (!batch.empty()) requests.push_back(wire(*build_delete_objects(ctx, batch, {})));
    items_per_request = kMaxDeleteKeys;
  } else {
    // Pages spread over the prefixes, each read from its start: the server pays for
    // positioning and 1000 entries of XML every time.
    for (std::uint64_t i = 0; i < pages; ++i) {
      ListObjectsV2Params params;
      char prefix[32];
      std::snprintf(prefix, sizeof prefix, "prefix-%04llu/",
                    static_cast<unsigned long long>(i % prefixes));
      params.prefix = prefix;
      requests.push_back(wire(build_list_objects_v2(ctx, params)));
    }
    items_per_request = 1;
  }

  std::atomic<std::size_t> next{0};
  std::atomic<std::uint64_t> failures{0}, bytes_in{0};
  const double cpu_before = cpu_seconds(pid);
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < connections; ++c) {
    threads.emplace_back([&] {
      asio::io_context ioc;
      tcp::socket socket(ioc);
      socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
      socket.set_option(tcp::no_delay(true));
      boost::beast::flat_buffer buffer;
      buffer.reserve(1 << 20);
      for (std::size_t i; (i = next.fetch_add(1)) < requests.size();) {
        asio::write(socket, asio::buffer(requests[i]));
        http::response_parser<http::string_body> parser;
        parser.body_limit(64 << 20);
        http::read(socket, buffer, parser);
        bytes_in += parser.get().body().size();
        const auto& body = parser.get().body();
        if (parser.get().result_int() != 200 || body.find("<Error>") != std::string::npos) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double server_cpu = cpu_seconds(pid) - cpu_before;
  const double items = static_cast<double>(requests.size() * items_per_request);
  const char* unit = mode == "delete" ? "deleted keys" : "list pages of 1000 keys";
  std::printf("%s: %zu requests in %.2f s wall, server CPU %.2f s, failures %llu\n", mode.c_str(),
              requests.size(), wall, server_cpu, static_cast<unsigned long long>(failures.load()));
  std::printf("  %.0f %s/s wall; %.0f %s per server-CPU-second (one emulator thread)\n",
              items / wall, unit, items / server_cpu, unit);
  return failures.load() == 0 ? 0 : 1;
}
