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

TransportClass classify_transport_error(const boost::system::error_code& ec);

// One line for people, e.g. "TLS certificate verify failed for cwobject.com:443".
std::string describe_transport_error(const boost::system::error_code& ec, const std::string& where);

}  // namespace s3purge::engine
