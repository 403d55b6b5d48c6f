#include "engine/lister_growth.hpp"

#include <gtest/gtest.h>

using namespace s3purge::engine;

namespace {
// A WAN: 16 deleters, all waiting for keys; the process and the machine mostly idle.
ListingLook starving(int running) {
  ListingLook look;
  look.running = running;
  look.concurrency = 16;
  look.deleters_waiting = 16;
  look.pages_came = true;
  look.busy = 0.1;
  look.machine_idle = 0.8;
  return look;
}
}  // namespace

TEST(ListerGrowthRule, DoublesWhileTheDeletersStarveUpToTheCap) {
  EXPECT_EQ(listers_to_add(starving(4)), 4);
  EXPECT_EQ(listers_to_add(starving(32)), 32);
  EXPECT_EQ(listers_to_add(starving(40)), kMaxListers - 40);
  EXPECT_EQ(listers_to_add(starving(64)), 0);
}

TEST(ListerGrowthRule, NoneWhileTheDeletersAreFed) {
  auto look = starving(4);
  look.deleters_waiting = 8;  // half: not most
  EXPECT_EQ(listers_to_add(look), 0);
  look.deleters_waiting = 9;
  EXPECT_EQ(listers_to_add(look), 4);
  look.pages_came = false;
  EXPECT_EQ(listers_to_add(look), 0) << "before the first page, every deleter waits anyway";
}

TEST(ListerGrowthRule, NoneWhileThisProcessIsBusy) {
  auto look = starving(4);
  look.busy = 0.5;
  EXPECT_EQ(listers_to_add(look), 0);
  look.busy = 0.49;
  EXPECT_EQ(listers_to_add(look), 4);
}

TEST(ListerGrowthRule, NoneWhileOthersHoldTheCores) {
  // Loopback: the emulator and a poller keep both cores busy, and this process gets under
  // half of one because it waits for a core, not for the network.
  auto look = starving(4);
  look.busy = 0.3;
  look.machine_idle = 0.05;
  EXPECT_EQ(listers_to_add(look), 0);
  look.machine_idle = 0.25;
  EXPECT_EQ(listers_to_add(look), 4);
}

TEST(ListerGrowthRule, ReadsTheMachinesCpuTimes) {
  const auto t = parse_proc_stat("cpu  252143 0 40910 298471 1595 0 6433 12322 0 0\ncpu0 1 2 3 4\n");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->idle, 298471u + 1595u);
  EXPECT_EQ(t->all, 252143u + 40910u + 298471u + 1595u + 6433u + 12322u) << "steal is not idle";
  const auto old_kernel = parse_proc_stat("cpu 10 0 5 85");
  ASSERT_TRUE(old_kernel);
  EXPECT_EQ(old_kernel->idle, 85u);
  EXPECT_EQ(old_kernel->all, 100u);
  EXPECT_FALSE(parse_proc_stat("cpu0 1 2 3 4"));
  EXPECT_FALSE(parse_proc_stat("cpu  1 2 x"));
  EXPECT_FALSE(parse_proc_stat(""));
}

TEST(ListerGrowthRule, IdleShareBetweenTwoReadings) {
  const CpuTimes a{100, 1000}, b{400, 2000};
  EXPECT_DOUBLE_EQ(idle_share(a, b), 0.3);
  EXPECT_DOUBLE_EQ(idle_share(std::nullopt, b), 1) << "unknown counts as spare";
  EXPECT_DOUBLE_EQ(idle_share(a, a), 1) << "no time passed";
}
