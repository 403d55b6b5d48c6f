// The batches between a listing and its receivers (deleters or aborters). One thread:
// every call on the executor's thread.
//
// It holds `floor` batches (--queue-depth), or two per lister of the listing where more
// run. Listers are added where list pages come back slower than batches are deleted, and
// such a listing ends in round trips (the last pages of its ranges, the splits of the
// ranges left) that only batches listed ahead keep the deleters busy through: two per
// lister cover two page round trips of deleting, whatever the two take. A listing with
// near pages keeps few listers, and the floor.
//
// Each batch holds keys of one lane (a key range, engine/lane_pacer).
// With a pacer, a receiver takes the oldest batch of a lane whose rate lets it go now, and
// its tokens with it: a throttled range waits without holding up the batches of the
// others, and a piece of the batch at a time (LanePacer::piece). A paced lane holds at
// most what it may send in a second (two batches at least), so a slow range is listed
// ahead only as far as its budget needs, and the others keep the room. Without a pacer
// (or for lane 0) batches go first in, first out.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <vector>

#include "engine/lane_pacer.hpp"
#include "engine/stop_signal.hpp"

namespace s3purge::engine {

template <class Batch>
struct Laned {
  Batch batch;  // empty: an end marker
  std::uint64_t lane = 0;
};

// Batch: a container; an empty one is an end marker, sent past the limit, and received
// once no batch is left.
template <class Batch>
class BatchQueue {
 public:
  // Room for at most max(floor, two per lister of `most_listers`), whatever the listers.
  // `pacer` (may be null) paces the lanes; `stop` (may be null) ends its waits.
  BatchQueue(boost::asio::any_io_executor ex, std::size_t floor, int most_listers, LanePacer* pacer = nullptr,
             StopSignal* stop = nullptr)
      : ex_(ex),
        room_(ex, boost::asio::steady_timer::time_point::max()),  // never set again: that
        floor_(floor),                                             // cancels every wait
        most_(std::max(floor, per_lister(most_listers))),
        pacer_(pacer),
        stop_(stop) {}

  // The listers there are now. More room wakes the senders that wait; less takes nothing
  // back that is queued already.
  void listers(int n) {
    const std::size_t before = limit();
    per_listers_ = per_lister(n);
    if (limit() > before) room_.cancel();
  }

  std::size_t limit() const { return std::min(most_, std::max(floor_, per_listers_)); }
  std::size_t queued() const { return queued_; }
  // Whether a batch of `lane` is queued.
  bool holds(std::uint64_t lane) const { return lanes_.contains(lane); }

  // Waits for room (in the queue, and in the batch's lane), then queues the batch.
  boost::asio::awaitable<void> send(Batch batch, std::uint64_t lane = 0) {
    if (batch.empty()) {
      ++ends_;
      wake_receivers();
      co_return;
    }
    while (queued_ >= limit() || lane_full(lane)) {
      co_await room_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    }
    ++queued_;
    auto& q = lanes_[lane];
    q.objects += batch.size();
    q.batches.push_back({std::move(batch), next_seq_++});
    wake_receivers();
  }

  // A batch a receiver took and gives back to wait for its lane's rate (keys its partition
  // refused): first of its lane, past the limits (it was queued before), and a receiver,
  // the one that gives it back at least, takes it before any end marker.
  void requeue(Batch batch, std::uint64_t lane) {
    if (batch.empty()) return;
    ++queued_;
    auto& q = lanes_[lane];
    q.objects += batch.size();
    q.batches.push_front({std::move(batch), q.batches.empty() ? next_seq_++ : q.batches.front().seq});
    wake_receivers();
  }

  boost::asio::awaitable<Laned<Batch>> receive() {
    for (;;) {
      const auto now = Clock::now();
      const bool paced = pacer_ && !(stop_ && stop_->stopped());
      auto best = lanes_.end();
      auto soonest = std::chrono::nanoseconds::max();
      for (auto it = lanes_.begin(); it != lanes_.end(); ++it) {
        const auto& front = it->second.batches.front();
        const auto n = paced ? std::min(front.batch.size(), pacer_->piece(it->first)) : front.batch.size();
        const auto wait = paced ? pacer_->wait_for(it->first, n, now) : std::chrono::nanoseconds(0);
        if (wait.count() > 0) {
          pacer_->limited(it->first, now);
          soonest = std::min(soonest, wait);
        } else if (best == lanes_.end() || front.seq < best->second.batches.front().seq) {
          best = it;
        }
      }
      if (best != lanes_.end()) co_return take(best, paced, now);
      if (lanes_.empty() && ends_ > 0) {
        --ends_;
        co_return Laned<Batch>{};
      }
      // A send wakes the wait; a paced lane's turn ends it, and so, within 100 ms, does a stop.
      boost::asio::steady_timer timer(ex_);
      if (soonest == std::chrono::nanoseconds::max()) {
        timer.expires_at(boost::asio::steady_timer::time_point::max());
      } else {
        timer.expires_after(std::min<std::chrono::nanoseconds>(soonest, std::chrono::milliseconds(100)));
      }
      waiting_.push_back(&timer);
      co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
      std::erase(waiting_, &timer);
    }
  }

 private:
  struct Queued {
    Batch batch;
    std::uint64_t seq;
  };
  struct Lane {
    std::deque<Queued> batches;
    std::size_t objects = 0;
  };

  static std::size_t per_lister(int listers) { return 2 * static_cast<std::size_t>(std::max(listers, 0)); }

  // A paced lane holds at most a second of its rate, and two batches however slow it is.
  bool lane_full(std::uint64_t lane) const {
    if (!pacer_ || lane == 0) return false;
    const auto it = lanes_.find(lane);
    if (it == lanes_.end() || it->second.batches.size() < 2) return false;
    const double rate = pacer_->allowed(lane);
    return !std::isinf(rate) && static_cast<double>(it->second.objects) >= rate;
  }

  Laned<Batch> take(typename std::map<std::uint64_t, Lane>::iterator it, bool paced, Clock::time_point now) {
    auto& front = it->second.batches.front().batch;
    const std::size_t piece = paced ? pacer_->piece(it->first) : front.size();
    Laned<Batch> out{{}, it->first};
    if (piece < front.size()) {  // the rest stays first of its lane
      const auto from = front.end() - static_cast<std::ptrdiff_t>(piece);
      out.batch.assign(std::make_move_iterator(from), std::make_move_iterator(front.end()));
      front.erase(from, front.end());
      it->second.objects -= out.batch.size();
    } else {
      out.batch = std::move(front);
      it->second.batches.pop_front();
      it->second.objects -= out.batch.size();
      if (it->second.batches.empty()) lanes_.erase(it);
      --queued_;
    }
    if (paced) pacer_->reserve(out.lane, out.batch.size(), now);
    // Without lanes any sender may take the room: one is woken. With lanes, the sender a
    // room suits may be any of them.
    if (pacer_) {
      room_.cancel();
    } else {
      room_.cancel_one();
    }
    return out;
  }

  void wake_receivers() {
    for (auto* t : waiting_) t->cancel();
  }

  boost::asio::any_io_executor ex_;
  boost::asio::steady_timer room_;
  std::size_t floor_;
  std::size_t most_;
  std::size_t per_listers_ = 0;
  LanePacer* pacer_;
  StopSignal* stop_;
  std::map<std::uint64_t, Lane> lanes_;  // those with batches queued
  std::vector<boost::asio::steady_timer*> waiting_;
  std::size_t queued_ = 0;
  std::size_t ends_ = 0;
  std::uint64_t next_seq_ = 0;
};

}  // namespace s3purge::engine
