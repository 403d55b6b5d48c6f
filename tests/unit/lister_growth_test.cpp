#include "engine/lister_growth.hpp"

#include <gtest/gtest.h>

using namespace s3purge::engine;

namespace {
// bench/listers' WAN model: 16 deleters, all waiting; pages take 100 ms, deletes 40 ms.
ListingLook wan(int running) {
  ListingLook look;
  look.running = running;
  look.concurrency = 16;
  look.deleters_waiting = 16;
  look.pages_came = true;
  look.busy = 0.1;
  look.list_round_trip = 0.100;
  look.delete_round_trip = 0.040;
  return look;
}
}  // namespace

TEST(ListerGrowthRule, DoublesOverAWanUntilTheRoundTripsAreCovered) {
  EXPECT_DOUBLE_EQ(listers_enough(wan(4)), 40);
  EXPECT_EQ(listers_to_add(wan(4)), 4);
  EXPECT_EQ(listers_to_add(wan(16)), 16);
  EXPECT_EQ(listers_to_add(wan(32)), 32) << "32 < 40: one more doubling";
  EXPECT_EQ(listers_to_add(wan(64)), 0) << "at the cap";
  EXPECT_EQ(listers_to_add(wan(48)), 0) << "48 > 40";
}

TEST(ListerGrowthRule, NeverPastTheCap) {
  auto look = wan(40);
  look.list_round_trip = 10;  // would ask for thousands
  EXPECT_EQ(listers_to_add(look), kMaxListers - 40);
}

TEST(ListerGrowthRule, AServerThatBoundsBothRoundTripsGetsNoMore) {
  // Loopback, the emulator saturating its core: pages 7 ms, deletes 30 ms, the process
  // idle while it waits. 16 * 7 / 30 = 3.7 listers would do; 4 run.
  auto look = wan(4);
  look.list_round_trip = 0.007;
  look.delete_round_trip = 0.030;
  EXPECT_EQ(listers_to_add(look), 0);
  // The same server twice as loaded: both round trips double, the answer stays.
  look.list_round_trip *= 2;
  look.delete_round_trip *= 2;
  EXPECT_EQ(listers_to_add(look), 0);
}

TEST(ListerGrowthRule, NoneWhileTheDeletersAreFed) {
  auto look = wan(4);
  look.deleters_waiting = 8;  // half: not most
  EXPECT_EQ(listers_to_add(look), 0);
  look.deleters_waiting = 9;
  EXPECT_EQ(listers_to_add(look), 4);
}

TEST(ListerGrowthRule, NoneWhileThisProcessIsBusy) {
  auto look = wan(4);
  look.busy = 0.5;
  EXPECT_EQ(listers_to_add(look), 0);
  look.busy = 0.49;
  EXPECT_EQ(listers_to_add(look), 4);
}

TEST(ListerGrowthRule, BeforeAnyPageNoneAndBeforeAnyDeleteTheRoundTripsDoNotLimit) {
  auto look = wan(4);
  look.pages_came = false;
  EXPECT_EQ(listers_to_add(look), 0) << "deleters wait for the first page anyway";
  look.pages_came = true;
  look.delete_round_trip = 0;
  EXPECT_DOUBLE_EQ(listers_enough(look), kMaxListers);
  EXPECT_EQ(listers_to_add(look), 4);
}
