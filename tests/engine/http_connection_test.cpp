// HttpConnection against a scripted server on 127.0.0.1: bodies sent with Content-Length
// and chunked arrive whole, large ones through the thread's BodyPool, small ones in the
// caller's own buffer.
#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <optional>
#include <string>
#include <vector>

#include "engine/body_pool.hpp"
#include "engine/http_connection.hpp"

namespace asio = boost::asio;
using asio::ip::tcp;
using s3purge::engine::BodyPool;
using s3purge::engine::ConnectionOptions;
using s3purge::engine::HttpConnection;
using s3purge::protocol::HttpRequest;
using s3purge::protocol::HttpResponse;

namespace {

// Bytes that are not all alike, so a misplaced chunk shows.
std::string pattern(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7 + i / 251) % 26);
  return s;
}

std::string with_length(const std::string& body) {
  return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::string chunked(const std::string& body, std::size_t chunk) {
  std::string out = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (std::size_t at = 0; at < body.size(); at += chunk) {
    const std::size_t n = std::min(chunk, body.size() - at);
    char size[32];
    std::snprintf(size, sizeof size, "%zx\r\n", n);
    out += size;
    out.append(body, at, n);
    out += "\r\n";
  }
  return out + "0\r\n\r\n";
}

// Accepts one connection and answers each request (none has a body) with the next answer;
// the requests' heads go to `heads` where given.
asio::awaitable<void> serve(tcp::acceptor& acceptor, std::vector<std::string> answers,
                            std::vector<std::string>* heads = nullptr) {
  auto socket = co_await acceptor.async_accept(asio::use_awaitable);
  asio::streambuf in;
  for (const auto& answer : answers) {
    const auto n = co_await asio::async_read_until(socket, in, "\r\n\r\n", asio::use_awaitable);
    if (heads) heads->emplace_back(static_cast<const char*>(in.data().data()), n);
    in.consume(n);
    co_await asio::async_write(socket, asio::buffer(answer), asio::use_awaitable);
  }
}

struct Exchange {
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
  HttpConnection conn{ioc.get_executor(), options(), nullptr};

  ConnectionOptions options() {
    ConnectionOptions o;
    o.host = "127.0.0.1";
    o.port = acceptor.local_endpoint().port();
    o.https = false;
    o.connect_timeout = std::chrono::milliseconds(5000);
    o.request_timeout = std::chrono::milliseconds(5000);
    return o;
  }

  // Each answer in turn, read into `response` (whose buffer carries over), and handed to
  // `after` before the next.
  std::vector<std::string> heads;  // of the requests the server read
  boost::system::error_code last_error;

  template <class After>
  void run(std::vector<std::string> answers, HttpResponse& response, After after, bool errors_expected = false) {
    const std::size_t count = answers.size();
    asio::co_spawn(ioc, serve(acceptor, std::move(answers), &heads), asio::detached);
    asio::co_spawn(ioc, [&]() -> asio::awaitable<void> {
      HttpRequest req;
      req.method = "GET";
      req.host = "127.0.0.1";
      req.path = "/b";
      for (std::size_t i = 0; i < count; ++i) {
        const auto ec = co_await conn.exchange(req, response);
        last_error = ec;
        if (!errors_expected) {
          EXPECT_FALSE(ec) << ec.message();
        }
        if (ec) co_return;
        after(i);
      }
    }, asio::detached);
    ioc.run_for(std::chrono::seconds(20));  // bounded: a hang fails, it does not wait
  }
};

TEST(HttpConnection, LargeBodiesComeWholeThroughThePool) {
  BodyPool& pool = BodyPool::of_thread();
  while (pool.kept()) pool.take();
  const std::string big = pattern(300 * 1024);
  const std::string other = pattern(200 * 1024).replace(0, 5, "other");
  HttpResponse response;
  const char* given = nullptr;
  int seen = 0;
  Exchange x;
  x.run({with_length(big), with_length(other)}, response, [&](std::size_t i) {
    ++seen;
    EXPECT_EQ(response.status, 200);
    if (i == 0) {
      EXPECT_EQ(response.body, big);
      given = response.body.data();
      pool.give(std::move(response.body));  // as a lister does once the page is parsed
      EXPECT_EQ(pool.kept(), 1u);
    } else {
      EXPECT_EQ(response.body, other);
      EXPECT_EQ(response.body.data(), given);  // read into the buffer given back
      EXPECT_EQ(pool.kept(), 0u);
    }
  });
  EXPECT_EQ(seen, 2);
}

TEST(HttpConnection, ChunkedBodiesComeWhole) {
  const std::string big = pattern(150 * 1024 + 17);
  const std::string small = pattern(1000);
  HttpResponse response;
  std::vector<std::string> got;
  Exchange x;
  x.run({chunked(big, 8000), chunked(small, 7), chunked("", 1)}, response,
        [&](std::size_t) { got.push_back(response.body); });
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0], big);
  EXPECT_EQ(got[1], small);
  EXPECT_EQ(got[2], "");
}

TEST(HttpConnection, SmallBodiesKeepTheCallersBuffer) {
  BodyPool& pool = BodyPool::of_thread();
  while (pool.kept()) pool.take();
  pool.give(std::string(BodyPool::kLarge * 2, 'x'));  // a pooled buffer a small answer must not take
  HttpResponse response;
  response.body.reserve(4096);
  const char* own = response.body.data();
  std::vector<std::string> got;
  Exchange x;
  x.run({with_length("<Error>first</Error>"), with_length("second")}, response, [&](std::size_t) {
    got.push_back(response.body);
    EXPECT_EQ(response.body.data(), own);
  });
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], "<Error>first</Error>");
  EXPECT_EQ(got[1], "second");
  EXPECT_EQ(pool.kept(), 1u);
}

}  // namespace

TEST(HttpConnection, TheUserAgentNamesTheVersion) {
  HttpResponse response;
  Exchange x;
  x.run({with_length("")}, response, [](std::size_t) {});
  ASSERT_EQ(x.heads.size(), 1u);
  EXPECT_NE(x.heads[0].find("User-Agent: s3purge/" S3PURGE_VERSION "\r\n"), std::string::npos) << x.heads[0];
}

TEST(HttpConnection, ATlsRecordAnsweringPlainHttpSaysTheEndpointSpeaksHttps) {
  HttpResponse response;
  Exchange x;
  x.run({std::string("\x15\x03\x01\x00\x02\x02\x46", 7)}, response, [](std::size_t) {}, true);
  EXPECT_EQ(x.last_error, s3purge::engine::transport_errc::tls_answer) << x.last_error.message();
  EXPECT_EQ(s3purge::engine::classify_transport_error(x.last_error), s3purge::engine::TransportClass::fatal);
}
