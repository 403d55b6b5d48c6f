#include "engine/batch_queue.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <vector>

using namespace s3purge::engine;
namespace asio = boost::asio;

namespace {
using Batch = std::vector<int>;

struct Bench {
  asio::io_context ioc;
  BatchQueue<Batch> queue;
  int sent = 0;
  std::vector<Batch> received;

  Bench(std::size_t floor, int most_listers) : queue(ioc.get_executor(), floor, most_listers) {}

  asio::awaitable<void> send(int batches) {
    for (int i = 0; i < batches; ++i) {
      Batch batch(1, i);  // (g++ 12 cannot keep a braced list across a co_await)
      co_await queue.send(std::move(batch));
      ++sent;
    }
  }
  asio::awaitable<void> take(int batches) {
    for (int i = 0; i < batches; ++i) received.push_back((co_await queue.receive()).batch);
  }
  asio::awaitable<void> end_markers(int n) {
    for (int i = 0; i < n; ++i) co_await queue.send(Batch());
  }
  void sender(int batches) { asio::co_spawn(ioc, send(batches), asio::detached); }
  void receive(int batches) { asio::co_spawn(ioc, take(batches), asio::detached); }
  // Runs what is ready until nothing is; false if it is still running after `most`
  // handlers (senders that wake each other for ever).
  bool settle(int most = 10000) {
    ioc.restart();  // a context that ran out of work stops
    for (int i = 0; i < most; ++i) {
      if (ioc.poll_one() == 0) return true;
    }
    return false;
  }
};
}  // namespace

TEST(BatchQueue, HoldsTheFloorWithoutListers) {
  Bench b(2, 64);
  b.sender(5);
  ASSERT_TRUE(b.settle());
  EXPECT_EQ(b.sent, 2);
  EXPECT_EQ(b.queue.queued(), 2u);
  b.receive(1);
  ASSERT_TRUE(b.settle());
  EXPECT_EQ(b.sent, 3);
  EXPECT_EQ(b.received, (std::vector<Batch>{{0}}));
}

TEST(BatchQueue, HoldsTwoPerListerAboveTheFloorAndWakesTheSendersWhenThatGrows) {
  Bench b(2, 64);
  b.sender(20);
  ASSERT_TRUE(b.settle());
  EXPECT_EQ(b.sent, 2);
  b.queue.listers(4);
  ASSERT_TRUE(b.settle());
  EXPECT_EQ(b.sent, 8);
  b.queue.listers(64);
  ASSERT_TRUE(b.settle());
  EXPECT_EQ(b.sent, 20);
}

TEST(BatchQueue, NeverMoreThanMostHowEverManyListers) {
  Bench b(2, 4);
  b.queue.listers(64);
  b.sender(20);
  ASSERT_TRUE(b.settle());
  EXPECT_EQ(b.sent, 8);
}

TEST(BatchQueue, FewerListersTakeNothingBackButWaitForTheirRoom) {
  Bench b(2, 64);
  b.queue.listers(4);
  b.sender(20);
  ASSERT_TRUE(b.settle());
  EXPECT_EQ(b.sent, 8);
  b.queue.listers(1);  // room for 2
  b.receive(6);        // 2 left queued: still no room
  ASSERT_TRUE(b.settle());
  EXPECT_EQ(b.sent, 8);
  b.receive(1);
  ASSERT_TRUE(b.settle());
  EXPECT_EQ(b.sent, 9);
  EXPECT_EQ(b.queue.queued(), 2u);
}

// Senders that wait do not wake one another: with the room full, nothing runs.
TEST(BatchQueue, ManyWaitingSendersStayAsleep) {
  Bench b(1, 64);
  for (int i = 0; i < 8; ++i) b.sender(3);
  ASSERT_TRUE(b.settle()) << "waiting senders keep waking each other";
  EXPECT_EQ(b.sent, 1);
  b.receive(24);  // each receive lets one more through, in the end all of them
  ASSERT_TRUE(b.settle());
  EXPECT_EQ(b.sent, 24);
  EXPECT_EQ(b.received.size(), 24u);
}

TEST(BatchQueue, EndMarkersPassAFullRoom) {
  Bench b(1, 2);
  b.sender(1);
  asio::co_spawn(b.ioc, b.end_markers(3), asio::detached);
  ASSERT_TRUE(b.settle());
  b.receive(4);
  ASSERT_TRUE(b.settle());
  EXPECT_EQ(b.received, (std::vector<Batch>{{0}, {}, {}, {}}));
  EXPECT_EQ(b.queue.queued(), 0u);
}

namespace {
// Batches of n keys of one lane, for the paced queue.
struct Paced {
  asio::io_context ioc;
  pacing::NoiseLevel noise;
  LanePacer pacer{AdaptiveOptions{}, noise};
  BatchQueue<Batch> queue;
  std::vector<Laned<Batch>> received;
  int sent = 0;
  Paced() : queue(ioc.get_executor(), 8, 0, &pacer) {}
  asio::awaitable<void> send(std::uint64_t lane, int batches, int keys) {
    for (int i = 0; i < batches; ++i) {
      Batch batch(static_cast<std::size_t>(keys), static_cast<int>(lane));
      co_await queue.send(std::move(batch), lane);
      ++sent;
    }
  }
  asio::awaitable<void> take(int batches) {
    for (int i = 0; i < batches; ++i) received.push_back(co_await queue.receive());
  }
  void settle() {
    ioc.restart();
    while (ioc.poll_one() != 0) {
    }
  }
};
}  // namespace

