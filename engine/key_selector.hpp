// Judges a range's listed entries against the selection (protocol/selection), page after
// page. Entries of one key come newest first and may span pages; the key's current entry
// (a current version or the delete marker on top) is judged last, once the entries
// beneath it are known: whether it is an orphan marker, and whether taking it would leave
// a version beneath to become current again. Until then it is held back, and comes with
// a later page. Memory stays flat: one held entry, whatever the number of versions.
//
// A listing made after the run deleted something (a later pass, a verification, a run
// resumed from --state-file) no longer shows every entry that stood above a noncurrent
// version: the time it became noncurrent (the entry just above it) and its rank among the
// key's noncurrent versions are what the bucket held before the run, not what is listed
// now. Such a listing knows bounds only: the entry above it now is no older than the one
// above it then, its own LastModified no newer, and its rank no higher. It takes an entry
// only where the selection takes it anywhere within those bounds, so it never takes what
// the listing before the run kept.
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
  // `after_deletions`: the run may have deleted entries of this range already (above).
  KeySelector(const protocol::Selection& selection, std::string prefix, bool after_deletions = false)
      : selection_(selection), prefix_(std::move(prefix)), after_deletions_(after_deletions) {}

  // Marks every item of `items` (Item::kept), in place. The current entry of the last key
  // is held back unless `range_end` (no entry of the range follows).
  void judge_page(std::vector<Item>& items, bool range_end);

  // Keys whose current entry was taken while a version beneath stays (--allow-resurface).
  std::uint64_t resurfacing() const { return resurfacing_; }
  // Entries an age limit kept because their age could not be read: no LastModified, or a
  // key's entries listed out of order (moto lists a page's versions before its markers).
  std::uint64_t unknown_ages() const { return unknown_ages_; }

 private:
  void close_key(std::vector<Item>& out);
  protocol::KeptBy judge(const Item& item, protocol::Role role, std::int64_t time, int rank);
  protocol::KeptBy judge_noncurrent(const Item& item, std::int64_t above, int rank);

  const protocol::Selection& selection_;
  std::string prefix_;
  bool after_deletions_;
  bool in_key_ = false;
  std::string key_;
  std::optional<Item> top_;
  std::int64_t above_ = protocol::kNoTime;  // LastModified of the entry listed just above
  int noncurrent_ = 0;                      // noncurrent versions of the key so far
  bool below_ = false;                      // the key has entries under its top
  std::optional<bool> left_below_is_version_;  // the newest entry beneath that stays
  std::uint64_t resurfacing_ = 0;
  std::uint64_t unknown_ages_ = 0;
};

}  // namespace s3purge::engine
