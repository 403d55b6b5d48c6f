// The rate limiter on a fake clock: requests are sent when reserve() says, and we count
// what lands in each second.
#include "engine/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

using namespace s3purge::engine;
using namespace std::chrono;

namespace {

const Clock::time_point kT0 = Clock::time_point(seconds(1000));

// Drives `core` with `senders` senders of `batch` objects for `duration`: each sender
// reserves, waits what it is told, sends, repeats. Returns objects sent per whole second.
std::map<int, double> simulate(RateLimiterCore& core, int senders, std::uint64_t batch,
                               seconds duration, Clock::time_point start = kT0) {
  std::vector<Clock::time_point> next(static_cast<std::size_t>(senders), start);
  std::map<int, double> per_second;
  for (;;) {
    auto it = std::min_element(next.begin(), next.end());
    const Clock::time_point now = *it;
    if (now >= start + duration) break;
    const auto wait = core.reserve(batch, now);
    const Clock::time_point send_at = now + wait;
    if (send_at >= start + duration) break;
    per_second[static_cast<int>(duration_cast<seconds>(send_at - start).count())] +=
        static_cast<double>(batch);
    core.on_success(batch, send_at);
    *it = send_at + milliseconds(1);  // a fast server: answers in 1 ms
  }
  return per_second;
}

}  // namespace

TEST(TokenBucket, BurstThenRate) {
  TokenBucket b(1000, 100, kT0);
  EXPECT_EQ(b.take(100, kT0), nanoseconds(0));
  EXPECT_EQ(b.take(1000, kT0), seconds(1)) << "debt of one batch: wait, never starve";
  EXPECT_EQ(b.take(500, kT0 + seconds(1)), milliseconds(500));
}

TEST(RateLimiter, CeilingHeldPerSecondGoalF) {
  // bench goal F: --rate 20000 over 20 s: every second within +-3%, none above 110%.
  RateLimiterCore core(20000, 0, kT0);
  const auto per_second = simulate(core, 16, 1000, seconds(20));
  ASSERT_EQ(per_second.size(), 20u);
  for (const auto& [second, objects] : per_second) {
    EXPECT_LE(objects, 20000 * 1.10) << "second " << second;
    EXPECT_NEAR(objects, 20000, 20000 * 0.03 + 1000) << "second " << second;
  }
  double total = 0;
  for (const auto& [s, o] : per_second) total += o;
  EXPECT_NEAR(total / 20, 20000, 20000 * 0.03);
}

TEST(RateLimiter, UnlimitedUntilTheFirstThrottle) {
  RateLimiterCore core(0, 0, kT0);
  EXPECT_TRUE(std::isinf(core.allowed()));
  auto per_second = simulate(core, 4, 1000, seconds(1));
  EXPECT_GT(per_second[0], 1'000'000) << "no rate given: no waiting";
  // Throttled once after 100 clean answers at ~60k/s: cut by the throttled fraction, 1/101.
  RateLimiterCore c2(0, 0, kT0);
  for (int ms = 0; ms < 1000; ms += 10) c2.on_success(600, kT0 + milliseconds(ms));
  c2.on_throttle(kT0 + seconds(1), milliseconds(0));
  EXPECT_NEAR(c2.allowed(), 60000 * (1 - 1.0 / 101), 3000) << "a lone throttle barely slows it";
  EXPECT_FALSE(std::isinf(c2.allowed()));
  EXPECT_EQ(c2.throttles(), 1u);
}

TEST(RateLimiter, TheCutFollowsTheThrottledFractionAndIsAtMostHalf) {
  // 100 answers a second, 20% throttled, for two seconds: the next cut is 20%.
  RateLimiterCore core(10000, 0, kT0);
  auto t = kT0;
  for (int i = 0; i < 200; ++i, t += milliseconds(10)) {
    if (i % 5 == 4 && i < 195) {
      core.on_throttle(t, milliseconds(0));
    } else {
      core.on_success(50, t);
    }
  }
  // The throttles so far cut once a second; now a cut from a known state:
  const double before = core.allowed();
  core.on_throttle(t + seconds(1), milliseconds(0));
  EXPECT_LT(core.allowed(), before);
  EXPECT_GE(core.allowed(), 0.5 * before - 1) << "never more than half";
  // Every answer throttled (a server refusing everything): halve each second, to the floor.
  RateLimiterCore all(20000, 0, kT0);
  all.on_throttle(kT0, milliseconds(0));
  EXPECT_EQ(all.allowed(), 10000);
  // Random 5% throttles at a steady 100 answers/s: the rate does not sink to the floor.
  RateLimiterCore random(0, 0, kT0);
  t = kT0;
  for (int i = 0; i < 3000; ++i, t += milliseconds(10)) {  // 30 s
    if (i % 20 == 7) random.on_throttle(t, milliseconds(0));
    else random.on_success(100, t);
  }
  EXPECT_GT(random.allowed(), 5000) << "5% random SlowDown must not pin the run to 1000/s";
}

