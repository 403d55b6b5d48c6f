// Whether a run goes on: the one place that decides to stop. A fatal error (the first is
// kept and reported), or a stop asked from outside (a signal), ends the listing and makes
// the deleters skip what they have not sent; every loop asks stopping() before its next
// request. One thread.
#pragma once

#include <optional>
#include <utility>

#include "protocol/error.hpp"

namespace s3purge::engine {

class RunControl {
 public:
  bool stopping() const { return stopping_; }
  const std::optional<protocol::Error>& fatal() const { return fatal_; }

  // Finish what is in flight, send nothing new.
  void request_stop() { stopping_ = true; }
  // Stops the run for `e`; the first error is the one reported.
  void fail(const protocol::Error& e);
  // The error turned out not to be one (the bucket was deleted by another shard): the
  // run ends as if it had not happened.
  void forgive() {
    fatal_.reset();
    stopping_ = false;
  }
  // Lets requests go out again after a stop, for counting what is left, and back.
  bool pause_stop() { return std::exchange(stopping_, false); }
  void restore_stop(bool stopping) { stopping_ = stopping; }

 private:
  bool stopping_ = false;
  std::optional<protocol::Error> fatal_;
};

}  // namespace s3purge::engine
