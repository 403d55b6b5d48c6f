// How fast deletes may go, in objects per second. Two parts, both pure (the clock is
// passed in, so tests drive them with a fake one):
//  - a token bucket enforcing the ceiling (--rate, --burst): the rate a user promised the
//    other clients of the bucket, never exceeded;
//  - an adaptive rate below it: throttles more than the run's noise (engine/pacing/
//    throttle_judge) cut the allowed rate by the fraction of recent answers that were
//    throttles (at most by half), and honour Retry-After; a cut whose test shows noise is
//    undone, and clean answers win a cut back on a cubic curve: back at the rate cut from
//    within `recovery`, slowly near it, then probing past it. With no ceiling the limiter
//    is unlimited until a cut, then adaptive all the same.
// RateLimiter::acquire(n) is the async face: it waits for what the core says.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>

#include "engine/pacing/throttle_judge.hpp"

namespace s3purge::engine {

class StopSignal;

using Clock = std::chrono::steady_clock;

class TokenBucket {
 public:
  // `rate` objects/s (must be > 0), `burst` objects of credit. Tokens may go into debt by
  // one request, so a 1000-object batch under a 500/s rate waits 2 s instead of forever.
  TokenBucket(double rate, double burst, Clock::time_point now);
  // Takes n tokens; returns how long to wait before sending (zero when they were there).
  std::chrono::nanoseconds take(double n, Clock::time_point now);
  // How long take(n) would wait now, taking nothing.
  std::chrono::nanoseconds wait_for(double n, Clock::time_point now) const;
  void set_rate(double rate, Clock::time_point now);
  // A new rate and burst: the credit held stays, up to the new burst.
  void set_rate(double rate, double burst, Clock::time_point now);
  double rate() const { return rate_; }

 private:
  void refill(Clock::time_point now);
  double rate_, burst_, tokens_;
  Clock::time_point last_;
};

struct AdaptiveOptions {
  // Multiplicative decrease on a throttle: by the fraction of the answers of the last one
  // to two seconds that were throttles, and at most by half (TCP's cut). A server that
  // refuses half of what it is sent halves the rate, as TCP and botocore's adaptive mode
  // do; a lone SlowDown among hundreds of clean answers barely slows the run, so random
  // throttles do not pin a run to the floor.
  double decrease = 0.5;
  // Clean answers win a cut back on a cubic curve (CUBIC's, as the AWS SDKs' adaptive retry
  // mode uses): back at the rate cut from after this long, flat near it, then past it.
  std::chrono::milliseconds recovery{2000};
  // Never below this (objects/s): one 1000-key batch a second still makes progress, and a
  // cut from no history (unlimited, throttled at once) recovers within seconds.
  double floor = 1000;
  // Throttles within this long of a cut are the same overload, seen by the other requests
  // that were in flight: one cut, not one per request. A DeleteObjects takes up to ~1 s.
  std::chrono::milliseconds min_cut_interval{1000};
};

class AdaptiveRate {
 public:
  explicit AdaptiveRate(AdaptiveOptions o = {}) : o_(o) {}
  // `base` is the rate to cut from: the rate in force, or what was achieved lately when
  // that is lower (or when running unlimited).
  // `throttled` is the fraction of recent answers that were throttles, this one included.
  void on_throttle(Clock::time_point now, double base, std::chrono::milliseconds retry_after,
                   double throttled = 1.0);
  void on_success(Clock::time_point now);
  // The last cut was noise: back to `rate` (infinity: unlimited), as if it had not been.
  void restore(double rate);
  // Honours a server's Retry-After without a cut.
  void pause(Clock::time_point until) { paused_until_ = std::max(paused_until_, until); }
  // Objects/s allowed now; infinity while never throttled.
  double allowed() const { return allowed_; }
  Clock::time_point paused_until() const { return paused_until_; }

