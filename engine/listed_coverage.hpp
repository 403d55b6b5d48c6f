// The key intervals the first pass listed whole, for each listing (entries, uploads): a
// later listing that finds an entry inside them, written before the run began, finds one
// the first pass listed and accounted for already. Listed again, it is not counted again;
// taken again, the deletion counted for it is taken back (the server said "deleted" and
// kept it). Memory stays flat: adjacent intervals merge, so it holds about one interval
// per key range listed, whatever the number of keys.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace s3purge::engine {

class ListedCoverage {
 public:
  // Keys from `from` (included) up to `to` (excluded) were listed whole.
  void add(std::string from, std::string to);
  bool covers(std::string_view key) const;
  std::size_t intervals() const { return intervals_.size(); }

 private:
  std::map<std::string, std::string, std::less<>> intervals_;  // from -> to, disjoint
};

// The smallest key after `key`: a bound that takes `key` in.
inline std::string just_after(std::string_view key) {
  std::string out(key);
  out.push_back('\0');
  return out;
}

}  // namespace s3purge::engine
