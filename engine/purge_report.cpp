#include "engine/purge_report.hpp"

namespace s3purge::engine {

std::string_view to_string(Kind k) {
  switch (k) {
    case Kind::object: return "current objects";
    case Kind::version: return "versions";
    case Kind::delete_marker: return "delete markers";
    case Kind::upload: return "incomplete uploads";
  }
  return "?";
}

std::string_view json_name(Kind k) {
  switch (k) {
    case Kind::object: return "objects";
    case Kind::version: return "versions";
    case Kind::delete_marker: return "delete_markers";
    case Kind::upload: return "uploads";
  }
  return "?";
}

bool PurgeReport::balanced() const {
  for (const auto& c : counts) {
    if (c.listed != c.deleted + c.failed + c.skipped) return false;
  }
  return true;
}

std::uint64_t PurgeReport::settled() const {
  return total(&KindCounts::deleted) + total(&KindCounts::failed) + total(&KindCounts::skipped);
}

std::uint64_t PurgeReport::total(std::uint64_t KindCounts::*field) const {
  std::uint64_t n = 0;
  for (const auto& c : counts) n += c.*field;
  return n;
}

}  // namespace s3purge::engine
