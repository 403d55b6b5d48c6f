// Builders for requests on the bucket itself: existence, region, versioning, object lock,
// lifecycle, replication, and its deletion.
#pragma once

#include <string_view>

#include "protocol/request_context.hpp"

namespace s3purge::protocol {

HttpRequest build_head_bucket(const RequestContext& ctx);
HttpRequest build_delete_bucket(const RequestContext& ctx);
HttpRequest build_get_bucket_location(const RequestContext& ctx);
HttpRequest build_get_bucket_versioning(const RequestContext& ctx);
HttpRequest build_get_object_lock_configuration(const RequestContext& ctx);
HttpRequest build_get_bucket_lifecycle(const RequestContext& ctx);
// `lifecycle_xml` from write_lifecycle_configuration(); sent with Content-MD5, which S3
// requires on this call.
HttpRequest build_put_bucket_lifecycle(const RequestContext& ctx, std::string_view lifecycle_xml);
HttpRequest build_delete_bucket_lifecycle(const RequestContext& ctx);
HttpRequest build_get_bucket_replication(const RequestContext& ctx);

}  // namespace s3purge::protocol
