#include "engine/bucket_client.hpp"

#include <algorithm>
#include <optional>

#include "engine/backoff.hpp"
#include "engine/http_connection.hpp"
#include "engine/rate_limiter.hpp"
#include "engine/s3_call.hpp"
#include "protocol/bucket_requests.hpp"
#include "protocol/list_requests.hpp"
#include "protocol/list_responses.hpp"

namespace s3purge::engine {

namespace asio = boost::asio;
using protocol::Error;
using protocol::HttpRequest;
using protocol::Result;

struct BucketClient::Impl {
  protocol::Signer signer;
  protocol::RequestContext ctx;
  RetryOptions retry;
  Backoff backoff;
  RateLimiter limiter;  // no ceiling: these are a handful of requests
  HttpConnection connection;
  CallCounters counters;
  protocol::PayloadSigning payload;
  std::string endpoint_name;
  protocol::HttpResponse response;

  Impl(asio::any_io_executor ex, const PurgeOptions& o, protocol::Credentials creds,
       std::string region, asio::ssl::context* tls)
      : signer(std::move(creds), std::move(region)),
        ctx{o.bucket, o.address, o.request_options},
        retry(o.retry),
        backoff(o.retry.backoff),
        limiter(ex, 0, 0),
        connection(ex, connection_options(o), tls),
        payload(o.address.https ? protocol::PayloadSigning::unsigned_payload
                                : protocol::PayloadSigning::sha256),
        endpoint_name(o.address.connect_host + ":" + std::to_string(o.address.port)) {}

  static ConnectionOptions connection_options(const PurgeOptions& o) {
    ConnectionOptions c = o.connection;
    c.host = o.address.connect_host;
    c.port = o.address.port;
    c.https = o.address.https;
    return c;
  }

  asio::awaitable<Result<protocol::Ok>> call(const char* operation, HttpRequest req) {
    S3Call send(connection, signer, limiter, backoff, retry, payload, counters, endpoint_name);
    co_return co_await send(operation, req, response);
  }

  // One request and its answer parsed. With `not_configured`, that error code means
  // "no such document": the empty T.
  template <typename T, typename Parse>
  asio::awaitable<Result<T>> fetch(const char* operation, HttpRequest req, Parse parse,
                                   std::optional<protocol::s3_errc> not_configured = std::nullopt) {
    auto r = co_await call(operation, std::move(req));
    if (!r) {
      if (not_configured && r.error().code == *not_configured) co_return T{};
      co_return std::move(r).error();
    }
    co_return parse(response.body);
  }

  // Listing parameters for one page of `prefix` split at '/'.
  template <typename Params>
  static Params delimited(const std::string& prefix, int max_keys) {
    Params p;
    p.prefix = prefix;
    p.delimiter = "/";
    p.max_keys = max_keys;
    return p;
  }
};

BucketClient::BucketClient(asio::any_io_executor executor, const PurgeOptions& options,
                           protocol::Credentials credentials, std::string region,
                           asio::ssl::context* tls)
    : impl_(std::make_unique<Impl>(executor, options, std::move(credentials), std::move(region), tls)) {}

BucketClient::~BucketClient() = default;

asio::awaitable<Result<protocol::BucketVersioning>> BucketClient::versioning() {
  return impl_->fetch<protocol::BucketVersioning>(
      "GetBucketVersioning", protocol::build_get_bucket_versioning(impl_->ctx),
      protocol::parse_bucket_versioning);
}

asio::awaitable<Result<protocol::ObjectLockConfiguration>> BucketClient::object_lock() {
  return impl_->fetch<protocol::ObjectLockConfiguration>(
      "GetObjectLockConfiguration", protocol::build_get_object_lock_configuration(impl_->ctx),
      protocol::parse_object_lock_configuration,
      protocol::s3_errc::object_lock_configuration_not_found);
}

asio::awaitable<Result<protocol::LifecycleConfiguration>> BucketClient::lifecycle() {
  return impl_->fetch<protocol::LifecycleConfiguration>(
      "GetBucketLifecycleConfiguration", protocol::build_get_bucket_lifecycle(impl_->ctx),
      protocol::parse_lifecycle_configuration, protocol::s3_errc::no_such_lifecycle_configuration);
}

asio::awaitable<Result<protocol::ReplicationConfiguration>> BucketClient::replication() {
  return impl_->fetch<protocol::ReplicationConfiguration>(
      "GetBucketReplication", protocol::build_get_bucket_replication(impl_->ctx),
      protocol::parse_replication_configuration,
      protocol::s3_errc::replication_configuration_not_found);
}

asio::awaitable<Result<protocol::Ok>> BucketClient::put_lifecycle(
    const protocol::LifecycleConfiguration& config) {
  auto xml = protocol::write_lifecycle_configuration(config);
  if (!xml) co_return std::move(xml).error();
  co_return co_await impl_->call("PutBucketLifecycleConfiguration",
                                 protocol::build_put_bucket_lifecycle(impl_->ctx, *xml));
}

asio::awaitable<Result<protocol::Ok>> BucketClient::delete_lifecycle() {
  return impl_->call("DeleteBucketLifecycle", protocol::build_delete_bucket_lifecycle(impl_->ctx));
}

asio::awaitable<Result<PrefixMatches>> BucketClient::prefix_matches(const std::string& prefix,
                                                                    bool versioned, int limit) {
  // With delimiter '/', "logs" lists "logs/" as one common prefix and each sibling folder
  // or key once: limit + 1 names are enough to find `limit` siblings.
  std::vector<std::string> names;
  bool truncated = false;
  auto collect = [&](auto& page, auto& entries) {
    for (auto& e : entries) {
      if (names.empty() || names.back() != e.key) names.push_back(std::move(e.key));
    }
    for (auto& c : page.common_prefixes) names.push_back(std::move(c));
    truncated = page.is_truncated;
  };
  if (versioned) {
    auto page = co_await impl_->fetch<protocol::ListVersionsPage>(
        "ListObjectVersions",
        protocol::build_list_object_versions(
            impl_->ctx, Impl::delimited<protocol::ListObjectVersionsParams>(prefix, limit + 1)),
        protocol::parse_list_object_versions);
    if (!page) co_return std::move(page).error();
    collect(*page, page->entries);
  } else {
    auto page = co_await impl_->fetch<protocol::ListObjectsV2Page>(
        "ListObjectsV2",
        protocol::build_list_objects_v2(
            impl_->ctx, Impl::delimited<protocol::ListObjectsV2Params>(prefix, limit + 1)),
        protocol::parse_list_objects_v2);
    if (!page) co_return std::move(page).error();
    collect(*page, page->objects);
  }
  std::sort(names.begin(), names.end());
  PrefixMatches out;
  for (auto& n : names) {
    if (n == prefix + "/" || !n.starts_with(prefix)) continue;
    if (static_cast<int>(out.siblings.size()) == limit) {
      out.more = true;
      break;
    }
    out.siblings.push_back(std::move(n));
  }
  out.more = out.more || truncated;
  co_return out;
}

}  // namespace s3purge::engine
