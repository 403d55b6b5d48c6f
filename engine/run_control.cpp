#include "engine/run_control.hpp"

#include <spdlog/spdlog.h>

namespace s3purge::engine {

void RunControl::request_stop() {
  stopping_ = true;
  signal_.stop();
}

void RunControl::fail(const protocol::Error& e) {
  if (e.code == protocol::client_errc::stopped) return;
  if (!fatal_) {
    fatal_ = e;
    spdlog::debug("stopping: {}", e.describe());
  }
  request_stop();
}

void RunControl::forgive() {
  fatal_.reset();
  stopping_ = false;
  signal_.resume();
}

bool RunControl::pause_stop() {
  signal_.resume();
  return std::exchange(stopping_, false);
}

void RunControl::restore_stop(bool stopping) {
  stopping_ = stopping;
  if (stopping) signal_.stop();
}

}  // namespace s3purge::engine
