// The batches between a listing and its receivers (deleters or aborters). One thread:
// every call on the executor's thread.
//
// It holds `floor` batches (--queue-depth), or two per lister of the listing where more
// run. Listers are added where list pages come back slower than batches are deleted, and
// such a listing ends in round trips (the last pages of its ranges, the splits of the
// ranges left) that only batches listed ahead keep the deleters busy through: two per
// lister cover two page round trips of deleting, whatever the two take. A listing with
// near pages keeps few listers, and the floor.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/error_code.hpp>

#include <algorithm>
#include <cstddef>

namespace s3purge::engine {

// Batch: a container; an empty one is an end marker, sent past the limit.
template <class Batch>
class BatchQueue {
 public:
  // Room for at most max(floor, two per lister of `most_listers`), whatever the listers.
  BatchQueue(boost::asio::any_io_executor ex, std::size_t floor, int most_listers)
      : channel_(ex, std::max(floor, per_lister(most_listers))),
        room_(ex, boost::asio::steady_timer::time_point::max()),  // never set again: that
        floor_(floor) {}                                           // cancels every wait

  // The listers there are now. More room wakes the senders that wait; less takes nothing
  // back that is queued already.
  void listers(int n) {
    const std::size_t before = limit();
    per_listers_ = per_lister(n);
    if (limit() > before) room_.cancel();
  }

  std::size_t limit() const { return std::max(floor_, per_listers_); }
  std::size_t queued() const { return queued_; }

  // Waits for room, then queues the batch.
  boost::asio::awaitable<void> send(Batch batch) {
    if (!batch.empty()) {
      while (queued_ >= limit()) {
        co_await room_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
      }
      ++queued_;
    }
    co_await channel_.async_send(boost::system::error_code{}, std::move(batch),
                                 boost::asio::use_awaitable);
  }

  boost::asio::awaitable<Batch> receive() {
    Batch batch = co_await channel_.async_receive(boost::asio::use_awaitable);
    if (!batch.empty()) {
      --queued_;
      room_.cancel_one();  // one sender: each receive makes room for one
    }
    co_return batch;
  }

 private:
  static std::size_t per_lister(int listers) { return 2 * static_cast<std::size_t>(std::max(listers, 0)); }

  boost::asio::experimental::channel<void(boost::system::error_code, Batch)> channel_;
  boost::asio::steady_timer room_;
  std::size_t floor_;
  std::size_t per_listers_ = 0;
  std::size_t queued_ = 0;
};

}  // namespace s3purge::engine
