// How hard a request is retried, whether it may be sent again, and what the calls of a run
// counted: the settings and counters of S3Call, kept apart from the HTTP layer so that
// options and reports need not include it.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include "engine/backoff.hpp"
#include "engine/latency_histogram.hpp"

namespace s3purge::engine {

struct RetryOptions {
  // Throttles are the normal answer of an S3 partition that is still scaling up: allow
  // many, each paced by the limiter and a jittered backoff.
  unsigned throttle_retries = 30;
  // 5xx, resets, timeouts: a few are normal on millions of requests; many mean trouble.
  unsigned transient_retries = 10;
  // Before the endpoint ever answered, a refused or timed-out connection, a failed TLS
  // handshake or no answer at all is most likely a wrong endpoint, not a blip: a few
  // retries, each said on the terminal.
  unsigned first_contact_retries = 2;
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
  std::uint64_t answers = 0;  // HTTP answers received, whatever their status
  std::uint64_t credential_renewals = 0;  // requests refused for an expired token, renewed and sent again
  std::uint64_t throttle_retries = 0;
  std::uint64_t transient_retries = 0;
  std::map<std::string, std::uint64_t> errors_by_code;  // every error answer seen, retried or not
  std::map<std::string, LatencyHistogram> latency;      // per operation, every attempt
};

}  // namespace s3purge::engine
