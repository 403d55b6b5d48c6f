// The entries that failed for good in this run, so that later passes and checks neither
// send nor count them again. Kept as 128-bit hashes of (key, version id), 16 bytes each
// however long the key: a bucket of locked versions fails by the million.
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace s3purge::engine {

class FailedEntries {
 public:
  void add(std::string_view key, std::string_view version_id);
  bool contains(std::string_view key, std::string_view version_id) const;
  bool empty() const { return sorted_.empty() && recent_.empty(); }
  std::size_t size() const { return sorted_.size() + recent_.size(); }

  struct Hash {
    std::uint64_t a = 0, b = 0;
    auto operator<=>(const Hash&) const = default;
  };
  static Hash hash(std::string_view key, std::string_view version_id);

 private:
  struct Bucket {
    std::size_t operator()(const Hash& h) const { return static_cast<std::size_t>(h.a); }
  };
  // New hashes go to `recent_`; past kMerge of them they are merged into `sorted_`.
  static constexpr std::size_t kMerge = 4096;
  std::vector<Hash> sorted_;
  std::unordered_set<Hash, Bucket> recent_;
};

}  // namespace s3purge::engine
