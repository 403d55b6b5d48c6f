// What the Router's parts share: one call in flight (the request, its route, its id, the
// time) with the answers it can give, and small parsers. Private to s3emu's router files.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "s3emu/answers.hpp"
#include "s3emu/router.hpp"

namespace s3emu {

namespace detail {
std::int64_t system_clock_seconds();
// "2026-11-24T00:00:00Z" or with fractional seconds; 0 when unreadable.
std::int64_t parse_iso8601(std::string_view s);
// An integer query value: `fallback` when absent or empty, -1 when not a number.
int parse_int(const std::string* s, int fallback);
// Bodies sent with Content-Encoding: aws-chunked, without their framing; nullopt if broken.
std::optional<std::string> decode_aws_chunked(std::string_view in);
}  // namespace detail

struct Router::Call {
  const EmuRequest& req;
  const Route& route;
  std::uint64_t seq;
  std::string request_id;
  std::int64_t now;
  RequestFault fault = RequestFault::none;  // what the server does to this request's answer

  HttpResponse respond(int status, std::string body = {}, bool xml = true) const {
    HttpResponse r;
    r.status = status;
    r.headers.set("x-amz-request-id", request_id);
    r.headers.set("x-amz-id-2", "s3emu/" + request_id);
    if (!body.empty() && xml) r.headers.set("Content-Type", "application/xml");
    if (req.method != "HEAD") r.body = std::move(body);
    return r;
  }
  HttpResponse error(int status, std::string_view code, std::string_view message,
                     const std::vector<ErrorExtra>& extra = {}) const {
    std::string resource = "/" + route.bucket + (route.key.empty() ? "" : "/" + route.key);
    return respond(status, error_xml(code, message, resource, request_id, extra));
  }
  HttpResponse no_such_bucket() const {
    return error(404, "NoSuchBucket", "The specified bucket does not exist",
                 {{"BucketName", route.bucket}});
  }
};

}  // namespace s3emu
