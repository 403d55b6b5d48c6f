// The ranges still to be listed, shared by the listers of one listing. A lister takes a
// range, lists it page by page and, while other listers wait for work, hands them the upper
// part of what it has left (see split_points). The listing has ended when no range is left
// and no lister holds one. One thread: every call on the executor's thread.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <deque>
#include <optional>
#include <vector>

#include "engine/key_range.hpp"

namespace s3purge::engine {

class RangeWork {
 public:
  RangeWork(boost::asio::any_io_executor ex, std::vector<KeyRange> ranges);

  // The next range to list, waiting while other listers may still split theirs; none when
  // the listing has ended (or stop() was called). Call finished() after listing it.
  boost::asio::awaitable<std::optional<KeyRange>> take();
  void finished();
  // Listers waiting for a range: how many pieces a split should make.
  int waiting() const { return waiting_; }
  // Ranges given and not yet taken.
  int left() const { return static_cast<int>(ranges_.size()); }
  // Ranges cut off a held range, for the waiting listers.
  void give(std::vector<KeyRange> ranges);
  void stop();

 private:
  void wake_all() { wake_.cancel(); }
  std::deque<KeyRange> ranges_;
  boost::asio::steady_timer wake_;
  int holding_ = 0;
  int waiting_ = 0;
  bool stopped_ = false;
};

}  // namespace s3purge::engine
