#include "s3emu/refusals.hpp"

#include <array>

namespace s3emu {
namespace {

constexpr std::array<std::string_view, 31> kOperations{
    "ListBuckets", "ListObjectsV2", "ListObjectVersions", "ListMultipartUploads", "ListObjects",
    "GetBucketVersioning", "GetBucketLocation", "GetBucketLifecycleConfiguration",
    "GetObjectLockConfiguration", "GetBucketReplication", "PutBucketVersioning",
    "PutBucketLifecycleConfiguration", "PutObjectLockConfiguration", "CreateBucket",
    "DeleteBucketLifecycle", "DeleteBucket", "HeadBucket", "DeleteObjects", "UploadPart",
    "PutObjectRetention", "PutObjectLegalHold", "PutObject", "ListParts", "GetObject", "HeadObject",
    "AbortMultipartUpload", "DeleteObject", "CreateMultipartUpload", "CompleteMultipartUpload",
    "GetBucketOther", "Stats"};

std::string known() {
  std::string out;
  for (const auto op : kOperations) {
    if (op == "Stats") continue;
    if (!out.empty()) out += ", ";
    out += op;
  }
  return out;
}

// Calls item(text) for each comma-separated item; false at the first that fails.
template <class F>
bool each(std::string_view spec, F item) {
  while (!spec.empty()) {
    const auto comma = spec.find(',');
    if (!item(spec.substr(0, comma))) return false;
    spec = comma == std::string_view::npos ? std::string_view() : spec.substr(comma + 1);
  }
  return true;
}

bool check(std::string_view op, std::string& error) {
  if (is_operation(op) && op != "Stats") return true;
  error = "unknown operation '" + std::string(op) + "' (known: " + known() + ")";
  return false;
}

}  // namespace

bool is_operation(std::string_view op) {
  for (const auto known_op : kOperations) {
    if (known_op == op) return true;
  }
  return false;
}

bool parse_denied(std::string_view spec, Refusals& into, std::string& error) {
  return each(spec, [&](std::string_view op) {
    if (!check(op, error)) return false;
    into.denied.emplace(std::string(op), true);
    return true;
  });
}

bool parse_not_implemented(std::string_view spec, Refusals& into, std::string& error) {
  return each(spec, [&](std::string_view item) {
    const auto eq = item.find('=');
    const std::string_view op = item.substr(0, eq);
    int status = 501;
    if (eq != std::string_view::npos) {
      const std::string_view s = item.substr(eq + 1);
      if (s != "501" && s != "405") {
        error = "not-implemented '" + std::string(item) + "': the status is 501 or 405";
        return false;
      }
      status = s == "405" ? 405 : 501;
    }
    if (!check(op, error)) return false;
    into.not_implemented.emplace(std::string(op), status);
    return true;
  });
}

}  // namespace s3emu
