#include "protocol/list_requests.hpp"

namespace s3purge::protocol {
namespace {

void add_if(HttpRequest& r, std::string_view name, const std::string& value) {
  if (!value.empty()) r.query.push_back({std::string(name), value});
}

}  // namespace

HttpRequest build_list_objects_v2(const RequestContext& ctx, const ListObjectsV2Params& p) {
  HttpRequest r = ctx.make_bucket_request("GET");
  r.query.push_back({"list-type", "2"});
  add_if(r, "prefix", p.prefix);
  add_if(r, "delimiter", p.delimiter);
  add_if(r, "start-after", p.start_after);
  add_if(r, "continuation-token", p.continuation_token);
  r.query.push_back({"max-keys", std::to_string(p.max_keys)});
  if (p.url_encoding) r.query.push_back({"encoding-type", "url"});
  return r;
}

HttpRequest build_list_object_versions(const RequestContext& ctx,
                                       const ListObjectVersionsParams& p) {
  HttpRequest r = ctx.make_bucket_request("GET");
  r.query.push_back({"versions", ""});
  add_if(r, "prefix", p.prefix);
  add_if(r, "delimiter", p.delimiter);
  add_if(r, "key-marker", p.key_marker);
  add_if(r, "version-id-marker", p.version_id_marker);
  r.query.push_back({"max-keys", std::to_string(p.max_keys)});
  if (p.url_encoding) r.query.push_back({"encoding-type", "url"});
  return r;
}

HttpRequest build_list_multipart_uploads(const RequestContext& ctx,
                                         const ListMultipartUploadsParams& p) {
  HttpRequest r = ctx.make_bucket_request("GET");
  r.query.push_back({"uploads", ""});
  add_if(r, "prefix", p.prefix);
  add_if(r, "delimiter", p.delimiter);
  add_if(r, "key-marker", p.key_marker);
  add_if(r, "upload-id-marker", p.upload_id_marker);
  r.query.push_back({"max-uploads", std::to_string(p.max_uploads)});
  if (p.url_encoding) r.query.push_back({"encoding-type", "url"});
  return r;
}

}  // namespace s3purge::protocol
