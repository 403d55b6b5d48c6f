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

// One look with a fresh rule (no history, so no trials).
int listers_to_add(const ListingLook& look) { return ListerGrowth().on_look(look); }

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

// Where others hold the cores, a doubling is a trial that must list faster to stand.
class BusyMachine : public ::testing::Test {
 protected:
  // A starving listing on a machine `idle` idle, this process at 30% of a core.
  ListingLook starving_at(int running, double idle) const {
    auto l = starving(running);
    l.busy = 0.3;
    l.machine_idle = idle;
    l.page_seconds = page_seconds_;
    l.keys_listed = keys_;
    return l;
  }
  // One look at a listing that lists `per_look` keys per look with `running` listers.
  int look(int running, std::uint64_t per_look) {
    keys_ += per_look;
    return growth_.on_look(starving_at(running, 0.05));
  }
  // Looks until the running trial is judged; what the last look added.
  int through_trial(int running, std::uint64_t per_look) {
    int added = 0;
    for (int i = 0; i < ListerGrowth::kSettle + ListerGrowth::kWindow; ++i) {
      added = look(running, per_look);
      if (i + 1 < ListerGrowth::kSettle + ListerGrowth::kWindow) {
        EXPECT_EQ(added, 0) << "mid-trial";
      }
    }
    return added;
  }
  ListerGrowth growth_;
  std::uint64_t keys_ = 0;
  double page_seconds_ = 0.1;  // the WAN model's list latency
};

constexpr int kSettled = ListerGrowth::kSettle + ListerGrowth::kWindow;

TEST_F(BusyMachine, NoTrialWithoutASettledRateToBeat) {
  for (int i = 1; i < kSettled; ++i) EXPECT_EQ(look(4, 1000), 0);
  EXPECT_EQ(look(4, 1000), 4) << "the first listers have run long enough: the trial starts";
  EXPECT_TRUE(growth_.in_trial());
}

TEST_F(BusyMachine, NoTrialWhileListersAddedLastStillRampUp) {
  // The machine was idle a moment ago and the listers doubled (pages from nearby, no
  // trial); then it got busy and the pages far.
  page_seconds_ = 0.005;
  ASSERT_EQ(growth_.on_look(starving_at(4, 0.5)), 4);
  page_seconds_ = 0.1;
  for (int i = 1; i < kSettled; ++i) EXPECT_EQ(look(8, 1000 + 100 * i), 0);
  EXPECT_EQ(look(8, 2000), 8);
}

TEST_F(BusyMachine, ADoublingThatDoesNotListFasterEndsTheGrowth) {
  // Loopback: the emulator holds the cores, and twice the listers list no faster.
  for (int i = 1; i < kSettled; ++i) look(4, 1000);
  ASSERT_EQ(look(4, 1000), 4);
  EXPECT_EQ(through_trial(8, 1200), -4) << "+20% is not worth the memory: the 4 added retire";
  EXPECT_TRUE(growth_.gave_up());
  for (int i = 0; i < 20; ++i) EXPECT_EQ(look(8, 1200), 0);
}

TEST_F(BusyMachine, DoublingsThatPayGoOnToTheCap) {
  // A WAN listing beside busy loops: each doubling nearly doubles the keys listed.
  for (int i = 1; i < kSettled; ++i) look(4, 1000);
  ASSERT_EQ(look(4, 1000), 4);
  // Judged and paid: the next trial starts with the rate these listers reached.
  EXPECT_EQ(through_trial(8, 1900), 8);
  EXPECT_EQ(through_trial(16, 3700), 16);
  EXPECT_EQ(through_trial(32, 7000), 32);
  EXPECT_EQ(through_trial(64, 13000), 0) << "at the cap";
  EXPECT_FALSE(growth_.gave_up());
}

TEST_F(BusyMachine, NoTrialWherePagesComeFromNearby) {
  // Loopback: pages in a few ms come from a server on these same cores.
  page_seconds_ = 0.005;
  for (int i = 0; i < 20; ++i) EXPECT_EQ(look(4, 1000), 0);
  EXPECT_FALSE(growth_.in_trial());
  page_seconds_ = kFarPage;
  EXPECT_EQ(look(4, 1000), 4);
  EXPECT_TRUE(growth_.in_trial());
}

