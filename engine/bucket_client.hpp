// Single requests about one bucket, each retried like every other call: its versioning,
// object lock, lifecycle and replication, installing or removing a lifecycle rule, and a
// look at which names a prefix matches. `plan`, `lifecycle` and the checks run before a
// deletion use it; nothing here deletes objects.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <memory>
#include <string>
#include <vector>

#include "engine/purge_options.hpp"
#include "protocol/bucket_responses.hpp"
#include "protocol/credentials.hpp"
#include "protocol/lifecycle.hpp"

namespace boost::asio::ssl {
class context;
}

namespace s3purge::engine {

// What a prefix without a trailing '/' matches besides its own folder: "logs" matches
// "logs/", but also "logs2/" and "logs.txt".
struct PrefixMatches {
  std::vector<std::string> siblings;  // the first few names outside PREFIX/, as listed
  bool more = false;                  // the listing had more than those
};

class BucketClient {
 public:
  // Uses bucket, address, request_options, connection and retry of `options`.
  BucketClient(boost::asio::any_io_executor executor, const PurgeOptions& options,
               protocol::Credentials credentials, std::string region, boost::asio::ssl::context* tls);
  ~BucketClient();

  // Also proves that the bucket exists and that the region and credentials are right.
  boost::asio::awaitable<protocol::Result<protocol::BucketVersioning>> versioning();
  // "Not configured" answers come back as the empty configuration.
  boost::asio::awaitable<protocol::Result<protocol::ObjectLockConfiguration>> object_lock();
  boost::asio::awaitable<protocol::Result<protocol::LifecycleConfiguration>> lifecycle();
  boost::asio::awaitable<protocol::Result<protocol::ReplicationConfiguration>> replication();
  boost::asio::awaitable<protocol::Result<protocol::Ok>> put_lifecycle(
      const protocol::LifecycleConfiguration& config);
  boost::asio::awaitable<protocol::Result<protocol::Ok>> delete_lifecycle();
  // Names that `prefix` (not ending in '/') matches outside "prefix/", at most `limit`.
  // Lists versions when `versioned`, so that keys with only old versions count too.
  boost::asio::awaitable<protocol::Result<PrefixMatches>> prefix_matches(const std::string& prefix,
                                                                         bool versioned,
                                                                         int limit = 5);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace s3purge::engine
