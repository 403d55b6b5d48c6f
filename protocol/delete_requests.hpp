// Builders for the requests that remove things: DeleteObjects (batches of up to 1000),
// DeleteObject (one key, for servers without DeleteObjects and for keys XML cannot carry)
// and AbortMultipartUpload.
#pragma once

#include <span>
#include <string>

#include "protocol/checksums.hpp"
#include "protocol/error.hpp"
#include "protocol/request_context.hpp"

namespace s3purge::protocol {

// S3's limit on keys in one DeleteObjects request.
inline constexpr std::size_t kMaxDeleteKeys = 1000;

struct ObjectId {
  std::string key;
  std::string version_id;  // empty: the current version (unversioned buckets)
  bool marker = false;     // the entry is a delete marker (not sent: for reading the answer)
};

struct DeleteOptions {
  bool quiet = true;                // only errors come back: smaller answers to parse
  bool bypass_governance = false;   // x-amz-bypass-governance-retention: true
  std::string mfa;                  // x-amz-mfa: "SERIAL CODE", for MFA-delete buckets
  ChecksumAlgorithm checksum = ChecksumAlgorithm::md5;  // DeleteObjects' integrity header
};

// Writes the <Delete> document into `body`, replacing its content but keeping its capacity
// (a 1000-key body is ~70 KB; reusing it saves the page faults of a fresh one).
// Errors: invalid_key (no keys, or an empty key), too_many_keys, key_not_xml_safe (the
// message names the index of the first such key).
Result<Ok> write_delete_objects_body(std::span<const ObjectId> objects, bool quiet,
                                     std::string& body);

// POST /?delete with Content-MD5 or the flexible checksum `options.checksum` names. `body_buffer` lends its capacity to the request body.
Result<HttpRequest> build_delete_objects(const RequestContext& ctx,
                                         std::span<const ObjectId> objects,
                                         const DeleteOptions& options,
                                         std::string body_buffer = {});

// DELETE /key[?versionId=]: the key travels URL-encoded in the path, so any byte works.
Result<HttpRequest> build_delete_object(const RequestContext& ctx, const ObjectId& object,
                                        const DeleteOptions& options);

// DELETE /key?uploadId=
Result<HttpRequest> build_abort_multipart_upload(const RequestContext& ctx, std::string_view key,
                                                 std::string_view upload_id);

}  // namespace s3purge::protocol
