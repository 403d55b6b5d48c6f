#include "protocol/listing.hpp"

#include "protocol/list_requests.hpp"
#include "protocol/list_responses.hpp"
#include "protocol/time_text.hpp"

namespace s3purge::protocol {

namespace {

constexpr ListingTraits kObjects{"ListObjectsV2", "entries", false, false, true};
constexpr ListingTraits kVersions{"ListObjectVersions", "entries", false, true, false};
constexpr ListingTraits kUploads{"ListMultipartUploads", "uploads", true, true, false};

Result<ListPage> objects_page(std::string_view body) {
  auto page = parse_list_objects_v2(body);
  if (!page) return std::move(page).error();
  ListPage out;
  out.entries.reserve(page->objects.size());
  for (auto& o : page->objects) {
    out.entries.push_back({std::move(o.key), {}, o.size, EntryKind::object, false, o.storage_class, o.modified});
  }
  out.folders = std::move(page->common_prefixes);
  out.truncated = page->is_truncated;
  out.next_token = std::move(page->next_continuation_token);
  return out;
}

Result<ListPage> versions_page(std::string_view body) {
  auto page = parse_list_object_versions(body);
  if (!page) return std::move(page).error();
  ListPage out;
  out.entries.reserve(page->entries.size());
  for (auto& e : page->entries) {
    const EntryKind k = e.kind == VersionKind::delete_marker ? EntryKind::delete_marker : EntryKind::version;
    out.entries.push_back({std::move(e.key), std::move(e.version_id), e.size, k, e.is_latest,
                           k == EntryKind::delete_marker ? kNoStorageClass : e.storage_class, e.modified});
  }
  out.folders = std::move(page->common_prefixes);
  out.truncated = page->is_truncated;
  out.next_key_marker = std::move(page->next_key_marker);
  out.next_id_marker = std::move(page->next_version_id_marker);
  return out;
}

Result<ListPage> uploads_page(std::string_view body) {
  auto page = parse_list_multipart_uploads(body);
  if (!page) return std::move(page).error();
  ListPage out;
  out.entries.reserve(page->uploads.size());
  for (auto& u : page->uploads) {
    const auto started = parse_iso8601(u.initiated);
    const std::int64_t at =
        started ? std::chrono::duration_cast<std::chrono::seconds>(started->time_since_epoch()).count() : kNoTime;
    out.entries.push_back({std::move(u.key), std::move(u.upload_id), 0, EntryKind::upload, false, u.storage_class, at});
  }
  out.folders = std::move(page->common_prefixes);
  out.truncated = page->is_truncated;
  out.next_key_marker = std::move(page->next_key_marker);
  out.next_id_marker = std::move(page->next_upload_id_marker);
  return out;
}

}  // namespace

const ListingTraits& traits(ListingKind kind) {
  switch (kind) {
    case ListingKind::objects: return kObjects;
    case ListingKind::versions: return kVersions;
    case ListingKind::uploads: return kUploads;
  }
  return kObjects;
}

ListingKind entries_listing(bool versioned) {
  return versioned ? ListingKind::versions : ListingKind::objects;
}

void ListCursor::start_after_key(const std::string& key) {
  start_after = key;
  key_marker = key;
}

ListedPage ListPage::progress_view() const {
  ListedPage v;
  v.entries = entries.size();
  if (!entries.empty()) {
    v.first_key = entries.front().key;
    v.last_key = entries.back().key;
  }
  v.truncated = truncated;
  v.next = {next_token, next_key_marker, next_id_marker};
  return v;
}

std::size_t RepeatFilter::drop_repeats(ListPage& page) {
  auto& entries = page.entries;
  const std::size_t before = entries.size();
  if (!key_.empty()) {
    std::erase_if(entries, [&](const ListedEntry& e) { return e.key == key_ && ids_.contains(e.id); });
  }
  if (entries.empty()) return before;
  const std::string& last = entries.back().key;
  if (last != key_) {
    key_ = last;
    ids_.clear();
  }
  for (auto it = entries.rbegin(); it != entries.rend() && it->key == key_; ++it) ids_.insert(it->id);
  return before - entries.size();
}

HttpRequest build_list_request(ListingKind kind, const RequestContext& ctx, const ListCursor& cursor,
                               std::string_view delimiter, int max_keys) {
  switch (kind) {
    case ListingKind::uploads: {
      ListMultipartUploadsParams p;
      p.prefix = cursor.prefix;
      p.delimiter = delimiter;
      p.key_marker = cursor.key_marker;
      p.upload_id_marker = cursor.id_marker;
      p.max_uploads = max_keys;
      return build_list_multipart_uploads(ctx, p);
    }
    case ListingKind::versions: {
      ListObjectVersionsParams p;
      p.prefix = cursor.prefix;
      p.delimiter = delimiter;
      p.key_marker = cursor.key_marker;
      p.version_id_marker = cursor.id_marker;
      p.max_keys = max_keys;
      return build_list_object_versions(ctx, p);
    }
    case ListingKind::objects: break;
  }
  ListObjectsV2Params p;
  p.prefix = cursor.prefix;
  p.delimiter = delimiter;
  p.start_after = cursor.start_after;
  p.continuation_token = cursor.token;
  p.max_keys = max_keys;
  return build_list_objects_v2(ctx, p);
}

Result<ListPage> parse_list_page(ListingKind kind, std::string_view body) {
  switch (kind) {
    case ListingKind::uploads: return uploads_page(body);
    case ListingKind::versions: return versions_page(body);
    case ListingKind::objects: break;
  }
  return objects_page(body);
}

void follow(ListCursor& cursor, ListPage& page) {
  cursor.more = page.truncated;
  cursor.token = std::move(page.next_token);
  cursor.key_marker = std::move(page.next_key_marker);
  cursor.id_marker = std::move(page.next_id_marker);
}

}  // namespace s3purge::protocol
