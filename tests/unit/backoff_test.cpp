#include "engine/backoff.hpp"

#include <gtest/gtest.h>

using namespace s3purge::engine;
using std::chrono::milliseconds;

TEST(Backoff, CeilingDoublesUpToCap) {
  Backoff b({milliseconds(50), milliseconds(1000)}, 1);
  EXPECT_EQ(b.ceiling(0), milliseconds(50));
  EXPECT_EQ(b.ceiling(1), milliseconds(100));
  EXPECT_EQ(b.ceiling(4), milliseconds(800));
  EXPECT_EQ(b.ceiling(5), milliseconds(1000));
  EXPECT_EQ(b.ceiling(1000), milliseconds(1000)) << "no overflow for large attempts";
}

TEST(Backoff, FullJitterStaysInWindowAndSpreads) {
  Backoff b({milliseconds(100), milliseconds(10'000)}, 42);
  milliseconds lo = milliseconds::max(), hi = milliseconds::min();
  for (int i = 0; i < 2000; ++i) {
    const auto d = b.delay(3);
    ASSERT_GE(d, milliseconds(0));
    ASSERT_LE(d, milliseconds(800));
    lo = std::min(lo, d);
    hi = std::max(hi, d);
  }
  EXPECT_LT(lo, milliseconds(80)) << "full jitter reaches near zero";
  EXPECT_GT(hi, milliseconds(720)) << "and near the ceiling";
}

TEST(Backoff, RetryAfterIsAFloor) {
  Backoff b({milliseconds(10), milliseconds(100)}, 7);
  for (int i = 0; i < 100; ++i) EXPECT_GE(b.delay(0, milliseconds(2000)), milliseconds(2000));
}

TEST(Backoff, AThrottleIsSentAgainSoonerThanAFailureAndBacksOffAllTheSame) {
  Backoff b({milliseconds(50), milliseconds(1000), milliseconds(10)}, 7);
  milliseconds first{0}, fifth{0};
  for (int i = 0; i < 2000; ++i) {
    first = std::max(first, b.throttle_delay(0, milliseconds(0)));
    fifth = std::max(fifth, b.throttle_delay(5, milliseconds(0)));
  }
  EXPECT_LE(first, milliseconds(10));
  EXPECT_GT(fifth, milliseconds(200)) << "ten milliseconds doubled five times";
  EXPECT_LE(fifth, milliseconds(320));
  EXPECT_GE(b.throttle_delay(0, milliseconds(700)), milliseconds(700)) << "Retry-After is obeyed";
}
