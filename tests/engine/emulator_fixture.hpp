// An s3emu server started in-process on 127.0.0.1, port 0, and a purge run against it:
// the real HTTP stack, the real emulator, every byte on loopback.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include <ctime>
#include <optional>
#include <stdexcept>
#include <thread>

#include "engine/purger.hpp"
#include "s3emu/seed.hpp"
#include "s3emu/server.hpp"

namespace s3purge::testing {

using namespace s3purge;
namespace asio = boost::asio;

inline const protocol::Credentials kCreds{"AKIDTEST", "test-secret", ""};


class Emulator {
 public:
  struct Config {
    std::vector<std::string> seeds;
    s3emu::RouterOptions router;
    s3emu::ServerOptions server;
    std::optional<s3emu::FaultRates> faults;
  };

  explicit Emulator(std::string seed, s3emu::RouterOptions router = {},
                    s3emu::ServerOptions server = {},
                    std::optional<s3emu::FaultRates> faults = std::nullopt)
      : Emulator(Config{{std::move(seed)}, std::move(router), std::move(server), faults}) {}

  explicit Emulator(Config c) {
    for (const auto& spec : c.seeds) {
      std::string error;
      auto s = s3emu::parse_seed_spec(spec, error);
      if (!s || !s3emu::seed(store_, *s, std::time(nullptr), error)) throw std::runtime_error(error);
    }
    if (c.faults) faults_.emplace(*c.faults, 42);
    c.router.access_key = kCreds.access_key_id;
    c.router.secret_key = kCreds.secret_access_key;
    router_.emplace(store_, stats_, c.router, faults_ ? &*faults_ : nullptr);
    c.server.host = "127.0.0.1";
    c.server.port = 0;
    server_.emplace(c.server, *router_, stats_, faults_ ? &*faults_ : nullptr);
    server_->start();
    thread_ = std::thread([this] { server_->run(); });
  }
  ~Emulator() {
    server_->stop();
    thread_.join();
  }

  std::uint16_t port() const { return server_->port(); }
  s3emu::Stats& stats() { return stats_; }
  std::optional<s3emu::BucketCensus> census(const std::string& bucket) {
    std::lock_guard lock(store_.mutex());
    const auto* b = store_.find(bucket);
    if (!b) return std::nullopt;
    return s3emu::Store::census(*b);
  }
  // Adds a bucket holding exactly `keys`: `versions` versions of each (a versioned bucket
  // when more than one, with a delete marker on every third key) and `uploads` incomplete
  // uploads per key.
  void add_bucket(const std::string& bucket, const std::vector<std::string>& keys, int versions,
                  int uploads) {
    std::lock_guard lock(store_.mutex());
    const auto now = std::time(nullptr);
    if (!store_.create(bucket, "us-east-1", false, now)) throw std::runtime_error("bucket exists");
    auto& b = *store_.find(bucket);
    if (versions > 1) b.versioning = s3emu::Versioning::enabled;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      for (int v = 0; v < versions; ++v) {
        store_.put(b, keys[i], std::nullopt, 1, {}, 0, now, s3emu::LockMode::none, 0, false);
      }
      if (versions > 1 && i % 3 == 0) store_.remove(b, keys[i], "", false, now);
      for (int u = 0; u < uploads; ++u) store_.create_upload(b, keys[i], now);
    }
  }
  std::vector<std::string> keys(const std::string& bucket) {
    std::lock_guard lock(store_.mutex());
    std::vector<std::string> out;
    if (const auto* b = store_.find(bucket)) {
      for (const auto& [k, e] : b->keys) out.push_back(k);
    }
    return out;
  }

 private:
  s3emu::Store store_;
  s3emu::Stats stats_;
  std::optional<s3emu::FaultInjector> faults_;
  std::optional<s3emu::Router> router_;
  std::optional<s3emu::Server> server_;
  std::thread thread_;
};

inline engine::PurgeOptions options_for(const Emulator& emu, const std::string& bucket,
                                 std::string scheme = "http", std::string host = "127.0.0.1",
                                 protocol::AddressingStyle style = protocol::AddressingStyle::path) {
  engine::PurgeOptions o;
  o.bucket = bucket;
  auto ep = protocol::parse_endpoint(scheme + "://" + host + ":" + std::to_string(emu.port()));
  o.address = *protocol::resolve_bucket_address(*ep, bucket, style);
  o.concurrency = 8;
  o.abort_concurrency = 4;
  o.retry.backoff.base = std::chrono::milliseconds(2);  // a local emulator recovers at once
  o.retry.backoff.cap = std::chrono::milliseconds(50);
  o.connection.connect_timeout = std::chrono::seconds(5);
  o.connection.request_timeout = std::chrono::seconds(30);
  return o;
}

inline engine::PurgeReport purge(engine::PurgeOptions o, asio::ssl::context* tls = nullptr,
                          protocol::Credentials creds = kCreds) {
  asio::io_context ioc;
  engine::Purger purger(ioc.get_executor(), std::move(o), creds, "us-east-1", tls);
  engine::PurgeReport report;
  asio::co_spawn(ioc, [&]() -> asio::awaitable<void> { report = co_await purger.run(); },
                 [](std::exception_ptr e) {
                   if (e) std::rethrow_exception(e);
                 });
  ioc.run();
  return report;
}

inline std::string summary(const engine::PurgeReport& r) {
  std::string s = "stopped='" + r.stopped + "' passes=" + std::to_string(r.passes);
  for (const auto k : engine::kKinds) {
    const auto& c = r.of(k);
    s += " " + std::string(engine::to_string(k)) + "[listed " + std::to_string(c.listed) +
         " deleted " + std::to_string(c.deleted) + " failed " + std::to_string(c.failed) +
         " skipped " + std::to_string(c.skipped) + "]";
  }
  for (const auto& [code, n] : r.calls.errors_by_code) s += " " + code + "=" + std::to_string(n);
  return s;
}


}  // namespace s3purge::testing
