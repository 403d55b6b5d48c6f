// Ends the waits of a run early when it stops: backoff before a retry, the rate limiter's
// wait for tokens. A stop then takes effect at once instead of after the longest wait in
// progress (up to 20 s of backoff, or minutes of tokens under a low --rate); requests in
// flight are not touched and finish. One thread.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <vector>

namespace s3purge::engine {

class StopSignal {
 public:
  bool stopped() const { return stopped_; }
  // Wakes every wait in progress; later waits return at once.
  void stop();
  // Waits may last again (counting what is left after a stop).
  void resume() { stopped_ = false; }

  // Waits `d`; false when the run stopped before (or while) waiting.
  boost::asio::awaitable<bool> sleep(boost::asio::any_io_executor ex, std::chrono::steady_clock::duration d);

 private:
  bool stopped_ = false;
  std::vector<boost::asio::steady_timer*> sleeping_;
};

}  // namespace s3purge::engine
