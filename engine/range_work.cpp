#include "engine/range_work.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace s3purge::engine {

namespace asio = boost::asio;

RangeWork::RangeWork(asio::any_io_executor ex, std::vector<KeyRange> ranges)
    : ranges_(ranges.begin(), ranges.end()), wake_(ex, std::chrono::steady_clock::time_point::max()) {}

asio::awaitable<std::optional<KeyRange>> RangeWork::take() {
  for (;;) {
    if (stopped_) co_return std::nullopt;
    if (!ranges_.empty()) {
      KeyRange r = std::move(ranges_.front());
      ranges_.pop_front();
      ++holding_;
      co_return r;
    }
    if (holding_ == 0) co_return std::nullopt;  // nothing left, and nobody can split
    ++waiting_;
    co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
    --waiting_;
  }
}

void RangeWork::finished() {
  if (--holding_ == 0 && ranges_.empty()) wake_all();  // the waiting listers end
}

void RangeWork::give(std::vector<KeyRange> ranges) {
  for (auto& r : ranges) ranges_.push_back(std::move(r));
  wake_all();
}

void RangeWork::stop() {
  stopped_ = true;
  wake_all();
}

}  // namespace s3purge::engine
