// One HTTP/1.1 keep-alive connection, plain or TLS (SNI, hostname verification), with a
// deadline on resolve, connect, handshake, write and read. One coroutine owns it. Beast
// stays out of this header: it is compiled once, in http_connection.cpp.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "engine/connection_options.hpp"
#include "engine/transport_error.hpp"
#include "protocol/http_message.hpp"

namespace boost::asio::ssl {
class context;
}

namespace s3purge::engine {


class HttpConnection {
 public:
  HttpConnection(boost::asio::any_io_executor executor, ConnectionOptions options,
                 boost::asio::ssl::context* tls);
  ~HttpConnection();
  HttpConnection(HttpConnection&&) noexcept;
  HttpConnection& operator=(HttpConnection&&) noexcept;

  // Sends `request` and reads the answer into `response`, reusing its body's capacity, or
  // for a large answer that does not fit it a buffer of the thread's BodyPool.
  // Connects first when needed. If a kept-alive connection turns out closed by the peer
  // before it answered (it may close after N requests), the request is sent once more on
  // a new connection. On a transport error the connection is closed and the error
  // returned; the caller decides whether to retry. With `resend_stale` false, a request
  // is never sent twice, not even then (the peer may have read it before closing).
  boost::asio::awaitable<boost::system::error_code> exchange(const protocol::HttpRequest& request,
                                                             protocol::HttpResponse& response,
                                                             bool resend_stale = true);
  // Whether any of the last exchange's request was written: if not, it was not carried out.
  bool request_went_out() const;
  // Where the last exchange failed.
  ConnectionStage failed_in() const;
  bool is_tls() const;
  // Connected, and not closed since: worth keeping for the next request.
  bool is_open() const;
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace s3purge::engine
