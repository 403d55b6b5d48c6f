// How a command's result is shown: the closing summary table, one JSON document (schema
// in docs/json.md), or the failed keys as JSON Lines.
#pragma once

#include <ostream>
#include <string>

#include "engine/purge_report.hpp"

namespace s3purge::cli {

struct RunInfo {
  std::string command;  // "empty", "delete", "rm", "abort-uploads", "plan"
  std::string bucket;
  std::string prefix;
  bool delete_bucket = false;
  bool verify = true;   // rm does not verify emptiness
  bool interrupted = false;
  bool grace_expired = false;  // printed while requests were still in flight
  bool dry_run = false;        // listed and counted; nothing was deleted
};

void print_summary(std::ostream& out, const RunInfo& run, const engine::PurgeReport& r);
// One failure as a JSON object on a line: bucket, key, version_id, kind, code, message,
// request_id (--failed-keys, written as the failures happen).
void print_failed_key(std::ostream& out, const std::string& bucket, const engine::FailureRecord& f);
// One JSON document on one line (several buckets: one line each).
void print_json(std::ostream& out, const RunInfo& run, const engine::PurgeReport& r);
// In one line, what a forced quit knows: deleted, failed, in flight, never sent, elapsed.
std::string stop_line(const engine::PurgeReport& r);
// A bucket that could not be started on (unknown bucket, wrong region...), as JSON.
void print_json_error(std::ostream& out, const RunInfo& run, const protocol::Error& e);

}  // namespace s3purge::cli
