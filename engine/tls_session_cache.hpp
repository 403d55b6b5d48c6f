// TLS session resumption for the connections of one endpoint. The server's latest session
// (a TLS 1.3 ticket, or a TLS 1.2 session) is kept, and each new connection offers it: a
// resumed handshake skips the certificate exchange and its verification, a round trip and
// most of the handshake's CPU. One thread; the connection pool owns one.
#pragma once

#include <cstdint>

struct ssl_st;
struct ssl_ctx_st;
struct ssl_session_st;

namespace s3purge::engine {

class TlsSessionCache {
 public:
  TlsSessionCache() = default;
  TlsSessionCache(const TlsSessionCache&) = delete;
  TlsSessionCache& operator=(const TlsSessionCache&) = delete;
  ~TlsSessionCache();

  // Lets the context's connections hand new sessions to the cache they are attached to
  // (make_tls_context calls it).
  static void enable(ssl_ctx_st* context);

  // Before a handshake: offer the latest session, and keep the ones the server sends.
  void attach(ssl_st* ssl);
  // After a handshake: count it if the server resumed the session.
  void handshake_done(ssl_st* ssl);

  // A session the server sent: it replaces the one kept (the reference is taken over).
  void store(ssl_session_st* session);

  std::uint64_t resumed() const { return resumed_; }

 private:
  ssl_session_st* latest_ = nullptr;
  std::uint64_t resumed_ = 0;
};

}  // namespace s3purge::engine
