// What the command line says, for every command. The engine's settings default to
// PurgeOptions' own values, where each is explained; main.cpp's help texts show them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/purge_options.hpp"
#include "protocol/config_resolver.hpp"

namespace s3purge::cli {

namespace defaults {
inline const engine::PurgeOptions purge{};
}

struct Flags {
  protocol::ConfigFlags config;  // --profile, --region, --endpoint-url, --ca-bundle, --addressing-style
  bool no_verify_ssl = false;
  int concurrency = defaults::purge.concurrency;
  int listers = defaults::purge.listers;  // per listing; 0: concurrency / 4, growing
  std::string shard;         // "I/N": the I-th of N shards of the key space
  std::string state_file;    // ranges emptied, for a re-run to skip
  double rate = defaults::purge.rate;
  double burst = defaults::purge.burst;
  std::size_t batch_size = defaults::purge.batch_size;
  std::size_t queue_depth = defaults::purge.queue_depth;
  int max_retries = static_cast<int>(defaults::purge.retry.transient_retries);
  double retry_seconds = static_cast<double>(defaults::purge.retry.budget.count()) / 1000;  // waits included
  double timeout_seconds = static_cast<double>(defaults::purge.connection.request_timeout.count()) / 1000;
  bool dry_run = false;
  bool yes = false;
  bool json = false;
  bool quiet = false;
  int verbose = 0;           // -v: info on stderr; -vv: every request and retry
  bool no_progress = false;
  bool bypass_governance = false;
  bool request_payer = false;
  std::string expected_bucket_owner;  // the account that must own the bucket
  std::string connect_to;    // connect to this address instead of resolving (testing)
  std::string pacing = "ranges";  // how throttles slow the run: ranges or global
  std::string checksum = "auto";  // DeleteObjects' integrity header: auto, md5, crc32, crc32c, crc64nvme
  std::string failed_keys;   // write permanent failures here as JSON Lines
  std::string log_file;      // a debug log, whatever -v says
  std::string buckets_from;  // delete: more buckets, one per line
  std::string keys_from;     // rm: keys, one per line; "-" for standard input
  // What is taken (plan, empty, abort-uploads): protocol/selection.hpp.
  std::string only;          // "noncurrent,orphan-markers"; empty: everything
  std::string older_than;    // "30d" or "2026-11-01"
  std::string newer_than;
  int keep_newest = 0;
  std::vector<std::string> include, exclude;  // key patterns, relative to the prefix
  std::string storage_class;  // "GLACIER,DEEP_ARCHIVE"
  bool allow_resurface = false;
  bool skip_early_charges = false;  // keep what is inside its class's minimum duration
  std::string prices;        // plan: a prices file (protocol/prices.hpp)
  std::uint64_t expect = 0;  // entries a `plan` counted: percentage and ETA from the start
  // lifecycle install
  std::uint64_t days = 1;
  bool uploads_only = false;
  bool replace_rules = false;
};

}  // namespace s3purge::cli
