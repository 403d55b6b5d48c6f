// The connections of a run to its endpoint. A coroutine takes one for as long as it needs
// it (a deleter for the run, a check for one request) and the lease gives it back; a
// connection still open waits for the next taker, so one-off requests (the folder probe,
// verification listings, DeleteBucket, HeadBucket) reuse a connection that has done its
// TCP and TLS handshakes instead of opening one each; a new connection resumes the TLS
// session of the last (TlsSessionCache). At most `max_idle` are kept; one closed by an
// error is dropped. One thread.
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/connection_options.hpp"
#include "engine/http_connection.hpp"
#include "engine/tls_session_cache.hpp"

namespace boost::asio::ssl {
class context;
}

namespace s3purge::engine {

class ConnectionPool {
 public:
  ConnectionPool(boost::asio::any_io_executor executor, ConnectionOptions options,
                 boost::asio::ssl::context* tls, std::size_t max_idle);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    HttpConnection& operator*() const { return *connection_; }
    HttpConnection* operator->() const { return connection_.get(); }

   private:
    friend class ConnectionPool;
    Lease(ConnectionPool* pool, std::unique_ptr<HttpConnection> c);
    ConnectionPool* pool_;
    std::unique_ptr<HttpConnection> connection_;
  };

  // The most recently returned open connection, or a new one (it connects on first use).
  // Leases must end before the pool does.
  Lease take();

  std::size_t idle() const { return idle_.size(); }
  std::uint64_t created() const { return created_; }  // connections made, kept or not
  std::uint64_t reused() const { return reused_; }    // leases served by a kept one
  std::uint64_t tls_resumed() const { return sessions_.resumed(); }  // handshakes resumed

 private:
  void give_back(std::unique_ptr<HttpConnection> c);

  boost::asio::any_io_executor executor_;
  TlsSessionCache sessions_;  // before options_, which points at it
  ConnectionOptions options_;
  boost::asio::ssl::context* tls_;
  std::size_t max_idle_;
  std::vector<std::unique_ptr<HttpConnection>> idle_;  // the last returned at the back
  std::uint64_t created_ = 0;
  std::uint64_t reused_ = 0;
};

}  // namespace s3purge::engine
