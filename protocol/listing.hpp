// The three listings that find what blocks a bucket's deletion, described as data:
// ListObjectsV2 (objects of an unversioned bucket), ListObjectVersions (versions and delete
// markers) and ListMultipartUploads. Each has a request built from a cursor, a page parsed
// into entries of one shape, and the cursor moved on by the page; the engine lists any of
// them with the same code and never asks which one it lists.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "protocol/entry_kind.hpp"
#include "protocol/error.hpp"
#include "protocol/http_message.hpp"
#include "protocol/list_progress.hpp"
#include "protocol/request_context.hpp"
#include "protocol/storage_class.hpp"

namespace s3purge::protocol {

enum class ListingKind { objects, versions, uploads };

struct ListingTraits {
  const char* operation;  // "ListObjectsV2": in latencies, errors and logs
  // What the listing empties, in logs and in --state-file records: the entries of a
  // bucket (objects or versions alike) or its uploads.
  const char* what;
  // Its entries are uploads, aborted one by one (not deleted in batches); --state-file
  // keeps their ranges apart from the entries'.
  bool uploads;
  // The listing goes on from a key marker and an id marker, and the entries of one key
  // can span pages (several versions, several uploads). Without: a continuation token,
  // one entry per key.
  bool resumes_from_markers;
  // A range can start after any key, listed or not (start-after). Where it cannot (a
  // key-marker that no key has is not honoured everywhere: moto drops the next version),
  // ranges are whole folders, listed with the folder as their prefix.
  bool starts_after_any_key;
};
const ListingTraits& traits(ListingKind kind);

// The listing of a bucket's entries: versions wherever versioning was ever enabled.
ListingKind entries_listing(bool versioned);

// Where a listing of one range has got to.
struct ListCursor {
  std::string prefix;
  std::string start_after;  // objects: the first page starts after it, then `token`
  std::string token;
  std::string key_marker;   // versions and uploads
  std::string id_marker;
  bool more = true;  // the last page said it was truncated (or none came yet)

  // Starts the listing after `key`.
  void start_after_key(const std::string& key);
};

// A time a listing gave, in whole seconds since 1970 (UTC); kNoTime where it gave none or
// one that does not parse.
inline constexpr std::int64_t kNoTime = INT64_MIN;

// One listed entry. `id` is the version id of versions and delete markers ("null" for the
// null version, empty for objects) and the upload id of uploads: use the accessors.
struct ListedEntry {
  std::string key;
  std::string id;
  std::uint64_t size = 0;  // 0 for delete markers and uploads
  EntryKind kind = EntryKind::object;
  bool latest = false;  // the current version
  StorageClass storage_class = kNoStorageClass;  // none for delete markers
  std::int64_t modified = kNoTime;  // LastModified; an upload's Initiated

  const std::string& version_id() const { return id; }
  const std::string& upload_id() const { return id; }
};

struct ListPage {
  std::vector<ListedEntry> entries;  // in listing order
  std::vector<std::string> folders;  // common prefixes, with a delimiter
  bool truncated = false;
  std::string next_token;       // objects
  std::string next_key_marker;  // versions and uploads
  std::string next_id_marker;

  // What the page holds, for ListProgress::check (views into the page).
  ListedPage progress_view() const;
};

// The entries of the key a page ended with, where a key's entries can span pages
// (versions, uploads): a later page that lists one of them again (a server that takes its
// markers as inclusive) has it dropped, so that no entry is counted or sent twice. Entries
// of lower keys cannot come again unnoticed: a page that starts below the last key fails
// ListProgress::check. Memory: the ids of one key.
class RepeatFilter {
 public:
  // Drops from `page` what earlier pages listed; returns how many entries it dropped.
  std::size_t drop_repeats(ListPage& page);

 private:
  std::string key_;
  std::unordered_set<std::string> ids_;
};

HttpRequest build_list_request(ListingKind kind, const RequestContext& ctx, const ListCursor& cursor,
                               std::string_view delimiter = {}, int max_keys = 1000);
Result<ListPage> parse_list_page(ListingKind kind, std::string_view body);

// Moves the cursor to where the page says the listing goes on.
void follow(ListCursor& cursor, ListPage& page);

}  // namespace s3purge::protocol
