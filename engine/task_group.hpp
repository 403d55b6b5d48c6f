// Runs coroutines side by side and waits for all of them; the first exception is rethrown
// once every one has ended (no detached work whose errors vanish).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <exception>

namespace s3purge::engine {

class TaskGroup {
 public:
  explicit TaskGroup(boost::asio::any_io_executor ex);
  void spawn(boost::asio::awaitable<void> task);
  boost::asio::awaitable<void> wait();

 private:
  boost::asio::any_io_executor ex_;
  boost::asio::steady_timer done_;
  int pending_ = 0;
  std::exception_ptr error_;
};

}  // namespace s3purge::engine
