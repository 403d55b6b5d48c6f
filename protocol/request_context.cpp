#include "protocol/request_context.hpp"

namespace s3purge::protocol {

HttpRequest RequestContext::make(std::string_view method, std::string path) const {
  HttpRequest r;
  r.method.assign(method);
  r.host = address.host_header;
  r.path = std::move(path);
  if (options.requester_pays) r.headers.set("x-amz-request-payer", "requester");
  if (!options.expected_bucket_owner.empty()) {
    r.headers.set("x-amz-expected-bucket-owner", options.expected_bucket_owner);
  }
  return r;
}

}  // namespace s3purge::protocol
