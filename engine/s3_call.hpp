// One S3 request, signed and sent over a connection, retried while that is worth it:
// throttles (503 SlowDown, a SlowDown body in a 200) and transient failures (500s, resets,
// timeouts, truncated answers) each have their own budget; throttles also slow the shared
// rate limiter down and honour Retry-After. Permanent and fatal errors come back at once.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include "engine/backoff.hpp"
#include "engine/http_connection.hpp"
#include "engine/latency_histogram.hpp"
#include "engine/rate_limiter.hpp"
#include "protocol/error.hpp"
#include "protocol/sigv4.hpp"

namespace s3purge::engine {

struct RetryOptions {
  // Throttles are the normal answer of an S3 partition that is still scaling up: allow
  // many, each paced by the limiter and a jittered backoff.
  unsigned throttle_retries = 30;
  // 5xx, resets, timeouts: a few are normal on millions of requests; many mean trouble.
  unsigned transient_retries = 10;
  // A server's Retry-After is obeyed up to this: 20 s is backoff's own ceiling, and one
  // answer of "an hour" must not stall every deleter for an hour.
  std::chrono::milliseconds max_retry_after{20'000};
  // The longest one request is retried, all waits included (--retry-time): past it, what
  // it carried is reported failed with the last error, and the run goes on.
  std::chrono::milliseconds budget{300'000};
  BackoffOptions backoff;
};

// Whether a request may be sent again after an answer that does not prove it was not
// carried out (a lost answer, a 5xx). A DeleteObjects that creates delete markers (keys
// without version ids in a versioned bucket) is not: each resend adds markers.
enum class Resend { safe, only_if_not_carried_out };

struct CallCounters {
  std::uint64_t requests = 0;
  std::uint64_t throttle_retries = 0;
  std::uint64_t transient_retries = 0;
  std::map<std::string, std::uint64_t> errors_by_code;  // every error answer seen, retried or not
  std::map<std::string, LatencyHistogram> latency;      // per operation, every attempt
};

class S3Call {
 public:
  S3Call(HttpConnection& connection, const protocol::Signer& signer, RateLimiter& limiter,
         Backoff& backoff, const RetryOptions& retry, protocol::PayloadSigning payload,
         CallCounters& counters, std::string endpoint_name);

  // Sends `request` (signed afresh on every attempt) until it succeeds or must not be
  // retried; the answer is in `response`. Transport failures that cannot be retried, or
  // that outlast the budget, come back as client_errc::connection_failed. With
  // Resend::only_if_not_carried_out, only answers that prove the request was not carried
  // out (a throttle, a connection that failed before the request went out) are retried;
  // the others come back as client_errc::outcome_unknown.
  // `operation` names it in the latency histograms ("DeleteObjects").
  boost::asio::awaitable<protocol::Result<protocol::Ok>> operator()(
      const char* operation, protocol::HttpRequest& request, protocol::HttpResponse& response,
      Resend resend = Resend::safe);

 private:
  HttpConnection& connection_;
  const protocol::Signer& signer_;
  RateLimiter& limiter_;
  Backoff& backoff_;
  const RetryOptions& retry_;
  protocol::PayloadSigning payload_;
  CallCounters& counters_;
  std::string endpoint_name_;
};

}  // namespace s3purge::engine
