// What a failure below HTTP means for the run: retry the request on a fresh connection
// (reset, EOF, timeout, truncated TLS), or stop with a clear message (no such host,
// certificate not trusted or not for this host, refused after every retry).
#pragma once

#include <cstddef>
#include <string>
#include <system_error>

#include <boost/system/error_code.hpp>

namespace s3purge::engine {

// too_large: an answer over ConnectionOptions::max_response_bytes, refused unread; asking
// again would get the same answer.
enum class TransportClass { retryable, fatal, too_large };

// Where an exchange failed: opening the connection (resolve, TCP), its TLS handshake, or
// the request and its answer.
enum class ConnectionStage { connect, handshake, request };

// Failures that only this client can tell, from the bytes it got.
enum class transport_errc {
  // A plain-HTTP request was answered with a TLS record (an alert or a handshake): the
  // endpoint speaks HTTPS.
  tls_answer = 1,
};
const boost::system::error_category& transport_category();
inline boost::system::error_code make_error_code(transport_errc e) {
  return {static_cast<int>(e), transport_category()};
}
// Whether the first bytes of an answer are a TLS record's header (content type alert or
// handshake, version 3.x): what a TLS endpoint sends to a plain-HTTP request.
bool looks_like_tls_record(const unsigned char* bytes, std::size_t n);

TransportClass classify_transport_error(const boost::system::error_code& ec);

// One line for people, e.g. "TLS certificate verify failed for cwobject.com:443".
std::string describe_transport_error(const boost::system::error_code& ec, const std::string& where);

// What the user can do about a failure before the endpoint ever answered, e.g. "if the
// endpoint serves plain HTTP, write it http://..."; empty where there is nothing to say.
// `tls`: the connection is HTTPS.
std::string transport_hint(const boost::system::error_code& ec, ConnectionStage stage, bool tls);

}  // namespace s3purge::engine

template <>
struct boost::system::is_error_code_enum<s3purge::engine::transport_errc> : std::true_type {};
