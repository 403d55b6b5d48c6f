// What a purge did, counted per kind and outcome, so that every entry listed is accounted
// for: listed = deleted + failed + skipped, per kind.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/call_settings.hpp"
#include "protocol/checksums.hpp"
#include "protocol/bucket_responses.hpp"
#include "protocol/entry_kind.hpp"
#include "protocol/error.hpp"
#include "protocol/selection.hpp"

namespace s3purge::engine {

using Kind = protocol::EntryKind;
inline constexpr std::array<Kind, 4> kKinds{Kind::object, Kind::version, Kind::delete_marker,
                                             Kind::upload};
// As the summary says it: "current objects", "versions", "delete markers", "incomplete uploads".
std::string_view to_string(Kind k);
// As JSON keys and fields say it: "objects", "versions", "delete_markers", "uploads".
std::string_view json_name(Kind k);

struct KindCounts {
  std::uint64_t listed = 0;
  std::uint64_t deleted = 0;
  std::uint64_t failed = 0;
  std::uint64_t skipped = 0;  // not attempted: dry run, stopped run, outside the prefix
  std::uint64_t kept = 0;     // of the skipped, those the selection keeps (or outside the prefix)
  std::uint64_t bytes_listed = 0;
  std::uint64_t bytes_kept = 0;
  std::uint64_t bytes_deleted = 0;
};

// Per storage class, the objects and versions the selection takes (or keeps only for their
// early-deletion charge), and what deleting them now is billed beyond the time they were
// stored (protocol::early_deletion).
struct ClassCounts {
  std::uint64_t entries = 0;
  std::uint64_t bytes = 0;
  std::uint64_t early = 0;  // still inside the class's minimum duration
  std::uint64_t early_bytes = 0;
  double gb_months = 0;         // billed for deleting the early ones now
  std::int64_t free_from = 0;   // from then on none of them costs more to delete (0: none early)
};

struct FailureRecord {
  std::string key;
  std::string version_id;  // or the upload id
  Kind kind = Kind::object;
  std::string code;
  std::string message;
  std::string request_id;
};

struct PurgeReport {
  std::array<KindCounts, 4> counts{};
  CallCounters calls;
  std::uint64_t throttles = 0;     // throttle answers of deletions and aborts
  // Of their throttles, those judged noise (no cut, or a cut undone) and capacity (a cut
  // that stayed); engine/pacing/throttle_judge.
  std::uint64_t throttles_noise = 0, throttles_capacity = 0;
  std::uint64_t key_retries = 0;   // keys sent again after a per-key retryable error
  // Entries the server answered "deleted" that a later listing found again: each counted
  // deleted once, then taken back (and settled anew).
  std::uint64_t deletions_taken_back = 0;
  std::vector<FailureRecord> failures;   // at most max_failure_records
  std::uint64_t failures_not_recorded = 0;
  // Of the versions, those listed as current, counted again apart (their kind's counts hold
  // them too): with the objects of unversioned buckets, the "current objects" the summary
  // and the plan show; the other versions are the noncurrent ones.
  KindCounts current_versions{};
  // Entries kept (counted as skipped), by the rule that kept them (protocol::KeptBy).
  std::array<std::uint64_t, protocol::kKeptByCount> kept_by{};
  std::vector<ClassCounts> by_class;  // indexed by protocol::StorageClass
  // Keys whose current entry was taken with a version left beneath (--allow-resurface).
  std::uint64_t keys_resurfaced = 0;
  // Of the entries kept by age, those whose age could not be read (engine/key_selector).
  std::uint64_t unknown_ages = 0;
  bool listing_done = false;  // the first pass's listings ended: totals are known
  protocol::VersioningStatus versioning = protocol::VersioningStatus::never_enabled;
  bool delete_objects_unsupported = false;  // fell back to single DeleteObject calls
  // DeleteObjects' integrity header; Content-MD5 after the server refused the one chosen.
  protocol::ChecksumAlgorithm checksum = protocol::ChecksumAlgorithm::md5;
  bool checksum_refused = false;
  int passes = 0;
  std::uint64_t ranges_listed = 0;  // key ranges listed, after splitting, in passes and checks
  int listers_peak = 0;  // listers of one listing at most (more are added while deleters starve)
  bool bucket_deleted = false;  // DeleteBucket succeeded and HeadBucket then found it gone
  bool deletion_unconfirmed = false;  // DeleteBucket succeeded, HeadBucket did not confirm it
  // A shard emptied its ranges but other shards' entries remain: the bucket is theirs to
  // delete (the last shard to finish deletes it).
  bool left_to_other_shards = false;
  bool empty_verified = false;   // a final listing found nothing left (but failures)
  // A selection that brings versions back to current (--allow-resurface) has no final
  // listing: it would select what the run brought back.
  bool unverifiable = false;
  std::uint64_t remaining = 0;   // entries a final listing still found, failures included
  std::string stopped;           // why the run stopped early (fatal error), or ""
  // What the server or the role refused to tell, and the run went on without, with the
  // refusal's code: "versioning" (listed as if versioned), "uploads" (not listed, not
  // aborted), "versions" (ListObjectVersions refused: listed with ListObjectsV2).
  std::map<std::string, std::string> not_checked;
  std::chrono::steady_clock::duration elapsed{};

  // Entries of requests sent and not yet answered, per kind: what a stop that cannot wait
  // for their answers reports as unknown.
  std::array<std::uint64_t, 4> in_flight{};
  std::uint64_t current_versions_in_flight = 0;
  // A run stopped with requests in flight (the grace period ended): the report was made
  // from what was known then (Purger::settled_now).
  bool in_flight_at_stop = false;

  KindCounts& of(Kind k) { return counts[static_cast<std::size_t>(k)]; }
  // The counts an entry goes into beside its kind's: a current version's, or none.
  KindCounts* also(Kind k, bool latest) { return k == Kind::version && latest ? &current_versions : nullptr; }
  const KindCounts& of(Kind k) const { return counts[static_cast<std::size_t>(k)]; }
  // listed = deleted + failed + skipped for every kind.
  bool balanced() const;
  // Entries with an outcome: deleted + failed + skipped, all kinds. Below the listed total
  // only while requests are in flight.
  std::uint64_t settled() const;
  std::uint64_t total(std::uint64_t KindCounts::*field) const;
};

}  // namespace s3purge::engine
