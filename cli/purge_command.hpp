// `s3purge empty` and `s3purge delete`: resolve the configuration, confirm, run the
// engine with progress on stderr, print the summary, and return the exit code.
#pragma once

#include <string>
#include <vector>

#include "protocol/config_resolver.hpp"

namespace s3purge::cli {

struct PurgeFlags {
  protocol::ConfigFlags config;  // --profile, --region, --endpoint-url, --ca-bundle, --addressing-style
  bool no_verify_ssl = false;
  int concurrency = 16;
  double rate = 0;
  double burst = 0;
  std::size_t batch_size = 1000;
  std::size_t queue_depth = 32;
  int max_retries = 10;
  double timeout_seconds = 60;
  bool dry_run = false;
  bool yes = false;
  bool json = false;
  bool quiet = false;
  bool no_progress = false;
  bool bypass_governance = false;
  bool request_payer = false;
  std::string connect_to;  // connect to this address instead of resolving (testing)
  std::string failed_keys;  // write permanent failures here as JSON Lines
};

// Returns the process exit code (cli/exit_codes.hpp).
int run_purge(const std::vector<std::string>& targets, bool delete_bucket, const PurgeFlags& flags);

}  // namespace s3purge::cli
