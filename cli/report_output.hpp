// How a purge is shown: a progress line, the closing summary table, or one JSON document.
#pragma once

#include <chrono>
#include <ostream>
#include <string>

#include "engine/purge_report.hpp"

namespace s3purge::cli {

void print_progress(std::ostream& out, const engine::PurgeReport& r,
                    std::chrono::steady_clock::duration elapsed);
void print_summary(std::ostream& out, const std::string& bucket, const std::string& prefix,
                   bool delete_bucket, const engine::PurgeReport& r, bool interrupted);
// One JSON object per line: bucket, key, version_id, kind, code, message, request_id.
void print_failed_keys(std::ostream& out, const std::string& bucket, const engine::PurgeReport& r);
// Schema in the README ("JSON report").
void print_json(std::ostream& out, const std::string& bucket, const std::string& prefix,
                bool delete_bucket, const engine::PurgeReport& r, bool interrupted);

}  // namespace s3purge::cli
