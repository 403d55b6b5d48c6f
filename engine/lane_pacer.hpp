// Pacing per key range. S3 serves each partition of a bucket's key space (a key range) at
// about 3,500 writes/s and refuses the keys over that with SlowDown; it cuts partitions at
// key prefixes. The pacer cuts the keys under the run's prefix into lanes by their first
// character after it, and gives each lane its own rate, so a throttle slows the keys of
// its lane and not the others. The --rate ceiling stays global (RateLimiter). Pure: the
// clock is passed in. One thread.
//
// A lane is unlimited until a throttle; its first one paces it at S3's 3,500 writes/s.
// A paced lane that is throttled again is cut by the share of keys refused in its answers
// since its last cut, of the last one to two seconds (a request refused whole, 503, counts
// as a batch of keys refused), at most by half, and by kMargin more: what the partition
// took at that rate, with room for its burst to fill again (not within kMarginAfter of the
// last cut). Answers to requests sent before the last cut, and those within kMinCutGap of
// it, cut nothing. It then probes upwards, slowly near the rate the cut left and faster
// the longer no throttle comes, while it has keys waiting for its rate; a lane once cut
// stays paced. A lane seen first after others were cut starts at their median rate.
//
// Lanes that share a partition are throttled together: an overshoot of the partition
// refuses keys of every lane sending into it then. The lanes cut within kTogether of each
// other are counted as one partition's, and each probes at its share of a partition's pace,
// so that together they probe as one lane alone in it would, for kShared: past it without
// a throttle, their partition may have split, and each probes as if alone. Lanes cut
// together whose settled rates add up to one partition's pace or so (kOnePartition; not
// lanes of many partitions throttled at one moment, as by a run's first burst) are taken
// to share one, and past kShared each also grows by kGrowth a second: the halves of a
// split are filled in seconds. A lane of them that sends nothing for kIdle (its keys are
// all sent, or its listing lags) hands its rate to those that still send: what the
// partition took from them all is theirs now, at once rather than after seconds of
// probing. Should it send again, the partition's next throttle cuts it with them.
//
// Each lane's throttles are judged (engine/pacing/throttle_judge): throttles no more than
// the run's noise cut nothing, and a cut whose test shows noise (the share throttled held
// at the lower rate) is undone.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/pacing/throttle_judge.hpp"
#include "engine/rate_limiter.hpp"

namespace s3purge::engine {

class LanePacer {
 public:
  // `noise`: the run's, shared with the run's rate (it outlives the pacer).
  LanePacer(AdaptiveOptions o, pacing::NoiseLevel& noise);

  // The lane of `key` under `prefix`: 1 + its first byte after the prefix, 257 for the key
  // that is the prefix itself. 0 is no lane: never paced.
  static std::uint64_t lane_of(std::string_view key, std::string_view prefix);

  // Where to cut what is left of a listed range, (pos, through], so that its pieces start
  // in other lanes: at most `parts` keys `prefix` + one character, strictly inside, spread
  // evenly over the characters keys usually start with (digits and letters). Listers then
  // reach every lane early instead of one after the other, and each lane's partition is
  // busy from the start. Empty when the range is inside one lane.
  static std::vector<std::string> cuts(std::string_view prefix, std::string_view pos,
                                       const std::optional<std::string>& through, int parts);

  // Where the lanes after `key`'s begin: the prefix and the next first character. None when
  // `key`'s lane is the last one (or the prefix itself, which no range needs to cut at).
  static std::optional<std::string> next_lane_start(std::string_view key, std::string_view prefix);

  // How long a request of n keys of `lane` must wait (0: it may go now); reserve takes the
  // tokens.
  std::chrono::nanoseconds wait_for(std::uint64_t lane, std::uint64_t n, Clock::time_point now) const;
  std::chrono::nanoseconds reserve(std::uint64_t lane, std::uint64_t n, Clock::time_point now);
  // Objects/s the lane may send now (infinity: unlimited).
  double allowed(std::uint64_t lane) const;
  // The most keys a request of the lane carries: a quarter of a second of its rate (no
  // fewer than kLeastPiece, no more than a batch; no limit while the lane is unlimited).
  // A slow lane sends its keys as a flow, not a batch at a time that would take its
  // partition's whole credit and be refused in bulk when another lane took it first.
  std::size_t piece(std::uint64_t lane) const;
  // The lane had keys to send and waited for its rate: only such a lane wins rate back (a
  // rate a lane does not use proves nothing about its partition).
  void limited(std::uint64_t lane, Clock::time_point now);

  // An answer of the lane that deleted `done` keys and refused `throttled` with SlowDown,
  // to a request sent at `sent` (none: now). An answer to a request sent before the lane's
  // last cut tells of the rate before it: it is counted, and cuts nothing.
  void on_keys_throttled(std::uint64_t lane, std::uint64_t done, std::uint64_t throttled, Clock::time_point now,
                         Clock::time_point sent = {});
  // A request of the lane, of `keys` keys, refused whole (503 SlowDown).
  void on_throttle(std::uint64_t lane, std::chrono::milliseconds retry_after, Clock::time_point now,
                   Clock::time_point sent = {}, double keys = kBatchKeys);
  // Throttle answers (whole or some keys), over every lane.
  std::uint64_t throttles() const { return throttles_; }
  // Lanes cut below unlimited at some point of the run.
  std::uint64_t lanes_cut() const { return lanes_cut_; }

