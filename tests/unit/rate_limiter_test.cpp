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

TEST(RateLimiter, UnlimitedUntilThrottlesMoreThanNoise) {
  RateLimiterCore core(0, 0, kT0);
  EXPECT_TRUE(std::isinf(core.allowed()));
  auto per_second = simulate(core, 4, 1000, seconds(1));
  EXPECT_GT(per_second[0], 1'000'000) << "no rate given: no waiting";
  // Throttled once after 100 clean answers at ~60k/s: noise, no cut.
  RateLimiterCore c2(0, 0, kT0);
  for (int ms = 0; ms < 1000; ms += 10) c2.on_success(600, kT0 + milliseconds(ms));
  c2.on_throttle(kT0 + seconds(1), milliseconds(0));
  EXPECT_TRUE(std::isinf(c2.allowed())) << "a lone throttle does not slow it";
  EXPECT_EQ(c2.throttles(), 1u);
  EXPECT_EQ(c2.noise().noise_throttles(), 1u);
  // Ten refused in a row: more than noise explains, a cut.
  for (int ms = 0; ms < 10; ++ms) c2.on_throttle(kT0 + seconds(1) + milliseconds(ms), milliseconds(0));
  EXPECT_FALSE(std::isinf(c2.allowed()));
  EXPECT_GE(c2.allowed(), 0.5 * 60000 - 3000) << "at most half of what it achieved";
}

namespace {
// A server refusing everything for a moment: `n` throttles, a millisecond apart.
void refuse_all(RateLimiterCore& core, Clock::time_point t, int n = 10) {
  for (int i = 0; i < n; ++i) core.on_throttle(t + milliseconds(i), milliseconds(0));
}
}  // namespace

TEST(RateLimiter, TheCutIsAtMostHalfAndRandomThrottlesDoNotSinkTheRate) {
  RateLimiterCore all(20000, 0, kT0);
  refuse_all(all, kT0);
  EXPECT_EQ(all.allowed(), 10000);
  // Random 5% throttles at a steady 100 answers/s: the rate does not sink.
  RateLimiterCore random(0, 0, kT0);
  auto t = kT0;
  for (int i = 0; i < 3000; ++i, t += milliseconds(10)) {  // 30 s
    if (i % 20 == 7) random.on_throttle(t, milliseconds(0));
    else random.on_success(100, t);
  }
  EXPECT_GT(random.allowed(), 9000) << "5% random SlowDown is noise: the run keeps its 10,000/s";
}

// Keys refused one by one beside keys deleted (a partition over capacity) cut by their
// share of the recent answers; a request refused whole, alone, is noise and cuts nothing.
TEST(RateLimiter, KeysThrottledInAnAnswerAreCapacityALoneRefusalIsNoise) {
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
  EXPECT_LT(partial, 20000) << "cut from what was achieved, by a little";
  EXPECT_GT(partial, 9000);
  EXPECT_EQ(whole, 20000) << "the ceiling: nothing cut";
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

TEST(RateLimiter, ACutIsWonBackOnACubicCurveAndNeverPassesTheCeiling) {
  RateLimiterCore core(20000, 0, kT0);
  EXPECT_EQ(core.allowed(), 20000);
  refuse_all(core, kT0);
  EXPECT_EQ(core.allowed(), 10000);
  refuse_all(core, kT0 + milliseconds(500));
  EXPECT_EQ(core.allowed(), 10000) << "one cut per second, however many deleters saw it";
  const auto second_cut = kT0 + milliseconds(1200);
  refuse_all(core, second_cut);
  ASSERT_EQ(core.allowed(), 5000);
  // W(t) = 10000 + 5000 * ((t - 2) / 2)^3: most of the way back within a second, back at
  // 10,000 after 2 s, flat near it, then past it.
  const auto at = [&](double s) {
    core.on_success(1, second_cut + milliseconds(9) + milliseconds(static_cast<int>(s * 1000)));
    return core.allowed();
  };
  EXPECT_NEAR(at(1), 10000 - 5000 / 8.0, 30);
  EXPECT_NEAR(at(2), 10000, 30);
  EXPECT_NEAR(at(2.5), 10000 + 5000 / 64.0, 30) << "flat near the rate it was cut from";
  EXPECT_NEAR(at(4), 15000, 100);
  EXPECT_EQ(at(6), 20000) << "never above the ceiling";
}

TEST(RateLimiter, NeverBelowTheFloor) {
  RateLimiterCore core(0, 0, kT0);
  for (int i = 0; i < 20; ++i) refuse_all(core, kT0 + milliseconds(1100 * i));
  EXPECT_EQ(core.allowed(), 1000);
}

TEST(RateLimiter, ThrottledRateIsWhatSendersGet) {
  // Achieving 10k/s unlimited, then the server refuses everything: a cut by the share
  // refused once that is more than noise, then senders get the cubic curve back (and at
  // most a burst of 1000).
  RateLimiterCore core(0, 0, kT0);
  for (int ms = 0; ms < 1000; ms += 10) core.on_success(100, kT0 + milliseconds(ms));
  const auto cut = kT0 + seconds(1);
  refuse_all(core, cut);
  const double cut_to = core.allowed();
  ASSERT_LT(cut_to, 9700);
  ASSERT_GT(cut_to, 5000);
  auto per_second = simulate(core, 8, 100, seconds(3), cut + milliseconds(10));
  EXPECT_GE(per_second[0], cut_to * 0.95);
  EXPECT_LE(per_second[0], 10000 + 1000);
  EXPECT_GE(per_second[1], 9000);
  EXPECT_LE(per_second[1], 10500);
  EXPECT_GE(per_second[2], 9500);
}

TEST(RateLimiter, RetryAfterPausesEveryone) {
  RateLimiterCore core(0, 0, kT0);
  core.on_throttle(kT0, milliseconds(2000));
  EXPECT_GE(core.reserve(1, kT0 + milliseconds(500)), milliseconds(1500));
  EXPECT_LT(core.reserve(1, kT0 + milliseconds(2100)), milliseconds(100));
}
