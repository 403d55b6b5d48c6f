// Pacing per key range on a fake clock: lanes by first character, each with its own rate.
#include "engine/lane_pacer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

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
  pacing::NoiseLevel noise;
  LanePacer p(lane_options(), noise);
  const auto hot = LanePacer::lane_of("0a", ""), cold = LanePacer::lane_of("8a", "");
  EXPECT_EQ(p.reserve(hot, 1000, kT0), nanoseconds(0));
  EXPECT_EQ(p.reserve(cold, 1000, kT0), nanoseconds(0));
  p.on_keys_throttled(hot, 600, 400, kT0);  // never measured: paced at S3's 3,500/s
  EXPECT_NEAR(p.allowed(hot), 3500, 1);
  EXPECT_TRUE(std::isinf(p.allowed(cold)));
  EXPECT_EQ(p.wait_for(cold, 1000, kT0), nanoseconds(0));
  // The hot lane sends a quarter of a second of its rate at a time: its first piece goes at
  // once (its credit), the next waits its turn.
  EXPECT_EQ(p.piece(hot), 875u);
  EXPECT_EQ(p.piece(cold), std::numeric_limits<std::size_t>::max()) << "unlimited: whole batches";
  EXPECT_EQ(p.reserve(hot, 875, kT0), nanoseconds(0));
  EXPECT_GT(p.wait_for(hot, 875, kT0), milliseconds(240));
  EXPECT_EQ(p.throttles(), 1u);
  EXPECT_EQ(p.lanes_cut(), 1u);
}

TEST(LanePacer, ThePacedCutIsTheShareOfKeysRefusedSinceTheLastCutAtMostHalf) {
  pacing::NoiseLevel noise;
  LanePacer p(lane_options(), noise);
  const auto lane = LanePacer::lane_of("a", "");
  p.on_keys_throttled(lane, 900, 100, kT0);
  ASSERT_NEAR(p.allowed(lane), 3500, 1);
  p.on_keys_throttled(lane, 1, 999, kT0 + milliseconds(100));  // within kMinCutGap of the cut
  EXPECT_NEAR(p.allowed(lane), 3500, 1);
  // Sent before the cut, answered long after it: it tells of the rate before the cut.
  p.on_keys_throttled(lane, 1, 999, kT0 + milliseconds(2000), kT0 - milliseconds(10));
  EXPECT_NEAR(p.allowed(lane), 3500, 1);
  // Paced now: 20% of its keys refused (the answers of 2.5 s ago are out of the window),
  // and, a second or more after the last cut, a margin of 10% for the partition's burst.
  p.on_keys_throttled(lane, 800, 200, kT0 + milliseconds(2500));
  EXPECT_NEAR(p.allowed(lane), 3500 * 0.8 * 0.9, 1);
  // A lone 503 among the lane's answers is no more than noise explains: it cuts nothing.
  p.on_throttle(lane, milliseconds(0), kT0 + milliseconds(2800));
  EXPECT_NEAR(p.allowed(lane), 3500 * 0.8 * 0.9, 1);
  EXPECT_EQ(p.throttles(), 5u);
  EXPECT_EQ(noise.noise_throttles(), 1u);
}

TEST(LanePacer, OnlyALaneThatWaitsForItsRateProbesUpwards) {
  pacing::NoiseLevel noise;
  LanePacer p(lane_options(), noise);
  const auto busy = LanePacer::lane_of("a", ""), idle = LanePacer::lane_of("b", "");
  p.on_keys_throttled(busy, 500, 500, kT0);
  p.on_keys_throttled(idle, 500, 500, kT0);
  ASSERT_NEAR(p.allowed(busy), 3500, 1);
  // Seen after busy was cut: it started at busy's 3500, and was cut by half from there.
  ASSERT_NEAR(p.allowed(idle), 3500 * 0.5 * 0.9, 1);
  const auto step = [&](int ms) {
    p.limited(busy, kT0 + milliseconds(ms));
    p.on_keys_throttled(busy, 1000, 0, kT0 + milliseconds(ms));
    p.on_keys_throttled(idle, 1000, 0, kT0 + milliseconds(ms));
  };
  for (int ms = 100; ms <= 2000; ms += 100) step(ms);
  // Slowly near where the cut left it: 0.4% * 2^2 after 2 s.
  EXPECT_NEAR(p.allowed(busy), 3500 * (1 + 0.004 * 4), 10);
  for (int ms = 2100; ms <= 10000; ms += 100) step(ms);
  // Faster the longer no throttle comes: 0.4% * 10^2 after 10 s.
  EXPECT_NEAR(p.allowed(busy), 3500 * (1 + 0.004 * 100), 20);
  EXPECT_NEAR(p.allowed(idle), 3500 * 0.5 * 0.9, 1) << "a rate it did not use proves nothing";
  for (int ms = 10100; ms <= 60000; ms += 100) step(ms);
  EXPECT_FALSE(std::isinf(p.allowed(busy))) << "a lane once cut stays paced";
}

