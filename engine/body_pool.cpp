#include "engine/body_pool.hpp"

#include <utility>

namespace s3purge::engine {

std::string BodyPool::take() {
  if (count_ == 0) return {};
  std::string out = std::move(free_[--count_]);
  out.clear();
  return out;
}

void BodyPool::give(std::string&& body) {
  const std::size_t capacity = body.capacity();
  if (capacity < kLarge || capacity > kMaxKeptBytes || count_ == kMaxKept) {
    std::string().swap(body);  // freed: nothing worth keeping, or no room to keep it
    return;
  }
  free_[count_++] = std::move(body);
}

BodyPool& BodyPool::of_thread() {
  thread_local BodyPool pool;
  return pool;
}

}  // namespace s3purge::engine
