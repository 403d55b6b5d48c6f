// What is checked about a bucket before anything is deleted, and before confirmation: it
// exists and the region and credentials work (versioning), object lock, replication, and
// what a prefix without a trailing '/' matches besides its folder. Only versioning's
// errors stop the run, and only those that are not refusals (an unknown bucket, a wrong
// region, bad credentials); what the role or the server refuses to tell (AccessDenied,
// NotImplemented, protocol::is_refusal) stays unknown, with the reason.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "cli/target.hpp"
#include "engine/bucket_client.hpp"

namespace s3purge::cli {

template <typename T>
struct Fact {
  std::optional<T> value;
  std::string unknown_because;  // when value is empty
};

struct Preflight {
  protocol::BucketVersioning versioning;  // status unknown when refused (the code below)
  std::string versioning_unknown_because;
  Fact<protocol::ObjectLockConfiguration> lock;
  Fact<protocol::ReplicationConfiguration> replication;
  Fact<protocol::LifecycleConfiguration> lifecycle;  // when asked for
  std::optional<engine::PrefixMatches> siblings;     // when the prefix needs the check
};

struct PreflightWants {
  bool lifecycle = false;
  bool siblings = false;  // only done for a prefix not ending in '/'
};

// Makes a client with a connection of its own: the checks go side by side, one round trip
// for all of them instead of one each.
using ClientMaker = std::function<std::unique_ptr<engine::BucketClient>()>;

boost::asio::awaitable<protocol::Result<Preflight>> preflight(const ClientMaker& make,
                                                              const Target& target,
                                                              PreflightWants wants);

// Replication, object lock, sibling prefixes: what the user should know before saying yes.
// `bypass_governance`: --bypass-governance-retention was given (governance locks then hold
// nothing back).
void print_warnings(std::ostream& out, const Target& target, const Preflight& p, bool bypass_governance);

}  // namespace s3purge::cli
