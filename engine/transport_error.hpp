// What a failure below HTTP means for the run: retry the request on a fresh connection
// (reset, EOF, timeout, truncated TLS), or stop with a clear message (no such host,
// certificate not trusted or not for this host, refused after every retry).
#pragma once

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

TransportClass classify_transport_error(const boost::system::error_code& ec);

// One line for people, e.g. "TLS certificate verify failed for cwobject.com:443".
std::string describe_transport_error(const boost::system::error_code& ec, const std::string& where);

// What the user can do about a failure before the endpoint ever answered, e.g. "if the
// endpoint serves plain HTTP, write it http://..."; empty where there is nothing to say.
std::string transport_hint(const boost::system::error_code& ec, ConnectionStage stage);

}  // namespace s3purge::engine
