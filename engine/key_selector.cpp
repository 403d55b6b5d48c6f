#include "engine/key_selector.hpp"

namespace s3purge::engine {

using Kind = protocol::EntryKind;

using protocol::KeptBy;
using protocol::Role;

KeptBy KeySelector::judge(const Item& item, Role role, std::int64_t time, int rank) {
  if (!item.key.starts_with(prefix_)) return KeptBy::outside_prefix;
  const std::string_view relative = std::string_view(item.key).substr(prefix_.size());
  const KeptBy kept = protocol::judge(selection_, {relative, role, time, item.storage_class, rank, item.size, item.modified});
  if (kept == KeptBy::age && time == protocol::kNoTime) ++unknown_ages_;
  return kept;
}

KeptBy KeySelector::judge_noncurrent(const Item& item, std::int64_t above, int rank) {
  const KeptBy seen = judge(item, Role::noncurrent, above, rank);
  if (!after_deletions_ || seen != KeptBy::none || !(selection_.older_than || selection_.newer_than)) {
    return seen;  // the rank seen is the least it can be: a rank that is taken, was
  }
  // Its age then lies between its own LastModified and that of the entry above it now:
  // --older-than and --newer-than take an interval of times, so both ends must be in it.
  return judge(item, Role::noncurrent, item.modified, rank);
}

void KeySelector::close_key(std::vector<Item>& out) {
  if (top_) {
    Item& top = *top_;
    const bool marker = top.kind == Kind::delete_marker;
    // A marker over nothing that stays is an orphan once the run is done.
    const Role role = !marker ? Role::current : left_below_is_version_ ? Role::marker : Role::orphan_marker;
    top.kept = judge(top, role, top.modified, 0);
    if (top.kept == KeptBy::none && left_below_is_version_.value_or(false)) {
      if (selection_.allow_resurface) {
        ++resurfacing_;
      } else {
        top.kept = KeptBy::resurface;
      }
    }
    out.push_back(std::move(top));
    top_.reset();
  }
  in_key_ = false;
  above_ = protocol::kNoTime;
  noncurrent_ = 0;
  below_ = false;
  left_below_is_version_.reset();
}

void KeySelector::judge_page(std::vector<Item>& items, bool range_end) {
  std::vector<Item> out;
  out.reserve(items.size() + 1);
  for (auto& item : items) {
    if (item.kind == Kind::object || item.kind == Kind::upload) {
      // One entry per key (objects), or entries that stand alone (uploads).
      item.kept = judge(item, item.kind == Kind::object ? Role::current : Role::upload, item.modified, 0);
      out.push_back(std::move(item));
      continue;
    }
    if (!in_key_ || item.key != key_) {
      close_key(out);
      in_key_ = true;
      key_ = item.key;
    }
    if (item.latest && !top_ && !below_) {
      above_ = item.modified;
      top_ = std::move(item);
      continue;
    }
    // Beneath the top: a noncurrent version ages from when the entry above replaced it. A
    // server that lists a key's entries out of order (one marked latest beneath others, one
    // newer than the entry above it) is not taken at its word: the entry counts as current,
    // or its age as unknown.
    const bool version = item.kind == Kind::version;
    const bool in_order = above_ == protocol::kNoTime || item.modified == protocol::kNoTime || item.modified <= above_;
    if (version && !item.latest) {
      item.kept = judge_noncurrent(item, in_order ? above_ : protocol::kNoTime, noncurrent_++);
    } else {
      item.kept = judge(item, version ? Role::current : Role::marker, item.modified, 0);
    }
    below_ = true;
    if (item.kept != KeptBy::none && !left_below_is_version_) left_below_is_version_ = version;
    above_ = item.modified;
    out.push_back(std::move(item));
  }
  if (range_end) close_key(out);
  items.swap(out);
}

}  // namespace s3purge::engine
