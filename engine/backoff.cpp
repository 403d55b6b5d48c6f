#include "engine/backoff.hpp"

#include <algorithm>

namespace s3purge::engine {

std::chrono::milliseconds Backoff::ceiling(std::chrono::milliseconds from, unsigned attempt) const {
  // Doubling past 2^30 overflows nothing useful: the cap is reached long before.
  const unsigned shift = std::min(attempt, 30u);
  const auto base = from.count();
  const auto cap = options_.cap.count();
  const auto window = base > (cap >> shift) ? cap : std::min(cap, base << shift);
  return std::chrono::milliseconds(window);
}

std::chrono::milliseconds Backoff::draw(std::chrono::milliseconds ceiling) {
  std::uniform_int_distribution<std::int64_t> dist(0, ceiling.count());
  return std::chrono::milliseconds(dist(rng_));
}

std::chrono::milliseconds Backoff::delay(unsigned attempt) { return draw(ceiling(attempt)); }

std::chrono::milliseconds Backoff::throttle_delay(unsigned attempt, std::chrono::milliseconds floor) {
  return std::max(floor, draw(ceiling(options_.throttle_base, attempt)));
}

std::chrono::milliseconds Backoff::delay(unsigned attempt, std::chrono::milliseconds floor) {
  return std::max(floor, delay(attempt));
}

}  // namespace s3purge::engine
