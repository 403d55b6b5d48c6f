// The one TLS client context of a run: TLS 1.2 at least (1.3 preferred by OpenSSL's
// defaults), peer verification against the system store or a CA bundle.
#pragma once

#include <memory>
#include <string>

#include "protocol/error.hpp"

namespace boost::asio::ssl {
class context;
}

namespace s3purge::engine {

struct TlsOptions {
  std::string ca_bundle;  // PEM file; empty: the system store
  bool verify = true;     // --no-verify-ssl turns it off (and says so)
};

protocol::Result<std::shared_ptr<boost::asio::ssl::context>> make_tls_context(const TlsOptions& o);

}  // namespace s3purge::engine
