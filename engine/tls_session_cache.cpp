#include "engine/tls_session_cache.hpp"

#include <openssl/ssl.h>

namespace s3purge::engine {

namespace {

// The SSL ex_data slot that points a connection at its cache.
int cache_index() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

// OpenSSL's new-session callback: 1 keeps the reference it hands over.
int on_new_session(SSL* ssl, SSL_SESSION* session) {
  auto* cache = static_cast<TlsSessionCache*>(SSL_get_ex_data(ssl, cache_index()));
  if (!cache) return 0;
  cache->store(session);
  return 1;
}

}  // namespace

TlsSessionCache::~TlsSessionCache() {
  if (latest_) SSL_SESSION_free(latest_);
}

void TlsSessionCache::enable(SSL_CTX* context) {
  SSL_CTX_set_session_cache_mode(context, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
  SSL_CTX_sess_set_new_cb(context, on_new_session);
}

void TlsSessionCache::attach(SSL* ssl) {
  SSL_set_ex_data(ssl, cache_index(), this);
  if (latest_) SSL_set_session(ssl, latest_);
}

void TlsSessionCache::handshake_done(SSL* ssl) {
  if (SSL_session_reused(ssl)) ++resumed_;
}

void TlsSessionCache::store(SSL_SESSION* session) {
  if (latest_) SSL_SESSION_free(latest_);
  latest_ = session;
}

}  // namespace s3purge::engine
