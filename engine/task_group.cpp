#include "engine/task_group.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace s3purge::engine {

namespace asio = boost::asio;

TaskGroup::TaskGroup(asio::any_io_executor ex)
    : ex_(ex), done_(ex, std::chrono::steady_clock::time_point::max()) {}

void TaskGroup::spawn(asio::awaitable<void> task) {
  ++pending_;
  asio::co_spawn(ex_, std::move(task), [this](std::exception_ptr e) {
    if (e && !error_) error_ = e;
    if (--pending_ == 0) done_.cancel();
  });
}

asio::awaitable<void> TaskGroup::wait() {
  while (pending_ > 0) co_await done_.async_wait(asio::as_tuple(asio::use_awaitable));
  if (error_) std::rethrow_exception(error_);
}

}  // namespace s3purge::engine
