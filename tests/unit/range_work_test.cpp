#include "engine/range_work.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

using namespace s3purge::engine;
namespace asio = boost::asio;

namespace {

// A lister that takes ranges until none is left, noting each; `split` gives new ranges
// on its first range, as a lister cutting what it holds would.
asio::awaitable<void> lister(RangeWork& work, std::vector<std::string>& taken,
                             std::vector<KeyRange> split = {}) {
  while (auto r = co_await work.take()) {
    taken.push_back(r->after.value_or("-"));
    if (!split.empty()) work.give(std::exchange(split, {}));
    // Let the others run while this range is held, as a list request would.
    co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
    work.finished();
  }
}

}  // namespace

TEST(RangeWork, EveryRangeIsTakenOnceAndTheListingEnds) {
  asio::io_context ioc;
  RangeWork work(ioc.get_executor(), {{std::nullopt, "b"}, {"b", "d"}, {"d", std::nullopt}});
  std::vector<std::string> a, b;
  asio::co_spawn(ioc, lister(work, a), asio::detached);
  asio::co_spawn(ioc, lister(work, b), asio::detached);
  ioc.run_for(std::chrono::seconds(10));  // bounded: a lister left waiting fails, not hangs
  std::vector<std::string> all = a;
  all.insert(all.end(), b.begin(), b.end());
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, (std::vector<std::string>{"-", "b", "d"}));
  EXPECT_EQ(work.left(), 0);
  EXPECT_EQ(work.waiting(), 0);
}

TEST(RangeWork, AWaitingListerTakesWhatASplitGives) {
  asio::io_context ioc;
  RangeWork work(ioc.get_executor(), {KeyRange{}});
  std::vector<std::string> first, second;
  // The first lister holds the only range and splits off two pieces; the second waits
  // for work meanwhile, and takes them.
  asio::co_spawn(ioc, lister(work, first, {{"m", "t"}, {"t", std::nullopt}}), asio::detached);
  asio::co_spawn(ioc, lister(work, second), asio::detached);
  ioc.run_for(std::chrono::seconds(10));  // bounded: a lister left waiting fails, not hangs
  EXPECT_TRUE(ioc.stopped()) << "every lister ended";
  EXPECT_EQ(first.size() + second.size(), 3u);
  EXPECT_FALSE(second.empty()) << "the waiting lister was woken for the pieces";
}

TEST(RangeWork, TheLastRangeFinishedEndsTheWaitingListers) {
  asio::io_context ioc;
  RangeWork work(ioc.get_executor(), {KeyRange{}});
  int ended = 0;
  auto waiter = [&]() -> asio::awaitable<void> {
    while (co_await work.take()) {
      // Held across a suspension, as a list request holds it: the others wait meanwhile.
      co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
      work.finished();
    }
    ++ended;
  };
  for (int i = 0; i < 4; ++i) asio::co_spawn(ioc, waiter(), asio::detached);
  ioc.run_for(std::chrono::seconds(10));  // bounded: a lister left waiting fails, not hangs
  EXPECT_EQ(ended, 4);
}

TEST(RangeWork, StopEndsWaitersAndLaterTakes) {
  asio::io_context ioc;
  RangeWork work(ioc.get_executor(), {KeyRange{}, {"x", std::nullopt}});
  int ended = 0, taken = 0;
  auto holder = [&]() -> asio::awaitable<void> {
    auto r = co_await work.take();  // holds it, never finishes: only stop() ends the others
    ++taken;
    co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
    work.stop();
    EXPECT_TRUE(r);
  };
  auto waiter = [&]() -> asio::awaitable<void> {
    while (co_await work.take()) ++taken;  // takes "x", then waits: the holder may split
    ++ended;
  };
  asio::co_spawn(ioc, holder(), asio::detached);
  asio::co_spawn(ioc, waiter(), asio::detached);
  ioc.run_for(std::chrono::seconds(10));  // bounded: a lister left waiting fails, not hangs
  EXPECT_EQ(ended, 1);
  EXPECT_EQ(taken, 2);
}
