#include "engine/failed_entries.hpp"

#include <algorithm>

namespace s3purge::engine {
namespace {

std::uint64_t mix(std::uint64_t x) {  // splitmix64's finaliser
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// FNV-1a over the bytes, from `seed`, then mixed: two seeds give two independent halves.
std::uint64_t fnv(std::uint64_t h, std::string_view bytes) {
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace

FailedEntries::Hash FailedEntries::hash(std::string_view key, std::string_view version_id) {
  // The key's length goes in first, so that ("ab", "c") and ("a", "bc") differ.
  const auto half = [&](std::uint64_t seed) {
    std::uint64_t h = mix(seed ^ key.size());
    h = fnv(h, key);
    h = fnv(h ^ 0xff, version_id);
    return mix(h);
  };
  return {half(0xcbf29ce484222325ULL), half(0x9e3779b97f4a7c15ULL)};
}

void FailedEntries::add(std::string_view key, std::string_view version_id) {
  const Hash h = hash(key, version_id);
  if (std::binary_search(sorted_.begin(), sorted_.end(), h)) return;
  recent_.insert(h);
  if (recent_.size() < kMerge) return;
  const auto middle = sorted_.size();
  sorted_.insert(sorted_.end(), recent_.begin(), recent_.end());
  std::sort(sorted_.begin() + static_cast<std::ptrdiff_t>(middle), sorted_.end());
  std::inplace_merge(sorted_.begin(), sorted_.begin() + static_cast<std::ptrdiff_t>(middle), sorted_.end());
  recent_.clear();
}

bool FailedEntries::contains(std::string_view key, std::string_view version_id) const {
  const Hash h = hash(key, version_id);
  return recent_.count(h) > 0 || std::binary_search(sorted_.begin(), sorted_.end(), h);
}

}  // namespace s3purge::engine
