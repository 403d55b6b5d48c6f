// The throttle judge on a fake clock: which throttles call for a cut, and what a cut's test
// says.
#include "engine/pacing/throttle_judge.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace s3purge::engine::pacing;
using namespace std::chrono;

namespace {
const Clock::time_point kT0 = Clock::time_point(seconds(1000));
}  // namespace

TEST(ThrottleJudge, AFewThrottlesAmongManyAnswersAreNoise) {
  NoiseLevel noise;
  ThrottleJudge judge(noise);
  auto t = kT0;
  for (int i = 0; i < 100; ++i, t += milliseconds(10)) judge.answer(t, 1000, i == 50 ? 1000 : 0);
  EXPECT_FALSE(judge.calls_for_cut(t)) << "one in a hundred";
  EXPECT_EQ(noise.noise_throttles(), 1u);
  // Fewer than kLeastAnswers: no cut however they went.
  ThrottleJudge early(noise);
  for (int i = 0; i < 5; ++i) early.answer(kT0 + milliseconds(i), 1000, 1000);
  EXPECT_FALSE(early.calls_for_cut(kT0 + milliseconds(5)));
  for (int i = 5; i < 10; ++i) early.answer(kT0 + milliseconds(i), 1000, 1000);
  EXPECT_TRUE(early.calls_for_cut(kT0 + milliseconds(10))) << "ten refused of ten";
}

TEST(ThrottleJudge, ACutThatLowersTheRateAndNotTheShareWasNoise) {
  NoiseLevel noise;
  ThrottleJudge judge(noise);
  auto t = kT0;
  // 100 answers/s of 100 keys (10,000 keys/s), one in five refused whole.
  for (int i = 0; i < 100; ++i, t += milliseconds(10)) judge.answer(t, 100, i % 5 == 0 ? 100 : 0);
  ASSERT_TRUE(judge.calls_for_cut(t));
  judge.cut(t, 10000, 5000);
  // At half the rate: 50 answers/s, still one in five refused.
  Verdict v = Verdict::none;
  for (int i = 0; i < 100 && v == Verdict::none; ++i) {
    t += milliseconds(20);
    judge.answer(t, 100, i % 5 == 0 ? 100 : 0);
    v = judge.verdict(t);
  }
  EXPECT_EQ(v, Verdict::noise);
  EXPECT_EQ(judge.restore_rate(), 10000);
  EXPECT_NEAR(noise.share(t), 0.2, 0.05) << "learnt";
  EXPECT_GT(noise.noise_throttles(), 0u);
  EXPECT_EQ(noise.capacity_throttles(), 0u);
  // The same share calls for no cut any more.
  for (int i = 0; i < 100; ++i, t += milliseconds(10)) judge.answer(t, 100, i % 5 == 0 ? 100 : 0);
  EXPECT_FALSE(judge.calls_for_cut(t));
  // Forgotten, halving every kForget.
  EXPECT_NEAR(noise.share(t + NoiseLevel::kForget), noise.share(t) / 2, 0.01);
}

TEST(ThrottleJudge, ACutAfterWhichTheShareFellWasCapacity) {
  NoiseLevel noise;
  ThrottleJudge judge(noise);
  auto t = kT0;
  for (int i = 0; i < 50; ++i, t += milliseconds(10)) judge.answer(t, 100, i % 2 == 0 ? 100 : 0);
  ASSERT_TRUE(judge.calls_for_cut(t));
  judge.cut(t, 10000, 5000);
  Verdict v = Verdict::none;
  for (int i = 0; i < 100 && v == Verdict::none; ++i) {
    t += milliseconds(20);
    judge.answer(t, 100, 0);
    v = judge.verdict(t);
  }
  EXPECT_EQ(v, Verdict::capacity);
  EXPECT_GT(noise.capacity_throttles(), 0u);
  EXPECT_EQ(noise.share(t), NoiseLevel::kAssumed) << "nothing learnt";
}

TEST(ThrottleJudge, AShareThatHeldWhileAsMuchWentThroughIsCapacityStillOver) {
  NoiseLevel noise;
  ThrottleJudge judge(noise);
  auto t = kT0;
  // 2,000 keys/s go through whatever is sent: 8,000/s sent, three quarters refused.
  for (int i = 0; i < 80; ++i, t += milliseconds(10)) judge.answer(t, 100, i % 4 == 0 ? 0 : 100);
  ASSERT_TRUE(judge.calls_for_cut(t));
  judge.cut(t, 8000, 4000);
  Verdict v = Verdict::none;
  bool cut_again = false;
  for (int i = 0; i < 200 && v == Verdict::none && !cut_again; ++i) {
    t += milliseconds(25);
    judge.answer(t, 100, i % 2 == 0 ? 0 : 100);  // 4,000/s sent, half refused: 2,000/s through
    v = judge.verdict(t);
    cut_again = judge.calls_for_cut(t);
  }
  EXPECT_TRUE(cut_again || v == Verdict::capacity);
  EXPECT_EQ(noise.noise_throttles(), 0u);
}
