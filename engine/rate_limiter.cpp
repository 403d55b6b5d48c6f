#include "engine/rate_limiter.hpp"

#include "engine/lane_pacer.hpp"
#include "engine/stop_signal.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

namespace s3purge::engine {

namespace {

std::chrono::nanoseconds seconds_to_ns(double s) {
  return std::chrono::nanoseconds(static_cast<std::int64_t>(std::ceil(s * 1e9)));
}

double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

}  // namespace

TokenBucket::TokenBucket(double rate, double burst, Clock::time_point now)
    : rate_(rate), burst_(std::max(burst, 1.0)), tokens_(std::max(burst, 1.0)), last_(now) {}

void TokenBucket::refill(Clock::time_point now) {
  if (now > last_) {
    tokens_ = std::min(burst_, tokens_ + seconds_between(last_, now) * rate_);
    last_ = now;
  }
}

std::chrono::nanoseconds TokenBucket::take(double n, Clock::time_point now) {
  refill(now);
  tokens_ -= n;
  if (tokens_ >= 0) return std::chrono::nanoseconds(0);
  return seconds_to_ns(-tokens_ / rate_);
}

std::chrono::nanoseconds TokenBucket::wait_for(double n, Clock::time_point now) const {
  double tokens = tokens_;
  if (now > last_) tokens = std::min(burst_, tokens + seconds_between(last_, now) * rate_);
  if (tokens >= n) return std::chrono::nanoseconds(0);
  return seconds_to_ns((n - tokens) / rate_);
}

void TokenBucket::set_rate(double rate, Clock::time_point now) {
  refill(now);
  rate_ = rate;
}

void TokenBucket::set_rate(double rate, double burst, Clock::time_point now) {
  refill(now);
  rate_ = rate;
  burst_ = std::max(burst, 1.0);
  tokens_ = std::min(tokens_, burst_);
}

void AdaptiveRate::on_throttle(Clock::time_point now, double base,
                               std::chrono::milliseconds retry_after, double throttled) {
  base = std::max(base, o_.floor);
  // Several deleters see the same overload at once: one cut per interval, not one each.
  if (!std::isinf(allowed_) && now - last_cut_ < o_.min_cut_interval) {
    paused_until_ = std::max(paused_until_, now + retry_after);
    return;
  }
  last_cut_from_ = base;
  const double factor = std::max(o_.decrease, 1.0 - std::clamp(throttled, 0.0, 1.0));
  allowed_ = last_cut_to_ = std::max(o_.floor, base * factor);
  last_cut_ = now;
  paused_until_ = std::max(paused_until_, now + retry_after);
}

void AdaptiveRate::restore(double rate) {
  allowed_ = std::max(allowed_, rate);
  last_cut_to_ = std::isinf(rate) ? last_cut_to_ : std::max(last_cut_to_, rate);
}

void AdaptiveRate::on_success(Clock::time_point now) {
  if (std::isinf(allowed_)) return;
  // CUBIC: W(t) = W_max + (W_max - W_cut) * ((t - K) / K)^3, K = the recovery time.
  const double k = std::chrono::duration<double>(o_.recovery).count();
  const double t = seconds_between(last_cut_, now);
  if (t <= 0 || k <= 0) return;
  const double x = (t - k) / k;
  // The curve's height: the cut, or 30% of the rate cut from at least (CUBIC's), so that
  // a rate cut from the floor to the floor still climbs past it.
  const double height = std::max(last_cut_from_ - last_cut_to_, 0.3 * last_cut_from_);
  allowed_ = std::max(allowed_, last_cut_from_ + height * x * x * x);
  // Recovered well past where the trouble started: no adaptive limit any more.
  if (allowed_ > 2 * last_cut_from_) allowed_ = std::numeric_limits<double>::infinity();
}

RateLimiterCore::RateLimiterCore(double ceiling, double burst, Clock::time_point now,
                                 AdaptiveOptions o)
    : ceiling_(ceiling),
      // Default burst: one 1000-key batch, or 1/20 s of the ceiling if larger, so the first
      // second never exceeds the ceiling by more than 5%.
      burst_(burst > 0 ? burst : std::max(1000.0, ceiling / 20)),
      adaptive_(o),
      window_start_(now) {
  if (ceiling_ > 0) bucket_.emplace(ceiling_, burst_, now);
}

double RateLimiterCore::allowed() const {
  const double adaptive = adaptive_.allowed();
  if (ceiling_ > 0) return std::min(ceiling_, adaptive);
  return adaptive;
}

double RateLimiterCore::observed_rate(Clock::time_point now) const {
  const double in_window = std::max(seconds_between(window_start_, now), 0.0);
  if (has_previous_window_) return (previous_window_count_ + window_count_) / (1.0 + in_window);
  // Under 50 ms: what was done in it, as if over 50 ms (at least that rate), not nothing,
  // which would cut a run throttled in its first moments to the floor.
  return window_count_ / std::max(in_window, 0.05);
}

std::chrono::nanoseconds RateLimiterCore::reserve(std::uint64_t n, Clock::time_point now) {
  std::chrono::nanoseconds wait(0);
  const double rate = allowed();
  if (!std::isinf(rate)) {
    if (!bucket_) {
      // Unlimited until now: a bucket at the new rate, with the default burst.
      bucket_.emplace(rate, std::max(1000.0, rate / 20), now);
    } else if (bucket_->rate() != rate) {
      bucket_->set_rate(rate, now);
    }
    wait = bucket_->take(static_cast<double>(n), now);
  } else if (bucket_ && ceiling_ <= 0) {
    bucket_.reset();  // recovered to unlimited
  }
  const auto paused = adaptive_.paused_until();
  if (paused > now) wait = std::max(wait, std::chrono::duration_cast<std::chrono::nanoseconds>(paused - now));
  return wait;
}

void RateLimiterCore::roll_window(Clock::time_point now) {
  // Nothing answered yet (a run lists before it deletes): the rate is measured from the
  // first answer on, not diluted by the wait for it.
  if (window_answers_ == 0 && previous_window_answers_ == 0) {
    window_start_ = now;
    has_previous_window_ = false;
    return;
  }
  if (now - window_start_ < std::chrono::seconds(1)) return;
  const bool adjacent = now - window_start_ < std::chrono::seconds(2);
  previous_window_count_ = adjacent ? window_count_ : 0;
  previous_window_answers_ = adjacent ? window_answers_ : 0;
  previous_window_throttled_ = adjacent ? window_throttled_ : 0;
  has_previous_window_ = true;
  window_count_ = window_answers_ = window_throttled_ = 0;
  window_start_ = now;
}

bool RateLimiterCore::judge(Clock::time_point now, double keys, double refused) {
  judge_.answer(now, keys, refused);
  if (judge_.verdict(now) == pacing::Verdict::noise) adaptive_.restore(judge_.restore_rate());
  return refused > 0 && judge_.calls_for_cut(now);
}

void RateLimiterCore::on_throttle(Clock::time_point now, std::chrono::milliseconds retry_after) {
  ++throttles_;
  roll_window(now);
  ++window_answers_;
  ++window_throttled_;
  // A request refused whole: as many keys refused as the answers of the window carried.
  const double keys = window_answers_ > 0 ? std::max(1.0, window_count_ / window_answers_) : 1.0;
  if (!judge(now, keys, keys)) {
    adaptive_.pause(now + retry_after);  // noise: the request waits, the rate stays
    return;
  }
  cut(now, retry_after);
}

void RateLimiterCore::on_keys_throttled(std::uint64_t done, std::uint64_t throttled, Clock::time_point now) {
  if (throttled == 0) return on_success(done, now);
  ++throttles_;
  roll_window(now);
  window_count_ += static_cast<double>(done);
  ++window_answers_;
  window_throttled_ += static_cast<double>(throttled) / static_cast<double>(done + throttled);
  const bool partial = done > 0;
  if (partial) {
    // Keys refused one by one beside keys deleted: capacity, cut without a test.
    judge_.answer(now, static_cast<double>(done + throttled), static_cast<double>(throttled));
    judge_.capacity_cut();
  } else if (!judge(now, static_cast<double>(done + throttled), static_cast<double>(throttled))) {
    return;
  }
  // Unlimited and a single answer so far (the first of a run): no base to cut from,
  // and most keys went through; the refused ones are sent again and paced from then on.
  if (std::isinf(allowed()) && window_answers_ + previous_window_answers_ < 2) return;
  cut(now, std::chrono::milliseconds(0), !partial);
}

void RateLimiterCore::cut(Clock::time_point now, std::chrono::milliseconds retry_after, bool test) {
  const double throttled = (window_throttled_ + previous_window_throttled_) /
                           (window_answers_ + previous_window_answers_);
  // Cut from the rate in force, or from what was achieved when that is lower (a ceiling the
  // server never let us reach is no base); unlimited with no history: from twice the floor,
  // which recovers to unlimited within seconds if the throttle was a blip.
  const double in_force = allowed();
  const double observed = observed_rate(now);
  double base = in_force;
  if (observed > 0) {
    base = std::min(in_force, observed);
  } else if (std::isinf(in_force)) {
    base = 0;  // AdaptiveRate raises it to its floor
  }
  const double before = adaptive_.allowed();
  adaptive_.on_throttle(now, base, retry_after, throttled);
  if (test && adaptive_.allowed() != before) judge_.cut(now, before, adaptive_.allowed());
}

void RateLimiterCore::on_success(std::uint64_t n, Clock::time_point now) {
  roll_window(now);
  window_count_ += static_cast<double>(n);
  ++window_answers_;
  judge(now, static_cast<double>(n), 0);
  adaptive_.on_success(now);
}

RateLimiter::RateLimiter(boost::asio::any_io_executor ex, double ceiling, double burst,
                         AdaptiveOptions o, std::optional<AdaptiveOptions> lanes)
    : executor_(std::move(ex)), core_(ceiling, burst, Clock::now(), o) {
  if (lanes) lanes_ = std::make_unique<LanePacer>(*lanes, core_.noise());
}

RateLimiter::~RateLimiter() = default;

bool RateLimiter::paces(std::uint64_t lane) const { return lane != 0 && lanes_; }

std::uint64_t RateLimiter::throttles() const { return core_.throttles() + (lanes_ ? lanes_->throttles() : 0); }

boost::asio::awaitable<void> RateLimiter::acquire(std::uint64_t n) {
  const auto wait = core_.reserve(n, Clock::now());
  if (wait.count() > 0) {
    boost::asio::steady_timer timer(executor_, wait);
    co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  }
}

boost::asio::awaitable<bool> RateLimiter::acquire(std::uint64_t n, StopSignal& stop) {
  if (stop.stopped()) co_return false;
  const auto wait = core_.reserve(n, Clock::now());
  if (wait.count() <= 0) co_return true;
  co_return co_await stop.sleep(executor_, wait);
}

boost::asio::awaitable<bool> RateLimiter::acquire(std::uint64_t lane, std::uint64_t n, StopSignal& stop) {
  if (paces(lane)) {
    const auto wait = lanes_->reserve(lane, n, Clock::now());
    if (wait.count() > 0 && !co_await stop.sleep(executor_, wait)) co_return false;
  }
  co_return co_await acquire(n, stop);
}

void RateLimiter::on_keys_throttled(std::uint64_t done, std::uint64_t throttled, std::uint64_t lane,
                                    Clock::time_point sent) {
  if (paces(lane)) {
    const double before = lanes_->allowed(lane);
    lanes_->on_keys_throttled(lane, done, throttled, Clock::now(), sent);
    core_.on_success(done, Clock::now());  // the ceiling's measure, and its recovery
    if (const double after = lanes_->allowed(lane); after != before && throttled > 0) {
      spdlog::debug("keys throttled by the server: key range {} now at most {:.0f} objects/s", lane, after);
    }
    return;
  }
  const double before = core_.allowed();
  core_.on_keys_throttled(done, throttled, Clock::now());
  if (const double after = core_.allowed(); after != before && throttled > 0) {
    spdlog::info("keys throttled by the server: now at most {:.0f} objects/s", after);
  }
}

void RateLimiter::on_throttle(std::chrono::milliseconds retry_after, std::uint64_t lane, Clock::time_point sent,
                              std::uint64_t keys) {
  if (paces(lane)) {
    lanes_->on_throttle(lane, retry_after, Clock::now(), sent, static_cast<double>(keys));
    spdlog::debug("throttled by the server: key range {} now at most {:.0f} objects/s", lane, lanes_->allowed(lane));
    return;
  }
  const double before = core_.allowed();
  core_.on_throttle(Clock::now(), retry_after);
  if (const double after = core_.allowed(); after != before) {
    spdlog::info("throttled by the server: now at most {:.0f} objects/s", after);
  }
}

}  // namespace s3purge::engine
