// What every request of a run goes through: the signer, the rate limiter that deletes and
// aborts share, the backoff, the retry policy (S3Call), the connection pool and the call
// counters. One per run, shared by the purger and the one-off bucket calls.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <string>

#include "engine/backoff.hpp"
#include "engine/call_settings.hpp"
#include "engine/connection_pool.hpp"
#include "engine/credential_source.hpp"
#include "engine/purge_options.hpp"
#include "engine/rate_limiter.hpp"
#include "engine/s3_call.hpp"
#include "engine/stop_signal.hpp"
#include "protocol/credentials.hpp"
#include "protocol/request_context.hpp"
#include "protocol/sigv4.hpp"

namespace boost::asio::ssl {
class context;
}

namespace s3purge::engine {

class S3Client {
 public:
  // Uses bucket, address, request_options, connection, retry, the rate settings and the
  // credential source of `options` (without one, `credentials`); counts calls into `counters`. `tls` may be null for plain http. The pool
  // keeps as many idle connections as the run can have busy at once.
  S3Client(boost::asio::any_io_executor executor, const PurgeOptions& options,
           protocol::Credentials credentials, std::string region, boost::asio::ssl::context* tls,
           CallCounters& counters);

  boost::asio::any_io_executor executor() const { return executor_; }
  const protocol::RequestContext& ctx() const { return ctx_; }
  RateLimiter& limiter() { return limiter_; }
  Backoff& backoff() { return backoff_; }
  const RetryOptions& retry() const { return retry_; }
  ConnectionPool& pool() { return pool_; }
  // Ends the client's waits (backoff, tokens) when the run stops.
  StopSignal& stop_signal() { return stop_; }

  // A connection for as long as the lease is held, and calls on it.
  ConnectionPool::Lease connection() { return pool_.take(); }
  S3Call call_on(HttpConnection& connection);

  // One request on a connection of the pool, retried as S3Call does.
  boost::asio::awaitable<protocol::Result<protocol::Ok>> call(
      const char* operation, protocol::HttpRequest& request, protocol::HttpResponse& response,
      Resend resend = Resend::safe, BodyCheck check = {});

  // Waits `d`, or less if the run stops; false then.
  boost::asio::awaitable<bool> sleep(std::chrono::milliseconds d);

 private:
  boost::asio::any_io_executor executor_;
  SigningKeys keys_;
  protocol::RequestContext ctx_;
  RetryOptions retry_;
  Backoff backoff_;
  RateLimiter limiter_;
  StopSignal stop_;
  ConnectionPool pool_;
  CallCounters& counters_;
  protocol::PayloadSigning payload_;
  std::string endpoint_name_;
};

}  // namespace s3purge::engine
