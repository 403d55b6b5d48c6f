#include "s3emu/answers.hpp"

#include <charconv>
#include <ctime>

#include "protocol/xml_writer.hpp"

namespace s3emu {
namespace {

constexpr std::string_view kXmlHead = R"(<?xml version="1.0" encoding="UTF-8"?>)";
constexpr std::string_view kNs = R"( xmlns="http://s3.amazonaws.com/doc/2006-03-01/")";
constexpr std::string_view kOwner =
    "<Owner><ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID>"
    "<DisplayName>s3emu</DisplayName></Owner>";

void element(std::string& out, std::string_view name, std::string_view text) {
  out += '<';
  out += name;
  out += '>';
  append_text(out, text);
  out += "</";
  out += name;
  out += '>';
}

void key_element(std::string& out, std::string_view name, std::string_view key, bool url) {
  out += '<';
  out += name;
  out += '>';
  if (url) {
    append_url_encoded(out, key);
  } else {
    append_text(out, key);
  }
  out += "</";
  out += name;
  out += '>';
}

// For values that never need escaping (numbers, dates, ETags, our version ids).
void raw_element(std::string& out, std::string_view name, std::string_view text) {
  out += '<';
  out += name;
  out += '>';
  out += text;
  out += "</";
  out += name;
  out += '>';
}

void number(std::string& out, std::string_view name, std::uint64_t v) {
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  raw_element(out, name, std::string_view(buf, static_cast<std::size_t>(end - buf)));
}

// Seeded objects share a timestamp: format each second once per thread.
std::string_view cached_iso8601(std::int64_t t) {
  thread_local std::int64_t last = -1;
  thread_local std::string text;
  if (t != last) text = iso8601(t), last = t;
  return text;
}

void etag_element(std::string& out, const Version& v) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "<ETag>\"";
  for (const auto b : v.md5) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  if (v.parts) {
    out += '-';
    out += std::to_string(v.parts);
  }
  out += "\"</ETag>";
}

const char* bool_text(bool b) { return b ? "true" : "false"; }

void storage_class_element(std::string& out, const Version& v) {
  out += "<StorageClass>";
  out += storage_class_names()[v.storage_class];
  out += "</StorageClass>";
}

// The <Contents> and <CommonPrefixes> of a ListObjects answer (v1 also names the owner),
// and the closing tag.
void objects_and_prefixes(std::string& out, const ObjectsPage& page, bool url, bool with_owner) {
  for (const auto& [key, v] : page.contents) {
    out += "<Contents>";
    key_element(out, "Key", *key, url);
    raw_element(out, "LastModified", cached_iso8601(v->last_modified));
    etag_element(out, *v);
    number(out, "Size", v->size);
    storage_class_element(out, *v);
    if (with_owner) out += kOwner;
    out += "</Contents>";
  }
  for (const auto& cp : page.common_prefixes) {
    out += "<CommonPrefixes>";
    key_element(out, "Prefix", cp, url);
    out += "</CommonPrefixes>";
  }
  out += "</ListBucketResult>";
}

}  // namespace

std::string iso8601(std::int64_t unix_seconds) {
  const std::time_t t = unix_seconds;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
  return buf;
}

std::string http_date(std::int64_t unix_seconds) {
  const std::time_t t = unix_seconds;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

void append_text(std::string& out, std::string_view text) {
  const std::size_t mark = out.size();
  if (s3purge::protocol::append_xml_escaped(out, text)) return;
  out.resize(mark);
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20) {
      out += "&#" + std::to_string(u) + ";";
    } else {
      std::string one(1, c);
      if (!s3purge::protocol::append_xml_escaped(out, one)) out.push_back(c);
    }
  }
}

