#include "cli/permissions.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace s3purge::cli {

namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kActions{{
    {"versioning", "s3:GetBucketVersioning"},
    {"versions", "s3:ListBucketVersions"},
    {"uploads", "s3:ListBucketMultipartUploads"},
    {"object lock", "s3:GetBucketObjectLockConfiguration"},
    {"replication", "s3:GetReplicationConfiguration"},
    {"lifecycle", "s3:GetLifecycleConfiguration"},
    {"objects", "s3:ListBucket"},
}};

}  // namespace

std::string_view permission_for(std::string_view what) {
  for (const auto& [w, action] : kActions) {
    if (w == what) return action;
  }
  return {};
}

std::vector<std::string> missing_permissions(const std::map<std::string, std::string>& refused) {
  std::vector<std::string> out;
  for (const auto& [what, code] : refused) {
    const auto action = permission_for(what);
    if (code == "AccessDenied" && !action.empty()) out.emplace_back(action);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace s3purge::cli
