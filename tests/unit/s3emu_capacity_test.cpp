// The emulator's capacity model on a fake clock.
#include "s3emu/capacity.hpp"

#include <gtest/gtest.h>


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