TEST_F(BusyMachine, AMachineHalfIdleNeedsNoTrial) {
  page_seconds_ = 0.005;
  EXPECT_EQ(growth_.on_look(starving_at(4, 0.5)), 4);
  EXPECT_FALSE(growth_.in_trial());
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

TEST(ListerGrowthRule, FarPagesCutTheFirstRangesForTheMostListers) {
  EXPECT_EQ(first_ranges(4, true, 0.120), kMaxListers) << "a WAN: added listers start at once";
  EXPECT_EQ(first_ranges(4, true, 0.002), 4) << "loopback: a range per lister running";
  EXPECT_EQ(first_ranges(4, true, 0), 4) << "no probe timed";
  EXPECT_EQ(first_ranges(4, false, 0.120), 4) << "--listers fixed, or uploads: no growth";
  EXPECT_EQ(first_ranges(100, true, 0.120), 100) << "never fewer than the listers running";
}

// A listing that has listed `per_look` keys a look for long enough to judge a trial by.
ListerGrowth settled(ListingLook look, std::uint64_t per_look, std::uint64_t& keys) {
  ListerGrowth g;
  auto calm = look;
  calm.deleters_waiting = 0;  // fed: nothing added while the rate settles
  for (int i = 0; i < ListerGrowth::kSettle + ListerGrowth::kMaxWindow + 1; ++i) {
    keys += per_look;
    calm.keys_listed = keys;
    EXPECT_EQ(g.on_look(calm), 0);
  }
  return g;
}

TEST(ListerGrowthRule, FarPagesStartAListerForEachRangeWaiting) {
  auto look = starving(4);
  look.page_seconds = 0.120;
  look.ranges_waiting = 60;
  EXPECT_EQ(listers_to_add(look), 0) << "far pages: a trial, which needs a settled rate to beat";
  std::uint64_t keys = 0;
  auto with = [&](ListingLook l) {
    auto g = settled(l, 1000, keys);
    keys += 1000;
    l.keys_listed = keys;
    return g.on_look(l);
  };
  EXPECT_EQ(with(look), 60) << "a WAN: every range cut off gets a lister at once";
  look.ranges_waiting = 100;
  EXPECT_EQ(with(look), kMaxListers - 4) << "up to the cap";
  look.ranges_waiting = 2;
  EXPECT_EQ(with(look), 4) << "fewer ranges than a doubling: a doubling";
  look.ranges_waiting = 60;
  look.page_seconds = 0.002;
  EXPECT_EQ(listers_to_add(look), 4) << "loopback: doubling, a range per lister is no reason";
  look.page_seconds = 0.120;
  look.deleters_waiting = 4;
  EXPECT_EQ(with(look), 0) << "the deleters are fed";
  look.deleters_waiting = 16;
  look.machine_idle = 0.3;
  EXPECT_EQ(with(look), 4) << "a busy machine: a doubling, as a trial";
}

TEST(ListerGrowthRule, ATrialAtFarPagesThatListsNoFasterRetiresWhatItAdded) {
  // moto: pages of 250 ms, one server thread; 50 listers list no faster than 4.
  auto look = starving(4);
  look.page_seconds = 0.250;
  look.ranges_waiting = 46;
  std::uint64_t keys = 0;
  auto g = settled(look, 200, keys);
  keys += 200;
  look.keys_listed = keys;
  ASSERT_EQ(g.on_look(look), 46);
  EXPECT_TRUE(g.in_trial());
  look.running = 50;
  // Judged over two round trips (10 looks) after the new listers had 4 to start.
  int last = 0;
  for (int i = 0; i < ListerGrowth::kSettle + 10; ++i) {
    keys += 210;
    look.keys_listed = keys;
    last = g.on_look(look);
    if (i + 1 < ListerGrowth::kSettle + 10) {
      ASSERT_EQ(last, 0) << i;
    }
  }
  EXPECT_EQ(last, -46) << "the 46 added retire";
  EXPECT_TRUE(g.gave_up());
  look.running = 4;
  for (int i = 0; i < 50; ++i) EXPECT_EQ(g.on_look(look), 0) << "and none are added again";
}

// Four listers, far pages, settled at 1,000 keys a look; then a trial adds four more.
ListerGrowth trial_of_four_more(ListingLook& look, std::uint64_t& keys) {
  auto g = settled(look, 1000, keys);
  keys += 1000;
  look.keys_listed = keys;
  EXPECT_EQ(g.on_look(look), 4);
  look.running = 8;
  return g;
}

TEST(ListerGrowthRule, ListRequestsFailedDuringATrialEndItAtOnce) {
  auto look = starving(4);
  look.page_seconds = 0.100;
  look.list_requests = 200;  // none failed before the trial
  std::uint64_t keys = 0;
  auto g = trial_of_four_more(look, keys);
  keys += 5000;  // listing much faster...
  look.keys_listed = keys;
  look.list_requests += 10;
  look.list_errors = 3;  // ...but the server failed requests: moto under concurrent listing
  EXPECT_EQ(g.on_look(look), -4);
  EXPECT_TRUE(g.gave_up());
}

TEST(ListerGrowthRule, AServerThatFailsAShareOfRequestsWhateverTheListersDoesNotEndATrial) {
  auto look = starving(4);
  look.page_seconds = 0.100;
  look.list_requests = 200;
  look.list_errors = 40;  // one list request in five throttled, from the start
  std::uint64_t keys = 0;
  auto g = trial_of_four_more(look, keys);
  for (int i = 0; i < ListerGrowth::kSettle + 10; ++i) {
    keys += 2000;  // twice as fast
    look.keys_listed = keys;
    look.list_requests += 10;
    look.list_errors += 2;  // the same share as before
    ASSERT_GE(g.on_look(look), 0) << i << ": none retire";
  }
  EXPECT_FALSE(g.gave_up());
}
