#include "protocol/bucket_requests.hpp"

#include "protocol/crypto.hpp"

namespace s3purge::protocol {
namespace {

HttpRequest sub_resource(const RequestContext& ctx, std::string_view method,
                         std::string_view name) {
  HttpRequest r = ctx.make_bucket_request(method);
  r.query.push_back({std::string(name), ""});
  return r;
}

}  // namespace

HttpRequest build_head_bucket(const RequestContext& ctx) { return ctx.make_bucket_request("HEAD"); }

HttpRequest build_delete_bucket(const RequestContext& ctx) {
  return ctx.make_bucket_request("DELETE");
}

HttpRequest build_get_bucket_location(const RequestContext& ctx) {
  return sub_resource(ctx, "GET", "location");
}

HttpRequest build_get_bucket_versioning(const RequestContext& ctx) {
  return sub_resource(ctx, "GET", "versioning");
}

HttpRequest build_get_object_lock_configuration(const RequestContext& ctx) {
  return sub_resource(ctx, "GET", "object-lock");
}

HttpRequest build_get_bucket_lifecycle(const RequestContext& ctx) {
  return sub_resource(ctx, "GET", "lifecycle");
}

HttpRequest build_put_bucket_lifecycle(const RequestContext& ctx, std::string_view lifecycle_xml) {
  HttpRequest r = sub_resource(ctx, "PUT", "lifecycle");
  r.headers.set("content-type", "application/xml");
  r.headers.set("content-md5", content_md5(lifecycle_xml));
  r.body.assign(lifecycle_xml);
  return r;
}

HttpRequest build_delete_bucket_lifecycle(const RequestContext& ctx) {
  return sub_resource(ctx, "DELETE", "lifecycle");
}

HttpRequest build_get_bucket_replication(const RequestContext& ctx) {
  return sub_resource(ctx, "GET", "replication");
}

}  // namespace s3purge::protocol
