// One S3 request, signed and sent over a connection, retried while that is worth it:
// throttles (503 SlowDown, a SlowDown body in a 200) and transient failures (500s, resets,
// timeouts, truncated answers) each have their own budget; throttles also slow the shared
// rate limiter down and honour Retry-After. Permanent and fatal errors come back at once.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "engine/backoff.hpp"
#include "engine/call_settings.hpp"
#include "engine/credential_source.hpp"
#include "engine/http_connection.hpp"
#include "engine/latency_histogram.hpp"
#include "engine/rate_limiter.hpp"
#include "protocol/error.hpp"
#include "protocol/sigv4.hpp"

namespace s3purge::engine {

class StopSignal;

// Reads a 200's body into the caller's result. An answer it cannot read is an error like a
// 500: retried when it is retryable (a truncated or malformed answer), within the same
// budget; with Resend::only_if_not_carried_out it is outcome_unknown instead.
using BodyCheck = std::function<protocol::Result<protocol::Ok>(protocol::HttpResponse&)>;

class S3Call {
 public:
  S3Call(HttpConnection& connection, SigningKeys& keys, RateLimiter& limiter,
         Backoff& backoff, const RetryOptions& retry, protocol::PayloadSigning payload,
         CallCounters& counters, std::string endpoint_name, StopSignal* stop = nullptr);

  // Sends `request` (signed afresh on every attempt) until it succeeds or must not be
  // retried; the answer is in `response`. A token refused as expired (ExpiredToken,
  // InvalidToken, TokenRefreshRequired) renews renewable credentials once and sends the
  // request again, whatever `resend` says: a refused request was not carried out. Transport failures that cannot be retried, or
  // that outlast the budget, come back as client_errc::connection_failed. With
  // Resend::only_if_not_carried_out, only answers that prove the request was not carried
  // out (a throttle, a connection that failed before the request went out) are retried;
  // the others come back as client_errc::outcome_unknown. A stop while it waits to retry
  // ends it with client_errc::stopped.
  // `operation` names it in the latency histograms ("DeleteObjects").
  boost::asio::awaitable<protocol::Result<protocol::Ok>> operator()(
      const char* operation, protocol::HttpRequest& request, protocol::HttpResponse& response,
      Resend resend = Resend::safe, BodyCheck check = {});

  // The key range (engine/lane_pacer) the next requests' keys come from, and how many
  // they carry: their throttles slow that range. 0: none, the run's rate.
  void pace_lane(std::uint64_t lane, std::uint64_t keys = 1000) { lane_ = lane, lane_keys_ = keys; }
  // Whether its requests draw on the rate limiter (deletions, aborts): only then do their
  // throttles slow it. A throttled list or check waits and is sent again, and the rate of
  // deletion, which it did not use, stays.
  void paced(bool on) { paced_ = on; }
  // When the last attempt of the last call was sent (its answer tells of the rate then).
  std::chrono::steady_clock::time_point last_sent() const { return last_sent_; }
  // Requests the last call sent: 1, and one more for each retry.
  unsigned last_attempts() const { return attempts_; }

 private:
  HttpConnection& connection_;
  SigningKeys& keys_;
  RateLimiter& limiter_;
  Backoff& backoff_;
  const RetryOptions& retry_;
  protocol::PayloadSigning payload_;
  CallCounters& counters_;
  std::string endpoint_name_;
  StopSignal* stop_;  // ends the waits before retries; none: they always last
  std::uint64_t lane_ = 0;
  std::uint64_t lane_keys_ = 1000;
  bool paced_ = false;
  std::chrono::steady_clock::time_point last_sent_{};
  unsigned attempts_ = 0;
};

}  // namespace s3purge::engine
