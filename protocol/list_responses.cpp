#include "protocol/list_responses.hpp"

#include <algorithm>
#include <optional>

#include "protocol/storage_class.hpp"
#include "protocol/time_text.hpp"
#include "protocol/xml_fields.hpp"
#include "protocol/xml_scanner.hpp"

namespace s3purge::protocol {
namespace {

// A LastModified in seconds since 1970; INT64_MIN where it does not parse (the selection
// then treats the entry's age as unknown, never guesses it).
std::int64_t seconds_of(std::string_view text) {
  const auto t = parse_iso8601(text);
  return t ? std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count() : INT64_MIN;
}

// Walks one list page with XmlScanner (pages are the hot path: see xml_scanner.hpp) and
// keeps the first problem found in what the page says. Each field may appear once in its
// element: two <Key>s in one entry, or two <IsTruncated>s, leave the page ambiguous, and
// a tool that deletes what it reads does not pick one.
class PageReader {
 public:
  PageReader(std::string_view body, std::string_view root) : x_(body), root_(root) {
    x_.open_root(root);
  }

  bool ok() const { return x_.ok() && !error_; }

  // Opens the next child of the element open now; false at its end or after an error.
  bool next() { return ok() && x_.next_child(); }
  std::string_view name() const { return x_.name(); }
  bool is(std::string_view want) const { return x_.name_is(want); }

  // The text of the field just opened, which `seen` says was not met before in `parent`.
  std::optional<std::string_view> once(bool& seen, std::string_view parent) {
    if (seen) {
      error_ = malformed("two <" + std::string(name()) + "> in <" + std::string(parent) + ">");
      return std::nullopt;
    }
    seen = true;
    const std::string_view t = x_.text();
    if (!x_.ok()) return std::nullopt;
    return t;
  }

  // Passes over the element just opened: a field no listing needs.
  void skip() { x_.skip(); }

  // `out` = the value of `r`, or the first error kept.
  template <class T>
  void check(Result<T> r, T& out) {
    if (r) out = std::move(r).value();
    else fail(std::move(r).error());
  }
  void fail(Error e) {
    if (!error_) error_ = std::move(e);
  }

  // The page's fields every listing has. Returns false if `name()` is none of them.
  bool read_common(std::vector<std::string>& prefixes) {
    const std::string_view n = name();
    if (is("IsTruncated")) {
      if (auto t = once(seen_truncated_, root_)) check(bool_text(n, *t), is_truncated);
    } else if (is("EncodingType")) {
      if (auto t = once(seen_encoding_, root_)) encoded = *t == "url";
    } else if (is("CommonPrefixes")) {
      bool seen_prefix = false;
      while (next()) {
        if (!is("Prefix")) {
          skip();
        } else if (auto t = once(seen_prefix, "CommonPrefixes")) {
          prefixes.emplace_back(*t);
        }
      }
      if (ok() && !seen_prefix) fail(malformed("<CommonPrefixes> without <Prefix>"));
    } else {
      return false;
    }
    return true;
  }

  // The first error: what the XML scanner found (it explains odd values best), else ours.
  std::optional<Error> finish() {
    if (!x_.ok()) return x_.error();
    if (error_) return error_;
    if (!x_.finish()) return x_.error();
    return std::nullopt;
  }

  bool is_truncated = false;
  bool encoded = false;

