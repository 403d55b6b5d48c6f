// A plain-HTTP server on 127.0.0.1 for engine tests: it accepts any number of connections
// and answers each request (none has a body) with the next scripted answer, or with an
// empty 200 when the script has run out. It counts connections and requests.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <deque>
#include <memory>
#include <string>

#include "engine/connection_options.hpp"

namespace s3purge::testing {

class ScriptedServer {
 public:
  explicit ScriptedServer(boost::asio::io_context& ioc)
      : acceptor_(ioc, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)) {
    boost::asio::co_spawn(ioc, accept_loop(), boost::asio::detached);
  }

  void script(std::deque<std::string> answers) { answers_ = std::move(answers); }
  int connections() const { return connections_; }
  int requests() const { return requests_; }

  engine::ConnectionOptions options() const {
    engine::ConnectionOptions o;
    o.host = "127.0.0.1";
    o.port = acceptor_.local_endpoint().port();
    o.https = false;
    o.connect_timeout = std::chrono::milliseconds(5000);
    o.request_timeout = std::chrono::milliseconds(5000);
    return o;
  }

  static std::string answer(int status, const std::string& reason, const std::string& body,
                            const std::string& extra_headers = "") {
    return "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n" + extra_headers + "\r\n" + body;
  }
  static std::string s3_error(int status, const std::string& reason, const std::string& code,
                              const std::string& extra_headers = "") {
    return answer(status, reason,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code +
                      "</Code><Message>scripted</Message></Error>",
                  "Content-Type: application/xml\r\n" + extra_headers);
  }

 private:
  boost::asio::awaitable<void> accept_loop() {
    for (;;) {
      auto socket = std::make_shared<boost::asio::ip::tcp::socket>(
          co_await acceptor_.async_accept(boost::asio::use_awaitable));
      ++connections_;
      boost::asio::co_spawn(acceptor_.get_executor(), serve(socket), boost::asio::detached);
    }
  }

  boost::asio::awaitable<void> serve(std::shared_ptr<boost::asio::ip::tcp::socket> socket) {
    boost::asio::streambuf in;
    for (;;) {
      const auto n = co_await boost::asio::async_read_until(*socket, in, "\r\n\r\n", boost::asio::use_awaitable);
      in.consume(n);
      ++requests_;
      std::string next = answer(200, "OK", "");
      if (!answers_.empty()) {
        next = std::move(answers_.front());
        answers_.pop_front();
      }
      co_await boost::asio::async_write(*socket, boost::asio::buffer(next), boost::asio::use_awaitable);
    }
  }

  boost::asio::ip::tcp::acceptor acceptor_;
  std::deque<std::string> answers_;
  int connections_ = 0;
  int requests_ = 0;
};

}  // namespace s3purge::testing
