// An error as a value: the classified code, and beside it what the server said
// (diagnostics are kept apart from the code, as Boost.MySQL does), plus Result<T>.
#pragma once

#include <cassert>
#include <string>
#include <system_error>
#include <utility>
#include <variant>

#include "protocol/errc.hpp"

namespace s3purge::protocol {

struct Error {
  std::error_code code;     // s3_errc or client_errc: what callers branch on
  int http_status = 0;      // 0 when no HTTP answer was involved
  std::string s3_code;      // the raw <Code> string, e.g. "SlowDown"
  std::string message;      // the server's <Message>, or our own explanation
  std::string request_id;   // x-amz-request-id / <RequestId>
  std::string host_id;      // x-amz-id-2 / <HostId>
  std::string region;       // the region S3 names on region errors
  std::string endpoint;     // <Endpoint> of a PermanentRedirect
  int retry_after_s = 0;    // Retry-After in seconds; 0 when the server named none

  Error() = default;
  Error(std::error_code c, std::string msg) : code(c), message(std::move(msg)) {}

  // One line for people: code, status, message, region hint and the request ids.
  std::string describe() const;
};

// A value or an Error. Expected outcomes (a 503, a per-key failure, a truncated body) are
// returned this way; exceptions are kept for the unexpected.
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}      // NOLINT(google-explicit-constructor)

  bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & { assert(has_value()); return std::get<0>(v_); }
  const T& value() const& { assert(has_value()); return std::get<0>(v_); }
  T&& value() && { assert(has_value()); return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const& { assert(!has_value()); return std::get<1>(v_); }
  Error&& error() && { assert(!has_value()); return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

// For operations whose success carries nothing.
struct Ok {};

}  // namespace s3purge::protocol

// Assigns the value of a Result expression to `lhs`, or returns its error from the caller.
#define S3PURGE_TRY_ASSIGN(lhs, expr)                     \
  do {                                                    \
    auto s3purge_try_result = (expr);                     \
    if (!s3purge_try_result) {                            \
      return std::move(s3purge_try_result).error();       \
    }                                                     \
    lhs = std::move(s3purge_try_result).value();          \
  } while (0)