  // A partition's writes per second as S3 documents it: the base of a lane's first cut.
  static constexpr double kPartitionRate = 3500;
  // A cut leaves the lane this far under what its partition took at the rate cut: the
  // partition's burst fills again while the probe comes back to it, and takes the probe's
  // first overshoot.
  static constexpr double kMargin = 0.9;
  // The probe after a cut: settled + kProbe * max(settled, kPartitionRate) * s^2, s seconds
  // of waiting for its rate on (back over a 10% margin after 5 s, doubled after 16 s).
  static constexpr double kProbe = 0.004;
  // Cuts of a lane at most this often, though answers sent after its last cut come sooner:
  // one answer's share is one batch's luck in the partition's turn.
  static constexpr std::chrono::milliseconds kMinCutGap{250};
  // A cut this long after the last one takes kMargin too.
  static constexpr std::chrono::milliseconds kMarginAfter{1000};
  // Lanes cut this close to each other are taken to share a partition: one overshoot of it
  // refuses keys of every lane sending into it at that moment.
  static constexpr std::chrono::milliseconds kTogether{500};
  // How long lanes cut together probe at their share: a partition's pace for them all.
  static constexpr std::chrono::milliseconds kShared{1500};
  // A lane of a partition's that sends nothing this long hands its rate to the others.
  static constexpr std::chrono::milliseconds kIdle{1000};
  // Lanes cut together share one partition when their settled rates add up to this at most.
  static constexpr double kOnePartition = 1.25 * kPartitionRate;
  // Past kShared without a throttle, lanes that share one partition grow this much a second.
  static constexpr double kGrowth = 1.5;
  // What a request refused whole (503) counts for in a lane's share refused.
  static constexpr double kBatchKeys = 1000;
  static constexpr double kPieceSeconds = 0.25;
  static constexpr double kLeastPiece = 100;
  static constexpr std::size_t kLanes = 258;

 private:
  struct Lane {
    bool seen = false;
    bool ever_cut = false;
    double rate = std::numeric_limits<double>::infinity();
    double settled = 0;         // the rate that cut left (or the lane's start)
    double probe_seconds = 0;   // since then, while the lane waited for its rate
    Clock::time_point last_cut{}, last_update{};
    std::optional<TokenBucket> bucket;
    Clock::time_point paused_until{};
    Clock::time_point last_limited{};
    // Keys answered, and those of them refused, in this and the previous second.
    Clock::time_point window_start{};
    double keys = 0, refused = 0, previous_keys = 0, previous_refused = 0;
    // The lanes cut together with it at its last cut, itself included.
    double peers = 1;
    // Those lanes' number among the run's cuts (0: none, or it handed its rate back); a lane
    // cut alone since keeps it.
    std::uint64_t group = 0;
    Clock::time_point last_sent{};
    pacing::ThrottleJudge judge;
  };
  // The lane's judge heard an answer: a test that shows noise undoes its cut. Whether a
  // throttle in it (`throttled`) calls for a cut.
  bool judge(Lane& lane, double keys, double refused, Clock::time_point now);
  void restore(Lane& lane, Clock::time_point now);
  // Counts an answer of `keys` keys of which `refused` were refused; the share of keys
  // refused in the last one to two seconds' answers, this one included.
  static double refused_share(Lane& lane, double keys, double refused, Clock::time_point now);
  const Lane* find(std::uint64_t lane) const;
  Lane* get(std::uint64_t lane, Clock::time_point now);  // seen from now on; null for lane 0
  // A piece of a lane at `rate`; the credit of its bucket: a piece, or 50 ms of its rate.
  static double piece_of(double rate);
  static double burst_of(double rate);
  void set_rate(Lane& lane, double rate, Clock::time_point now);
  // Cuts the lane for an answer to a request sent at `sent`: one sent after the last cut, and
  // kMinCutGap after it at the soonest.
  // `test`: the cut is the judge's to test (a whole request refused); otherwise it is for
  // keys refused beside keys deleted, a partition's capacity.
  void cut(Lane& lane, double share, Clock::time_point now, Clock::time_point sent, bool test = true);
  // The lanes cut within kTogether of `lane`'s cut now, `lane` among them, are taken to
  // share its partition: each of them counts them all.
  void count_peers(Lane& lane, Clock::time_point now);
  void recover(Lane& lane, Clock::time_point now);
  // The lane was cut together with others that are still in its group, and their settled
  // rates add up to kOnePartition at most.
  bool shares_one_partition(const Lane& lane) const;
  // Each lane of a group that has sent nothing for kIdle leaves it; where the group shares
  // one partition, its rate goes to the group's lanes that still send, in equal parts. At
  // most every kLook.
  void hand_back(Clock::time_point now);
  double median_rate() const;

  AdaptiveOptions options_;
  std::array<Lane, kLanes> lanes_{};
  std::uint64_t throttles_ = 0;
  std::uint64_t lanes_cut_ = 0;
  std::uint64_t groups_ = 0;
  Clock::time_point last_look_{};
  static constexpr std::chrono::milliseconds kLook{100};
};

}  // namespace s3purge::engine
