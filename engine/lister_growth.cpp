#include "engine/lister_growth.hpp"

#include <algorithm>

namespace s3purge::engine {

namespace {
constexpr double kBusy = 0.5;  // of one core
}

double listers_enough(const ListingLook& look) {
  if (look.delete_round_trip <= 0) return kMaxListers;
  return look.concurrency * look.list_round_trip / look.delete_round_trip;
}

int listers_to_add(const ListingLook& look) {
  const bool starved = look.pages_came && 2 * look.deleters_waiting > look.concurrency;
  if (!starved || look.busy >= kBusy || look.running >= kMaxListers) return 0;
  if (look.running >= listers_enough(look)) return 0;
  return std::min(look.running, kMaxListers - look.running);
}

}  // namespace s3purge::engine
