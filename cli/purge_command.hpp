// The commands that delete: `empty`, `delete` (`rb`), `rm` and `abort-uploads`. Each
// resolves the configuration, checks every bucket first (exists, region, credentials, lock,
// replication, sibling prefixes), asks once for confirmation, runs the engine with
// progress, prints the summary or JSON per bucket, and returns the exit code.
#pragma once

#include <string>
#include <vector>

#include "cli/flags.hpp"

namespace s3purge::cli {

enum class PurgeCommand { empty, delete_bucket, rm, abort_uploads };

// `keys`: rm's keys named on the command line.
int run_purge(PurgeCommand command, const std::vector<std::string>& targets,
              const std::vector<std::string>& keys, const Flags& flags);

}  // namespace s3purge::cli