TEST(LanePacer, LanesCutTogetherProbeTheirPartitionAsOneLaneWould) {
  // The same answers for a lane alone and for four lanes at the same moments: four cuts
  // down to 3500 * (0.5 * 0.9)^3, then `probe_ms` of waiting for their rate.
  const auto run = [](int lanes, int probe_ms) {
    pacing::NoiseLevel noise;
  LanePacer p(lane_options(), noise);
    const auto lane = [](int i) { return LanePacer::lane_of(std::string(1, static_cast<char>('a' + i)), ""); };
    for (int cut = 0; cut < 4; ++cut) {
      for (int i = 0; i < lanes; ++i) p.on_keys_throttled(lane(i), 1, 999, kT0 + milliseconds(1500 * cut + 10 * i));
    }
    const auto at = kT0 + milliseconds(4500 + 10 * lanes);
    for (int ms = 100; ms <= probe_ms; ms += 100) {
      for (int i = 0; i < lanes; ++i) {
        p.limited(lane(i), at + milliseconds(ms));
        p.on_keys_throttled(lane(i), 100, 0, at + milliseconds(ms));
      }
    }
    return p.allowed(lane(0));
  };
  const double settled = 3500 * std::pow(0.5 * 0.9, 3);
  // Alone: settled + 0.4% of a partition's 3,500/s * s^2; together, each a quarter of it.
  // (s: the probe's seconds and the 10 ms a lane since the first lane's cut.)
  EXPECT_NEAR(run(1, 1400), settled + 0.004 * 3500 * 1.41 * 1.41, 10);
  EXPECT_NEAR(run(4, 1400), settled + 0.004 * 3500 / 4 * 1.44 * 1.44, 10);
  // Past 1.5 s without a throttle their partition may have split: the rest of a lone
  // lane's probe comes on top, from then on, and the four (1,276/s in all: one
  // partition's) also grow by 50% a second.
  EXPECT_NEAR(run(1, 5000), settled + 0.004 * 3500 * 25, 10);
  const double s = 5.04;
  EXPECT_NEAR(run(4, 5000), (settled + 0.004 * 3500 / 4 * s * s) * std::pow(1.5, s - 1.5), 10);
}

TEST(LanePacer, ALaneThatStopsSendingHandsItsRateToTheLanesOfItsPartition) {
  pacing::NoiseLevel noise;
  LanePacer p(lane_options(), noise);
  const auto lane = [](char c) { return LanePacer::lane_of(std::string(1, c), ""); };
  // a-d share a partition: cut together three times, to 3500 * (0.5 * 0.9)^2 each, 2835/s
  // in all. e is cut alone.
  for (char c = 'a'; c <= 'e'; ++c) p.reserve(lane(c), 1, kT0 - milliseconds(1));
  for (int cut = 0; cut < 3; ++cut) {
    for (int i = 0; i < 4; ++i) p.on_keys_throttled(lane(static_cast<char>('a' + i)), 1, 999, kT0 + milliseconds(1500 * cut + 10 * i));
    p.on_keys_throttled(lane('e'), 1, 999, kT0 + milliseconds(1500 * cut + 800));
  }
  const double each = 3500 * 0.45 * 0.45;
  ASSERT_NEAR(p.allowed(lane('a')), each, 1);
  ASSERT_NEAR(p.allowed(lane('e')), each, 1);
  // a, b, c and e go on sending; d sends nothing from its cut on (its keys are all sent).
  const auto send = [&](int ms) {
    for (char c : {'a', 'b', 'c', 'e'}) p.reserve(lane(c), 1, kT0 + milliseconds(ms));
  };
  for (int ms = 3900; ms <= 4000; ms += 100) send(ms);
  EXPECT_NEAR(p.allowed(lane('a')), each, 1) << "d has been quiet for less than a second";
  for (int ms = 4100; ms <= 4500; ms += 100) send(ms);
  // d's rate is shared by the three lanes of its partition that still send, and by no other.
  EXPECT_NEAR(p.allowed(lane('a')), each * 4 / 3, 1);
  EXPECT_NEAR(p.allowed(lane('c')), each * 4 / 3, 1);
  EXPECT_NEAR(p.allowed(lane('e')), each, 1);
  EXPECT_NEAR(p.allowed(lane('d')), each, 1) << "should d send again, the next throttle cuts it";
  for (int ms = 4600; ms <= 6500; ms += 100) send(ms);
  EXPECT_NEAR(p.allowed(lane('a')), each * 4 / 3, 1) << "handed once";
  // a is cut alone, and stays with b and c: when they stop, their rates go to a.
  p.on_keys_throttled(lane('a'), 900, 100, kT0 + milliseconds(6500));
  const double a = p.allowed(lane('a'));
  ASSERT_LT(a, each * 4 / 3);
  for (int ms = 6600; ms <= 7700; ms += 100) p.reserve(lane('a'), 1, kT0 + milliseconds(ms));
  EXPECT_NEAR(p.allowed(lane('a')), a + 2 * each * 4 / 3, 1);
}

