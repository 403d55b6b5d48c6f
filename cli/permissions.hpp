// The IAM action behind each check or listing a run may be refused, so that what a run
// could not do can be named as the permission the role lacks.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace s3purge::cli {

// "versioning" -> "s3:GetBucketVersioning"; "" for what no single action grants.
std::string_view permission_for(std::string_view what);

// The actions behind refusals that were AccessDenied (not NotImplemented: no permission
// helps there), from `refused` (what -> code), sorted, without repeats.
std::vector<std::string> missing_permissions(const std::map<std::string, std::string>& refused);

}  // namespace s3purge::cli
