#include "engine/listed_coverage.hpp"

#include <algorithm>

namespace s3purge::engine {

void ListedCoverage::add(std::string from, std::string to) {
  if (!(from < to)) return;
  // Every interval that overlaps or touches [from, to) joins it.
  auto it = intervals_.upper_bound(from);
  if (it != intervals_.begin() && std::prev(it)->second >= from) --it;
  while (it != intervals_.end() && it->first <= to) {
    from = std::min(from, it->first);
    to = std::max(to, it->second);
    it = intervals_.erase(it);
  }
  intervals_.emplace(std::move(from), std::move(to));
}

bool ListedCoverage::covers(std::string_view key) const {
  auto it = intervals_.upper_bound(key);
  if (it == intervals_.begin()) return false;
  --it;
  return key < it->second;
}

}  // namespace s3purge::engine
