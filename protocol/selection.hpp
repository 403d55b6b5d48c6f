// What a selective purge takes, and why it keeps the rest: --only, --older-than and
// --newer-than (with S3 lifecycle's meaning of an entry's age), --keep-newest, --include and
// --exclude patterns, --storage-class. Pure: each entry is judged from what its listing
// says and, for versions, from the entries of its key listed before it (engine/key_selector).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/error.hpp"
#include "protocol/storage_class.hpp"

namespace s3purge::protocol {

// What an entry is to the selection. An orphan marker is a delete marker on top of its key
// with nothing beneath it that the run keeps: once the run is done it is the key's only
// entry (S3's expired object delete marker). A marker that still hides a version, or lies
// under other entries, is a marker.
enum class Role : std::uint8_t { current, noncurrent, marker, orphan_marker, upload };

// --only's parts, as bits.
enum Part : unsigned {
  kCurrent = 1,
  kNoncurrent = 2,
  kMarkers = 4,        // every delete marker, orphans included
  kOrphanMarkers = 8,  // only those
  kUploads = 16,
};
inline constexpr unsigned kAllParts = kCurrent | kNoncurrent | kMarkers | kOrphanMarkers | kUploads;
// "current,noncurrent,markers,orphan-markers,uploads", any of them, comma-separated.
Result<unsigned> parse_parts(std::string_view list);
std::string parts_text(unsigned parts);

// Why an entry is kept; none: it is taken.
enum class KeptBy : std::uint8_t {
  none,
  outside_prefix,  // a server listed a key outside the prefix asked for
  kind,            // --only
  pattern,         // --include / --exclude
  storage_class,   // --storage-class
  newest,          // --keep-newest
  age,             // --older-than / --newer-than (or no readable time)
  resurface,       // taking it would bring back a version kept beneath (--allow-resurface)
  early_charge,    // still inside its class's minimum duration (--skip-early-deletion-charges)
};
inline constexpr std::size_t kKeptByCount = 9;
// "--only", "--older-than/--newer-than", ... for summaries; json_name: "only", "age", ...
std::string_view to_string(KeptBy k);
std::string_view json_name(KeptBy k);

// A key pattern, relative to the prefix: `*` matches within one folder, `**` across
// folders (`**/` also matches no folder at all), `?` one character but `/`, `\` takes the
// next character as it is. Characters are UTF-8's (`?` takes `é` whole); a byte that
// starts no well-formed sequence is a character of its own. A pattern that starts with `/` matches from the prefix on;
// otherwise it matches the whole key or any end of it that starts a folder or a name
// (`*.keep` matches `a/b.keep`), as rclone's filters do. A pattern that ends with `/`
// matches everything under such a folder.
class KeyPattern {
 public:
  static Result<KeyPattern> parse(std::string_view text);
  bool matches(std::string_view relative_key) const;
  const std::string& text() const { return text_; }

 private:
  enum class Token : std::uint8_t { literal, one, star, stars, folders };
  struct Step {
    Token token;
    std::string c;  // literal: one character's bytes
  };
  std::string text_;
  std::vector<Step> steps_;
  bool anchored_ = false;
};

struct Selection {
  unsigned parts = kAllParts;
  // Taken only where the entry's time is before (after) this, in seconds since 1970. An
  // object's or a marker's time is its LastModified, an upload's its Initiated, and a
  // noncurrent version's the moment it became noncurrent: the LastModified of the entry
  // listed just above it. An entry without a readable time is kept.
  std::optional<std::int64_t> older_than;
  std::optional<std::int64_t> newer_than;
  int keep_newest = 0;  // of each key's noncurrent versions, the newest N stay
  std::vector<KeyPattern> include;  // any given: only keys one of them matches
  std::vector<KeyPattern> exclude;  // never keys one of them matches
  std::vector<StorageClass> classes;  // any given: only these (delete markers have none)
  // Keep what is still inside its class's minimum storage duration at `now`
  // (protocol/storage_class.hpp), where deleting it would be billed as if it stayed.
  bool skip_early_charges = false;
  std::int64_t now = 0;  // seconds since 1970: the moment durations and ages count from
  bool allow_resurface = false;

  // Anything short of every entry: the run never deletes the bucket.
  bool selective() const;
  bool takes_entries() const { return (parts & ~unsigned(kUploads)) != 0; }
  bool takes_uploads() const { return (parts & kUploads) != 0; }
  // On a versioned bucket, whether taking a current version or a delete marker may leave a
  // version of its key beneath, which then becomes current again. --older-than alone never
  // does: what lies under an entry became noncurrent when it was written, so is older still.
  bool may_resurface() const;
};

// Why a run on a versioned bucket refuses a selection that may_resurface() without
// allow_resurface: which flags take what, and the ways out.
Error resurface_refusal(const Selection& s);

// What the selection knows of one entry.
struct Facts {
  std::string_view relative_key;  // after the prefix
  Role role = Role::current;
  std::int64_t time = INT64_MIN;   // for --older-than, as Selection says (INT64_MIN: unknown)
  StorageClass storage_class = 1;
  int rank = 0;  // noncurrent versions of the key listed before this one (newest first)
  std::uint64_t size = 0;
  std::int64_t stored_at = INT64_MIN;  // LastModified: minimum storage durations count from it
};

// Why the entry is kept, or KeptBy::none.
KeptBy judge(const Selection& s, const Facts& e);

// --older-than's value: a duration before `now` ("30d", "12h") or a UTC date or time
// ("2026-11-01", "2026-11-01T12:00:00Z"), in seconds since 1970.
Result<std::int64_t> parse_time_limit(std::string_view text, std::int64_t now);

}  // namespace s3purge::protocol
