// The emulator's capacity model on a fake clock.
#include "s3emu/capacity.hpp"

#include <gtest/gtest.h>

#include <vector>


using s3emu::Capacity;
using namespace std::chrono;

TEST(Capacity, QueueModeDelaysEveryoneOnceTheBurstIsSpent) {
  Capacity cap(1000, milliseconds(100));  // 1000 writes/s, 100 writes of burst
  const auto t0 = Capacity::clock::time_point(seconds(100));
  EXPECT_EQ(cap.queue_delay(50, t0), nanoseconds(0)) << "within the burst";
  EXPECT_EQ(cap.queue_delay(1000, t0), milliseconds(950)) << "a 1000-key batch waits";
  // A read arriving now waits behind the backlog but adds nothing to it.
  EXPECT_EQ(cap.queue_delay(0, t0), milliseconds(950));
  EXPECT_EQ(cap.queue_delay(0, t0 + milliseconds(950)), nanoseconds(0));
  // Sustained at the capacity, the delay stays flat; above it, it grows.
  auto t = t0 + seconds(10);
  for (int i = 0; i < 100; ++i) {
    EXPECT_LE(cap.queue_delay(10, t), milliseconds(1));
    t += milliseconds(10);
  }
  nanoseconds last{0};
  for (int i = 0; i < 100; ++i) {
    last = cap.queue_delay(20, t);
    t += milliseconds(10);
  }
  EXPECT_GT(last, milliseconds(900));
}

TEST(Capacity, SlowdownModeRefusesPastCapacityAndRecovers) {
  Capacity cap(1000, milliseconds(100));
  auto t = Capacity::clock::time_point(seconds(5));
  EXPECT_TRUE(cap.try_take(1000, t)) << "a big batch goes into debt rather than never running";
  EXPECT_FALSE(cap.try_take(1, t));
  EXPECT_FALSE(cap.try_take(1, t + milliseconds(800)));
  EXPECT_TRUE(cap.try_take(1, t + milliseconds(1001)));
  int admitted = 0;
  t += seconds(2);
  for (int i = 0; i < 1000; ++i) {  // 10 s of 200 writes/s offered in bursts of 20 per 10 ms
    admitted += cap.try_take(20, t) ? 20 : 0;
    t += milliseconds(10);
  }
  EXPECT_NEAR(admitted, 10'000 + 100, 200) << "capacity over 10 s plus the burst";
}

TEST(Capacity, AScheduleServesEachStepsRateFromItsSecond) {
  const auto start = Capacity::clock::time_point(seconds(50));
  Capacity cap(*Capacity::parse_schedule("50000@0,10000@2,50000@6"), start);
  // Offered 100,000 writes/s in requests of 100 every millisecond; what each second admits.
  std::vector<int> admitted(8, 0);
  for (int ms = 0; ms < 8000; ++ms) {
    if (cap.try_take(100, start + milliseconds(ms))) admitted[static_cast<std::size_t>(ms / 1000)] += 100;
  }
  for (const std::size_t second : {0u, 1u, 6u, 7u}) EXPECT_NEAR(admitted[second], 50'000, 6'000) << second;
  for (const std::size_t second : {3u, 4u, 5u}) EXPECT_NEAR(admitted[second], 10'000, 1'000) << second;
}

TEST(Capacity, AScheduleThatCannotBeReadIsRefused) {
  EXPECT_TRUE(Capacity::parse_schedule("1000@0"));
  EXPECT_TRUE(Capacity::parse_schedule("1000@0,200@1.5"));
  for (const char* bad : {"", "1000", "1000@1", "1000@0,200@0", "1000@0,0@1", "1000@0,x@1", "1000@0,", "1000@0,200@1s"}) {
    EXPECT_FALSE(Capacity::parse_schedule(bad)) << bad;
  }
}
