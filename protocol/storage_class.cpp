#include "protocol/storage_class.hpp"

#include <algorithm>
#include <array>
#include <mutex>
#include <vector>

namespace s3purge::protocol {

namespace {

struct Known {
  std::string_view name;
  int minimum_days;
  // What the provider bills an object of the class for, in bytes: no less than
  // least_bytes, and overhead_bytes more than its size (billed at the class's rate).
  std::uint64_t least_bytes = 0;
  std::uint64_t overhead_bytes = 0;
};

constexpr std::uint64_t kKiB = 1024;

// The first entries keep their indexes: kNoStorageClass, then kStandard.
constexpr std::array<Known, 16> kKnown{{
    {"", 0},
    {"STANDARD", 0},
    {"STANDARD_IA", 30, 128 * kKiB},
    {"ONEZONE_IA", 30, 128 * kKiB},
    {"INTELLIGENT_TIERING", 0},
    {"GLACIER_IR", 90, 128 * kKiB},
    {"GLACIER", 90, 0, 32 * kKiB},
    {"DEEP_ARCHIVE", 180, 0, 32 * kKiB},
    {"REDUCED_REDUNDANCY", 0},
    {"EXPRESS_ONEZONE", 0},
    {"OUTPOSTS", 0},
    {"IA", 30, 64 * kKiB},                // Alibaba OSS Infrequent Access
    {"Archive", 60, 64 * kKiB},           // Alibaba OSS
    {"ColdArchive", 180, 64 * kKiB},      // Alibaba OSS
    {"DeepColdArchive", 180, 64 * kKiB},  // Alibaba OSS
    {"OTHER", 0},                         // every name past the 255th
}};
constexpr StorageClass kOther = kKnown.size() - 1;

// Names first seen in a listing, after the known ones. Rarely written: a server names a
// handful of classes at most.
struct Learned {
  std::mutex mutex;
  std::vector<std::string> names;
};
Learned& learned() {
  static Learned l;
  return l;
}

std::optional<StorageClass> find_known(std::string_view name) {
  for (std::size_t i = 1; i < kKnown.size(); ++i) {
    if (kKnown[i].name == name) return static_cast<StorageClass>(i);
  }
  return std::nullopt;
}

}  // namespace

StorageClass storage_class_of(std::string_view name) {
  if (name.empty()) return kStandard;
  if (auto k = find_known(name)) return *k;
  auto& l = learned();
  std::lock_guard lock(l.mutex);
  for (std::size_t i = 0; i < l.names.size(); ++i) {
    if (l.names[i] == name) return static_cast<StorageClass>(kKnown.size() + i);
  }
  if (kKnown.size() + l.names.size() > 255) return kOther;
  l.names.emplace_back(name);
  return static_cast<StorageClass>(kKnown.size() + l.names.size() - 1);
}

std::string storage_class_name(StorageClass c) {
  if (c < kKnown.size()) return std::string(kKnown[c].name);
  auto& l = learned();
  std::lock_guard lock(l.mutex);
  const std::size_t i = c - kKnown.size();
  return i < l.names.size() ? l.names[i] : std::string(kKnown[kOther].name);
}

int minimum_storage_days(StorageClass c) { return c < kKnown.size() ? kKnown[c].minimum_days : 0; }

std::uint64_t billed_bytes(StorageClass c, std::uint64_t size) {
  if (c >= kKnown.size()) return size;
  return std::max(size, kKnown[c].least_bytes) + kKnown[c].overhead_bytes;
}

std::optional<EarlyDeletion> early_deletion(StorageClass c, std::uint64_t size, std::int64_t stored_at,
                                            std::int64_t now) {
  constexpr double kDay = 86400, kGiB = 1024.0 * 1024 * 1024, kMonthDays = 30;
  const int days = minimum_storage_days(c);
  if (days == 0) return std::nullopt;
  const std::int64_t from = stored_at == INT64_MIN ? now : stored_at;
  const std::int64_t free_from = from + static_cast<std::int64_t>(days) * 86400;
  if (free_from <= now) return std::nullopt;
  const double remaining_days = static_cast<double>(free_from - now) / kDay;
  return EarlyDeletion{static_cast<double>(billed_bytes(c, size)) / kGiB * remaining_days / kMonthDays, free_from};
}

}  // namespace s3purge::protocol
