// Builders for the three listings that find what blocks a bucket's deletion. All ask for
// encoding-type=url, so keys XML cannot carry still arrive intact.
#pragma once

#include <optional>
#include <string>

#include "protocol/request_context.hpp"

namespace s3purge::protocol {

// S3 returns at most 1000 entries per page whatever is asked.
inline constexpr int kMaxListKeys = 1000;

struct ListObjectsV2Params {
  std::string prefix;
  std::string delimiter;
  std::string start_after;
  std::string continuation_token;
  int max_keys = kMaxListKeys;
  bool url_encoding = true;
};
HttpRequest build_list_objects_v2(const RequestContext& ctx, const ListObjectsV2Params& p);

struct ListObjectVersionsParams {
  std::string prefix;
  std::string delimiter;
  std::string key_marker;
  std::string version_id_marker;
  int max_keys = kMaxListKeys;
  bool url_encoding = true;
};
HttpRequest build_list_object_versions(const RequestContext& ctx,
                                       const ListObjectVersionsParams& p);

struct ListMultipartUploadsParams {
  std::string prefix;
  std::string delimiter;
  std::string key_marker;
  std::string upload_id_marker;
  int max_uploads = kMaxListKeys;
  bool url_encoding = true;
};
HttpRequest build_list_multipart_uploads(const RequestContext& ctx,
                                         const ListMultipartUploadsParams& p);

}  // namespace s3purge::protocol
