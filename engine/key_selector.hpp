// Judges a range's listed entries against the selection (protocol/selection), page after
// page. Entries of one key come newest first and may span pages; the key's current entry
// (a current version or the delete marker on top) is judged last, once the entries
// beneath it are known: whether it is an orphan marker, and whether taking it would leave
// a version beneath to become current again. Until then it is held back, and comes with
// a later page. Memory stays flat: one held entry, whatever the number of versions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/item.hpp"
#include "protocol/selection.hpp"

namespace s3purge::engine {

class KeySelector {
 public:
  KeySelector(const protocol::Selection& selection, std::string prefix)
      : selection_(selection), prefix_(std::move(prefix)) {}

  // Marks every item of `items` (Item::kept), in place. The current entry of the last key
  // is held back unless `range_end` (no entry of the range follows).
  void judge_page(std::vector<Item>& items, bool range_end);

  // Keys whose current entry was taken while a version beneath stays (--allow-resurface).
  std::uint64_t resurfacing() const { return resurfacing_; }

 private:
  void close_key(std::vector<Item>& out);
  protocol::KeptBy judge(const Item& item, protocol::Role role, std::int64_t time, int rank) const;

  const protocol::Selection& selection_;
  std::string prefix_;
  bool in_key_ = false;
  std::string key_;
  std::optional<Item> top_;
  std::int64_t above_ = protocol::kNoTime;  // LastModified of the entry listed just above
  int noncurrent_ = 0;                      // noncurrent versions of the key so far
  bool below_ = false;                      // the key has entries under its top
  std::optional<bool> left_below_is_version_;  // the newest entry beneath that stays
  std::uint64_t resurfacing_ = 0;
};

}  // namespace s3purge::engine