TEST(LanePacer, LanesOfOnePartitionGrowPastTheSharedProbeAndLanesOfManyDoNot) {
  // `lanes` lanes cut together at 1.5 s intervals `cuts` times, then `probe_ms` of waiting
  // for their rate with no throttle.
  const auto run = [](int lanes, int cuts, int probe_ms, bool idle_last = false) {
    pacing::NoiseLevel noise;
  LanePacer p(lane_options(), noise);
    const auto lane = [](int i) { return LanePacer::lane_of(std::string(1, static_cast<char>('a' + i)), ""); };
    for (int i = 0; i < lanes; ++i) p.reserve(lane(i), 1, kT0 - milliseconds(1));
    for (int cut = 0; cut < cuts; ++cut) {
      for (int i = 0; i < lanes; ++i) p.on_keys_throttled(lane(i), 1, 999, kT0 + milliseconds(1500 * cut + 10 * i));
    }
    const auto at = kT0 + milliseconds(1500 * (cuts - 1) + 10 * lanes);
    for (int ms = 100; ms <= probe_ms; ms += 100) {
      for (int i = 0; i < lanes - (idle_last ? 1 : 0); ++i) {
        p.limited(lane(i), at + milliseconds(ms));
        p.reserve(lane(i), 1, at + milliseconds(ms));
      }
    }
    return p.allowed(lane(0));
  };
  // (s: the probe's seconds, counted from the first lane's cut, 10 ms a lane before `at`.)
  // Four lanes at 3500 * 0.45^2 each: 2835/s in all, one partition's pace. 1.5 s at their
  // share of its probe, then also 50% more a second.
  const double settled = 3500 * 0.45 * 0.45;
  double s = 5.04;
  EXPECT_NEAR(run(4, 3, 5000), (settled + 0.004 * 3500 / 4 * s * s) * std::pow(1.5, s - 1.5), 10);
  // Sixteen lanes at 3,500/s each, cut by a run's first burst: sixteen partitions, not one.
  // Each probes as if alone past 1.5 s, and grows no faster...
  s = 5.16;
  EXPECT_NEAR(run(16, 1, 5000), 3500 + 0.004 * 3500 * s * s, 10);
  // ... and none hands its rate to the others when it stops sending.
  s = 2.16;
  EXPECT_NEAR(run(16, 1, 2000, true), 3500 + 0.004 * 3500 * s * s, 10);
}

TEST(LanePacer, ALaneSeenAfterOthersWereCutStartsAtTheirMedian) {
  pacing::NoiseLevel noise;
  LanePacer p(lane_options(), noise);
  const auto a = LanePacer::lane_of("a", ""), b = LanePacer::lane_of("b", ""), c = LanePacer::lane_of("c", "");
  p.on_keys_throttled(a, 500, 500, kT0);  // unlimited: paced at 3,500
  p.reserve(b, 1, kT0);
  EXPECT_NEAR(p.allowed(b), 3500, 1) << "the median of a alone";
  p.on_keys_throttled(b, 800, 200, kT0);  // 3500 less 20%, and the margin: 2520
  p.reserve(c, 1, kT0);
  EXPECT_NEAR(p.allowed(c), 3500, 1) << "the upper median of 2520 and 3500";
  p.on_keys_throttled(c, 900, 100, kT0);  // 3500 less 10%, and the margin: 2835
  const auto fresh = LanePacer::lane_of("d", "");
  p.reserve(fresh, 1, kT0);
  EXPECT_NEAR(p.allowed(fresh), 2835, 1) << "the median of 2520, 2835 and 3500; not counting itself";
  EXPECT_TRUE(std::isinf(LanePacer(lane_options(), noise).allowed(fresh))) << "no lane cut: unlimited";
}

TEST(LanePacer, TheNextLaneStartsAtTheNextFirstCharacter) {
  EXPECT_EQ(LanePacer::next_lane_start("logs/a17", "logs/"), std::optional<std::string>("logs/b"));
  EXPECT_EQ(LanePacer::next_lane_start("9", ""), std::optional<std::string>(":"));
  EXPECT_EQ(LanePacer::next_lane_start("\xff\x01", ""), std::nullopt) << "the last lane";
  EXPECT_EQ(LanePacer::next_lane_start("logs/", "logs/"), std::nullopt) << "the prefix itself";
  EXPECT_EQ(LanePacer::next_lane_start("other", "logs/"), std::nullopt);
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
