#include "engine/stop_signal.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace s3purge::engine {

namespace asio = boost::asio;

void StopSignal::stop() {
  stopped_ = true;
  for (auto* t : sleeping_) t->cancel();
}

asio::awaitable<bool> StopSignal::sleep(asio::any_io_executor ex, std::chrono::steady_clock::duration d) {
  if (stopped_) co_return false;
  asio::steady_timer timer(ex, d);
  sleeping_.push_back(&timer);
  struct Leave {  // also when the wait throws
    std::vector<asio::steady_timer*>& v;
    asio::steady_timer* t;
    ~Leave() { v.erase(std::find(v.begin(), v.end(), t)); }
  } leave{sleeping_, &timer};
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  co_return !stopped_;
}

}  // namespace s3purge::engine
