// Parsers for what `plan` reads about a bucket: region, versioning, object lock and
// replication. "Not configured" answers (ObjectLockConfigurationNotFoundError,
// ReplicationConfigurationNotFoundError) are errors to these parsers' callers, which turn
// them into the empty configuration.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/error.hpp"

namespace s3purge::protocol {

// GetBucketLocation: "" means us-east-1 and the legacy "EU" means eu-west-1.
Result<std::string> parse_bucket_location(std::string_view body);

// unknown: the server or the role would not tell (see is_refusal).
enum class VersioningStatus { never_enabled, enabled, suspended, unknown };
std::string_view to_string(VersioningStatus s);

struct BucketVersioning {
  VersioningStatus status = VersioningStatus::never_enabled;
  bool mfa_delete = false;
};
Result<BucketVersioning> parse_bucket_versioning(std::string_view body);

struct ObjectLockConfiguration {
  bool enabled = false;
  std::string default_mode;  // "GOVERNANCE", "COMPLIANCE" or "" (no default retention)
  std::uint64_t default_days = 0;
  std::uint64_t default_years = 0;
};
Result<ObjectLockConfiguration> parse_object_lock_configuration(std::string_view body);

struct ReplicationRule {
  std::string id;
  bool enabled = false;
  std::string destination_bucket;  // an ARN
  bool replicates_delete_markers = false;
};
struct ReplicationConfiguration {
  std::string role;
  std::vector<ReplicationRule> rules;
};
Result<ReplicationConfiguration> parse_replication_configuration(std::string_view body);

}  // namespace s3purge::protocol