 private:
  AdaptiveOptions o_;
  double allowed_ = std::numeric_limits<double>::infinity();
  double last_cut_from_ = 0, last_cut_to_ = 0;
  Clock::time_point last_cut_{};
  Clock::time_point paused_until_{};
};

// The ceiling and the adaptive rate together: how long a request of n objects must wait.
class RateLimiterCore {
 public:
  // ceiling 0: no ceiling. burst 0: max(1000, ceiling / 20) objects.
  RateLimiterCore(double ceiling, double burst, Clock::time_point now, AdaptiveOptions o = {});
  std::chrono::nanoseconds reserve(std::uint64_t n, Clock::time_point now);
  void on_throttle(Clock::time_point now, std::chrono::milliseconds retry_after);
  void on_success(std::uint64_t n, Clock::time_point now);
  // An answer that deleted `done` keys and refused `throttled` with SlowDown, key by key (a
  // partition of the key space over its capacity): a throttle weighted by the share of its
  // keys refused, so that a few refused keys in each answer cut the rate a little, not by half.
  void on_keys_throttled(std::uint64_t done, std::uint64_t throttled, Clock::time_point now);
  double allowed() const;  // objects/s in force now (infinity: unlimited)
  std::uint64_t throttles() const { return throttles_; }
  // The run's noise level, shared with the lanes' judges; it counts the throttles judged.
  pacing::NoiseLevel& noise() { return noise_; }
  const pacing::NoiseLevel& noise() const { return noise_; }

 private:
  double observed_rate(Clock::time_point now) const;
  // `test`: the judge tests the cut (for requests refused whole); keys refused beside keys
  // deleted are capacity's, and their cut is not tested.
  void cut(Clock::time_point now, std::chrono::milliseconds retry_after, bool test = true);
  // The judge heard an answer: a test that shows noise undoes the cut; whether a throttle
  // among them calls for one.
  bool judge(Clock::time_point now, double keys, double refused);
  double ceiling_;
  pacing::NoiseLevel noise_;
  pacing::ThrottleJudge judge_{noise_};
  double burst_;
  AdaptiveRate adaptive_;
  std::optional<TokenBucket> bucket_;  // present whenever some rate is in force
  // Objects completed in the current and previous one-second windows, for observed_rate,
  // and answers (clean or throttled) in them, for the throttled fraction.
  void roll_window(Clock::time_point now);
  Clock::time_point window_start_;
  double window_count_ = 0, previous_window_count_ = 0;
  double window_answers_ = 0, previous_window_answers_ = 0;
  double window_throttled_ = 0, previous_window_throttled_ = 0;
  bool has_previous_window_ = false;
  std::uint64_t throttles_ = 0;
};

class LanePacer;

// Shared by every deleter and aborter of a run (one thread: no locking needed). With
// lanes (engine/lane_pacer), DeleteObjects throttles slow the key range they came from, and
// the core keeps the ceiling and the throttles of every other request.
class RateLimiter {
 public:
  RateLimiter(boost::asio::any_io_executor ex, double ceiling, double burst,
              AdaptiveOptions o = {}, std::optional<AdaptiveOptions> lanes = std::nullopt);
  ~RateLimiter();
  boost::asio::awaitable<void> acquire(std::uint64_t n);
  // The same, ended early by a stop: false when the run stopped instead.
  boost::asio::awaitable<bool> acquire(std::uint64_t n, StopSignal& stop);
  // The lane's tokens (lane 0, or without lanes: none), then the ceiling's.
  boost::asio::awaitable<bool> acquire(std::uint64_t lane, std::uint64_t n, StopSignal& stop);
  // A throttle of a request; `lane`: of the key range it came from. Logs when the rate changes.
  // `sent`: when the throttled request went out (the lane pacer weighs it against its cuts).
  // `keys`: how many the request carried.
  void on_throttle(std::chrono::milliseconds retry_after, std::uint64_t lane = 0, Clock::time_point sent = {},
                   std::uint64_t keys = 1000);
  void on_success(std::uint64_t n) { core_.on_success(n, Clock::now()); }
  // Logs when the rate changes.
  void on_keys_throttled(std::uint64_t done, std::uint64_t throttled, std::uint64_t lane = 0,
                         Clock::time_point sent = {});
  const RateLimiterCore& core() const { return core_; }
  LanePacer* lanes() { return lanes_.get(); }
  // Throttle answers, of the core and the lanes.
  std::uint64_t throttles() const;
  // Of them, those judged noise (no cut, or a cut undone) and capacity (a cut that stayed).
  std::uint64_t noise_throttles() const { return core_.noise().noise_throttles(); }
  std::uint64_t capacity_throttles() const { return core_.noise().capacity_throttles(); }

 private:
  bool paces(std::uint64_t lane) const;
  boost::asio::any_io_executor executor_;
  RateLimiterCore core_;
  std::unique_ptr<LanePacer> lanes_;
};

}  // namespace s3purge::engine
