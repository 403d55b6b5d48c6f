// What every request to one bucket shares: where it goes and the optional headers the user
// asked for. Builders start from here.
#pragma once

#include <string>

#include "protocol/endpoint.hpp"
#include "protocol/http_message.hpp"

namespace s3purge::protocol {

struct RequestOptions {
  bool requester_pays = false;          // x-amz-request-payer: requester
  std::string expected_bucket_owner;    // x-amz-expected-bucket-owner: ACCOUNT
};

struct RequestContext {
  std::string bucket;
  BucketAddress address;
  RequestOptions options;

  // A request to `path` with Host and the optional headers set.
  HttpRequest make(std::string_view method, std::string path) const;
  HttpRequest make_bucket_request(std::string_view method) const {
    return make(method, address.bucket_path());
  }
  HttpRequest make_object_request(std::string_view method, std::string_view key) const {
    return make(method, address.object_path(key));
  }
};

}  // namespace s3purge::protocol
