// Routing: from an HTTP request to an operation, bucket and key; then dispatch.
#include "s3emu/router.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <ctime>

#include "protocol/crypto.hpp"
#include "protocol/endpoint.hpp"
#include "protocol/time_text.hpp"
#include "protocol/uri.hpp"
#include "protocol/xml_reader.hpp"
#include "s3emu/listing.hpp"
#include "s3emu/router_call.hpp"

namespace s3emu {

namespace proto = s3purge::protocol;
using namespace detail;

namespace detail {

std::int64_t system_clock_seconds() { return static_cast<std::int64_t>(std::time(nullptr)); }

// "2026-11-24T00:00:00Z" or with fractional seconds; 0 when unreadable.
std::int64_t parse_iso8601(std::string_view s) {
  const auto t = proto::parse_iso8601(s);
  return t ? std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count() : 0;
}

int parse_int(const std::string* s, int fallback) {
  if (!s || s->empty()) return fallback;
  int v = 0;
  const auto [ptr, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
  return ec == std::errc() && ptr == s->data() + s->size() ? v : -1;
}


// Bodies sent with Content-Encoding: aws-chunked ("SIZE[;chunk-signature=..]\r\nDATA\r\n"
// ... "0\r\n" trailers "\r\n"): the payload without the framing, or nullopt.
std::optional<std::string> decode_aws_chunked(std::string_view in) {
  std::string out;
  std::size_t pos = 0;
  while (true) {
    const auto eol = in.find("\r\n", pos);
    if (eol == std::string_view::npos) return std::nullopt;
    const std::string_view line = in.substr(pos, eol - pos);
    const std::string_view hex = line.substr(0, line.find(';'));
    std::size_t size = 0;
    const auto [ptr, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), size, 16);
    if (ec != std::errc() || ptr != hex.data() + hex.size()) return std::nullopt;
    pos = eol + 2;
    if (size == 0) return out;
    if (pos + size > in.size()) return std::nullopt;
    out.append(in.substr(pos, size));
    pos += size;
    if (in.substr(pos, 2) != "\r\n") return std::nullopt;
    pos += 2;
  }
}

}  // namespace detail

bool Route::has(std::string_view name) const { return param(name) != nullptr; }

const std::string* Route::param(std::string_view name) const {
  for (const auto& q : query) {
    if (q.name == name) return &q.value;
  }
  return nullptr;
}

Router::Router(Store& store, Stats& stats, RouterOptions options, const FaultInjector* faults,
               std::int64_t (*clock)())
    : store_(store),
      stats_(stats),
      options_(std::move(options)),
      faults_(faults),
      clock_(clock ? clock : &system_clock_seconds),
      sessions_(options_.session_ttl, options_.stable_credentials) {
  if (options_.partitions.count > 0 || !options_.partitions.bounds.empty()) {
    partitions_ = std::make_unique<Partitions>(options_.partitions);
  }
}

Route Router::route(const EmuRequest& request) const {
  Route r;
  const std::string_view target = request.target;
  const auto qmark = target.find('?');
  const std::string_view raw_path = target.substr(0, qmark);
  if (qmark != std::string_view::npos) {
    std::string_view q = target.substr(qmark + 1);
    while (!q.empty()) {
      const auto amp = q.find('&');
      const std::string_view item = q.substr(0, amp);
      q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
      if (item.empty()) continue;
      const auto eq = item.find('=');
      auto name = proto::url_decode(item.substr(0, eq));
      auto value = proto::url_decode(eq == std::string_view::npos ? "" : item.substr(eq + 1));
      if (!name || !value) {
        r.error = "malformed query string";
        return r;
      }
      r.query.push_back({std::move(*name), std::move(*value)});
    }
  }
  auto path = proto::percent_decode(raw_path);
  if (!path || path->empty() || (*path)[0] != '/') {
    r.error = "malformed request path";
    return r;
  }

  // Virtual-hosted addressing: Host is BUCKET.DOMAIN for one of our domains.
  std::string host(request.headers.get("host"));
  if (!host.empty() && host[0] == '[') {
    host = host.substr(0, host.find(']') + 1);
  } else {
    host = host.substr(0, host.rfind(':') == std::string::npos ? host.size() : host.rfind(':'));
  }
  for (const auto& domain : options_.virtual_domains) {
    if (host.size() > domain.size() + 1 && host.ends_with("." + domain)) {
      r.bucket = host.substr(0, host.size() - domain.size() - 1);
      r.key = path->substr(1);
      break;
    }
  }
  if (r.bucket.empty()) {
    const auto slash = path->find('/', 1);
    r.bucket = path->substr(1, slash == std::string::npos ? std::string::npos : slash - 1);
    if (slash != std::string::npos) r.key = path->substr(slash + 1);
  }

  const std::string& m = request.method;
  if (r.bucket == "_emu") {
    r.op = r.key == "stats"                                  ? "Stats"
           : r.key == "credentials" && m == "GET"            ? "EmuCredentials"
           : r.key == "container-credentials" && m == "GET"  ? "EmuContainerCredentials"
                                                             : "EmuUnknown";
    return r;
  }
  // EC2 instance metadata (IMDSv2), served with --session-ttl.
  if (r.bucket == "latest" && options_.session_ttl.count() > 0) {
    constexpr std::string_view kRoles = "meta-data/iam/security-credentials/";
    if (r.key == "api/token" && m == "PUT") r.op = "ImdsToken";
    else if (r.key == kRoles && m == "GET") r.op = "ImdsRoles";
    else if (r.key == std::string(kRoles) + std::string(kImdsRole) && m == "GET") r.op = "ImdsCredentials";
    else r.op = "ImdsUnknown";
    return r;
  }
  if (r.bucket == "federation" && r.key == "credentials" && m == "GET" && options_.session_ttl.count() > 0) {
    r.op = "SsoGetRoleCredentials";
    return r;
  }
  if (r.bucket.empty()) {
    r.op = m == "GET" ? "ListBuckets" : "ServiceUnknown";
    if (m == "POST" && options_.session_ttl.count() > 0 && request.body.starts_with("Action=AssumeRole")) {
      r.op = request.body.starts_with("Action=AssumeRoleWithWebIdentity&") ? "StsAssumeRoleWithWebIdentity"
                                                                          : "StsAssumeRole";
    }
    return r;
  }
  if (r.key.empty()) {
    if (m == "GET") {
      if (r.has("list-type")) r.op = "ListObjectsV2", r.is_list = true;
      else if (r.has("versions")) r.op = "ListObjectVersions", r.is_list = true;
      else if (r.has("uploads")) r.op = "ListMultipartUploads", r.is_list = true;
      else if (r.has("versioning")) r.op = "GetBucketVersioning";
      else if (r.has("location")) r.op = "GetBucketLocation";
      else if (r.has("lifecycle")) r.op = "GetBucketLifecycleConfiguration";
      else if (r.has("object-lock")) r.op = "GetObjectLockConfiguration";
      else if (r.has("replication")) r.op = "GetBucketReplication";
      else if (r.has("acl") || r.has("policy") || r.has("tagging") || r.has("cors") ||
               r.has("website") || r.has("encryption") || r.has("logging"))
        r.op = "GetBucketOther";
      else r.op = "ListObjects", r.is_list = true;
    } else if (m == "PUT") {
      if (r.has("versioning")) r.op = "PutBucketVersioning";
      else if (r.has("lifecycle")) r.op = "PutBucketLifecycleConfiguration";
      else if (r.has("object-lock")) r.op = "PutObjectLockConfiguration";
      else r.op = "CreateBucket";
      r.write_cost = 1;
    } else if (m == "DELETE") {
      r.op = r.has("lifecycle") ? "DeleteBucketLifecycle" : "DeleteBucket";
      r.write_cost = 1;
    } else if (m == "HEAD") {
      r.op = "HeadBucket";
    } else if (m == "POST" && r.has("delete")) {
      r.op = "DeleteObjects";
      // Each key counts as a write, as S3 and OSS count them.
      std::size_t n = 0;
      for (auto at = request.body.find("<Object"); at != std::string::npos;
           at = request.body.find("<Object", at + 7)) {
        const char next = at + 7 < request.body.size() ? request.body[at + 7] : '\0';
        if (next == '>' || next == ' ') ++n;
      }
      r.keys = n;
      r.write_cost = std::max<std::uint64_t>(n, 1);
    } else {
      r.op = "BucketUnknown";
    }
    return r;
  }
  if (m == "PUT") {
    if (r.has("uploadId")) r.op = "UploadPart";
    else if (r.has("retention")) r.op = "PutObjectRetention";
    else if (r.has("legal-hold")) r.op = "PutObjectLegalHold";
    else r.op = "PutObject";
    r.write_cost = 1;
  } else if (m == "GET") {
    r.op = r.has("uploadId") ? "ListParts" : "GetObject";
  } else if (m == "HEAD") {
    r.op = "HeadObject";
  } else if (m == "DELETE") {
    r.op = r.has("uploadId") ? "AbortMultipartUpload" : "DeleteObject";
    r.write_cost = 1;
  } else if (m == "POST") {
    if (r.has("uploads")) r.op = "CreateMultipartUpload";
    else if (r.has("uploadId")) r.op = "CompleteMultipartUpload";
    else r.op = "ObjectUnknown";
    r.write_cost = 1;
  } else {
    r.op = "ObjectUnknown";
  }
  return r;
}

HttpResponse Router::handle(const EmuRequest& request, const Route& route,
                            std::uint64_t request_seq, RequestFault fault) {
  char id[32];
  std::snprintf(id, sizeof id, "EMU%016llX", static_cast<unsigned long long>(request_seq));
  Call c{request, route, request_seq, id, clock_(), fault};

  if (route.op == "Stats") {
    std::string json = stats_.to_json(store_);
    if (partitions_) {
      // The keys each partition's range holds now, in every bucket.
      const auto keys_in = [this](std::string_view lower, std::string_view upper) {
        const std::lock_guard lock(store_.mutex());
        std::uint64_t n = 0;
        for (const auto& [name, bucket] : store_.buckets()) {
          auto it = bucket.keys.lower_bound(lower);
          const auto end = upper.empty() ? bucket.keys.end() : bucket.keys.lower_bound(upper);
          for (; it != end; ++it) ++n;
        }
        return n;
      };
      json.insert(json.size() - 1, ",\"partitions\":" + partitions_->to_json(keys_in));
    }
    return c.respond(200, std::move(json), false);
  }
  if (auto answer = credential_route(c)) return std::move(*answer);
  if (!route.error.empty()) return c.error(400, "InvalidURI", route.error);

  HttpResponse denied;
  if (!authenticate(c, denied).empty()) return denied;
  const auto& refusals = options_.refusals;
  if (refusals.any()) {
    if (refusals.denied.count(route.op)) return c.error(403, "AccessDenied", "Access Denied");
    if (const auto it = refusals.not_implemented.find(route.op); it != refusals.not_implemented.end()) {
      return it->second == 405
                 ? c.error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.")
                 : c.error(501, "NotImplemented", "A header you provided implies functionality that is not implemented");
    }
  }

  switch (fault) {
    case RequestFault::slowdown:
    case RequestFault::over_capacity:
      stats_.throttle();
      if (fault == RequestFault::slowdown) stats_.fault("slowdown");
      return c.error(503, "SlowDown", "Please reduce your request rate.");
    case RequestFault::internal:
      stats_.fault("internal");
      return c.error(500, "InternalError", "We encountered an internal error. Please try again.");
    case RequestFault::error_in_200:
      if (request.method != "HEAD") {
        stats_.fault("error-in-200");
        HttpResponse r = c.error(500, "InternalError",
                                 "We encountered an internal error. Please try again.");
        r.status = 200;
        return r;
      }
      break;
    default:
      break;
  }
  return dispatch(c);
}

HttpResponse Router::dispatch(Call& c) {
  const Route& r = c.route;
  if (r.op == "ListBuckets") {
    std::lock_guard lock(store_.mutex());
    return c.respond(200, list_buckets_xml(store_.buckets()));
  }
  if (r.op.ends_with("Unknown")) {
    return c.error(501, "NotImplemented",
                   "s3emu does not implement " + c.req.method + " on this resource");
  }
  return r.key.empty() ? bucket_op(c) : object_op(c);
}

}  // namespace s3emu
