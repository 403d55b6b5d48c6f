// Operations on one object: put (plain or aws-chunked), get and head (with ranges),
// delete, multipart uploads, retention and legal hold.
#include "s3emu/router.hpp"

#include <algorithm>
#include <cstdlib>

#include "protocol/crypto.hpp"
#include "protocol/endpoint.hpp"
#include "protocol/uri.hpp"
#include "protocol/xml_reader.hpp"
#include "s3emu/listing.hpp"
#include "s3emu/router_call.hpp"

namespace s3emu {

namespace proto = s3purge::protocol;
using namespace detail;

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
    std::uint8_t storage_class = 0;
    if (const auto named = c.req.headers.get("x-amz-storage-class"); !named.empty()) {
      const auto index = storage_class_index(named);
      if (!index) return c.error(400, "InvalidStorageClass", "The storage class you specified is not valid");
      storage_class = *index;
    }
    const std::uint64_t size = body.size();
    std::optional<std::string> kept;
    if (size <= options_.max_object_bytes_kept) kept = std::move(body);
    const Version& v =
        store_.put(*b, r.key, std::move(kept), size, md5_digest, 0, c.now, lock, until, hold,
                   storage_class);
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
