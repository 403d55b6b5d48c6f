#include "protocol/list_responses.hpp"

#include "protocol/xml_fields.hpp"
#include "protocol/xml_reader.hpp"

namespace s3purge::protocol {
namespace {

bool url_encoded(const XmlNode& root) { return root.child_text("EncodingType") == "url"; }

Result<Ok> read_common_prefixes(const XmlNode& root, bool encoded, std::vector<std::string>& out) {
  for (const XmlNode n : root) {
    if (n.name() != "CommonPrefixes") continue;
    std::string p;
    S3PURGE_TRY_ASSIGN(p, key_field(n, "Prefix", encoded));
    out.push_back(std::move(p));
  }
  return Ok{};
}

Error truncated_without(std::string_view marker) {
  return Error(client_errc::inconsistent_listing,
               "page says IsTruncated=true but has no " + std::string(marker) +
                   " to continue from");
}

}  // namespace

Result<ListObjectsV2Page> parse_list_objects_v2(std::string_view body) {
  auto doc = parse_document(body, "ListBucketResult");
  if (!doc) return std::move(doc).error();
  const XmlNode root = doc->root();
  const bool encoded = url_encoded(root);

  ListObjectsV2Page page;
  S3PURGE_TRY_ASSIGN(page.is_truncated, bool_field(root, "IsTruncated", false));
  page.next_continuation_token = root.child_text("NextContinuationToken");
  for (const XmlNode n : root) {
    if (n.name() != "Contents") continue;
    ListedObject o;
    bool has_key = false;
    for (const XmlNode f : n) {  // one pass over the entry's fields
      const std::string_view field = f.name();
      if (field == "Key") {
        S3PURGE_TRY_ASSIGN(o.key, key_value(f, encoded));
        has_key = true;
      } else if (field == "Size") {
        S3PURGE_TRY_ASSIGN(o.size, uint_value(f));
      }
    }
    if (!has_key) return malformed("<Contents> without <Key>");
    page.objects.push_back(std::move(o));
  }
  if (auto ok = read_common_prefixes(root, encoded, page.common_prefixes); !ok) {
    return std::move(ok).error();
  }
  if (page.is_truncated && page.next_continuation_token.empty()) {
    return truncated_without("NextContinuationToken");
  }
  return page;
}

Result<ListVersionsPage> parse_list_object_versions(std::string_view body) {
  auto doc = parse_document(body, "ListVersionsResult");
  if (!doc) return std::move(doc).error();
  const XmlNode root = doc->root();
  const bool encoded = url_encoded(root);

  ListVersionsPage page;
  S3PURGE_TRY_ASSIGN(page.is_truncated, bool_field(root, "IsTruncated", false));
  S3PURGE_TRY_ASSIGN(page.next_key_marker, key_field(root, "NextKeyMarker", encoded));
  page.next_version_id_marker = root.child_text("NextVersionIdMarker");
  for (const XmlNode n : root) {
    const bool is_version = n.name() == "Version";
    if (!is_version && n.name() != "DeleteMarker") continue;
    ListedVersion v;
    v.kind = is_version ? VersionKind::version : VersionKind::delete_marker;
    bool has_key = false, has_version_id = false;
    for (const XmlNode f : n) {  // one pass over the entry's fields
      const std::string_view field = f.name();
      if (field == "Key") {
        S3PURGE_TRY_ASSIGN(v.key, key_value(f, encoded));
        has_key = true;
      } else if (field == "VersionId") {
        v.version_id = f.text();
        has_version_id = true;
      } else if (field == "IsLatest") {
        S3PURGE_TRY_ASSIGN(v.is_latest, bool_value(f));
      } else if (field == "Size") {
        S3PURGE_TRY_ASSIGN(v.size, uint_value(f));
      }
    }
    if (!has_key) return malformed("<" + std::string(n.name()) + "> without <Key>");
    if (!has_version_id || v.version_id.empty()) {
      return malformed("<" + std::string(n.name()) + "> without a <VersionId>");
    }
    page.entries.push_back(std::move(v));
  }
  if (auto ok = read_common_prefixes(root, encoded, page.common_prefixes); !ok) {
    return std::move(ok).error();
  }
  if (page.is_truncated) {
    if (!root.has_child("NextKeyMarker") || page.next_key_marker.empty()) {
      return truncated_without("NextKeyMarker");
    }
    if (!root.has_child("NextVersionIdMarker")) return truncated_without("NextVersionIdMarker");
  }
  return page;
}

Result<ListUploadsPage> parse_list_multipart_uploads(std::string_view body) {
  auto doc = parse_document(body, "ListMultipartUploadsResult");
  if (!doc) return std::move(doc).error();
  const XmlNode root = doc->root();
  const bool encoded = url_encoded(root);

  ListUploadsPage page;
  S3PURGE_TRY_ASSIGN(page.is_truncated, bool_field(root, "IsTruncated", false));
  S3PURGE_TRY_ASSIGN(page.next_key_marker, key_field(root, "NextKeyMarker", encoded));
  page.next_upload_id_marker = root.child_text("NextUploadIdMarker");
  for (const XmlNode n : root) {
    if (n.name() != "Upload") continue;
    ListedUpload u;
    if (!n.has_child("Key") || !n.has_child("UploadId")) {
      return malformed("<Upload> without <Key> or <UploadId>");
    }
    S3PURGE_TRY_ASSIGN(u.key, key_field(n, "Key", encoded));
    u.upload_id = n.child_text("UploadId");
    if (u.upload_id.empty()) return malformed("empty <UploadId>");
    u.initiated = n.child_text("Initiated");
    page.uploads.push_back(std::move(u));
  }
  if (auto ok = read_common_prefixes(root, encoded, page.common_prefixes); !ok) {
    return std::move(ok).error();
  }
  if (page.is_truncated && (page.next_key_marker.empty() || !root.has_child("NextUploadIdMarker"))) {
    return truncated_without("NextKeyMarker/NextUploadIdMarker");
  }
  return page;
}

}  // namespace s3purge::protocol
