// What the preflight found (object lock, replication, lifecycle rules) as `plan --json`
// writes it: each as `{"unknown": CODE}` when the server or the role will not tell.
#pragma once

#include <boost/json/value.hpp>

#include "cli/preflight.hpp"

namespace s3purge::cli {

boost::json::value lock_json(const Fact<protocol::ObjectLockConfiguration>& f);
boost::json::value replication_json(const Fact<protocol::ReplicationConfiguration>& f);
boost::json::value lifecycle_json(const Fact<protocol::LifecycleConfiguration>& f);

}  // namespace s3purge::cli