// Keys refused one by one (a partition over capacity) weigh by their share of the answer:
// 10 refused keys of 1000 weigh a hundredth of a whole-request throttle, whose weight is
// already its share of the recent answers (1 of 21 here: a 4.8% cut).
TEST(RateLimiter, KeysThrottledInAnAnswerWeighByTheirShare) {
  auto drive = [](bool whole) {
    RateLimiterCore core(20000, 0, kT0);
    auto t = kT0;
    for (int i = 0; i < 20; ++i, t += milliseconds(100)) core.on_success(1000, t);  // 10,000/s
    if (whole) {
      core.on_throttle(t, milliseconds(0));
    } else {
      core.on_keys_throttled(990, 10, t);
    }
    return core.allowed();
  };
  const double partial = drive(false), whole = drive(true);
  EXPECT_GT(partial, whole * 1.04) << partial << " vs " << whole;
  EXPECT_LT(whole, partial * 0.96);
  // The first answers of a run, nothing measured yet: no base to cut from, no cut.
  RateLimiterCore fresh(0, 0, kT0);
  fresh.on_keys_throttled(700, 300, kT0 + milliseconds(20));
  EXPECT_TRUE(std::isinf(fresh.allowed()));
  RateLimiterCore clean(0, 0, kT0);
  clean.on_keys_throttled(1000, 0, kT0);
  EXPECT_TRUE(std::isinf(clean.allowed())) << "nothing refused is a success";
  EXPECT_EQ(clean.throttles(), 0u);
}

// A run lists for seconds before its first answer: the rate it achieves is measured from
// that answer on, so a throttle cuts from what deleting reached, not from a rate diluted
// by the wait.
TEST(RateLimiter, TheRateIsMeasuredFromTheFirstAnswer) {
  RateLimiterCore core(0, 0, kT0);
  auto t = kT0 + seconds(5);
  for (int i = 0; i < 15; ++i, t += milliseconds(100)) core.on_success(1000, t);  // 10,000/s
  core.on_throttle(t, milliseconds(0));
  EXPECT_GT(core.allowed(), 4000) << "half of about 10,000/s, not of 1,500/s";
}

TEST(RateLimiter, ThrottleHalvesRecoveryIsAdditiveAndNeverPassesTheCeiling) {
  RateLimiterCore core(20000, 0, kT0);
  EXPECT_EQ(core.allowed(), 20000);
  core.on_throttle(kT0, milliseconds(0));
  EXPECT_EQ(core.allowed(), 10000);
  core.on_throttle(kT0 + milliseconds(500), milliseconds(0));
  EXPECT_EQ(core.allowed(), 10000) << "one cut per second, however many deleters saw it";
  const auto second_cut = kT0 + milliseconds(1200);
  core.on_throttle(second_cut, milliseconds(0));
  EXPECT_EQ(core.allowed(), 5000);
  // 10% of 10000 per second: 4 s of clean answers add 4000.
  double last = core.allowed();
  for (int s = 1; s <= 4; ++s) {
    core.on_success(1, second_cut + seconds(s));
    EXPECT_GT(core.allowed(), last);
    last = core.allowed();
  }
  EXPECT_NEAR(core.allowed(), 5000 + 0.10 * 10000 * 4, 1);
  for (int s = 5; s <= 100; ++s) core.on_success(1, second_cut + seconds(s));
  EXPECT_EQ(core.allowed(), 20000) << "never above the ceiling";
}

TEST(RateLimiter, NeverBelowTheFloor) {
  RateLimiterCore core(0, 0, kT0);
  for (int i = 0; i < 20; ++i) core.on_throttle(kT0 + seconds(2 * i), milliseconds(0));
  EXPECT_EQ(core.allowed(), 1000);
}

TEST(RateLimiter, ThrottledRateIsWhatSendersGet) {
  // Achieving 10k/s unlimited, then throttled: senders get 5k/s, +1000/s per clean second
  // (10% of 10k), plus at most one burst of 1000.
  RateLimiterCore core(0, 0, kT0);
  for (int ms = 0; ms < 1000; ms += 10) core.on_success(100, kT0 + milliseconds(ms));
  // Then the server refuses everything for a second: a small first cut, then half.
  for (int ms = 1000; ms < 2000; ms += 10) core.on_throttle(kT0 + milliseconds(ms), milliseconds(0));
  const auto cut = kT0 + seconds(2);
  core.on_throttle(cut, milliseconds(0));
  ASSERT_NEAR(core.allowed(), 5000, 100);
  auto per_second = simulate(core, 8, 100, seconds(3), cut);
  for (int s = 0; s < 3; ++s) {
    const double start_rate = 5000 + 1000 * s, end_rate = start_rate + 1000;
    EXPECT_LE(per_second[s], end_rate + (s == 0 ? 1000 : 100)) << "second " << s;
    EXPECT_GE(per_second[s], start_rate * 0.95) << "second " << s;
  }
}

TEST(RateLimiter, RetryAfterPausesEveryone) {
  RateLimiterCore core(0, 0, kT0);
  core.on_throttle(kT0, milliseconds(2000));
  EXPECT_GE(core.reserve(1, kT0 + milliseconds(500)), milliseconds(1500));
  EXPECT_LT(core.reserve(1, kT0 + milliseconds(2100)), milliseconds(100));
}
