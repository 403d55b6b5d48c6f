// The buffers large answers are read into, shared by the connections of one thread.
//
// A list page of 1000 keys is ~430 KB. A lister needs a buffer for it only from the moment
// the answer's head has come until the page is parsed: HttpConnection takes one from here
// for a large answer, and the lister gives it back once parsed. The listers of a thread
// then share the few buffers of the answers being read at one time, instead of each
// holding (and faulting in) one of its own.
#pragma once

#include <cstddef>
#include <string>

namespace s3purge::engine {

class BodyPool {
 public:
  // Answers smaller than this are read into the caller's own buffer (a DeleteObjects
  // result, an error), which keeps its capacity; larger ones into a pooled one.
  static constexpr std::size_t kLarge = 64 * 1024;
  // At most this many buffers are kept, none larger than kMaxKeptBytes: memory stays flat
  // after a burst or one pathological answer.
  static constexpr std::size_t kMaxKept = 8;
  static constexpr std::size_t kMaxKeptBytes = 8 * 1024 * 1024;

  // An empty string, with the capacity of a buffer given back where there is one.
  std::string take();
  // Keeps `body`'s buffer for the next take, within the limits above.
  void give(std::string&& body);
  std::size_t kept() const { return count_; }

  // The pool of the calling thread.
  static BodyPool& of_thread();

 private:
  std::string free_[kMaxKept];
  std::size_t count_ = 0;
};

}  // namespace s3purge::engine
