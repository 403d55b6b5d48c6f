#include "s3emu/router.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <ctime>

#include "protocol/crypto.hpp"
#include "protocol/endpoint.hpp"
#include "protocol/uri.hpp"
#include "protocol/xml_reader.hpp"
#include "s3emu/answers.hpp"
#include "s3emu/listing.hpp"

namespace s3emu {

namespace proto = s3purge::protocol;

namespace {

std::int64_t system_clock_seconds() { return static_cast<std::int64_t>(std::time(nullptr)); }

// "2026-11-24T00:00:00Z" or with fractional seconds; 0 when unreadable.
std::int64_t parse_iso8601(std::string_view s) {
  std::tm tm{};
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  const std::string text(s);
  if (std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &sec) != 6) return 0;
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = sec;
  return static_cast<std::int64_t>(timegm(&tm));
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

struct Error {
  int status;
  std::string code;
  std::string message;
};

}  // namespace

bool Route::has(std::string_view name) const { return param(name) != nullptr; }

const std::string* Route::param(std::string_view name) const {
  for (const auto& q : query) {
    if (q.name == name) return &q.value;
  }
  return nullptr;
}

struct Router::Call {
  const EmuRequest& req;
  const Route& route;
  std::uint64_t seq;
  std::string request_id;
  std::int64_t now;

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

Router::Router(Store& store, Stats& stats, RouterOptions options, const FaultInjector* faults,
               std::int64_t (*clock)())
    : store_(store),
      stats_(stats),
      options_(std::move(options)),
      faults_(faults),
      clock_(clock ? clock : &system_clock_seconds) {}

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
    r.op = r.key == "stats" ? "Stats" : "EmuUnknown";
    return r;
  }
  if (r.bucket.empty()) {
    r.op = m == "GET" ? "ListBuckets" : "ServiceUnknown";
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
  Call c{request, route, request_seq, id, clock_()};

  if (route.op == "Stats") {
    return c.respond(200, stats_.to_json(store_), false);
  }
  if (!route.error.empty()) return c.error(400, "InvalidURI", route.error);

  HttpResponse denied;
  if (!authenticate(c, denied).empty()) return denied;

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

std::string Router::authenticate(Call& c, HttpResponse& denied) {
  if (options_.access_key.empty()) return {};
  auto deny = [&](int status, std::string_view code, std::string message,
                  std::vector<ErrorExtra> extra = {}) {
    denied = c.error(status, code, message, extra);
    return std::string(code);
  };
  const std::string_view auth = c.req.headers.get("authorization");
  if (auth.empty()) return deny(403, "AccessDenied", "Anonymous access is not allowed");
  constexpr std::string_view kAlgo = "AWS4-HMAC-SHA256 ";
  if (!auth.starts_with(kAlgo)) {
    return deny(400, "InvalidArgument", "Only AWS4-HMAC-SHA256 is supported");
  }
  auto field = [&](std::string_view name) -> std::string {
    const auto at = auth.find(name);
    if (at == std::string_view::npos) return {};
    const auto start = at + name.size();
    const auto end = auth.find(',', start);
    std::string v(auth.substr(start, end == std::string_view::npos ? auth.npos : end - start));
    while (!v.empty() && v.back() == ' ') v.pop_back();
    return v;
  };
  const std::string credential = field("Credential=");
  const std::string signed_headers = field("SignedHeaders=");
  const std::string signature = field("Signature=");
  // Credential=AKID/DATE/REGION/s3/aws4_request
  std::vector<std::string> scope;
  for (std::size_t p = 0, q; p <= credential.size(); p = q + 1) {
    q = credential.find('/', p);
    if (q == std::string::npos) q = credential.size();
    scope.push_back(credential.substr(p, q - p));
  }
  if (scope.size() != 5 || signed_headers.empty() || signature.empty()) {
    return deny(400, "AuthorizationHeaderMalformed", "The authorization header is malformed");
  }
  if (scope[0] != options_.access_key) {
    return deny(403, "InvalidAccessKeyId",
                "The AWS Access Key Id you provided does not exist in our records.");
  }
  std::string expected_region = options_.region;
  {
    std::lock_guard lock(store_.mutex());
    if (const Bucket* b = store_.find(c.route.bucket)) expected_region = b->region;
  }
  if (scope[2] != expected_region) {
    return deny(400, "AuthorizationHeaderMalformed",
                "The authorization header is malformed; the region '" + scope[2] +
                    "' is wrong; expecting '" + expected_region + "'",
                {{"Region", expected_region}});
  }
  const std::string timestamp(c.req.headers.get("x-amz-date"));
  if (timestamp.size() != 16 || timestamp.substr(0, 8) != scope[1]) {
    return deny(403, "AccessDenied", "x-amz-date is missing or does not match the credential date");
  }
  const std::string payload_hash(c.req.headers.get("x-amz-content-sha256"));
  if (payload_hash.empty()) {
    return deny(400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256");
  }
  if (payload_hash.size() == 64 && payload_hash != proto::sha256_hex(c.req.body)) {
    return deny(400, "XAmzContentSHA256Mismatch",
                "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }

  // Rebuild the canonical request from what arrived: the path as sent, the query decoded
  // (canonical_request encodes it again), and only the headers the client signed.
  proto::HttpRequest canonical;
  canonical.method = c.req.method;
  const std::string_view target = c.req.target;
  canonical.path = std::string(target.substr(0, target.find('?')));
  canonical.query = c.route.query;
  bool host_signed = false;
  for (std::size_t p = 0, q; p <= signed_headers.size(); p = q + 1) {
    q = signed_headers.find(';', p);
    if (q == std::string::npos) q = signed_headers.size();
    const std::string name = signed_headers.substr(p, q - p);
    host_signed = host_signed || name == "host";
    for (const auto& [n, v] : c.req.headers) {
      if (proto::iequals(n, name)) canonical.headers.add(name, v);
    }
  }
  if (!host_signed) return deny(403, "AccessDenied", "The host header must be signed");
  canonical.host = std::string(c.req.headers.get("host"));
  const auto cr = proto::canonical_request(canonical, payload_hash);
  const proto::Signer verifier({options_.access_key, options_.secret_key, ""}, scope[2], scope[3]);
  if (verifier.signature(timestamp, cr.text) != signature) {
    return deny(403, "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided. "
                "Check your key and signing method.");
  }
  return {};
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

HttpResponse Router::bucket_op(Call& c) {
  const Route& r = c.route;
  const std::string& op = r.op;

  if (op == "CreateBucket") {
    if (auto ok = proto::validate_bucket_name(r.bucket);
        !ok || !proto::is_dns_compatible_bucket(r.bucket)) {
      return c.error(400, "InvalidBucketName", "The specified bucket is not valid.");
    }
    std::string region = options_.region;
    if (!c.req.body.empty()) {
      auto doc = proto::XmlDocument::parse(c.req.body);
      if (!doc) return c.error(400, "MalformedXML", "The XML you provided was not well-formed");
      const std::string lc = doc->root().child_text("LocationConstraint");
      if (!lc.empty()) region = lc;
    }
    const bool lock = proto::iequals(c.req.headers.get("x-amz-bucket-object-lock-enabled"), "true");
    std::lock_guard guard(store_.mutex());
    if (!store_.create(r.bucket, region, lock, c.now)) {
      return c.error(409, "BucketAlreadyOwnedByYou",
                     "Your previous request to create the named bucket succeeded and you already "
                     "own it.");
    }
    HttpResponse resp = c.respond(200);
    resp.headers.set("Location", "/" + r.bucket);
    return resp;
  }

  std::unique_lock guard(store_.mutex());
  Bucket* b = store_.find(r.bucket);
  if (!b) {
    if (op == "HeadBucket") return c.respond(404);
    return c.no_such_bucket();
  }

  if (op == "HeadBucket") {
    HttpResponse resp = c.respond(200);
    resp.headers.set("x-amz-bucket-region", b->region);
    return resp;
  }
  if (op == "DeleteObjects") {
    if (!options_.delete_objects) {
      return c.error(501, "NotImplemented",
                     "A header or query you provided implies functionality that is not "
                     "implemented");
    }
    return delete_objects(c, *b);
  }
  if (op == "ListObjectsV2" || op == "ListObjects") {
    ObjectsQuery q;
    if (auto* v = r.param("prefix")) q.prefix = *v;
    if (auto* v = r.param("delimiter")) q.delimiter = *v;
    if (auto* v = r.param("start-after")) q.start_after = *v;
    if (auto* v = r.param("continuation-token")) q.continuation_token = *v;
    if (auto* v = r.param("marker")) q.marker = *v;
    q.max_keys = std::min(parse_int(r.param("max-keys"), 1000), 1000);
    if (q.max_keys < 0) return c.error(400, "InvalidArgument", "max-keys must be a number");
    const auto* enc = r.param("encoding-type");
    if (enc && *enc != "url") return c.error(400, "InvalidArgument", "Invalid Encoding Method specified in Request");
    ObjectsPage page;
    if (!list_objects(*b, q, page)) {
      return c.error(400, "InvalidArgument", "The continuation token provided is incorrect");
    }
    std::string body;
    body.reserve(64 + page.contents.size() * 256);
    if (op == "ListObjectsV2") {
      list_objects_v2_xml(body, r.bucket, q, page, enc != nullptr);
    } else {
      list_objects_v1_xml(body, r.bucket, q, page, enc != nullptr);
    }
    return c.respond(200, std::move(body));
  }
  if (op == "ListObjectVersions") {
    VersionsQuery q;
    if (auto* v = r.param("prefix")) q.prefix = *v;
    if (auto* v = r.param("delimiter")) q.delimiter = *v;
    if (auto* v = r.param("key-marker")) q.key_marker = *v;
    if (auto* v = r.param("version-id-marker")) q.version_id_marker = *v;
    q.max_keys = std::min(parse_int(r.param("max-keys"), 1000), 1000);
    if (q.max_keys < 0) return c.error(400, "InvalidArgument", "max-keys must be a number");
    if (!q.version_id_marker.empty() && q.key_marker.empty()) {
      return c.error(400, "InvalidArgument",
                     "A version-id marker cannot be specified without a key marker.");
    }
    VersionsPage page;
    list_versions(*b, q, page);
    std::string body;
    body.reserve(64 + page.entries.size() * 320);
    list_versions_xml(body, r.bucket, q, page, r.has("encoding-type"));
    return c.respond(200, std::move(body));
  }
  if (op == "ListMultipartUploads") {
    UploadsQuery q;
    if (auto* v = r.param("prefix")) q.prefix = *v;
    if (auto* v = r.param("key-marker")) q.key_marker = *v;
    if (auto* v = r.param("upload-id-marker")) q.upload_id_marker = *v;
    q.max_uploads = std::min(parse_int(r.param("max-uploads"), 1000), 1000);
    if (q.max_uploads < 0) return c.error(400, "InvalidArgument", "max-uploads must be a number");
    UploadsPage page;
    list_uploads(*b, q, page);
    std::string body;
    list_uploads_xml(body, r.bucket, q, page, r.has("encoding-type"));
    return c.respond(200, std::move(body));
  }
  if (op == "DeleteBucket") {
    const BucketCensus census = Store::census(*b);
    if (!census.empty()) {
      return c.error(409, "BucketNotEmpty", "The bucket you tried to delete is not empty",
                     {{"BucketName", r.bucket}});
    }
    store_.buckets().erase(store_.buckets().find(r.bucket));
    return c.respond(204);
  }
  if (op == "GetBucketVersioning") return c.respond(200, versioning_xml(b->versioning));
  if (op == "PutBucketVersioning") {
    auto doc = proto::XmlDocument::parse(c.req.body);
    if (!doc) return c.error(400, "MalformedXML", "The XML you provided was not well-formed");
    const std::string status = doc->root().child_text("Status");
    if (status == "Enabled") {
      b->versioning = Versioning::enabled;
    } else if (status == "Suspended") {
      if (b->object_lock) {
        return c.error(409, "InvalidBucketState",
                       "An Object Lock configuration is present on this bucket, so the "
                       "versioning state cannot be changed.");
      }
      b->versioning = Versioning::suspended;
    } else {
      return c.error(400, "MalformedXML", "The XML you provided was not well-formed");
    }
    return c.respond(200);
  }
  if (op == "GetBucketLocation") return c.respond(200, location_xml(b->region));
  if (op == "GetBucketLifecycleConfiguration") {
    if (b->lifecycle_xml.empty()) {
      return c.error(404, "NoSuchLifecycleConfiguration",
                     "The lifecycle configuration does not exist", {{"BucketName", r.bucket}});
    }
    return c.respond(200, b->lifecycle_xml);
  }
  if (op == "PutBucketLifecycleConfiguration") {
    auto doc = proto::XmlDocument::parse(c.req.body);
    if (!doc || doc->root().name() != "LifecycleConfiguration") {
      return c.error(400, "MalformedXML", "The XML you provided was not well-formed");
    }
    b->lifecycle_xml = c.req.body;
    return c.respond(200);
  }
  if (op == "DeleteBucketLifecycle") {
    b->lifecycle_xml.clear();
    return c.respond(204);
  }
  if (op == "GetObjectLockConfiguration") {
    if (!b->object_lock) {
      return c.error(404, "ObjectLockConfigurationNotFoundError",
                     "Object Lock configuration does not exist for this bucket",
                     {{"BucketName", r.bucket}});
    }
    return c.respond(200, object_lock_xml(*b));
  }
  if (op == "PutObjectLockConfiguration") {
    auto doc = proto::XmlDocument::parse(c.req.body);
    if (!doc) return c.error(400, "MalformedXML", "The XML you provided was not well-formed");
    if (!b->object_lock) {
      return c.error(409, "InvalidBucketState", "Object Lock is not enabled for this bucket");
    }
    const auto retention = doc->root().child("Rule").child("DefaultRetention");
    const std::string mode = retention.child_text("Mode");
    b->default_lock = mode == "GOVERNANCE"   ? LockMode::governance
                      : mode == "COMPLIANCE" ? LockMode::compliance
                                             : LockMode::none;
    const std::string days = retention.child_text("Days");
    b->default_lock_days = parse_int(&days, 0);
    return c.respond(200);
  }
  if (op == "GetBucketReplication") {
    if (b->replication_xml.empty()) {
      return c.error(404, "ReplicationConfigurationNotFoundError",
                     "The replication configuration was not found", {{"BucketName", r.bucket}});
    }
    return c.respond(200, b->replication_xml);
  }
  if (op == "GetBucketOther") {
    return c.error(404, "NoSuchConfiguration", "s3emu keeps no such configuration");
  }
  return c.error(501, "NotImplemented", "s3emu does not implement " + op);
}

HttpResponse Router::delete_objects(Call& c, Bucket& b) {
  const std::string_view md5 = c.req.headers.get("content-md5");
  bool has_checksum = !md5.empty();
  for (const auto& [name, value] : c.req.headers) {
    if (name.size() > 15 && proto::iequals(name.substr(0, 15), "x-amz-checksum-")) {
      has_checksum = true;
    }
  }
  if (!has_checksum) {
    return c.error(400, "InvalidRequest",
                   "Missing required header for this request: Content-Md5.");
  }
  if (!md5.empty() && md5 != proto::content_md5(c.req.body)) {
    const bool well_formed = md5.size() == 24 && md5.ends_with("==");
    return well_formed ? c.error(400, "BadDigest",
                                 "The Content-MD5 you specified did not match what we received.")
                       : c.error(400, "InvalidDigest", "The Content-MD5 you specified is not valid.");
  }
  auto doc = proto::XmlDocument::parse(c.req.body);
  if (!doc || doc->root().name() != "Delete") {
    return c.error(400, "MalformedXML",
                   "The XML you provided was not well-formed or did not validate against our "
                   "published schema");
  }
  const proto::XmlNode root = doc->root();
  const bool quiet = root.child_text("Quiet") == "true";
  const bool bypass =
      proto::iequals(c.req.headers.get("x-amz-bypass-governance-retention"), "true");
  std::vector<DeleteResultEntry> entries;
  for (const proto::XmlNode o : root) {
    if (o.name() != "Object") continue;
    if (!o.has_child("Key")) {
      return c.error(400, "MalformedXML", "The XML you provided was not well-formed");
    }
    entries.push_back({o.child_text("Key"), o.child_text("VersionId"), {}});
  }
  if (entries.empty() || entries.size() > 1000) {
    return c.error(400, "MalformedXML",
                   "The XML you provided was not well-formed or did not validate against our "
                   "published schema");
  }
  std::uint64_t removed = 0, without_effect = 0;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    auto& e = entries[i];
    if (faults_ && faults_->key_error(c.seq, i)) {
      e.outcome.error_code = "InternalError";
      e.outcome.error_message = "We encountered an internal error. Please try again.";
      stats_.fault("key-error");
      continue;
    }
    e.outcome = store_.remove(b, e.key, e.version_id, bypass, c.now);
    if (e.outcome.removed) {
      ++removed;
    } else if (e.outcome.error_code.empty() && !e.outcome.delete_marker) {
      ++without_effect;
    }
  }
  stats_.keys_deleted(removed);
  stats_.deletes_without_effect(without_effect);
  std::string body;
  body.reserve(quiet ? 256 : entries.size() * 96);
  delete_result_xml(body, entries, quiet);
  return c.respond(200, std::move(body));
}

HttpResponse Router::object_op(Call& c) {
  const Route& r = c.route;
  const std::string& op = r.op;
  std::unique_lock guard(store_.mutex());
  Bucket* b = store_.find(r.bucket);
  if (!b) return c.req.method == "HEAD" ? c.respond(404) : c.no_such_bucket();
  const std::string version_id = r.param("versionId") ? *r.param("versionId") : std::string();

  if (op == "PutObject" || op == "UploadPart") {
    std::string body = c.req.body;
    const bool chunked =
        c.req.headers.get("content-encoding").find("aws-chunked") != std::string_view::npos ||
        c.req.headers.get("x-amz-content-sha256").starts_with("STREAMING-");
    if (chunked) {
      auto decoded = decode_aws_chunked(body);
      if (!decoded) return c.error(400, "IncompleteBody", "Malformed aws-chunked body");
      body = std::move(*decoded);
    }
    const std::string_view md5 = c.req.headers.get("content-md5");
    if (!md5.empty() && md5 != proto::content_md5(body)) {
      return c.error(400, "BadDigest", "The Content-MD5 you specified did not match what we received.");
    }
    const Md5 md5_digest = proto::md5(body);
    if (op == "UploadPart") {
      const std::string& upload_id = *r.param("uploadId");
      auto it = b->uploads.find({r.key, upload_id});
      if (it == b->uploads.end()) {
        return c.error(404, "NoSuchUpload", "The specified upload does not exist.",
                       {{"UploadId", upload_id}});
      }
      const int part = parse_int(r.param("partNumber"), -1);
      if (part < 1 || part > 10000) {
        return c.error(400, "InvalidArgument", "Part number must be an integer between 1 and 10000");
      }
      const std::uint64_t part_size = body.size();
      if (part_size > options_.max_object_bytes_kept) body.clear();
      it->second.parts[part] = Part{part_size, md5_digest, std::move(body)};
      HttpResponse resp = c.respond(200);
      resp.headers.set("ETag", "\"" + proto::hex_lower(md5_digest) + "\"");
      return resp;
    }
    LockMode lock = LockMode::none;
    const std::string_view mode = c.req.headers.get("x-amz-object-lock-mode");
    if (mode == "GOVERNANCE") lock = LockMode::governance;
    if (mode == "COMPLIANCE") lock = LockMode::compliance;
    if ((lock != LockMode::none || c.req.headers.contains("x-amz-object-lock-legal-hold")) &&
        !b->object_lock) {
      return c.error(400, "InvalidRequest", "Bucket is missing Object Lock Configuration");
    }
    const std::int64_t until =
        parse_iso8601(c.req.headers.get("x-amz-object-lock-retain-until-date"));
    const bool hold = c.req.headers.get("x-amz-object-lock-legal-hold") == "ON";
    const std::uint64_t size = body.size();
    std::optional<std::string> kept;
    if (size <= options_.max_object_bytes_kept) kept = std::move(body);
    const Version& v =
        store_.put(*b, r.key, std::move(kept), size, md5_digest, 0, c.now, lock, until, hold);
    HttpResponse resp = c.respond(200);
    resp.headers.set("ETag", v.etag());
    if (b->versioning != Versioning::never) resp.headers.set("x-amz-version-id", v.version_id);
    return resp;
  }

  if (op == "GetObject" || op == "HeadObject") {
    auto it = b->keys.find(r.key);
    const Version* v = nullptr;
    if (it != b->keys.end()) {
      if (version_id.empty()) {
        v = it->second.current();
      } else {
        for (const auto& x : it->second.versions) {
          if (x.version_id == version_id) v = &x;
        }
      }
    }
    if (!v || v->delete_marker) {
      HttpResponse resp = version_id.empty()
                              ? c.error(404, "NoSuchKey", "The specified key does not exist.",
                                        {{"Key", r.key}})
                              : c.error(404, "NoSuchVersion",
                                        "The specified version does not exist.",
                                        {{"Key", r.key}, {"VersionId", version_id}});
      if (v && v->delete_marker) resp.headers.set("x-amz-delete-marker", "true");
      return resp;
    }
    // Objects seeded or too large to keep answer with their size in 'x' bytes.
    std::string body;
    if (auto kept = b->bodies.find(v->seq); kept != b->bodies.end()) {
      body = kept->second;
    } else {
      body.assign(v->size <= (64u << 20) ? v->size : 0, 'x');
    }
    // Range: bytes=A-B, A- or -N, as clients use for parallel downloads.
    int status = 200;
    std::string content_range;
    if (const std::string_view range = c.req.headers.get("range"); range.starts_with("bytes=")) {
      const std::string_view spec = range.substr(6);
      const auto dash = spec.find('-');
      std::uint64_t first = 0, last = v->size ? v->size - 1 : 0;
      bool ok = dash != std::string_view::npos && v->size > 0;
      if (ok) {
        const std::string a(spec.substr(0, dash)), z(spec.substr(dash + 1));
        if (a.empty()) {
          const int n = parse_int(&z, -1);
          ok = n > 0;
          if (ok) first = v->size - std::min<std::uint64_t>(static_cast<std::uint64_t>(n), v->size);
        } else {
          first = std::strtoull(a.c_str(), nullptr, 10);
          if (!z.empty()) last = std::min<std::uint64_t>(std::strtoull(z.c_str(), nullptr, 10), last);
          ok = first <= last;
        }
      }
      if (!ok) {
        return c.error(416, "InvalidRange", "The requested range is not satisfiable");
      }
      body = body.substr(first, last - first + 1);
      status = 206;
      content_range = "bytes " + std::to_string(first) + "-" + std::to_string(last) + "/" +
                      std::to_string(v->size);
    }
    HttpResponse resp = c.respond(status, std::move(body), false);
    if (!content_range.empty()) resp.headers.set("Content-Range", content_range);
    resp.headers.set("ETag", v->etag());
    resp.headers.set("Content-Type", "binary/octet-stream");
    resp.headers.set("Last-Modified", http_date(v->last_modified));
    if (c.req.method == "HEAD") resp.headers.set("Content-Length", std::to_string(v->size));
    if (b->versioning != Versioning::never) resp.headers.set("x-amz-version-id", v->version_id);
    return resp;
  }

  if (op == "DeleteObject") {
    const bool bypass =
        proto::iequals(c.req.headers.get("x-amz-bypass-governance-retention"), "true");
    const DeleteOutcome o = store_.remove(*b, r.key, version_id, bypass, c.now);
    if (!o.error_code.empty()) return c.error(403, o.error_code, o.error_message);
    if (o.removed) {
      stats_.keys_deleted(1);
    } else if (!o.delete_marker) {
      stats_.deletes_without_effect(1);
    }
    HttpResponse resp = c.respond(204);
    if (o.delete_marker) resp.headers.set("x-amz-delete-marker", "true");
    if (!o.version_id.empty()) resp.headers.set("x-amz-version-id", o.version_id);
    return resp;
  }

  if (op == "CreateMultipartUpload") {
    const std::string id = store_.create_upload(*b, r.key, c.now);
    return c.respond(200, initiate_upload_xml(r.bucket, r.key, id));
  }

  if (op == "AbortMultipartUpload" || op == "CompleteMultipartUpload" || op == "ListParts") {
    const std::string& upload_id = *r.param("uploadId");
    auto it = b->uploads.find({r.key, upload_id});
    if (it == b->uploads.end()) {
      return c.error(404, "NoSuchUpload",
                     "The specified upload does not exist. The upload ID may be invalid, or the "
                     "upload may have been aborted or completed.",
                     {{"UploadId", upload_id}});
    }
    if (op == "AbortMultipartUpload") {
      b->uploads.erase(it);
      stats_.uploads_aborted(1);
      return c.respond(204);
    }
    if (op == "ListParts") {
      std::string body = R"(<?xml version="1.0" encoding="UTF-8"?><ListPartsResult>)";
      for (const auto& [n, p] : it->second.parts) {
        body += "<Part><PartNumber>" + std::to_string(n) + "</PartNumber><ETag>\"" +
                proto::hex_lower(p.md5) + "\"</ETag><Size>" + std::to_string(p.size) +
                "</Size></Part>";
      }
      body += "<IsTruncated>false</IsTruncated></ListPartsResult>";
      return c.respond(200, std::move(body));
    }
    auto doc = proto::XmlDocument::parse(c.req.body);
    if (!doc) return c.error(400, "MalformedXML", "The XML you provided was not well-formed");
    std::uint64_t size = 0;
    int count = 0;
    std::string part_md5s;
    std::string joined;
    bool bodies_kept = true;
    for (const proto::XmlNode part : doc->root()) {
      if (part.name() != "Part") continue;
      const std::string n = part.child_text("PartNumber");
      const auto p = it->second.parts.find(parse_int(&n, -1));
      if (p == it->second.parts.end()) {
        return c.error(400, "InvalidPart", "One or more of the specified parts could not be found.");
      }
      size += p->second.size;
      bodies_kept = bodies_kept && p->second.body.size() == p->second.size &&
                    size <= options_.max_object_bytes_kept;
      if (bodies_kept) joined += p->second.body;
      part_md5s.append(reinterpret_cast<const char*>(p->second.md5.data()), 16);
      ++count;
    }
    if (count == 0) return c.error(400, "MalformedXML", "The XML you provided was not well-formed");
    b->uploads.erase(it);
    // S3's multipart ETag: MD5 of the parts' MD5s, then "-N".
    std::optional<std::string> kept;
    if (bodies_kept) kept = std::move(joined);
    const Version& v = store_.put(*b, r.key, std::move(kept), size, proto::md5(part_md5s),
                                  static_cast<std::uint16_t>(count), c.now, LockMode::none, 0,
                                  false);
    HttpResponse resp = c.respond(200, complete_upload_xml(r.bucket, r.key, v.etag()));
    if (b->versioning != Versioning::never) resp.headers.set("x-amz-version-id", v.version_id);
    return resp;
  }

  if (op == "PutObjectRetention" || op == "PutObjectLegalHold") {
    if (!b->object_lock) {
      return c.error(400, "InvalidRequest", "Bucket is missing Object Lock Configuration");
    }
    auto doc = proto::XmlDocument::parse(c.req.body);
    if (!doc) return c.error(400, "MalformedXML", "The XML you provided was not well-formed");
    auto it = b->keys.find(r.key);
    Version* v = nullptr;
    if (it != b->keys.end()) {
      for (auto& x : it->second.versions) {
        if (version_id.empty() ? !x.delete_marker : x.version_id == version_id) {
          v = &x;
          break;
        }
      }
    }
    if (!v) return c.error(404, "NoSuchKey", "The specified key does not exist.");
    const proto::XmlNode root = doc->root();
    if (op == "PutObjectLegalHold") {
      v->legal_hold = root.child_text("Status") == "ON";
    } else {
      const std::string mode = root.child_text("Mode");
      v->lock = mode == "GOVERNANCE"   ? LockMode::governance
                : mode == "COMPLIANCE" ? LockMode::compliance
                                       : LockMode::none;
      v->retain_until = parse_iso8601(root.child_text("RetainUntilDate"));
    }
    return c.respond(200);
  }
  return c.error(501, "NotImplemented", "s3emu does not implement " + op);
}

}  // namespace s3emu
