#include "protocol/delete_requests.hpp"

#include "protocol/crypto.hpp"
#include "protocol/xml_writer.hpp"

namespace s3purge::protocol {
namespace {

void add_delete_headers(HttpRequest& r, const DeleteOptions& options) {
  if (options.bypass_governance) r.headers.set("x-amz-bypass-governance-retention", "true");
  if (!options.mfa.empty()) r.headers.set("x-amz-mfa", options.mfa);
}

}  // namespace

Result<Ok> write_delete_objects_body(std::span<const ObjectId> objects, bool quiet,
                                     std::string& body) {
  if (objects.empty()) return Error(client_errc::invalid_key, "DeleteObjects needs at least one key");
  if (objects.size() > kMaxDeleteKeys) {
    return Error(client_errc::too_many_keys,
                 std::to_string(objects.size()) + " keys in one DeleteObjects; S3 takes at most " +
                     std::to_string(kMaxDeleteKeys));
  }
  body.clear();
  // ~60 bytes of markup per object beside the key and version: one allocation at most.
  std::size_t estimate = 160;
  for (const ObjectId& o : objects) estimate += 64 + o.key.size() + o.version_id.size();
  body.reserve(estimate);
  body += R"(<?xml version="1.0" encoding="UTF-8"?>)";
  body += R"(<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/">)";
  if (quiet) body += "<Quiet>true</Quiet>";
  for (std::size_t i = 0; i < objects.size(); ++i) {
    const ObjectId& o = objects[i];
    if (o.key.empty()) return Error(client_errc::invalid_key, "empty key at index " + std::to_string(i));
    body += "<Object><Key>";
    bool ok = append_xml_escaped(body, o.key);
    body += "</Key>";
    if (ok && !o.version_id.empty()) {
      body += "<VersionId>";
      ok = append_xml_escaped(body, o.version_id);
      body += "</VersionId>";
    }
    if (!ok) {
      return Error(client_errc::key_not_xml_safe,
                   "key at index " + std::to_string(i) + " cannot be carried in XML");
    }
    body += "</Object>";
  }
  body += "</Delete>";
  return Ok{};
}

Result<HttpRequest> build_delete_objects(const RequestContext& ctx,
                                         std::span<const ObjectId> objects,
                                         const DeleteOptions& options, std::string body_buffer) {
  if (auto ok = write_delete_objects_body(objects, options.quiet, body_buffer); !ok) {
    return std::move(ok).error();
  }
  HttpRequest r = ctx.make_bucket_request("POST");
  r.query.push_back({"delete", ""});
  r.headers.set("content-type", "application/xml");
  add_delete_headers(r, options);
  r.body = std::move(body_buffer);
  set_body_checksum(r, options.checksum);
  return r;
}

Result<HttpRequest> build_delete_object(const RequestContext& ctx, const ObjectId& object,
                                        const DeleteOptions& options) {
  if (object.key.empty()) return Error(client_errc::invalid_key, "DeleteObject needs a key");
  HttpRequest r = ctx.make_object_request("DELETE", object.key);
  if (!object.version_id.empty()) r.query.push_back({"versionId", object.version_id});
  add_delete_headers(r, options);
  return r;
}

Result<HttpRequest> build_abort_multipart_upload(const RequestContext& ctx, std::string_view key,
                                                 std::string_view upload_id) {
  if (key.empty()) return Error(client_errc::invalid_key, "AbortMultipartUpload needs a key");
  if (upload_id.empty()) {
    return Error(client_errc::invalid_key, "AbortMultipartUpload needs an upload id");
  }
  HttpRequest r = ctx.make_object_request("DELETE", key);
  r.query.push_back({"uploadId", std::string(upload_id)});
  return r;
}

}  // namespace s3purge::protocol
