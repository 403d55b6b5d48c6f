#include "engine/lane_pacer.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace s3purge::engine {

LanePacer::LanePacer(AdaptiveOptions o, pacing::NoiseLevel& noise) : options_(o) {
  for (auto& lane : lanes_) lane.judge = pacing::ThrottleJudge(noise);
}

std::uint64_t LanePacer::lane_of(std::string_view key, std::string_view prefix) {
  if (key.size() <= prefix.size()) return 257;
  return 1 + static_cast<unsigned char>(key[prefix.size()]);
}

std::optional<std::string> LanePacer::next_lane_start(std::string_view key, std::string_view prefix) {
  if (key.size() <= prefix.size() || !key.starts_with(prefix)) return std::nullopt;
  const auto c = static_cast<unsigned char>(key[prefix.size()]);
  if (c == 0xff) return std::nullopt;
  std::string next(prefix);
  next += static_cast<char>(c + 1);
  return next;
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
      l.settled = rate;
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
  l->last_sent = now;
  hand_back(now);
  if (l->judge.verdict(now) == pacing::Verdict::noise) restore(*l, now);
  recover(*l, now);
  std::chrono::nanoseconds wait(0);
  if (l->bucket) wait = l->bucket->take(static_cast<double>(n), now);
  if (l->paused_until > now) {
    wait = std::max(wait, std::chrono::duration_cast<std::chrono::nanoseconds>(l->paused_until - now));
  }
  return wait;
}

double LanePacer::piece_of(double rate) {
  return std::clamp(rate * kPieceSeconds, kLeastPiece, kBatchKeys);
}

double LanePacer::burst_of(double rate) { return std::max(piece_of(rate), rate / 20); }

std::size_t LanePacer::piece(std::uint64_t lane) const {
  const Lane* l = find(lane);
  if (!l || std::isinf(l->rate)) return std::numeric_limits<std::size_t>::max();
  return static_cast<std::size_t>(piece_of(l->rate));
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
    lane.bucket->set_rate(rate, burst_of(rate), now);
  }
}

void LanePacer::recover(Lane& lane, Clock::time_point now) {
  if (std::isinf(lane.rate)) return;
  const double dt = std::chrono::duration<double>(now - lane.last_update).count();
  if (dt <= 0) return;
  lane.last_update = now;
  if (now - lane.last_limited > std::chrono::seconds(1)) return;  // its rate went unused
  lane.probe_seconds += dt;
  // Slowly near the rate the last cut left, faster the longer no throttle comes:
  // settled + kProbe * s^2 of it, s seconds of waiting for its rate after the cut, and of
  // its share of a partition's rate at least: a lane cut deep while another lane drained
  // their partition is not stuck where it was cut, and the lanes of one partition together
  // probe it as one lane would. Past kShared without a throttle, the partition they shared
  // may have split: each probes as if alone in it from then on, and where they shared one
  // partition, also grows by kGrowth a second, so that the halves fill in seconds.
  const double s = lane.probe_seconds;
  const double shared = std::max(lane.settled, kPartitionRate / lane.peers);
  const double alone = std::max(lane.settled, kPartitionRate);
  const double late = std::max(0.0, s - std::chrono::duration<double>(kShared).count());
  double target = lane.settled + kProbe * (shared * s * s + (alone - shared) * late * late);
  if (late > 0 && shares_one_partition(lane)) {
    target = std::max(target, (lane.settled + kProbe * shared * s * s) * std::pow(kGrowth, late));
  }
  set_rate(lane, std::max(lane.rate, target), now);
}

bool LanePacer::shares_one_partition(const Lane& lane) const {
  if (lane.group == 0) return false;
  double lanes = 0, settled = 0;
  for (const auto& l : lanes_) {
    if (l.group != lane.group) continue;
    ++lanes;
    settled += l.settled;
  }
  return lanes > 1 && settled <= kOnePartition;
}

double LanePacer::refused_share(Lane& lane, double keys, double refused, Clock::time_point now) {
  if (now - lane.window_start >= std::chrono::seconds(1)) {
    const bool adjacent = now - lane.window_start < std::chrono::seconds(2);
    lane.previous_keys = adjacent ? lane.keys : 0;
    lane.previous_refused = adjacent ? lane.refused : 0;
    lane.keys = lane.refused = 0;
    lane.window_start = now;
  }
  lane.keys += keys;
  lane.refused += refused;
  return (lane.refused + lane.previous_refused) / std::max(1.0, lane.keys + lane.previous_keys);
}

