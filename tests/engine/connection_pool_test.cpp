// ConnectionPool against a scripted server on 127.0.0.1: a returned open connection serves
// the next lease without a new TCP connection, closed ones are dropped, at most max_idle
// wait, leases held at once are distinct connections, and TLS sessions are resumed.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <unistd.h>

#include <filesystem>
#include <optional>
#include <vector>

#include "emulator_fixture.hpp"
#include "engine/connection_pool.hpp"
#include "engine/tls_context.hpp"
#include "scripted_server.hpp"

namespace asio = boost::asio;
using s3purge::engine::ConnectionPool;
using s3purge::engine::HttpConnection;
using s3purge::protocol::HttpRequest;
using s3purge::protocol::HttpResponse;
using s3purge::testing::ScriptedServer;

namespace {

HttpRequest get() {
  HttpRequest req;
  req.method = "GET";
  req.host = "127.0.0.1";
  req.path = "/b";
  return req;
}

// Runs `body` to its end, bounded: a hang fails, it does not wait.
template <class Body>
void run(asio::io_context& ioc, Body body) {
  bool done = false;
  asio::co_spawn(ioc, [&]() -> asio::awaitable<void> {
    co_await body();
    done = true;
  }, asio::detached);
  while (!done && ioc.run_one_for(std::chrono::seconds(10)) > 0) {
  }
  EXPECT_TRUE(done);
}

asio::awaitable<bool> exchange(HttpConnection& c) {
  HttpResponse resp;
  const auto ec = co_await c.exchange(get(), resp);
  co_return !ec && resp.status == 200;
}

}  // namespace

TEST(ConnectionPool, AReturnedConnectionServesTheNextLease) {
  asio::io_context ioc;
  ScriptedServer server(ioc);
  ConnectionPool pool(ioc.get_executor(), server.options(), nullptr, 4);
  run(ioc, [&]() -> asio::awaitable<void> {
    const HttpConnection* first = nullptr;
    {
      auto lease = pool.take();
      first = &*lease;
      EXPECT_TRUE(co_await exchange(*lease));
    }
    EXPECT_EQ(pool.idle(), 1u);
    auto again = pool.take();
    EXPECT_EQ(&*again, first);
    EXPECT_TRUE(co_await exchange(*again));
  });
  EXPECT_EQ(server.connections(), 1);
  EXPECT_EQ(server.requests(), 2);
  EXPECT_EQ(pool.created(), 1u);
  EXPECT_EQ(pool.reused(), 1u);
}

TEST(ConnectionPool, ClosedConnectionsAreNotKept) {
  asio::io_context ioc;
  ScriptedServer server(ioc);
  ConnectionPool pool(ioc.get_executor(), server.options(), nullptr, 4);
  { auto unused = pool.take(); }  // never connected
  EXPECT_EQ(pool.idle(), 0u);
  run(ioc, [&]() -> asio::awaitable<void> {
    auto lease = pool.take();
    EXPECT_TRUE(co_await exchange(*lease));
    lease->close();
  });
  EXPECT_EQ(pool.idle(), 0u);
  EXPECT_EQ(pool.created(), 2u);
}

TEST(ConnectionPool, LeasesHeldAtOnceAreDistinctAndAtMostMaxIdleWait) {
  asio::io_context ioc;
  ScriptedServer server(ioc);
  ConnectionPool pool(ioc.get_executor(), server.options(), nullptr, 2);
  run(ioc, [&]() -> asio::awaitable<void> {
    std::vector<ConnectionPool::Lease> leases;
    for (int i = 0; i < 3; ++i) leases.push_back(pool.take());
    EXPECT_NE(&*leases[0], &*leases[1]);
    EXPECT_NE(&*leases[1], &*leases[2]);
    for (auto& l : leases) EXPECT_TRUE(co_await exchange(*l));
  });
  EXPECT_EQ(server.connections(), 3);
  EXPECT_EQ(pool.idle(), 2u);
}

// Over TLS, a connection opened after another has read an answer resumes that one's
// session (s3emu's TLS, a self-signed certificate).
TEST(ConnectionPool, NewConnectionsResumeTheTlsSession) {
  const auto dir = std::filesystem::temp_directory_path() / ("s3purge-resume-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string cert = (dir / "cert.pem").string(), key = (dir / "key.pem").string();
  s3emu::write_self_signed_certificate(cert, key, {"resume-bucket.localhost"});
  s3emu::ServerOptions so;
  so.tls_cert_file = cert;
  so.tls_key_file = key;
  s3purge::testing::Emulator emu("bucket=resume-bucket,objects=1", {}, so);
  auto tls = s3purge::engine::make_tls_context({cert, true});
  ASSERT_TRUE(tls) << tls.error().describe();

  asio::io_context ioc;
  s3purge::engine::ConnectionOptions o;
  o.host = "localhost";
  o.connect_address = "127.0.0.1";
  o.port = emu.port();
  o.https = true;
  ConnectionPool pool(ioc.get_executor(), o, tls->get(), 4);
  run(ioc, [&]() -> asio::awaitable<void> {
    auto first = pool.take();
    HttpResponse resp;
    auto req = get();
    req.host = "localhost";
    EXPECT_FALSE(co_await first->exchange(req, resp));  // an answer, whatever its status
    auto second = pool.take();
    EXPECT_FALSE(co_await second->exchange(req, resp));
  });
  EXPECT_EQ(pool.created(), 2u);
  EXPECT_EQ(pool.tls_resumed(), 1u);
  std::filesystem::remove_all(dir);
}
