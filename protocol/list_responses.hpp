// Parsers for the three listings. Keys are URL-decoded when the answer says
// EncodingType=url. A page that says it is truncated but gives no marker to continue from
// is an error, never the end of the listing.
#pragma once

#include <climits>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/error.hpp"

namespace s3purge::protocol {

// Times are whole seconds since 1970 (UTC), INT64_MIN where absent or unreadable; a class
// is as storage_class_of gives it (STANDARD where none is named).
struct ListedObject {
  std::string key;
  std::uint64_t size = 0;
  std::int64_t modified = INT64_MIN;
  std::uint8_t storage_class = 1;
};

struct ListObjectsV2Page {
  std::vector<ListedObject> objects;
  std::vector<std::string> common_prefixes;
  bool is_truncated = false;
  std::string next_continuation_token;
};
Result<ListObjectsV2Page> parse_list_objects_v2(std::string_view body);

enum class VersionKind { version, delete_marker };

struct ListedVersion {
  VersionKind kind = VersionKind::version;
  std::string key;
  std::string version_id;  // "null" for the null version
  bool is_latest = false;
  std::uint64_t size = 0;  // 0 for delete markers
  std::int64_t modified = INT64_MIN;
  std::uint8_t storage_class = 1;  // 0 for delete markers
};

struct ListVersionsPage {
  std::vector<ListedVersion> entries;  // versions and markers in document order
  std::vector<std::string> common_prefixes;
  bool is_truncated = false;
  std::string next_key_marker;
  std::string next_version_id_marker;
};
Result<ListVersionsPage> parse_list_object_versions(std::string_view body);

struct ListedUpload {
  std::string key;
  std::string upload_id;
  std::string initiated;  // ISO 8601, as S3 sent it
  std::uint8_t storage_class = 1;
};

struct ListUploadsPage {
  std::vector<ListedUpload> uploads;
  std::vector<std::string> common_prefixes;
  bool is_truncated = false;
  std::string next_key_marker;
  std::string next_upload_id_marker;
};
Result<ListUploadsPage> parse_list_multipart_uploads(std::string_view body);

}  // namespace s3purge::protocol
