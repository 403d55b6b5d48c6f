// Noise or capacity: whether a server's throttles (503 SlowDown, keys refused with SlowDown)
// say that it is over its capacity, or are noise that comes whatever the rate.
//
// A server at capacity throttles more the faster it is sent to, and less when the rate
// falls; a server that throttles at random (a share of its answers, as S3 does while a
// partition scales, and MinIO, Ceph RGW or B2 under load) throttles the same share at any
// rate. Halving on every throttle treats both as capacity, and on the second a run sinks
// to its floor. So each controller of a rate (a key range's, or the run's) keeps a judge:
//  - its answers of the last one to two seconds, and the share of them throttled (an
//    answer counts the share of its keys refused: 1 for a request refused whole);
//  - a cut is called for only where that share is more than the run's noise explains
//    (three standard deviations and one answer over it, binomially, over kLeastAnswers
//    answers at least);
//  - each cut is a test. Over the next answers, at the lower rate: where the share
//    throttled fell (significantly: two standard deviations under the share before), or
//    held while as much went through as before (the cut was too small), the server is at
//    its capacity, and the cut stays. Otherwise the throttles were noise: the controller
//    goes back to the rate before the cut, and the run's noise level learns the share, so
//    that the same share cuts no rate again. A cut stays only on evidence: a run that
//    cut for noise sinks, one that undoes a cut for capacity is throttled again and cuts.
// Sans-io: no socket, no timer; the clock is an argument. One thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <limits>

namespace s3purge::engine::pacing {

using Clock = std::chrono::steady_clock;

enum class Verdict { none, capacity, noise };

// The run's noise: the share of answers the server throttles whatever the rate, learnt
// from the cuts that lowered the rate and not that share. Shared by every judge of a run;
// it also counts the throttles judged each way, for the report.
class NoiseLevel {
 public:
  // The share in force: the most a test has shown, halving every kForget without a new
  // one, and kAssumed at least (a server that throttles one answer in a hundred is common).
  double share(Clock::time_point now) const;
  void learn(double share, Clock::time_point now);
  void judged(Verdict v, std::uint64_t throttles);
  std::uint64_t noise_throttles() const { return noise_; }
  std::uint64_t capacity_throttles() const { return capacity_; }

  static constexpr double kAssumed = 0.01;
  static constexpr std::chrono::seconds kForget{30};

 private:
  double forgotten(Clock::time_point now) const;  // what was learnt, halved every kForget
  double learnt_ = 0;
  Clock::time_point at_{};
  std::uint64_t noise_ = 0, capacity_ = 0;
};

class ThrottleJudge {
 public:
  ThrottleJudge() = default;  // for arrays of them: given a noise level before its first answer
  explicit ThrottleJudge(NoiseLevel& noise) : noise_(&noise) {}

  // An answer of `keys` keys of which `refused` were refused (a request refused whole:
  // all of them).
  void answer(Clock::time_point now, double keys, double refused);
  // Whether the throttles of the last one to two seconds are more than noise: a cut is
  // called for. While a cut is under test, only a clear overload (half of the answers
  // since the cut throttled, of kClearAnswers at least) calls for another; it ends the
  // test as capacity.
  bool calls_for_cut(Clock::time_point now);
  // The controller cut its rate from `from` (infinity: unlimited) to `to`: the test begins.
  void cut(Clock::time_point now, double from, double to);
  // The controller cut for keys refused one by one in answers that deleted others: a
  // partition over its capacity refuses what is over it and takes the rest; noise refuses
  // requests whole. No test: the throttles so far are capacity's.
  void capacity_cut();
  // Once the test has seen enough: capacity as soon as the share fell significantly;
  // noise from kTestTime on where throttles came at the share before while less went
  // through; at kTestLongest, what the answers show (noise unless the share fell, or held
  // while as much went through). None while it tests or when nothing is under test.
  Verdict verdict(Clock::time_point now);
  bool testing() const { return testing_; }
  double restore_rate() const { return from_; }
  // Keys answered per second over the last one to two seconds (0: too little to tell).
  double answered_rate(Clock::time_point now) const;

  static constexpr std::chrono::milliseconds kTestTime{200};
  static constexpr double kTestAnswers = 6;  // a share learnt from fewer is not learnt
  static constexpr std::chrono::milliseconds kTestLongest{500};
  static constexpr double kLeastAnswers = 10;
  static constexpr std::chrono::seconds kMemory{10};
  static constexpr double kClearOverload = 0.5;
  static constexpr double kClearAnswers = 6;

 private:
  struct Counts {
    double answers = 0, refused = 0, keys = 0, accepted = 0;
    std::uint64_t throttled = 0;  // answers with a key refused
  };
  void roll(Clock::time_point now);
  double window_share() const;
  // The throttles not yet judged are judged `v`.
  void judged(Verdict v);
  // So are they, and the test (or a cut that needs none) ends: counted afresh from now.
  void end_test(Verdict v);
  // How deep the cut under test went, against what was sent before it (1: not at all).
  double depth() const;
  // As much went through since the cut as before it, at a cut deep enough to tell.
  bool went_through_held(Clock::time_point now) const;

  NoiseLevel* noise_ = nullptr;
  Clock::time_point window_start_{};
  Counts window_, previous_;
  // Since the last verdict (kMemory at most): the share a cut is tested against. One
  // window's share is the luck of a few answers, and it is the lucky windows that call for
  // cuts; a longer count is what the server does at that rate.
  Counts since_;
  Clock::time_point since_start_{};
  bool has_previous_ = false;
  std::uint64_t unjudged_ = 0;  // throttled answers not yet counted noise or capacity
  // The cut under test.
  bool testing_ = false;
  Clock::time_point cut_at_{};
  double from_ = std::numeric_limits<double>::infinity(), to_ = 0;
  double share_before_ = 0, accepted_before_ = 0, sent_before_ = 0;
  Counts test_;
};

}  // namespace s3purge::engine::pacing
