#include "engine/bucket_client.hpp"

#include <algorithm>
#include <optional>

#include "engine/s3_client.hpp"
#include "protocol/bucket_requests.hpp"
#include "protocol/listing.hpp"

namespace s3purge::engine {

namespace asio = boost::asio;
using protocol::Error;
using protocol::HttpRequest;
using protocol::Result;

struct BucketClient::Impl {
  CallCounters counters;
  S3Client client;

  Impl(asio::any_io_executor ex, const PurgeOptions& o, protocol::Credentials creds,
       std::string region, asio::ssl::context* tls)
      : client(ex, o, std::move(creds), std::move(region), tls, counters) {}

  const protocol::RequestContext& ctx() const { return client.ctx(); }

  asio::awaitable<Result<protocol::Ok>> call(const char* operation, HttpRequest req) {
    protocol::HttpResponse response;
    co_return co_await client.call(operation, req, response);
  }

  // One request and its answer parsed (asked again, like a 500, while a retryable parse
  // error says the answer came damaged). With `not_configured`, that error code means "no
  // such document": the empty T.
  template <typename T, typename Parse>
  asio::awaitable<Result<T>> fetch(const char* operation, HttpRequest req, Parse parse,
                                   std::optional<protocol::s3_errc> not_configured = std::nullopt) {
    protocol::HttpResponse response;
    std::optional<T> out;
    BodyCheck read = [&](protocol::HttpResponse& answer) -> Result<protocol::Ok> {
      auto parsed = parse(answer.body);
      if (!parsed) return std::move(parsed).error();
      out = std::move(*parsed);
      return protocol::Ok{};
    };
    auto r = co_await client.call(operation, req, response, Resend::safe, std::move(read));
    if (!r) {
      if (not_configured && r.error().code == *not_configured) co_return T{};
      co_return std::move(r).error();
    }
    co_return std::move(*out);
  }
};

BucketClient::BucketClient(asio::any_io_executor executor, const PurgeOptions& options,
                           protocol::Credentials credentials, std::string region,
                           asio::ssl::context* tls)
    : impl_(std::make_unique<Impl>(executor, options, std::move(credentials), std::move(region), tls)) {}

BucketClient::~BucketClient() = default;

asio::awaitable<Result<protocol::BucketVersioning>> BucketClient::versioning() {
  return impl_->fetch<protocol::BucketVersioning>(
      "GetBucketVersioning", protocol::build_get_bucket_versioning(impl_->ctx()),
      protocol::parse_bucket_versioning);
}

asio::awaitable<Result<protocol::ObjectLockConfiguration>> BucketClient::object_lock() {
  return impl_->fetch<protocol::ObjectLockConfiguration>(
      "GetObjectLockConfiguration", protocol::build_get_object_lock_configuration(impl_->ctx()),
      protocol::parse_object_lock_configuration,
      protocol::s3_errc::object_lock_configuration_not_found);
}

asio::awaitable<Result<protocol::LifecycleConfiguration>> BucketClient::lifecycle() {
  return impl_->fetch<protocol::LifecycleConfiguration>(
      "GetBucketLifecycleConfiguration", protocol::build_get_bucket_lifecycle(impl_->ctx()),
      protocol::parse_lifecycle_configuration, protocol::s3_errc::no_such_lifecycle_configuration);
}

asio::awaitable<Result<protocol::ReplicationConfiguration>> BucketClient::replication() {
  return impl_->fetch<protocol::ReplicationConfiguration>(
      "GetBucketReplication", protocol::build_get_bucket_replication(impl_->ctx()),
      protocol::parse_replication_configuration,
      protocol::s3_errc::replication_configuration_not_found);
}

asio::awaitable<Result<protocol::Ok>> BucketClient::put_lifecycle(
    const protocol::LifecycleConfiguration& config) {
  auto xml = protocol::write_lifecycle_configuration(config);
  if (!xml) co_return std::move(xml).error();
  co_return co_await impl_->call("PutBucketLifecycleConfiguration",
                                 protocol::build_put_bucket_lifecycle(impl_->ctx(), *xml));
}

asio::awaitable<Result<protocol::Ok>> BucketClient::delete_lifecycle() {
  return impl_->call("DeleteBucketLifecycle", protocol::build_delete_bucket_lifecycle(impl_->ctx()));
}

asio::awaitable<Result<PrefixMatches>> BucketClient::prefix_matches(const std::string& prefix,
                                                                    bool versioned, int limit) {
  // With delimiter '/', "logs" lists "logs/" as one common prefix and each sibling folder
  // or key once: limit + 1 names are enough to find `limit` siblings.
  const auto kind = protocol::entries_listing(versioned);
  protocol::ListCursor at;
  at.prefix = prefix;
  auto req = protocol::build_list_request(kind, impl_->ctx(), at, "/", limit + 1);
  const auto parse = [kind](std::string_view body) { return protocol::parse_list_page(kind, body); };
  auto page = co_await impl_->fetch<protocol::ListPage>(protocol::traits(kind).operation, std::move(req), parse);
  if (!page) co_return std::move(page).error();
  std::vector<std::string> names;
  for (auto& e : page->entries) {
    if (names.empty() || names.back() != e.key) names.push_back(std::move(e.key));
  }
  for (auto& c : page->folders) names.push_back(std::move(c));
  const bool truncated = page->truncated;
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
