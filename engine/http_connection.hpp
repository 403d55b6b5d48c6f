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

#include "protocol/http_message.hpp"

namespace boost::asio::ssl {
class context;
}

namespace s3purge::engine {

struct ConnectionOptions {
  std::string host;       // resolved, and over TLS sent as SNI and verified
  std::uint16_t port = 0;
  // Connect to this address instead of resolving `host` (curl's --connect-to); TLS still
  // checks the certificate against `host`. For a virtual-hosted emulator on 127.0.0.1.
  std::string connect_address;
  bool https = true;
  // Resolve, connect and TLS handshake each get this long: a healthy endpoint answers in
  // milliseconds; 10 s tells a dead one from a slow one without stalling the run.
  std::chrono::milliseconds connect_timeout{10'000};
  // Writing a request and reading its answer each get this long (--timeout). A 1000-key
  // DeleteObjects on a loaded S3 partition can take seconds; 60 s leaves room for that.
  std::chrono::milliseconds request_timeout{60'000};
  // Answers larger than this are refused, so that no answer can make a lister hold more:
  // a page of 1000 versions whose 1024-byte keys are all percent-encoded is ~3.5 MB.
  std::uint64_t max_response_bytes = 8ull << 20;
};

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
  void close();


 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace s3purge::engine
