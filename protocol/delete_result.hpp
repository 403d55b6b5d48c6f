// The answer to DeleteObjects, read per key. Each <Error> keeps its code classified, so
// the engine retries InternalError and SlowDown keys and records AccessDenied ones.
#pragma once

#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "protocol/error.hpp"

namespace s3purge::protocol {

struct DeletedEntry {
  std::string key;
  std::string version_id;
  bool delete_marker = false;              // a marker was created, or one was deleted
  std::string delete_marker_version_id;
};

struct DeleteFailure {
  std::string key;
  std::string version_id;
  std::string code;      // as S3 sent it: "AccessDenied"
  std::string message;
  std::error_code ec;    // classified: is_retryable(ec) decides what happens next
};

struct DeleteObjectsResult {
  std::vector<DeletedEntry> deleted;  // empty in Quiet mode
  std::vector<DeleteFailure> errors;
};

// Parses a 200 answer's <DeleteResult>. An <Error> document is not a DeleteResult: check
// error_from_response() first.
Result<DeleteObjectsResult> parse_delete_objects_result(std::string_view body);

}  // namespace s3purge::protocol
