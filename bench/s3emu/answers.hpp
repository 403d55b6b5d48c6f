// The XML s3emu answers with, in S3's shapes and element order.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "s3emu/listing.hpp"
#include "s3emu/store.hpp"

namespace s3emu {

// "2026-11-23T14:22:50.000Z"
std::string iso8601(std::int64_t unix_seconds);
// "Mon, 23 Nov 2026 14:22:50 GMT", for Last-Modified.
std::string http_date(std::int64_t unix_seconds);

struct ErrorExtra {
  std::string_view name;
  std::string value;
};
std::string error_xml(std::string_view code, std::string_view message, std::string_view resource,
                      std::string_view request_id, const std::vector<ErrorExtra>& extra = {});

void list_objects_v2_xml(std::string& out, std::string_view bucket, const ObjectsQuery& q,
                         const ObjectsPage& page, bool url_encoding);
void list_objects_v1_xml(std::string& out, std::string_view bucket, const ObjectsQuery& q,
                         const ObjectsPage& page, bool url_encoding);
void list_versions_xml(std::string& out, std::string_view bucket, const VersionsQuery& q,
                       const VersionsPage& page, bool url_encoding);
void list_uploads_xml(std::string& out, std::string_view bucket, const UploadsQuery& q,
                      const UploadsPage& page, bool url_encoding);

struct DeleteResultEntry {
  std::string key, version_id;
  DeleteOutcome outcome;
  bool name_version = true;  // false: the answer names the key alone (faults)
  bool unnamed = false;      // the answer leaves it out altogether (faults)
};
void delete_result_xml(std::string& out, const std::vector<DeleteResultEntry>& entries,
                       bool quiet);

std::string list_buckets_xml(const std::map<std::string, Bucket, std::less<>>& buckets);
std::string versioning_xml(Versioning v);
std::string location_xml(std::string_view region);
std::string object_lock_xml(const Bucket& b);
std::string initiate_upload_xml(std::string_view bucket, std::string_view key,
                                std::string_view upload_id);
std::string complete_upload_xml(std::string_view bucket, std::string_view key,
                                 std::string_view etag);

// Text for XML element content; bytes XML cannot carry become character references (as
// S3 does when encoding-type=url was not asked for).
void append_text(std::string& out, std::string_view text);
// encoding-type=url, as S3 does it: '/' and unreserved characters kept, ' ' as '+'.
void append_url_encoded(std::string& out, std::string_view text);

}  // namespace s3emu
