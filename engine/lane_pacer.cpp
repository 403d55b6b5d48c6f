#include "engine/lane_pacer.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace s3purge::engine {

namespace {

double burst_of(double rate) { return std::max(1000.0, rate / 20); }

}  // namespace

LanePacer::LanePacer(AdaptiveOptions o) : options_(o) {}

std::uint64_t LanePacer::lane_of(std::string_view key, std::string_view prefix) {
  if (key.size() <= prefix.size()) return 257;
  return 1 + static_cast<unsigned char>(key[prefix.size()]);
}

std::vector<std::string> LanePacer::cuts(std::string_view prefix, std::string_view pos,
                                         const std::optional<std::string>& through, int parts) {
  std::vector<std::string> out;
  if (parts <= 0 || !pos.starts_with(prefix)) return out;
  static constexpr std::string_view kFirst = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::vector<std::string> inside;
  for (const char c : kFirst) {
    std::string cut(prefix);
    cut += c;
    if (cut > pos && (!through || cut < *through)) inside.push_back(std::move(cut));
  }
  // `parts` of them, evenly: the (i + 1) * n / (parts + 1)-th of n.
  const auto n = inside.size();
  const auto want = std::min(n, static_cast<std::size_t>(parts));
  for (std::size_t i = 0; i < want; ++i) {
    const auto at = (i + 1) * n / (want + 1);
    if (out.empty() || inside[at] > out.back()) out.push_back(inside[at]);
  }
  return out;
}

const LanePacer::Lane* LanePacer::find(std::uint64_t lane) const {
  if (lane == 0 || lane >= kLanes || !lanes_[lane].seen) return nullptr;
  return &lanes_[lane];
}

LanePacer::Lane* LanePacer::get(std::uint64_t lane, Clock::time_point now) {
  if (lane == 0 || lane >= kLanes) return nullptr;
  Lane& l = lanes_[lane];
  if (!l.seen) {
    const double rate = median_rate();  // of the lanes seen before this one
    l.seen = true;
    l.last_update = now;
    if (!std::isinf(rate)) {
      l.cut_from = rate;
      set_rate(l, rate, now);
    }
  }
  return &l;
}

double LanePacer::median_rate() const {
  std::vector<double> rates;
  for (const auto& lane : lanes_) {
    if (lane.seen) rates.push_back(lane.rate);
  }
  if (rates.empty()) return std::numeric_limits<double>::infinity();
  auto mid = rates.begin() + static_cast<std::ptrdiff_t>(rates.size() / 2);
  std::nth_element(rates.begin(), mid, rates.end());
  return *mid;
}

std::chrono::nanoseconds LanePacer::wait_for(std::uint64_t lane, std::uint64_t n, Clock::time_point now) const {
  const Lane* l = find(lane);
  if (!l) return std::chrono::nanoseconds(0);
  std::chrono::nanoseconds wait(0);
  if (l->bucket) wait = l->bucket->wait_for(static_cast<double>(n), now);
  if (l->paused_until > now) {
    wait = std::max(wait, std::chrono::duration_cast<std::chrono::nanoseconds>(l->paused_until - now));
  }
  return wait;
}

std::chrono::nanoseconds LanePacer::reserve(std::uint64_t lane, std::uint64_t n, Clock::time_point now) {
  Lane* l = get(lane, now);
  if (!l) return std::chrono::nanoseconds(0);
  recover(*l, now);
  std::chrono::nanoseconds wait(0);
  if (l->bucket) wait = l->bucket->take(static_cast<double>(n), now);
  if (l->paused_until > now) {
    wait = std::max(wait, std::chrono::duration_cast<std::chrono::nanoseconds>(l->paused_until - now));
  }
  return wait;
}

double LanePacer::allowed(std::uint64_t lane) const {
  const Lane* l = find(lane);
  return l ? l->rate : std::numeric_limits<double>::infinity();
}

void LanePacer::limited(std::uint64_t lane, Clock::time_point now) {
  if (Lane* l = get(lane, now)) l->last_limited = now;
}

void LanePacer::set_rate(Lane& lane, double rate, Clock::time_point now) {
  lane.rate = rate;
  if (std::isinf(rate)) {
    lane.bucket.reset();
  } else if (!lane.bucket) {
    lane.bucket.emplace(rate, burst_of(rate), now);
  } else {
    lane.bucket->set_rate(rate, now);
  }
}

void LanePacer::recover(Lane& lane, Clock::time_point now) {
  if (std::isinf(lane.rate)) return;
  const double dt = std::chrono::duration<double>(now - lane.last_update).count();
  if (dt <= 0) return;
  lane.last_update = now;
  if (now - lane.last_limited > std::chrono::seconds(1)) return;  // its rate went unused
  // Back to where the trouble started at the full pace, beyond it at a quarter: a partition that
  // refused that rate may refuse it again. A cut lane stays paced (however fast): a lane
  // let loose would send its batches all at once into a partition that throttled it.
  const double pace = lane.rate < lane.cut_from ? 1.0 : 0.25;
  set_rate(lane, lane.rate + pace * options_.increase_per_second * lane.cut_from * dt, now);
}

double LanePacer::refused_share(Lane& lane, double share, Clock::time_point now) {
  if (now - lane.window_start >= std::chrono::seconds(1)) {
    const bool adjacent = now - lane.window_start < std::chrono::seconds(2);
    lane.previous_answers = adjacent ? lane.answers : 0;
    lane.previous_refused = adjacent ? lane.refused : 0;
    lane.answers = lane.refused = 0;
    lane.window_start = now;
  }
  lane.answers += 1;
  lane.refused += share;
  return (lane.refused + lane.previous_refused) / (lane.answers + lane.previous_answers);
}

void LanePacer::cut(Lane& lane, double share, Clock::time_point now) {
  ++throttles_;
  // The requests in flight when the rate was cut answer after it: one cut per interval.
  if (!std::isinf(lane.rate) && now - lane.last_cut < options_.min_cut_interval) return;
  recover(lane, now);
  const double base = std::isinf(lane.rate) ? kPartitionRate : lane.rate;
  const double factor = std::max(options_.decrease, 1.0 - std::clamp(share, 0.0, 1.0));
  lane.cut_from = base;
  lane.last_cut = now;
  lane.last_update = now;
  set_rate(lane, std::max(options_.floor, base * factor), now);
  if (!lane.ever_cut) {
    lane.ever_cut = true;
    ++lanes_cut_;
  }
}

void LanePacer::on_keys_throttled(std::uint64_t lane, std::uint64_t done, std::uint64_t throttled,
                                  Clock::time_point now) {
  Lane* l = get(lane, now);
  if (!l) return;
  if (throttled == 0) {
    refused_share(*l, 0, now);
    recover(*l, now);
    return;
  }
  // Keys refused one by one measure the partition: the share refused is how far over it
  // the lane went, whatever the answers before it said.
  const double share = static_cast<double>(throttled) / static_cast<double>(done + throttled);
  refused_share(*l, share, now);
  cut(*l, share, now);
}

void LanePacer::on_throttle(std::uint64_t lane, std::chrono::milliseconds retry_after, Clock::time_point now) {
  Lane* l = get(lane, now);
  if (!l) return;
  // A request refused whole says only that something was over: weighed among the lane's
  // answers of the last one to two seconds, so a lone 503 among clean answers barely cuts.
  cut(*l, refused_share(*l, 1.0, now), now);
  l->paused_until = std::max(l->paused_until, now + retry_after);
}

}  // namespace s3purge::engine
