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

namespace {

// Boost.System's categories have a protected destructor that is not virtual, by design.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
class TransportCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "s3purge.transport"; }
  std::string message(int) const override { return "a TLS answer to a plain-HTTP request"; }
};
#pragma GCC diagnostic pop

// The SSL reasons of a handshake with a peer that does not speak TLS (it answered with
// plain HTTP, or nothing TLS can read).
bool peer_speaks_no_tls(const boost::system::error_code& ec) {
  if (ec.category() != asio::error::get_ssl_category()) return false;
  const auto reason = ERR_GET_REASON(static_cast<unsigned long>(ec.value()));
  return reason == SSL_R_WRONG_VERSION_NUMBER || reason == SSL_R_HTTP_REQUEST || reason == SSL_R_HTTPS_PROXY_REQUEST ||
         reason == SSL_R_PACKET_LENGTH_TOO_LONG || reason == SSL_R_UNEXPECTED_RECORD ||
         reason == SSL_R_RECORD_LENGTH_MISMATCH;
}

bool certificate_refused(const boost::system::error_code& ec) {
  return ec.category() == asio::error::get_ssl_category() &&
         ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == SSL_R_CERTIFICATE_VERIFY_FAILED;
}

}  // namespace

const boost::system::error_category& transport_category() {
  static const TransportCategory category;
  return category;
}

bool looks_like_tls_record(const unsigned char* bytes, std::size_t n) {
  return n >= 3 && (bytes[0] == 0x15 || bytes[0] == 0x16) && bytes[1] == 0x03 && bytes[2] <= 0x04;
}

TransportClass classify_transport_error(const boost::system::error_code& ec) {
  if (ec == beast::http::error::body_limit) return TransportClass::too_large;
  if (ec == transport_errc::tls_answer) return TransportClass::fatal;
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
  if (certificate_refused(ec)) {
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

std::string transport_hint(const boost::system::error_code& ec, ConnectionStage stage, bool tls) {
  if (ec == transport_errc::tls_answer) return "the endpoint speaks HTTPS: write it https://...";
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
      // A certificate not trusted says nothing of plain HTTP: describe_transport_error
      // names --ca-bundle for it.
      if (peer_speaks_no_tls(ec)) return "the endpoint does not speak TLS: if it serves plain HTTP, write it http://...";
      if (certificate_refused(ec)) return {};
      return "the TLS handshake failed: if the endpoint serves plain HTTP, write it http://...";
    case ConnectionStage::request:
      if (ec == beast::error::timeout) {
        return "the server took the connection but did not answer within --timeout";
      }
      if (!tls && (ec == beast::http::error::end_of_stream || ec == asio::error::eof ||
                   ec == asio::error::connection_reset)) {
        return "the server closed the connection without an answer: if the endpoint speaks HTTPS, write it "
               "https://...";
      }
      return {};
  }
  return {};
}

}  // namespace s3purge::engine
