// Whether a run goes on: the one place that decides to stop. A fatal error (the first is
// kept and reported), or a stop asked from outside (a signal), ends the listing and makes
// the deleters skip what they have not sent; every loop asks stopping() before its next
// request. One thread.
#pragma once

#include <optional>
#include <utility>

#include "engine/stop_signal.hpp"
#include "protocol/error.hpp"

namespace s3purge::engine {

class RunControl {
 public:
  // Stopping also ends the waits of `signal` (backoff, tokens).
  explicit RunControl(StopSignal& signal) : signal_(signal) {}

  bool stopping() const { return stopping_; }
  const std::optional<protocol::Error>& fatal() const { return fatal_; }

  // Finish what is in flight, send nothing new.
  void request_stop();
  // Stops the run for `e`; the first error is the one reported. A request ended by the
  // stop itself (client_errc::stopped) is no cause: it changes nothing.
  void fail(const protocol::Error& e);
  // The error turned out not to be one (the bucket was deleted by another shard): the
  // run ends as if it had not happened.
  void forgive();
  // Lets requests go out again after a stop, for counting what is left, and back.
  bool pause_stop();
  void restore_stop(bool stopping);

 private:
  StopSignal& signal_;
  bool stopping_ = false;
  std::optional<protocol::Error> fatal_;
};

}  // namespace s3purge::engine
