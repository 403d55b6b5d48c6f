// The capacity model: the server can do `ops_per_second` writes (each key of a
// DeleteObjects counts). Past that, either requests queue, so every client's latency grows
// as on a busy server (`queue`), or writes are refused with 503 SlowDown as S3 does
// (`slowdown`). The capacity may follow a schedule: a rate from each listed second after the
// server started (a bucket's partitions scaling, a neighbour taking part of the server).
// Pure: the clock is passed in.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace s3emu {

enum class Overload { queue, slowdown };

class Capacity {
 public:
  using clock = std::chrono::steady_clock;

  // `burst` is how far work may run ahead of the rate before anyone waits or is refused.
  explicit Capacity(double ops_per_second, std::chrono::milliseconds burst = std::chrono::milliseconds(100))
      : rate_(ops_per_second), burst_(std::chrono::duration<double>(burst).count()) {}

  // (seconds after `start`, ops/s) steps in time order, the first at second 0: from each
  // step's second on, the capacity is its rate.
  using Schedule = std::vector<std::pair<double, double>>;
  Capacity(Schedule schedule, clock::time_point start, std::chrono::milliseconds burst = std::chrono::milliseconds(100))
      : rate_(schedule.empty() ? 0 : schedule.front().second),
        burst_(std::chrono::duration<double>(burst).count()),
        schedule_(std::move(schedule)),
        start_(seconds(start)) {}

  // "RATE@SECONDS,...", e.g. "50000@0,10000@2,50000@6": none when it cannot be read (the
  // first step must be at 0, the seconds must rise, every rate must be above 0).
  static std::optional<Schedule> parse_schedule(const std::string& text) {
    Schedule out;
    std::size_t pos = 0;
    while (pos <= text.size()) {
      const auto comma = std::min(text.find(',', pos), text.size());
      const std::string step = text.substr(pos, comma - pos);
      const auto at = step.find('@');
      if (at == std::string::npos) return std::nullopt;
      try {
        std::size_t used = 0;
        const double rate = std::stod(step.substr(0, at), &used);
        if (used != at || !(rate > 0)) return std::nullopt;
        const std::string when = step.substr(at + 1);
        const double second = std::stod(when, &used);
        if (used != when.size() || second < 0) return std::nullopt;
        if (out.empty() ? second != 0 : second <= out.back().first) return std::nullopt;
        out.emplace_back(second, rate);
      } catch (const std::exception&) {
        return std::nullopt;
      }
      pos = comma + 1;
    }
    if (out.empty()) return std::nullopt;
    return out;
  }

  // Queue mode: how long a request must wait. A write of `cost` waits for the backlog and
  // adds to it; a read (cost 0) only waits for the backlog.
  std::chrono::nanoseconds queue_delay(std::uint64_t cost, clock::time_point now) {
    std::lock_guard lock(mutex_);
    const double t = seconds(now);
    follow_schedule(t);
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
    follow_schedule(t);
    if (!started_) tokens_ = rate_ * burst_, last_ = t, started_ = true;
    tokens_ = std::min(rate_ * burst_, tokens_ + (t - last_) * rate_);
    last_ = t;
    if (tokens_ <= 0) return false;
    tokens_ -= static_cast<double>(cost);
    return true;
  }

  double ops_per_second() const { return rate_; }

 private:
  // The rate of the schedule's step at `t`; the credit held stays, up to the new burst.
  void follow_schedule(double t) {
    if (schedule_.empty()) return;
    double rate = schedule_.front().second;
    for (const auto& [second, r] : schedule_) {
      if (t - start_ >= second) rate = r;
    }
    if (rate == rate_) return;
    if (started_) {
      tokens_ = std::min(rate_ * burst_, tokens_ + (t - last_) * rate_);
      last_ = t;
      tokens_ = std::min(tokens_, rate * burst_);
    }
    rate_ = rate;
  }

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
  Schedule schedule_;
  double start_ = 0;
};

}  // namespace s3emu
