// Bucket lifecycle rules: reading them (for `plan` and `lifecycle show`) and writing the
// rules s3purge installs, which expire everything or only abort incomplete uploads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/error.hpp"

namespace s3purge::protocol {

struct LifecycleRule {
  std::string id;
  bool enabled = true;
  std::string prefix;                                  // Filter/Prefix (or legacy Prefix)
  bool has_other_filter = false;                       // tags, sizes, And: shown, not written
  std::optional<std::uint64_t> expiration_days;
  std::string expiration_date;
  bool expired_object_delete_marker = false;
  std::optional<std::uint64_t> noncurrent_expiration_days;
  std::optional<std::uint64_t> abort_incomplete_upload_days;
};

struct LifecycleConfiguration {
  std::vector<LifecycleRule> rules;
};

Result<LifecycleConfiguration> parse_lifecycle_configuration(std::string_view body);

// The XML for PutBucketLifecycleConfiguration. Errors: a rule without an id, an id over
// 255 characters, or text XML cannot carry.
Result<std::string> write_lifecycle_configuration(const LifecycleConfiguration& config);

// The rules `s3purge lifecycle install` writes for `prefix`: with `uploads_only`, one rule
// aborting incomplete uploads after `days`; otherwise also expiring current objects and
// noncurrent versions after `days`, and, in a second rule (S3 refuses both in one
// Expiration), removing delete markers left with no versions.
LifecycleConfiguration s3purge_lifecycle_rules(const std::string& prefix, std::uint64_t days,
                                               bool uploads_only);
// The rules s3purge wrote carry IDs starting "s3purge-".
bool is_s3purge_rule(const LifecycleRule& rule);

}  // namespace s3purge::protocol
