#include "engine/range_progress.hpp"

namespace s3purge::engine {

std::uint64_t RangeProgress::open(PageMark page) {
  const TrackKey key{page.uploads, page.range};
  auto [track, fresh] = tracks_.try_emplace(key);
  if (fresh) track->second.after = page.after;
  const std::uint64_t id = next_++;
  Ticket& t = tickets_[id];
  t.track = key;
  t.mark = std::move(page);
  track->second.tickets.push_back(id);
  return id;
}

void RangeProgress::close(std::uint64_t ticket) {
  Ticket& t = tickets_.at(ticket);
  t.closed = true;
  advance(t.track);
}

void RangeProgress::settle(std::uint64_t ticket, bool deleted) {
  Ticket& t = tickets_.at(ticket);
  t.clean = t.clean && deleted;
  if (--t.pending == 0 && t.closed) advance(t.track);
}

void RangeProgress::advance(TrackKey key) {  // a copy: the tickets holding it are erased
  Track& track = tracks_.at(key);
  while (!track.tickets.empty()) {
    const auto it = tickets_.find(track.tickets.front());
    const Ticket& t = it->second;
    if (!t.closed || t.pending > 0) return;
    track.broken = track.broken || !t.clean;
    if (!track.broken && t.mark.marks) record_(key.first, KeyRange{track.after, t.mark.through});
    const bool last = t.mark.last;
    tickets_.erase(it);
    track.tickets.pop_front();
    if (last) {  // the range is settled: nothing more comes for it
      tracks_.erase(key);
      return;
    }
  }
}

}  // namespace s3purge::engine
