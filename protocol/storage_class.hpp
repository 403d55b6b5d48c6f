// Storage classes as list pages name them, kept in one byte per listed entry. The names S3
// and Alibaba OSS document are known in advance, with their minimum storage durations;
// any other name a server sends is added as it first appears (up to 255 names in all).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace s3purge::protocol {

using StorageClass = std::uint8_t;
inline constexpr StorageClass kNoStorageClass = 0;  // a delete marker has none
inline constexpr StorageClass kStandard = 1;        // what S3 assumes when none is named

// The class named `name` (case as the server writes it); an empty name is STANDARD. Past
// 255 names, unknown names share one class, "OTHER".
StorageClass storage_class_of(std::string_view name);
// "" for kNoStorageClass.
std::string storage_class_name(StorageClass c);

// The minimum storage duration the provider bills for a class, in days; 0 for none
// (STANDARD, INTELLIGENT_TIERING, and every class it does not document). S3: STANDARD_IA
// and ONEZONE_IA 30, GLACIER_IR and GLACIER 90, DEEP_ARCHIVE 180. Alibaba OSS: IA 30,
// Archive 60, ColdArchive and DeepColdArchive 180.
int minimum_storage_days(StorageClass c);

// The bytes the provider bills an object of `size` bytes in the class for. S3: STANDARD_IA,
// ONEZONE_IA and GLACIER_IR at least 128 KiB; GLACIER and DEEP_ARCHIVE 32 KiB more (their
// index; the 8 KiB of metadata billed as STANDARD has no minimum duration and is not
// counted). Alibaba OSS: IA, Archive, ColdArchive and DeepColdArchive at least 64 KiB.
// Other classes: the size.
std::uint64_t billed_bytes(StorageClass c, std::uint64_t size);

// What deleting an entry now is billed for beyond the time it was stored: the rest of its
// class's minimum duration, counted from `stored_at` (its LastModified), in GB-months of
// 30 days (GB = 2^30 bytes), of the bytes billed for the entry (billed_bytes).
struct EarlyDeletion {
  double gb_months = 0;
  std::int64_t free_from = 0;  // seconds since 1970: from then on deleting it costs nothing more
};
// nullopt: nothing more is billed (no minimum, or it has been stored long enough). An entry
// whose time is unknown (stored_at == INT64_MIN) in a class with a minimum is billed as if
// stored at `now`: the most it can cost.
std::optional<EarlyDeletion> early_deletion(StorageClass c, std::uint64_t size, std::int64_t stored_at,
                                            std::int64_t now);

}  // namespace s3purge::protocol
