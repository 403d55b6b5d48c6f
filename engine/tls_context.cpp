#include "engine/tls_context.hpp"

#include <boost/asio/ssl/context.hpp>

#include "engine/tls_session_cache.hpp"

namespace s3purge::engine {

namespace ssl = boost::asio::ssl;

protocol::Result<std::shared_ptr<ssl::context>> make_tls_context(const TlsOptions& o) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  boost::system::error_code ec;
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                   ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1,
                   ec);
  TlsSessionCache::enable(ctx->native_handle());
  if (!o.verify) {
    ctx->set_verify_mode(ssl::verify_none, ec);
    return ctx;
  }
  ctx->set_verify_mode(ssl::verify_peer, ec);
  if (o.ca_bundle.empty()) {
    ctx->set_default_verify_paths(ec);
  } else {
    ctx->load_verify_file(o.ca_bundle, ec);
  }
  if (ec) {
    return protocol::Error(protocol::client_errc::invalid_config,
                           "cannot load CA certificates" +
                               (o.ca_bundle.empty() ? std::string(" from the system store")
                                                    : " from " + o.ca_bundle) +
                               ": " + ec.message());
  }
  return ctx;
}

}  // namespace s3purge::engine
