// s3emu's in-memory S3 model: buckets, keys with their versions and delete markers,
// incomplete multipart uploads, versioning, object lock, lifecycle and replication
// documents. Pure: no I/O, the clock is passed in. Thread-safe: one mutex guards it all
// (a DeleteObjects of 1000 keys holds it for well under a millisecond).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <unordered_map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace s3emu {

enum class Versioning { never, enabled, suspended };
enum class LockMode : std::uint8_t { none, governance, compliance };

using Md5 = std::array<std::uint8_t, 16>;

// One version or delete marker. Kept small (88 bytes, no heap): 10,000,000 objects must fit
// in 4 GiB. Version ids are 15 characters so they stay in std::string's inline buffer;
// bodies live beside, in Bucket::bodies, and only for objects written over HTTP.
struct Version {
  std::uint64_t seq = 0;           // creation order within the store: higher is newer
  std::string version_id;          // "null" or an opaque id
  std::uint64_t size = 0;
  std::int64_t last_modified = 0;  // unix seconds
  std::int64_t retain_until = 0;   // unix seconds
  Md5 md5{};                       // of the body, or of the part ETags for multipart
  std::uint16_t parts = 0;         // multipart: the "-N" of the ETag
  bool delete_marker = false;
  LockMode lock = LockMode::none;
  bool legal_hold = false;
  std::uint8_t storage_class = 0;  // index in storage_class_names(); 0 is STANDARD

  std::string etag() const;        // "\"hex\"" or "\"hex-N\""
};

// The storage classes a version can have: S3's and Alibaba OSS's names, STANDARD first.
const std::vector<std::string_view>& storage_class_names();
std::optional<std::uint8_t> storage_class_index(std::string_view name);

struct KeyEntry {
  std::vector<Version> versions;  // newest first
  const Version* current() const {  // the newest, unless it is a delete marker
    return versions.empty() || versions.front().delete_marker ? nullptr : &versions.front();
  }
};

struct Part {
  std::uint64_t size = 0;
  Md5 md5{};
  std::string body;  // kept when small enough (RouterOptions::max_object_bytes_kept)
};

struct Upload {
  std::int64_t initiated = 0;
  std::map<int, Part> parts;
};

struct Bucket {
  std::string region = "us-east-1";
  std::int64_t created = 0;
  Versioning versioning = Versioning::never;
  bool object_lock = false;
  LockMode default_lock = LockMode::none;
  std::int64_t default_lock_days = 0;
  std::string lifecycle_xml;    // as PUT, returned as is
  std::string replication_xml;  // only when seeded
  std::map<std::string, KeyEntry, std::less<>> keys;
  std::map<std::pair<std::string, std::string>, Upload> uploads;  // (key, upload id)
  std::unordered_map<std::uint64_t, std::string> bodies;  // by Version::seq
};

// What a bucket holds, for stats and for DeleteBucket.
struct BucketCensus {
  std::uint64_t keys = 0;
  std::uint64_t current = 0;     // current objects
  std::uint64_t noncurrent = 0;  // versions that are not current, markers excluded
  std::uint64_t markers = 0;
  std::uint64_t uploads = 0;
  bool empty() const { return keys == 0 && uploads == 0; }
};

// The outcome of deleting one (key, version) — shared by DeleteObject and DeleteObjects.
struct DeleteOutcome {
  std::string error_code;       // empty on success
  std::string error_message;
  bool delete_marker = false;   // a marker was created, or the version deleted was one
  std::string version_id;       // the version deleted, or the marker created
  bool removed = false;         // something was actually removed (counts in keys_deleted)
};

class Store {
 public:
  // Version ids are an opaque text that still sorts: "v" + 14 hex digits of a sequence.
  static std::string version_id_for(std::uint64_t seq);
  // The sequence of an id made by version_id_for, or nullopt.
  static std::optional<std::uint64_t> seq_of(std::string_view version_id);

  std::mutex& mutex() { return mutex_; }
  // All of the following expect the caller to hold mutex().
  Bucket* find(std::string_view bucket);
  bool create(std::string_view bucket, std::string region, bool object_lock, std::int64_t now);
  std::map<std::string, Bucket, std::less<>>& buckets() { return buckets_; }

  std::uint64_t next_seq() { return ++seq_; }

  // Writes an object version as S3 does for the bucket's versioning state. `body` is kept
  // when given; seeded and large objects keep only their size.
  const Version& put(Bucket& b, std::string_view key, std::optional<std::string> body,
                     std::uint64_t size, const Md5& md5, std::uint16_t parts, std::int64_t now,
                     LockMode lock, std::int64_t retain_until, bool legal_hold,
                     std::uint8_t storage_class = 0);
  // Deletes `key` (a marker or a null-version removal) or exactly `version_id`.
  DeleteOutcome remove(Bucket& b, std::string_view key, std::string_view version_id,
                       bool bypass_governance, std::int64_t now);

  std::string create_upload(Bucket& b, std::string_view key, std::int64_t now);

  static BucketCensus census(const Bucket& b);

 private:
  std::mutex mutex_;
  std::map<std::string, Bucket, std::less<>> buckets_;
  std::uint64_t seq_ = 0;
};

}  // namespace s3emu
