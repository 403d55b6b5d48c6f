// Exponential backoff with full jitter (the AWS Architecture Blog's "full jitter"): the
// delay before retry n is uniform in [0, min(cap, base * 2^n)]. Spreading retries over the
// whole window is what stops many deleters from retrying a throttled bucket in lockstep.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace s3purge::engine {

struct BackoffOptions {
  // 50 ms: a failing server (500s, resets) needs tens of milliseconds, not seconds.
  std::chrono::milliseconds base{50};
  // 20 s: the longest wait still short of a typical 60 s idle timeout of a keep-alive pool.
  std::chrono::milliseconds cap{20'000};
  // 10 ms for a throttle: the rate limiter paces a server at its capacity, and a throttle
  // that is noise (engine/pacing/throttle_judge) is best sent again at once; a request
  // throttled again and again still backs off to the cap.
  std::chrono::milliseconds throttle_base{10};
};

class Backoff {
 public:
  explicit Backoff(BackoffOptions options, std::uint64_t seed = std::random_device{}())
      : options_(options), rng_(seed) {}

  // The ceiling of the window for retry `attempt` (0 for the first retry).
  std::chrono::milliseconds ceiling(unsigned attempt) const { return ceiling(options_.base, attempt); }
  // A delay drawn uniformly from [0, ceiling(attempt)].
  std::chrono::milliseconds delay(unsigned attempt);
  // At least `floor` (a server's Retry-After), otherwise delay(attempt).
  std::chrono::milliseconds delay(unsigned attempt, std::chrono::milliseconds floor);
  // Before retry `attempt` of a throttled request: from throttle_base, at least `floor`.
  std::chrono::milliseconds throttle_delay(unsigned attempt, std::chrono::milliseconds floor);

 private:
  std::chrono::milliseconds ceiling(std::chrono::milliseconds base, unsigned attempt) const;
  std::chrono::milliseconds draw(std::chrono::milliseconds ceiling);
  BackoffOptions options_;
  std::mt19937_64 rng_;
};

}  // namespace s3purge::engine
