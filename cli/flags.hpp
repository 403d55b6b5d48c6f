// What the command line says, for every command. Defaults are explained in main.cpp's
// help texts and in the README.
#pragma once

#include <cstdint>
#include <string>

#include "protocol/config_resolver.hpp"

namespace s3purge::cli {

struct Flags {
  protocol::ConfigFlags config;  // --profile, --region, --endpoint-url, --ca-bundle, --addressing-style
  bool no_verify_ssl = false;
  int concurrency = 16;
  int listers = 0;           // per listing; 0: concurrency / 4
  std::string shard;         // "I/N": the I-th of N shards of the key space
  std::string state_file;    // ranges emptied, for a re-run to skip
  double rate = 0;
  double burst = 0;
  std::size_t batch_size = 1000;
  std::size_t queue_depth = 32;
  int max_retries = 10;
  double retry_seconds = 300;  // one request's retries, waits included
  double timeout_seconds = 60;
  bool dry_run = false;
  bool yes = false;
  bool json = false;
  bool quiet = false;
  int verbose = 0;           // -v: info on stderr; -vv: every request and retry
  bool no_progress = false;
  bool bypass_governance = false;
  bool request_payer = false;
  std::string connect_to;    // connect to this address instead of resolving (testing)
  std::string failed_keys;   // write permanent failures here as JSON Lines
  std::string log_file;      // a debug log, whatever -v says
  std::string buckets_from;  // delete: more buckets, one per line
  std::string keys_from;     // rm: keys, one per line; "-" for standard input
  std::string older_than;    // abort-uploads: "7d"
  std::uint64_t expect = 0;  // entries a `plan` counted: percentage and ETA from the start
  // lifecycle install
  std::uint64_t days = 1;
  bool uploads_only = false;
  bool replace_rules = false;
};

}  // namespace s3purge::cli