 private:
  XmlScanner x_;
  std::string_view root_;
  bool seen_truncated_ = false, seen_encoding_ = false;
  std::optional<Error> error_;
};

// URL-decodes every key a page carries, when it says EncodingType=url (wherever it says
// so: S3 puts it before the entries, other servers after them).
template <class Entries>
Result<Ok> decode_keys(bool encoded, Entries& entries, std::string* next_key_marker,
                       std::vector<std::string>& prefixes) {
  for (auto& e : entries) {
    if (auto ok = decode_key("Key", e.key, encoded); !ok) return ok;
  }
  if (next_key_marker) {
    if (auto ok = decode_key("NextKeyMarker", *next_key_marker, encoded); !ok) return ok;
  }
  for (auto& p : prefixes) {
    if (auto ok = decode_key("Prefix", p, encoded); !ok) return ok;
  }
  return Ok{};
}

// Room for the entries a page of `body` likely holds: S3 sends at most 1000, and an entry
// takes well over 100 bytes. Growing the vector instead moves every entry ten times.
std::size_t likely_entries(std::string_view body) {
  return std::min<std::size_t>(1000, body.size() / 128);
}

Error truncated_without(std::string_view marker) {
  return Error(client_errc::inconsistent_listing,
               "page says IsTruncated=true but has no " + std::string(marker) +
                   " to continue from");
}

}  // namespace

Result<ListObjectsV2Page> parse_list_objects_v2(std::string_view body) {
  PageReader r(body, "ListBucketResult");
  ListObjectsV2Page page;
  page.objects.reserve(likely_entries(body));
  bool seen_token = false;
  while (r.next()) {
    const std::string_view n = r.name();
    if (r.is("Contents")) {
      ListedObject o;
      bool has_key = false, has_size = false, has_modified = false, has_class = false;
      while (r.next()) {
        const std::string_view f = r.name();
        if (r.is("Key")) {
          if (auto t = r.once(has_key, n)) o.key = *t;
        } else if (r.is("Size")) {
          if (auto t = r.once(has_size, n)) r.check(uint_text(f, *t), o.size);
        } else if (r.is("LastModified")) {
          if (auto t = r.once(has_modified, n)) o.modified = seconds_of(*t);
        } else if (r.is("StorageClass")) {
          if (auto t = r.once(has_class, n)) o.storage_class = storage_class_of(*t);
        } else {
          r.skip();
        }
      }
      if (!r.ok()) break;
      if (!has_key) r.fail(malformed("<Contents> without <Key>"));
      page.objects.push_back(std::move(o));
    } else if (r.read_common(page.common_prefixes)) {
    } else if (r.is("NextContinuationToken")) {
      if (auto t = r.once(seen_token, "ListBucketResult")) page.next_continuation_token = *t;
    } else {
      r.skip();
    }
  }
  if (auto e = r.finish()) return std::move(*e);
  page.is_truncated = r.is_truncated;
  if (auto ok = decode_keys(r.encoded, page.objects, nullptr, page.common_prefixes); !ok) {
    return std::move(ok).error();
  }
  if (page.is_truncated && page.next_continuation_token.empty()) {
    return truncated_without("NextContinuationToken");
  }
  return page;
}

Result<ListVersionsPage> parse_list_object_versions(std::string_view body) {
  PageReader r(body, "ListVersionsResult");
  ListVersionsPage page;
  page.entries.reserve(likely_entries(body));
  bool seen_key_marker = false, seen_version_marker = false;
  while (r.next()) {
    const std::string_view n = r.name();
    const bool is_version = r.is("Version");
    if (is_version || r.is("DeleteMarker")) {
      ListedVersion v;
      v.kind = is_version ? VersionKind::version : VersionKind::delete_marker;
      bool has_key = false, has_version_id = false, has_latest = false, has_size = false;
      bool has_modified = false, has_class = false;
      while (r.next()) {
        const std::string_view f = r.name();
        if (r.is("Key")) {
          if (auto t = r.once(has_key, n)) v.key = *t;
        } else if (r.is("VersionId")) {
          if (auto t = r.once(has_version_id, n)) v.version_id = *t;
        } else if (r.is("IsLatest")) {
          if (auto t = r.once(has_latest, n)) r.check(bool_text(f, *t), v.is_latest);
        } else if (r.is("Size")) {
          if (auto t = r.once(has_size, n)) r.check(uint_text(f, *t), v.size);
        } else if (r.is("LastModified")) {
          if (auto t = r.once(has_modified, n)) v.modified = seconds_of(*t);
        } else if (r.is("StorageClass")) {
          if (auto t = r.once(has_class, n)) v.storage_class = storage_class_of(*t);
        } else {
          r.skip();
        }
      }
      if (!r.ok()) break;
      if (!has_key) r.fail(malformed("<" + std::string(n) + "> without <Key>"));
      if (v.version_id.empty()) r.fail(malformed("<" + std::string(n) + "> without a <VersionId>"));
      page.entries.push_back(std::move(v));
    } else if (r.read_common(page.common_prefixes)) {
    } else if (r.is("NextKeyMarker")) {
      if (auto t = r.once(seen_key_marker, "ListVersionsResult")) page.next_key_marker = *t;
    } else if (r.is("NextVersionIdMarker")) {
      if (auto t = r.once(seen_version_marker, "ListVersionsResult")) {
        page.next_version_id_marker = *t;
      }
    } else {
      r.skip();
    }
  }
  if (auto e = r.finish()) return std::move(*e);
  page.is_truncated = r.is_truncated;
  if (auto ok = decode_keys(r.encoded, page.entries, &page.next_key_marker, page.common_prefixes);
      !ok) {
    return std::move(ok).error();
  }
  if (page.is_truncated) {
    if (page.next_key_marker.empty()) return truncated_without("NextKeyMarker");
    if (!seen_version_marker) return truncated_without("NextVersionIdMarker");
  }
  return page;
}

Result<ListUploadsPage> parse_list_multipart_uploads(std::string_view body) {
  PageReader r(body, "ListMultipartUploadsResult");
  ListUploadsPage page;
  page.uploads.reserve(likely_entries(body));
  bool seen_key_marker = false, seen_upload_marker = false;
  while (r.next()) {
    const std::string_view n = r.name();
    if (r.is("Upload")) {
      ListedUpload u;
      bool has_key = false, has_upload_id = false, has_initiated = false, has_class = false;
      while (r.next()) {
        if (r.is("Key")) {
          if (auto t = r.once(has_key, n)) u.key = *t;
        } else if (r.is("UploadId")) {
          if (auto t = r.once(has_upload_id, n)) u.upload_id = *t;
        } else if (r.is("Initiated")) {
          if (auto t = r.once(has_initiated, n)) u.initiated = *t;
        } else if (r.is("StorageClass")) {
          if (auto t = r.once(has_class, n)) u.storage_class = storage_class_of(*t);
        } else {
          r.skip();
        }
      }
      if (!r.ok()) break;
      if (!has_key || !has_upload_id) r.fail(malformed("<Upload> without <Key> or <UploadId>"));
      else if (u.upload_id.empty()) r.fail(malformed("empty <UploadId>"));
      page.uploads.push_back(std::move(u));
    } else if (r.read_common(page.common_prefixes)) {
    } else if (r.is("NextKeyMarker")) {
      if (auto t = r.once(seen_key_marker, "ListMultipartUploadsResult")) {
        page.next_key_marker = *t;
      }
    } else if (r.is("NextUploadIdMarker")) {
      if (auto t = r.once(seen_upload_marker, "ListMultipartUploadsResult")) {
        page.next_upload_id_marker = *t;
      }
    } else {
      r.skip();
    }
  }
  if (auto e = r.finish()) return std::move(*e);
  page.is_truncated = r.is_truncated;
  if (auto ok = decode_keys(r.encoded, page.uploads, &page.next_key_marker, page.common_prefixes);
      !ok) {
    return std::move(ok).error();
  }
  if (page.is_truncated && (page.next_key_marker.empty() || !seen_upload_marker)) {
    return truncated_without("NextKeyMarker/NextUploadIdMarker");
  }
  return page;
}

}  // namespace s3purge::protocol