void append_url_encoded(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.' || c == '~' || c == '/';
    if (keep) {
      out.push_back(ch);
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
}

std::string error_xml(std::string_view code, std::string_view message, std::string_view resource,
                      std::string_view request_id, const std::vector<ErrorExtra>& extra) {
  std::string out(kXmlHead);
  out += "\n<Error>";
  element(out, "Code", code);
  element(out, "Message", message);
  for (const auto& e : extra) element(out, e.name, e.value);
  if (!resource.empty()) element(out, "Resource", resource);
  element(out, "RequestId", request_id);
  element(out, "HostId", "s3emu");
  out += "</Error>";
  return out;
}

void list_objects_v2_xml(std::string& out, std::string_view bucket, const ObjectsQuery& q,
                         const ObjectsPage& page, bool url) {
  out += kXmlHead;
  out += "<ListBucketResult";
  out += kNs;
  out += '>';
  element(out, "Name", bucket);
  key_element(out, "Prefix", q.prefix, url);
  if (!q.start_after.empty()) key_element(out, "StartAfter", q.start_after, url);
  if (!q.continuation_token.empty()) element(out, "ContinuationToken", q.continuation_token);
  if (page.truncated) element(out, "NextContinuationToken", page.next_token);
  number(out, "KeyCount", page.contents.size() + page.common_prefixes.size());
  number(out, "MaxKeys", static_cast<std::uint64_t>(q.max_keys));
  if (!q.delimiter.empty()) key_element(out, "Delimiter", q.delimiter, url);
  if (url) element(out, "EncodingType", "url");
  element(out, "IsTruncated", bool_text(page.truncated));
  objects_and_prefixes(out, page, url, false);
}

void list_objects_v1_xml(std::string& out, std::string_view bucket, const ObjectsQuery& q,
                         const ObjectsPage& page, bool url) {
  out += kXmlHead;
  out += "<ListBucketResult";
  out += kNs;
  out += '>';
  element(out, "Name", bucket);
  key_element(out, "Prefix", q.prefix, url);
  key_element(out, "Marker", q.marker, url);
  if (page.truncated && !q.delimiter.empty()) key_element(out, "NextMarker", page.next_marker, url);
  number(out, "MaxKeys", static_cast<std::uint64_t>(q.max_keys));
  if (!q.delimiter.empty()) key_element(out, "Delimiter", q.delimiter, url);
  if (url) element(out, "EncodingType", "url");
  element(out, "IsTruncated", bool_text(page.truncated));
  objects_and_prefixes(out, page, url, true);
}

void list_versions_xml(std::string& out, std::string_view bucket, const VersionsQuery& q,
                       const VersionsPage& page, bool url) {
  out += kXmlHead;
  out += "<ListVersionsResult";
  out += kNs;
  out += '>';
  element(out, "Name", bucket);
  key_element(out, "Prefix", q.prefix, url);
  key_element(out, "KeyMarker", q.key_marker, url);
  element(out, "VersionIdMarker", q.version_id_marker);
  if (page.truncated) {
    key_element(out, "NextKeyMarker", page.next_key_marker, url);
    element(out, "NextVersionIdMarker", page.next_version_id_marker);
  }
  number(out, "MaxKeys", static_cast<std::uint64_t>(q.max_keys));
  if (!q.delimiter.empty()) key_element(out, "Delimiter", q.delimiter, url);
  if (url) element(out, "EncodingType", "url");
  element(out, "IsTruncated", bool_text(page.truncated));
  for (const auto& e : page.entries) {
    const Version& v = *e.version;
    out += v.delete_marker ? "<DeleteMarker>" : "<Version>";
    key_element(out, "Key", *e.key, url);
    element(out, "VersionId", v.version_id);
    raw_element(out, "IsLatest", bool_text(e.is_latest));
    raw_element(out, "LastModified", cached_iso8601(v.last_modified));
    if (!v.delete_marker) {
      etag_element(out, v);
      number(out, "Size", v.size);
      storage_class_element(out, v);
    }
    out += kOwner;
    out += v.delete_marker ? "</DeleteMarker>" : "</Version>";
  }
  for (const auto& cp : page.common_prefixes) {
    out += "<CommonPrefixes>";
    key_element(out, "Prefix", cp, url);
    out += "</CommonPrefixes>";
  }
  out += "</ListVersionsResult>";
}

void list_uploads_xml(std::string& out, std::string_view bucket, const UploadsQuery& q,
                      const UploadsPage& page, bool url) {
  out += kXmlHead;
  out += "<ListMultipartUploadsResult";
  out += kNs;
  out += '>';
  element(out, "Bucket", bucket);
  key_element(out, "KeyMarker", q.key_marker, url);
  element(out, "UploadIdMarker", q.upload_id_marker);
  if (page.truncated) {
    key_element(out, "NextKeyMarker", page.next_key_marker, url);
    element(out, "NextUploadIdMarker", page.next_upload_id_marker);
  }
  if (!q.prefix.empty()) key_element(out, "Prefix", q.prefix, url);
  number(out, "MaxUploads", static_cast<std::uint64_t>(q.max_uploads));
  if (url) element(out, "EncodingType", "url");
  element(out, "IsTruncated", bool_text(page.truncated));
  for (const auto& [id, upload] : page.uploads) {
    out += "<Upload>";
    key_element(out, "Key", id->first, url);
    element(out, "UploadId", id->second);
    out += "<Initiator><ID>s3emu</ID><DisplayName>s3emu</DisplayName></Initiator>";
    out += kOwner;
    out += "<StorageClass>STANDARD</StorageClass>";
    element(out, "Initiated", iso8601(upload->initiated));
    out += "</Upload>";
  }
  out += "</ListMultipartUploadsResult>";
}

void delete_result_xml(std::string& out, const std::vector<DeleteResultEntry>& entries,
                       bool quiet) {
  out += kXmlHead;
  out += "<DeleteResult";
  out += kNs;
  out += '>';
  for (const auto& e : entries) {
    const DeleteOutcome& o = e.outcome;
    if (e.unnamed) continue;
    if (!o.error_code.empty()) {
      out += "<Error>";
      element(out, "Key", e.key);
      if (!e.version_id.empty() && e.name_version) element(out, "VersionId", e.version_id);
      element(out, "Code", o.error_code);
      element(out, "Message", o.error_message);
      out += "</Error>";
    } else if (!quiet) {
      out += "<Deleted>";
      element(out, "Key", e.key);
      if (!e.version_id.empty()) element(out, "VersionId", e.version_id);
      if (o.delete_marker) {
        out += "<DeleteMarker>true</DeleteMarker>";
        if (e.version_id.empty()) element(out, "DeleteMarkerVersionId", o.version_id);
      }
      out += "</Deleted>";
    }
  }
  out += "</DeleteResult>";
}

std::string list_buckets_xml(const std::map<std::string, Bucket, std::less<>>& buckets) {
  std::string out(kXmlHead);
  out += "<ListAllMyBucketsResult";
  out += kNs;
  out += '>';
  out += kOwner;
  out += "<Buckets>";
  for (const auto& [name, b] : buckets) {
    out += "<Bucket>";
    element(out, "Name", name);
    element(out, "CreationDate", iso8601(b.created));
    out += "</Bucket>";
  }
  out += "</Buckets></ListAllMyBucketsResult>";
  return out;
}

std::string versioning_xml(Versioning v) {
  std::string out(kXmlHead);
  out += "<VersioningConfiguration";
  out += kNs;
  if (v == Versioning::never) return out + "/>";
  out += "><Status>";
  out += v == Versioning::enabled ? "Enabled" : "Suspended";
  out += "</Status></VersioningConfiguration>";
  return out;
}

std::string location_xml(std::string_view region) {
  std::string out(kXmlHead);
  out += "<LocationConstraint";
  out += kNs;
  if (region == "us-east-1") return out + "/>";
  out += '>';
  append_text(out, region);
  out += "</LocationConstraint>";
  return out;
}

std::string object_lock_xml(const Bucket& b) {
  std::string out(kXmlHead);
  out += "<ObjectLockConfiguration";
  out += kNs;
  out += "><ObjectLockEnabled>Enabled</ObjectLockEnabled>";
  if (b.default_lock != LockMode::none) {
    out += "<Rule><DefaultRetention><Mode>";
    out += b.default_lock == LockMode::governance ? "GOVERNANCE" : "COMPLIANCE";
    out += "</Mode>";
    number(out, "Days", static_cast<std::uint64_t>(b.default_lock_days));
    out += "</DefaultRetention></Rule>";
  }
  out += "</ObjectLockConfiguration>";
  return out;
}

std::string initiate_upload_xml(std::string_view bucket, std::string_view key,
                                std::string_view upload_id) {
  std::string out(kXmlHead);
  out += "<InitiateMultipartUploadResult";
  out += kNs;
  out += '>';
  element(out, "Bucket", bucket);
  element(out, "Key", key);
  element(out, "UploadId", upload_id);
  out += "</InitiateMultipartUploadResult>";
  return out;
}

std::string complete_upload_xml(std::string_view bucket, std::string_view key,
                                std::string_view etag) {
  std::string out(kXmlHead);
  out += "<CompleteMultipartUploadResult";
  out += kNs;
  out += '>';
  element(out, "Location", "/" + std::string(bucket) + "/" + std::string(key));
  element(out, "Bucket", bucket);
  element(out, "Key", key);
  element(out, "ETag", etag);
  out += "</CompleteMultipartUploadResult>";
  return out;
}

}  // namespace s3emu
