#include "engine/s3_client.hpp"

#include <algorithm>

#include "engine/lister_growth.hpp"

namespace s3purge::engine {

namespace asio = boost::asio;

namespace {

ConnectionOptions connection_options(const PurgeOptions& o) {
  ConnectionOptions c = o.connection;
  c.host = o.address.connect_host;
  c.port = o.address.port;
  c.https = o.address.https;
  return c;
}

// Deleters, listers at their most, aborters, and a few one-off requests.
std::size_t most_connections(const PurgeOptions& o) {
  return static_cast<std::size_t>(std::max(o.concurrency, 0) + std::max(o.abort_concurrency, 0)) +
         static_cast<std::size_t>(kMaxListers) + 4;
}

// A key range's own rate goes lower than the run's floor: S3 serves a partition about
// 3,500 writes/s, and the lanes a run lists inside one hot partition share that.
std::optional<AdaptiveOptions> lane_options(const PurgeOptions& options) {
  if (!options.pace_ranges) return std::nullopt;
  AdaptiveOptions o = options.adaptive;
  o.floor /= 20;  // 1000/s: 50/s
  return o;
}

}  // namespace

S3Client::S3Client(asio::any_io_executor executor, const PurgeOptions& options,
                   protocol::Credentials credentials, std::string region, asio::ssl::context* tls,
                   CallCounters& counters)
    : executor_(executor),
      keys_(options.credentials ? options.credentials : CredentialSource::fixed(std::move(credentials)),
            std::move(region)),
      ctx_{options.bucket, options.address, options.request_options},
      retry_(options.retry),
      backoff_(options.retry.backoff),
      limiter_(executor, options.rate, options.burst, options.adaptive, lane_options(options)),
      pool_(executor, connection_options(options), tls, most_connections(options)),
      counters_(counters),
      // Over https the body is protected by TLS and checked by Content-MD5; over plain
      // http only signing its SHA-256 protects it.
      payload_(options.address.https ? protocol::PayloadSigning::unsigned_payload
                                     : protocol::PayloadSigning::sha256),
      endpoint_name_(options.address.connect_host + ":" + std::to_string(options.address.port)) {}

S3Call S3Client::call_on(HttpConnection& connection) {
  return S3Call(connection, keys_, limiter_, backoff_, retry_, payload_, counters_, endpoint_name_, &stop_);
}

asio::awaitable<protocol::Result<protocol::Ok>> S3Client::call(const char* operation,
                                                               protocol::HttpRequest& request,
                                                               protocol::HttpResponse& response,
                                                               Resend resend, BodyCheck check) {
  auto lease = connection();
  S3Call send = call_on(*lease);
  co_return co_await send(operation, request, response, resend, std::move(check));
}

asio::awaitable<bool> S3Client::sleep(std::chrono::milliseconds d) {
  co_return co_await stop_.sleep(executor_, d);
}

}  // namespace s3purge::engine
