// The capacity model: the server can do `ops_per_second` writes (each key of a
// DeleteObjects counts). Past that, either requests queue, so every client's latency grows
// as on a busy server (`queue`), or writes are refused with 503 SlowDown as S3 does
// (`slowdown`). Pure: the clock is passed in.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <mutex>

namespace s3emu {

enum class Overload { queue, slowdown };

class Capacity {
 public:
  using clock = std::chrono::steady_clock;

  // `burst` is how far work may run ahead of the rate before anyone waits or is refused.
  explicit Capacity(double ops_per_second, std::chrono::milliseconds burst = std::chrono::milliseconds(100))
      : rate_(ops_per_second), burst_(std::chrono::duration<double>(burst).count()) {}

  // Queue mode: how long a request must wait. A write of `cost` waits for the backlog and
  // adds to it; a read (cost 0) only waits for the backlog.
  std::chrono::nanoseconds queue_delay(std::uint64_t cost, clock::time_point now) {
    std::lock_guard lock(mutex_);
    const double t = seconds(now);
    next_free_ = std::max(next_free_, t - burst_);
    next_free_ += static_cast<double>(cost) / rate_;
    return to_ns(std::max(0.0, next_free_ - t));
  }

  // Slowdown mode: whether a write of `cost` may run now. Admitted while the bucket holds
  // any tokens (it may go into debt by one request: a 1000-key batch is never refused
  // forever), refused otherwise.
  bool try_take(std::uint64_t cost, clock::time_point now) {
    std::lock_guard lock(mutex_);
    const double t = seconds(now);
    if (!started_) tokens_ = rate_ * burst_, last_ = t, started_ = true;
    tokens_ = std::min(rate_ * burst_, tokens_ + (t - last_) * rate_);
    last_ = t;
    if (tokens_ <= 0) return false;
    tokens_ -= static_cast<double>(cost);
    return true;
  }

  double ops_per_second() const { return rate_; }

 private:
  static double seconds(clock::time_point t) {
    return std::chrono::duration<double>(t.time_since_epoch()).count();
  }
  static std::chrono::nanoseconds to_ns(double s) {
    return std::chrono::nanoseconds(static_cast<std::int64_t>(s * 1e9));
  }

  std::mutex mutex_;
  double rate_;
  double burst_;
  double next_free_ = 0;
  double tokens_ = 0;
  double last_ = 0;
  bool started_ = false;
};

}  // namespace s3emu