void LanePacer::cut(Lane& lane, double share, Clock::time_point now, Clock::time_point sent, bool test) {
  ++throttles_;
  const bool measured = !std::isinf(lane.rate);
  if (measured && (sent < lane.last_cut || now - lane.last_cut < kMinCutGap)) return;
  recover(lane, now);
  // A paced lane sent at its rate, and the partition took all but the share refused: a
  // little under that is what it takes. Soon after a cut the partition's burst is still
  // spent, and the share alone corrects: a margin at each of those would compound. An
  // unlimited lane's share says how far its first burst went over, not what the partition
  // takes: where it refused half or more, it starts at S3's figure; a smaller share may be
  // noise, and the lane is tested at half of what it sent (S3's figure at least).
  const double margin = now - lane.last_cut >= kMarginAfter ? kMargin : 1.0;
  const double before = lane.rate;
  const double first = share >= pacing::ThrottleJudge::kClearOverload
                           ? kPartitionRate
                           : std::max(kPartitionRate, options_.decrease * lane.judge.answered_rate(now));
  const double settled = measured ? lane.rate * std::max(options_.decrease, 1.0 - std::clamp(share, 0.0, 1.0)) * margin
                                  : first;
  lane.settled = std::max(options_.floor, settled);
  lane.probe_seconds = 0;
  lane.last_cut = lane.last_update = now;
  // The share refused at the new rate is measured afresh.
  lane.window_start = now;
  lane.keys = lane.refused = lane.previous_keys = lane.previous_refused = 0;
  set_rate(lane, lane.settled, now);
  if (test) {
    lane.judge.cut(now, before, lane.settled);
  } else {
    lane.judge.capacity_cut();
  }
  count_peers(lane, now);
  if (!lane.ever_cut) {
    lane.ever_cut = true;
    ++lanes_cut_;
  }
}

void LanePacer::count_peers(Lane& lane, Clock::time_point now) {
  const auto together = [&](const Lane& l) { return (l.ever_cut || &l == &lane) && now - l.last_cut <= kTogether; };
  double n = 0;
  for (const auto& l : lanes_) n += together(l) ? 1 : 0;
  // Cut alone, it stays with the lanes it was last cut with: it is in their partition still.
  const std::uint64_t group = n > 1 || lane.group == 0 ? ++groups_ : lane.group;
  lane.last_sent = std::max(lane.last_sent, now);  // it had keys in flight
  for (auto& l : lanes_) {
    if (!together(l)) continue;
    l.peers = n;
    l.group = group;
  }
}

void LanePacer::hand_back(Clock::time_point now) {
  if (now - last_look_ < kLook) return;
  last_look_ = now;
  const auto sends = [now](const Lane& l) { return now - l.last_sent < kIdle; };
  std::vector<Lane*> sending;
  for (auto& idle : lanes_) {
    if (idle.group == 0 || sends(idle)) continue;
    const bool one = shares_one_partition(idle);
    sending.clear();
    for (auto& l : lanes_) {
      if (l.group == idle.group && sends(l)) sending.push_back(&l);
    }
    idle.group = 0;
    if (!one || sending.empty() || std::isinf(idle.rate)) continue;
    const double part = idle.rate / static_cast<double>(sending.size());
    for (Lane* l : sending) {
      recover(*l, now);
      if (std::isinf(l->rate)) continue;
      set_rate(*l, l->rate + part, now);
      l->peers = std::max(1.0, l->peers - 1);
    }
  }
}

bool LanePacer::judge(Lane& lane, double keys, double refused, Clock::time_point now) {
  lane.judge.answer(now, keys, refused);
  if (lane.judge.verdict(now) == pacing::Verdict::noise) restore(lane, now);
  if (refused <= 0) return false;
  if (lane.judge.calls_for_cut(now)) return true;
  ++throttles_;  // noise: the keys are sent again, the rate stays
  return false;
}

void LanePacer::restore(Lane& lane, Clock::time_point now) {
  const double rate = lane.judge.restore_rate();
  set_rate(lane, std::max(lane.rate, rate), now);
  lane.settled = std::isinf(lane.rate) ? 0 : lane.rate;
  lane.probe_seconds = 0;
  lane.last_update = now;
  if (std::isinf(lane.rate)) lane.group = 0;
}

void LanePacer::on_keys_throttled(std::uint64_t lane, std::uint64_t done, std::uint64_t throttled,
                                  Clock::time_point now, Clock::time_point sent) {
  Lane* l = get(lane, now);
  if (!l) return;
  if (sent == Clock::time_point{}) sent = now;
  if (sent < l->last_cut) {  // sent at the rate before the cut: its share is not this rate's
    if (throttled > 0) ++throttles_;
    return;
  }
  // Weighed in keys over the lane's answers since its last cut, of the last one to two
  // seconds: one answer that came after a turn of its lane's burst says little alone.
  const double share = refused_share(*l, static_cast<double>(done + throttled), static_cast<double>(throttled), now);
  if (throttled > 0 && done > 0) {
    // Keys refused one by one beside keys deleted: the partition's capacity, not noise.
    l->judge.answer(now, static_cast<double>(done + throttled), static_cast<double>(throttled));
    cut(*l, share, now, sent, false);
    return;
  }
  if (!judge(*l, static_cast<double>(done + throttled), static_cast<double>(throttled), now)) {
    if (throttled == 0) recover(*l, now);
    return;
  }
  cut(*l, share, now, sent);
}

void LanePacer::on_throttle(std::uint64_t lane, std::chrono::milliseconds retry_after, Clock::time_point now,
                            Clock::time_point sent, double keys) {
  Lane* l = get(lane, now);
  if (!l) return;
  if (sent == Clock::time_point{}) sent = now;
  l->paused_until = std::max(l->paused_until, now + retry_after);
  if (sent < l->last_cut) {
    ++throttles_;
    return;
  }
  // A request refused whole says only that something was over: a batch's worth of keys
  // refused, among the lane's answers since its last cut, so a lone 503 among clean
  // answers barely cuts.
  const double share = refused_share(*l, kBatchKeys, kBatchKeys, now);
  if (!judge(*l, std::max(keys, 1.0), std::max(keys, 1.0), now)) return;
  cut(*l, share, now, sent);
}

}  // namespace s3purge::engine
