#include "engine/pacing/throttle_judge.hpp"

#include <algorithm>
#include <cmath>

namespace s3purge::engine::pacing {

namespace {

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

double NoiseLevel::forgotten(Clock::time_point now) const {
  return learnt_ * std::exp2(-std::max(0.0, seconds(now - at_)) / seconds(kForget));
}

double NoiseLevel::share(Clock::time_point now) const { return std::max(kAssumed, forgotten(now)); }

void NoiseLevel::learn(double share, Clock::time_point now) {
  learnt_ = std::max(forgotten(now), std::clamp(share, 0.0, 1.0));
  at_ = now;
}

void NoiseLevel::judged(Verdict v, std::uint64_t throttles) {
  if (v == Verdict::noise) noise_ += throttles;
  if (v == Verdict::capacity) capacity_ += throttles;
}

void ThrottleJudge::roll(Clock::time_point now) {
  if (window_.answers == 0 && previous_.answers == 0) {
    window_start_ = now;  // nothing answered yet: the window starts with the first answer
    has_previous_ = false;
    return;
  }
  if (now - window_start_ < std::chrono::seconds(1)) return;
  previous_ = now - window_start_ < std::chrono::seconds(2) ? window_ : Counts{};
  has_previous_ = true;
  window_ = {};
  window_start_ = now;
}

void ThrottleJudge::answer(Clock::time_point now, double keys, double refused) {
  roll(now);
  const double share = keys > 0 ? std::clamp(refused / keys, 0.0, 1.0) : 0.0;
  if (!testing_ && (since_.answers == 0 || now - since_start_ > kMemory)) {
    since_ = {};
    since_start_ = now;
  }
  for (Counts* c : {&window_, testing_ ? &test_ : &since_}) {
    c->answers += 1;
    c->refused += share;
    c->keys += keys;
    c->accepted += std::max(0.0, keys - refused);
    if (share > 0) ++c->throttled;
  }
  if (share > 0) ++unjudged_;
}

double ThrottleJudge::window_share() const {
  const double n = window_.answers + previous_.answers;
  return n > 0 ? (window_.refused + previous_.refused) / n : 0;
}

double ThrottleJudge::answered_rate(Clock::time_point now) const {
  const double span = seconds(now - window_start_) + (has_previous_ ? 1.0 : 0.0);
  if (span < 0.05) return 0;
  return (window_.keys + previous_.keys) / span;
}

void ThrottleJudge::judged(Verdict v) {
  noise_->judged(v, unjudged_);
  unjudged_ = 0;
}

void ThrottleJudge::end_test(Verdict v) {
  judged(v);
  since_ = {};  // counted afresh at the rate the test leaves
  testing_ = false;
}

bool ThrottleJudge::calls_for_cut(Clock::time_point now) {
  roll(now);
  const double b = noise_->share(now);
  const auto significant = [b](double n, double refused) {
    return refused > n * b + 3 * std::sqrt(n * b * (1 - b)) + 1;
  };
  if (testing_) {
    // Half the answers since the cut throttled: a server still over its capacity, the cut
    // too small (no server throttles half of its answers at random).
    const double n = test_.answers;
    if (n >= kClearAnswers && test_.refused >= kClearOverload * n && significant(n, test_.refused)) {
      end_test(Verdict::capacity);
      return true;
    }
    return false;
  }
  const double n = window_.answers + previous_.answers;
  if (n >= kLeastAnswers && significant(n, window_.refused + previous_.refused)) return true;
  judged(Verdict::noise);
  return false;
}

void ThrottleJudge::capacity_cut() { end_test(Verdict::capacity); }

void ThrottleJudge::cut(Clock::time_point now, double from, double to) {
  if (testing_) end_test(Verdict::capacity);
  const double span = seconds(now - window_start_) + (has_previous_ ? 1.0 : 0.0);
  testing_ = true;
  cut_at_ = now;
  // Unlimited before: back to what it sent then, not to no limit at all.
  from_ = std::isinf(from) && answered_rate(now) > 0 ? std::max(to, answered_rate(now)) : from;
  to_ = to;
  share_before_ = since_.answers >= kLeastAnswers ? since_.refused / since_.answers : window_share();
  sent_before_ = answered_rate(now);
  // Over a quarter of a second at least, or unknown: what went through then is no measure.
  accepted_before_ = span >= 0.25 ? (window_.accepted + previous_.accepted) / span : -1;
  test_ = {};
}

double ThrottleJudge::depth() const {
  const double before = std::isinf(from_) ? sent_before_ : from_;
  return before > 0 ? std::clamp(to_ / before, 0.0, 1.0) : 1.0;
}

bool ThrottleJudge::went_through_held(Clock::time_point now) const {
  const double accepted = test_.accepted / std::max(seconds(now - cut_at_), 1e-3);
  return accepted_before_ >= 0 && depth() < 0.8 && test_.answers >= 2 &&
         accepted >= accepted_before_ * (1 + depth()) / 2;
}

Verdict ThrottleJudge::verdict(Clock::time_point now) {
  if (!testing_) return Verdict::none;
  const auto elapsed = now - cut_at_;
  const double n = test_.answers;
  const double s0 = std::clamp(share_before_, 0.0, 1.0);
  const double share = n > 0 ? test_.refused / n : 0;
  const bool share_fell = test_.refused < n * s0 - 2 * std::sqrt(n * s0 * (1 - s0));
  const bool share_held = test_.throttled > 0 && share >= s0 / 2;
  const bool went_through_fell = !went_through_held(now);
  Verdict v = Verdict::none;
  if (share_fell) {
    v = Verdict::capacity;
  } else if (elapsed >= kTestTime && share_held && went_through_fell && share < kClearOverload) {
    v = Verdict::noise;
  } else if (elapsed >= kTestLongest) {
    // The share did not fall: noise, unless it held while as much went through (a server
    // still over its capacity: the cut was too small), or is half or more of the answers
    // (no server throttles half of its answers at random).
    v = (share_held && !went_through_fell) || share >= kClearOverload ? Verdict::capacity : Verdict::noise;
  }
  if (v == Verdict::none) return v;
  if (v == Verdict::noise) {
    // What the server throttles at either rate: the answers before the cut and after it.
    const double all = since_.answers + n;
    if (n >= kTestAnswers || all >= kLeastAnswers) noise_->learn((since_.refused + test_.refused) / all, now);
  }
  end_test(v);
  return v;
}

}  // namespace s3purge::engine::pacing
