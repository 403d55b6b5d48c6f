// The three listings over a bucket, with S3's paging rules: prefix, delimiter (common
// prefixes count toward max-keys), start-after / continuation-token, key-marker +
// version-id-marker, key-marker + upload-id-marker. Markers that name something already
// deleted still resume at the right place, unlike moto's.
#pragma once

#include <string>
#include <vector>

#include "s3emu/store.hpp"

namespace s3emu {

struct ObjectsQuery {
  std::string prefix, delimiter, start_after, continuation_token, marker;  // marker: v1
  int max_keys = 1000;
};
struct ObjectsPage {
  std::vector<std::pair<const std::string*, const Version*>> contents;
  std::vector<std::string> common_prefixes;
  bool truncated = false;
  std::string next_token;   // v2: opaque continuation token
  std::string next_marker;  // v1: the last key or prefix returned
};
// Returns false when the continuation token is not one this server issued.
bool list_objects(const Bucket& b, const ObjectsQuery& q, ObjectsPage& page);

struct VersionsQuery {
  std::string prefix, delimiter, key_marker, version_id_marker;
  int max_keys = 1000;
};
struct VersionsPage {
  struct Entry {
    const std::string* key;
    const Version* version;
    bool is_latest;
  };
  std::vector<Entry> entries;
  std::vector<std::string> common_prefixes;
  bool truncated = false;
  std::string next_key_marker, next_version_id_marker;
};
void list_versions(const Bucket& b, const VersionsQuery& q, VersionsPage& page);

struct UploadsQuery {
  std::string prefix, key_marker, upload_id_marker;
  int max_uploads = 1000;
};
struct UploadsPage {
  std::vector<std::pair<const std::pair<std::string, std::string>*, const Upload*>> uploads;
  bool truncated = false;
  std::string next_key_marker, next_upload_id_marker;
};
void list_uploads(const Bucket& b, const UploadsQuery& q, UploadsPage& page);

// The smallest string greater than every string that starts with `prefix` ("" if none).
std::string prefix_successor(std::string prefix);

}  // namespace s3emu
