// Pacing per key range on a fake clock: lanes by first character, each with its own rate.
#include "engine/lane_pacer.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace s3purge::engine;
using namespace std::chrono;

namespace {

const Clock::time_point kT0 = Clock::time_point(seconds(1000));

AdaptiveOptions lane_options() {
  AdaptiveOptions o;
  o.floor = 50;
  return o;
}

}  // namespace

TEST(LanePacer, LanesAreTheFirstCharacterAfterThePrefix) {
  EXPECT_EQ(LanePacer::lane_of("logs/a1", "logs/"), 1u + 'a');
  EXPECT_EQ(LanePacer::lane_of("logs/b", "logs/"), 1u + 'b');
  EXPECT_EQ(LanePacer::lane_of("logs/", "logs/"), 257u) << "the key that is the prefix";
  EXPECT_EQ(LanePacer::lane_of("\xff", ""), 256u);
  EXPECT_NE(LanePacer::lane_of("0abc", ""), 0u) << "0 is no lane";
}

TEST(LanePacer, AThrottleSlowsItsLaneAndNotTheOthers) {
  LanePacer p(lane_options());
  const auto hot = LanePacer::lane_of("0a", ""), cold = LanePacer::lane_of("8a", "");
  EXPECT_EQ(p.reserve(hot, 1000, kT0), nanoseconds(0));
  EXPECT_EQ(p.reserve(cold, 1000, kT0), nanoseconds(0));
  p.on_keys_throttled(hot, 600, 400, kT0);  // never measured: cut from S3's 3,500/s by 40%
  EXPECT_NEAR(p.allowed(hot), 3500 * 0.6, 1);
  EXPECT_TRUE(std::isinf(p.allowed(cold)));
  EXPECT_EQ(p.wait_for(cold, 1000, kT0), nanoseconds(0));
  // The hot lane's first 1000 keys go at once (a burst of one batch), the next wait their turn.
  EXPECT_EQ(p.reserve(hot, 1000, kT0), nanoseconds(0));
  EXPECT_GT(p.wait_for(hot, 1000, kT0), milliseconds(400));
  EXPECT_EQ(p.throttles(), 1u);
  EXPECT_EQ(p.lanes_cut(), 1u);
}

TEST(LanePacer, TheCutIsTheShareRefusedAtMostHalfAndOncePerInterval) {
  LanePacer p(lane_options());
  const auto lane = LanePacer::lane_of("a", "");
  p.on_keys_throttled(lane, 900, 100, kT0);
  EXPECT_NEAR(p.allowed(lane), 3500 * 0.9, 1);
  p.on_keys_throttled(lane, 0, 1000, kT0 + milliseconds(500));  // the same overload, in flight
  EXPECT_NEAR(p.allowed(lane), 3500 * 0.9, 1);
  p.on_throttle(lane, milliseconds(0), kT0 + milliseconds(1500));  // a 503: at most half
  EXPECT_NEAR(p.allowed(lane), 3500 * 0.9 / 2, 1);
  EXPECT_EQ(p.throttles(), 3u);
}

TEST(LanePacer, OnlyALaneThatWaitsForItsRateWinsItBack) {
  LanePacer p(lane_options());
  const auto busy = LanePacer::lane_of("a", ""), idle = LanePacer::lane_of("b", "");
  p.on_keys_throttled(busy, 500, 500, kT0);
  p.on_keys_throttled(idle, 500, 500, kT0);
  ASSERT_NEAR(p.allowed(busy), 1750, 1);
  for (int ms = 100; ms <= 2000; ms += 100) {
    p.limited(busy, kT0 + milliseconds(ms));
    p.on_keys_throttled(busy, 1000, 0, kT0 + milliseconds(ms));
    p.on_keys_throttled(idle, 1000, 0, kT0 + milliseconds(ms));
  }
  // 10% of the 3,500/s it was cut from per second: 700/s more after 2 s.
  EXPECT_NEAR(p.allowed(busy), 1750 + 700, 10);
  // Seen after busy was cut: it started at busy's 1750, and was cut by half from there.
  EXPECT_NEAR(p.allowed(idle), 875, 1) << "a rate it did not use proves nothing";
  // Beyond the rate it was cut from, a quarter of the pace; and it never turns unlimited.
  for (int ms = 2100; ms <= 30000; ms += 100) {
    p.limited(busy, kT0 + milliseconds(ms));
    p.on_keys_throttled(busy, 1000, 0, kT0 + milliseconds(ms));
  }
  EXPECT_FALSE(std::isinf(p.allowed(busy)));
  EXPECT_LT(p.allowed(busy), 3500 + 0.25 * 350 * 28);
}

TEST(LanePacer, ALaneSeenAfterOthersWereCutStartsAtTheirMedian) {
  LanePacer p(lane_options());
  const auto a = LanePacer::lane_of("a", ""), b = LanePacer::lane_of("b", ""), c = LanePacer::lane_of("c", "");
  p.on_keys_throttled(a, 500, 500, kT0);  // unlimited, cut from 3,500 by half: 1750
  p.reserve(b, 1, kT0);
  EXPECT_NEAR(p.allowed(b), 1750, 1) << "the median of a alone";
  p.on_keys_throttled(b, 800, 200, kT0);  // 1750 less 20%: 1400
  p.reserve(c, 1, kT0);
  EXPECT_NEAR(p.allowed(c), 1750, 1) << "the upper median of 1400 and 1750";
  p.on_keys_throttled(c, 900, 100, kT0);  // 1750 less 10%: 1575
  const auto fresh = LanePacer::lane_of("d", "");
  p.reserve(fresh, 1, kT0);
  EXPECT_NEAR(p.allowed(fresh), 1575, 1) << "the median of 1400, 1575 and 1750; not counting itself";
  EXPECT_TRUE(std::isinf(LanePacer(lane_options()).allowed(fresh))) << "no lane cut: unlimited";
}

TEST(LanePacer, CutsSpreadOverTheLanesARangeReaches) {
  // From the first key to the end: evenly over digits and letters.
  auto cuts = LanePacer::cuts("p/", "p/0000", std::nullopt, 3);
  ASSERT_EQ(cuts.size(), 3u);
  EXPECT_EQ(cuts[0], "p/G");
  EXPECT_EQ(cuts[1], "p/V");
  EXPECT_EQ(cuts[2], "p/k");
  // Strictly inside (pos, through), never more than there are characters in between.
  cuts = LanePacer::cuts("", "3zzz", std::string("6"), 10);
  EXPECT_EQ(cuts, (std::vector<std::string>{"4", "5"}));
  EXPECT_TRUE(LanePacer::cuts("", "3a", std::string("3z"), 4).empty()) << "one lane";
  EXPECT_TRUE(LanePacer::cuts("q/", "p/a", std::nullopt, 4).empty()) << "outside the prefix";
  EXPECT_TRUE(LanePacer::cuts("", "a", std::nullopt, 0).empty());
}