TEST(BatchQueue, APacedLaneWaitsWithoutHoldingUpTheOthers) {
  Paced q;
  const std::uint64_t hot = 10, cold = 20;
  q.pacer.reserve(cold, 0, Clock::now());  // seen while nothing was cut: unlimited
  q.pacer.on_keys_throttled(hot, 1, 999, Clock::now());  // 3,500/s, one batch of credit
  asio::co_spawn(q.ioc, q.send(hot, 2, 1000), asio::detached);
  asio::co_spawn(q.ioc, q.send(cold, 2, 1000), asio::detached);
  asio::co_spawn(q.ioc, q.take(3), asio::detached);
  q.settle();
  ASSERT_EQ(q.received.size(), 3u) << "the hot lane's second batch waits its turn";
  EXPECT_EQ(q.received[0].lane, hot) << "oldest first among the lanes that may go";
  EXPECT_EQ(q.received[1].lane, cold);
  EXPECT_EQ(q.received[2].lane, cold);
  EXPECT_GT(q.pacer.wait_for(hot, 1000, Clock::now()), std::chrono::milliseconds(100));
}

TEST(BatchQueue, APacedLaneGoesAPieceAtATime) {
  Paced q;
  const std::uint64_t hot = 10;
  q.pacer.on_keys_throttled(hot, 1, 999, Clock::now());  // 3,500/s: pieces of 875 keys
  asio::co_spawn(q.ioc, q.send(hot, 1, 1000), asio::detached);
  asio::co_spawn(q.ioc, q.take(1), asio::detached);
  q.settle();
  ASSERT_EQ(q.received.size(), 1u);
  EXPECT_EQ(q.received[0].batch.size(), 875u);
  EXPECT_EQ(q.queue.queued(), 1u) << "the rest of the batch waits its turn, first of its lane";
  EXPECT_GT(q.pacer.wait_for(hot, 125, Clock::now()), std::chrono::milliseconds(0));
}

TEST(BatchQueue, APacedLaneHoldsAtMostASecondOfItsRate) {
  Paced q;
  const std::uint64_t hot = 10;
  q.pacer.reserve(20, 0, Clock::now());  // seen while nothing was cut: unlimited
  q.pacer.on_keys_throttled(hot, 1, 999, Clock::now());  // 3,500/s
  asio::co_spawn(q.ioc, q.send(hot, 6, 500), asio::detached);
  asio::co_spawn(q.ioc, q.send(20, 6, 500), asio::detached);
  q.settle();
  EXPECT_EQ(q.sent, 4 + 4) << "the hot lane 4 x 500 (>= 1,750), the other one up to the room";
}

TEST(BatchQueue, EndMarkersComeAfterEveryBatchOfEveryLane) {
  Paced q;
  asio::co_spawn(q.ioc, q.send(10, 1, 5), asio::detached);
  asio::co_spawn(
      q.ioc, [&q]() -> asio::awaitable<void> { co_await q.queue.send(Batch()); }, asio::detached);
  asio::co_spawn(q.ioc, q.send(20, 1, 5), asio::detached);
  asio::co_spawn(q.ioc, q.take(3), asio::detached);
  q.settle();
  ASSERT_EQ(q.received.size(), 3u);
  EXPECT_FALSE(q.received[0].batch.empty());
  EXPECT_FALSE(q.received[1].batch.empty());
  EXPECT_TRUE(q.received[2].batch.empty());
}

TEST(BatchQueue, ARequeuedBatchGoesFirstInItsLaneAndBeforeTheEndMarkers) {
  Paced q;
  const std::uint64_t lane = 10;
  asio::co_spawn(q.ioc, q.send(lane, 1, 5), asio::detached);
  asio::co_spawn(
      q.ioc, [&q]() -> asio::awaitable<void> { co_await q.queue.send(Batch()); }, asio::detached);
  asio::co_spawn(q.ioc, q.take(1), asio::detached);
  q.settle();
  ASSERT_EQ(q.received.size(), 1u);
  // Its keys refused, the receiver gives them back, with a batch queued behind them.
  asio::co_spawn(q.ioc, q.send(lane, 1, 7), asio::detached);
  q.settle();
  q.queue.requeue(Batch(3, 99), lane);
  EXPECT_EQ(q.queue.queued(), 2u);
  asio::co_spawn(q.ioc, q.take(3), asio::detached);
  q.settle();
  ASSERT_EQ(q.received.size(), 4u);
  EXPECT_EQ(q.received[1].batch, Batch(3, 99)) << "first of its lane";
  EXPECT_EQ(q.received[1].lane, lane);
  EXPECT_EQ(q.received[2].batch.size(), 7u);
  EXPECT_TRUE(q.received[3].batch.empty()) << "the end marker after both";
}
