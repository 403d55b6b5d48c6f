// The run's pacing (engine/lane_pacer, engine/rate_limiter and the throttle judge they
// share) against modelled servers, in virtual time: deleters send pieces of each key
// range's keys as the pacers allow, a server model answers each request after a fixed
// latency, deleting its keys or refusing it whole (503 SlowDown: at random, or past the
// whole server's capacity), and the refused keys are sent again. Simulated
// seconds take milliseconds. (Partitions that refuse keys one by one are s3emu's, in the
// end-to-end tests and bench P1-P3.)
#include "engine/lane_pacer.hpp"
#include "engine/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <utility>
#include <vector>

using namespace s3purge::engine;
using namespace std::chrono;

namespace {

const Clock::time_point kT0 = Clock::time_point(seconds(1000));
constexpr int kLanes = 16;

struct Server {
  double noise = 0;  // share of requests refused whole at random
  // The whole server's writes/s from each second on (empty: unlimited); requests past it
  // are refused whole.
  std::vector<std::pair<double, double>> schedule;
};

struct Outcome {
  double seconds = 0;
  double throttled_keys = 0;    // keys refused, one by one or with their request
  double throttled_answers = 0;
  std::uint64_t judged_noise = 0, judged_capacity = 0;
};

// A token bucket of `rate`/s holding 0.1 s of it, as s3emu's capacity does.
struct Bucket {
  double tokens = 0, last = -1;
  bool admit(double cost, double rate, double t) {  // whole, into debt by one request
    if (last < 0) tokens = rate * 0.1, last = t;
    tokens = std::min(rate * 0.1, tokens + (t - last) * rate);
    last = t;
    if (tokens <= 0) return false;
    tokens -= cost;
    return true;
  }
};

// `lanes`: pace per key range (the default) or one rate for the run (--pacing global).
Outcome simulate(const Server& server, double keys, bool lanes, unsigned seed = 1, int deleters = 16,
                 milliseconds latency = milliseconds(20)) {
  AdaptiveOptions o;
  RateLimiterCore core(0, 0, kT0);
  AdaptiveOptions lane_o = o;
  lane_o.floor = 50;
  LanePacer pacer(lane_o, core.noise());
  std::mt19937_64 rng(seed);
  std::bernoulli_distribution noise(server.noise);
  std::vector<double> left(kLanes, keys / kLanes);
  Bucket whole;
  std::vector<Clock::time_point> free_at(static_cast<std::size_t>(deleters), kT0);
  Outcome out;
  double remaining = keys;
  int next_lane = 0;
  const auto lane_id = [](int i) { return LanePacer::lane_of(std::string(1, static_cast<char>('a' + i)), ""); };
  while (remaining > 0.5) {
    auto it = std::min_element(free_at.begin(), free_at.end());
    const Clock::time_point now = *it;
    if (now - kT0 > seconds(600)) break;  // bounded: a stuck pacer fails the goals below
    // The next key range with keys, in turn.
    int lane = -1;
    for (int k = 0; k < kLanes; ++k) {
      const int i = (next_lane + k) % kLanes;
      if (left[static_cast<std::size_t>(i)] > 0.5) {
        lane = i;
        break;
      }
    }
    if (lane < 0) {  // the rest is in flight
      *it = now + milliseconds(1);
      continue;
    }
    next_lane = (lane + 1) % kLanes;
    const auto id = lane_id(lane);
    double& lane_left = left[static_cast<std::size_t>(lane)];
    const double n = std::min({lane_left, 1000.0, lanes ? static_cast<double>(pacer.piece(id)) : 1000.0});
    nanoseconds wait(0);
    if (lanes) {
      wait = pacer.reserve(id, static_cast<std::uint64_t>(n), now);
      if (wait.count() > 0) pacer.limited(id, now);
    }
    wait += core.reserve(static_cast<std::uint64_t>(n), now + wait);
    const Clock::time_point sent = now + wait;
    const Clock::time_point answered = sent + latency;
    lane_left -= n;
    const double t = duration<double>(sent - kT0).count();
    double capacity = 0;
    for (const auto& [from, rate] : server.schedule) {
      if (t >= from) capacity = rate;
    }
    const bool refused_whole = noise(rng) || (capacity > 0 && !whole.admit(n, capacity, t));
    const double done = refused_whole ? 0 : n;
    const double refused = n - done;
    lane_left += refused;  // sent again
    remaining -= done;
    out.throttled_keys += refused;
    if (refused > 0) ++out.throttled_answers;
    if (refused_whole) {
      if (lanes) {
        pacer.on_throttle(id, milliseconds(0), answered, sent, n);
      } else {
        core.on_throttle(answered, milliseconds(0));
      }
    } else if (lanes) {
      pacer.on_keys_throttled(id, static_cast<std::uint64_t>(done), 0, answered, sent);
      core.on_success(static_cast<std::uint64_t>(done), answered);
    } else {
      core.on_success(static_cast<std::uint64_t>(done), answered);
    }
    *it = answered;
    out.seconds = std::max(out.seconds, duration<double>(answered - kT0).count());
  }
  out.judged_noise = core.noise().noise_throttles();
  out.judged_capacity = core.noise().capacity_throttles();
  return out;
}

double speed(const Outcome& o, double keys) { return keys / o.seconds; }

}  // namespace

// A server that throttles a share of requests at random, whatever the rate: the run keeps
// most of its speed (the goals of issue 43: 70%, 50% and 25% of the fault-free speed at 1%,
// 5% and 20%), with each key range paced and with one rate for the run (--pacing global:
// 15% at 20%), over several seeds.
TEST(PacingSimulation, RandomThrottlesAreNoiseAndTheRunKeepsItsSpeed) {
  const double keys = 2'000'000;
  for (const bool lanes : {true, false}) {
    const double clean = speed(simulate(Server{}, keys, lanes), keys);
    for (const auto& [share, goal] : {std::pair{0.01, 0.70}, std::pair{0.05, 0.50}, std::pair{0.20, lanes ? 0.25 : 0.15}}) {
      for (unsigned seed = 1; seed <= 3; ++seed) {
        Server s;
        s.noise = share;
        const double got = speed(simulate(s, keys, lanes, seed), keys);
        EXPECT_GE(got, goal * clean) << (lanes ? "ranges" : "global") << ", " << share * 100 << "% SlowDown, seed "
                                     << seed << ": " << got << " keys/s of " << clean;
      }
    }
  }
}

// What the report says of the throttles: on a server that throttles at random, nearly all
// noise; on one refusing what is over its capacity (s3emu's --capacity-schedule
// 50000@0,10000@2,50000@6), capacity too.
TEST(PacingSimulation, TheThrottlesAreJudgedNoiseOrCapacityAsTheServerSentThem) {
  Server random;
  random.noise = 0.05;
  Server over;
  over.schedule = {{0, 50000}, {2, 10000}, {6, 50000}};
  for (const bool lanes : {true, false}) {
    const auto n = simulate(random, 2'000'000, lanes);
    EXPECT_GE(n.judged_noise, 9 * n.judged_capacity) << (lanes ? "ranges" : "global");
    EXPECT_GE(static_cast<double>(n.judged_noise + n.judged_capacity), 0.9 * n.throttled_answers);
    const auto c = simulate(over, 200'000, lanes);
    EXPECT_GT(c.judged_capacity, 0u) << (lanes ? "ranges" : "global");
  }
}
