// `s3purge plan`: a read-only look at what stands between a bucket and its deletion, with
// an estimate of the requests and time a purge would take at the given flags.
#pragma once

#include <string>
#include <vector>

#include "cli/flags.hpp"

namespace s3purge::cli {

int run_plan(const std::vector<std::string>& targets, const Flags& flags);

}  // namespace s3purge::cli
