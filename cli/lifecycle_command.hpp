// `s3purge lifecycle show|install|remove`: the no-client way to empty a huge bucket or to
// keep incomplete uploads from piling up. Rules s3purge writes have IDs "s3purge-...";
// rules it did not write are never rewritten (PutBucketLifecycleConfiguration replaces the
// whole set) unless --replace-rules says so.
#pragma once

#include <string>

#include "cli/flags.hpp"

namespace s3purge::cli {

int run_lifecycle(const std::string& action, const std::string& target, const Flags& flags);

}  // namespace s3purge::cli
