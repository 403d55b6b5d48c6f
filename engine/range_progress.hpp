// Which parts of the listed key ranges are emptied, for --state-file. Each listed page gets
// a ticket that counts its entries still in flight. A range's tickets complete in listing
// order: each completed one whose entries were all deleted moves the range's emptied part
// forward to the page's mark, and that part is recorded. An entry that failed or was
// skipped stops the range's record there, so a re-run lists the rest again. Memory: the
// tickets of pages in flight, and one record per range being listed.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "engine/key_range.hpp"

namespace s3purge::engine {

class RangeProgress {
 public:
  // Called with each emptied part: (uploads listing?, the range's start..the mark).
  using Record = std::function<void(bool uploads, const KeyRange& emptied)>;
  explicit RangeProgress(Record record) : record_(std::move(record)) {}

  struct PageMark {
    bool uploads = false;
    std::size_t range = 0;               // the range's number in its listing
    std::optional<std::string> after;    // where the range starts
    bool marks = false;                  // every key up to `through` has been listed whole
    bool last = false;                   // the range's last page
    std::optional<std::string> through;  // none with `marks`: to the end of the key space
  };
  // A ticket (never 0) for a page just listed.
  std::uint64_t open(PageMark page);
  void add(std::uint64_t ticket) { ++tickets_.at(ticket).pending; }  // an entry handed on
  void taint(std::uint64_t ticket) { tickets_.at(ticket).clean = false; }  // one not deleted
  void close(std::uint64_t ticket);  // every entry of the page has been handed on
  void settle(std::uint64_t ticket, bool deleted);

 private:
  using TrackKey = std::pair<bool, std::size_t>;
  struct Ticket {
    TrackKey track;
    std::uint32_t pending = 0;
    bool closed = false, clean = true;
    PageMark mark;
  };
  struct Track {
    std::optional<std::string> after;
    std::deque<std::uint64_t> tickets;
    bool broken = false;
  };
  void advance(TrackKey key);

  Record record_;
  std::unordered_map<std::uint64_t, Ticket> tickets_;
  std::map<TrackKey, Track> tracks_;
  std::uint64_t next_ = 1;
};

}  // namespace s3purge::engine
