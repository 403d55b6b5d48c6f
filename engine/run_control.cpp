#include "engine/run_control.hpp"

#include <spdlog/spdlog.h>

namespace s3purge::engine {

void RunControl::fail(const protocol::Error& e) {
  if (!fatal_) {
    fatal_ = e;
    spdlog::debug("stopping: {}", e.describe());
  }
  stopping_ = true;
}

}  // namespace s3purge::engine
