// StopSignal: a stop ends the waits in progress and those that follow, until resumed; the
// rate limiter's wait for tokens ends with it.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <chrono>
#include <optional>

#include "engine/rate_limiter.hpp"
#include "engine/stop_signal.hpp"

using namespace s3purge::engine;
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

// Runs the io_context until `done` or for at most 5 s: a wait the stop does not end fails
// the test instead of holding it for its full length.
template <class Done>
void run_until(asio::io_context& ioc, Done done) {
  const auto until = std::chrono::steady_clock::now() + 5s;
  ioc.restart();  // it stops whenever it runs out of work
  while (!done() && std::chrono::steady_clock::now() < until) ioc.run_one_for(100ms);
}

}  // namespace

TEST(StopSignal, AWaitLastsWithoutAStop) {
  asio::io_context ioc;
  StopSignal stop;
  std::optional<bool> slept;
  asio::co_spawn(ioc, [&]() -> asio::awaitable<void> { slept = co_await stop.sleep(ioc.get_executor(), 1ms); },
                 asio::detached);
  run_until(ioc, [&] { return slept.has_value(); });
  ASSERT_TRUE(slept);
  EXPECT_TRUE(*slept);
}

TEST(StopSignal, AStopEndsEveryWaitInProgressAndLaterOnesUntilResumed) {
  asio::io_context ioc;
  StopSignal stop;
  std::optional<bool> a, b;
  asio::co_spawn(ioc, [&]() -> asio::awaitable<void> { a = co_await stop.sleep(ioc.get_executor(), 1h); },
                 asio::detached);
  asio::co_spawn(ioc, [&]() -> asio::awaitable<void> { b = co_await stop.sleep(ioc.get_executor(), 1h); },
                 asio::detached);
  ioc.poll();  // both are waiting
  stop.stop();
  run_until(ioc, [&] { return a && b; });
  ASSERT_TRUE(a && b) << "a stop must end the waits at once";
  EXPECT_FALSE(*a);
  EXPECT_FALSE(*b);

  std::optional<bool> later;
  asio::co_spawn(ioc, [&]() -> asio::awaitable<void> { later = co_await stop.sleep(ioc.get_executor(), 1h); },
                 asio::detached);
  run_until(ioc, [&] { return later.has_value(); });
  ASSERT_TRUE(later);
  EXPECT_FALSE(*later);

  stop.resume();
  std::optional<bool> again;
  asio::co_spawn(ioc, [&]() -> asio::awaitable<void> { again = co_await stop.sleep(ioc.get_executor(), 1ms); },
                 asio::detached);
  run_until(ioc, [&] { return again.has_value(); });
  ASSERT_TRUE(again);
  EXPECT_TRUE(*again);
}

TEST(StopSignal, EndsTheRateLimitersWaitForTokens) {
  asio::io_context ioc;
  StopSignal stop;
  RateLimiter limiter(ioc.get_executor(), 1, 1);  // one token a second
  std::optional<bool> first, second;
  asio::co_spawn(ioc, [&]() -> asio::awaitable<void> {
    first = co_await limiter.acquire(1, stop);
    second = co_await limiter.acquire(3600, stop);  // an hour of tokens
  }, asio::detached);
  run_until(ioc, [&] { return first.has_value(); });
  ioc.poll();
  stop.stop();
  run_until(ioc, [&] { return second.has_value(); });
  ASSERT_TRUE(first && second);
  EXPECT_TRUE(*first);
  EXPECT_FALSE(*second);
}
