#include "engine/transport_error.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

namespace s3purge::engine {

namespace asio = boost::asio;
namespace beast = boost::beast;

TransportClass classify_transport_error(const boost::system::error_code& ec) {
  if (ec == beast::http::error::body_limit) return TransportClass::too_large;
  // Name resolution that fails is a wrong endpoint, not a blip.
  if (ec == asio::error::host_not_found || ec == asio::error::host_not_found_try_again ||
      ec == asio::error::no_data || ec == asio::error::no_recovery) {
    return TransportClass::fatal;
  }
  // A certificate we do not trust, or not for this host: retrying cannot help.
  if (ec.category() == asio::error::get_ssl_category()) {
    const auto reason = ERR_GET_REASON(static_cast<unsigned long>(ec.value()));
    if (reason == SSL_R_CERTIFICATE_VERIFY_FAILED || reason == SSL_R_WRONG_VERSION_NUMBER ||
        reason == SSL_R_UNSUPPORTED_PROTOCOL || reason == SSL_R_NO_PROTOCOLS_AVAILABLE) {
      return TransportClass::fatal;
    }
  }
  return TransportClass::retryable;  // reset, EOF, timeout, refused, truncated, bad answer
}

std::string describe_transport_error(const boost::system::error_code& ec, const std::string& where) {
  std::string what = ec.message();
  if (ec == beast::error::timeout) what = "timed out";
  if (ec == asio::ssl::error::stream_truncated) what = "TLS stream truncated";
  if (ec.category() == asio::error::get_ssl_category() &&
      ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == SSL_R_CERTIFICATE_VERIFY_FAILED) {
    what = "TLS certificate verify failed (untrusted, expired, or not issued for this host; "
           "see --ca-bundle)";
  }
  if (ec == asio::ssl::error::stream_truncated) what = "TLS stream truncated";
  if (ec == asio::error::host_not_found || ec == asio::error::host_not_found_try_again) {
    what = "host name not found (DNS)";
  }
  if (ec == asio::error::connection_refused) what = "connection refused";
  if (ec == beast::http::error::body_limit) what = "an answer too large to take was refused unread";
  return what + " (" + where + ")";
}

std::string transport_hint(const boost::system::error_code& ec, ConnectionStage stage) {
  switch (stage) {
    case ConnectionStage::connect:
      if (ec == asio::error::connection_refused) {
        return "nothing accepts connections at that address and port: check --endpoint-url";
      }
      if (ec == beast::error::timeout) {
        return "no connection could be opened in time: check --endpoint-url, and that a firewall "
               "lets it through";
      }
      return {};
    case ConnectionStage::handshake:
      return "the TLS handshake failed: if the endpoint serves plain HTTP, write it http://...";
    case ConnectionStage::request:
      if (ec == beast::error::timeout) {
        return "the server took the connection but did not answer within --timeout";
      }
      return {};
  }
  return {};
}

}  // namespace s3purge::engine
