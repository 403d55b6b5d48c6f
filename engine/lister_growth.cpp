#include "engine/lister_growth.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace s3purge::engine {

namespace {
constexpr double kBusy = 0.5;   // of one core
constexpr double kIdle = 0.5;   // of all cores
}  // namespace

std::uint64_t ListerGrowth::window_keys(int looks) const {
  if (looks_ <= looks) return 0;
  constexpr int kRing = kMaxWindow + 1;
  const std::uint64_t now = history_[(looks_ - 1) % kRing];
  const std::uint64_t then = history_[(looks_ - 1 - looks) % kRing];
  return now - then;
}

int ListerGrowth::window_for(double page_seconds) {
  return std::clamp(static_cast<int>(std::ceil(2 * page_seconds / kLookSeconds)), kWindow, kMaxWindow);
}

bool ListerGrowth::errors_rose(const ListingLook& look) const {
  const double before = trial_requests_ > 0 ? static_cast<double>(trial_errors_) / static_cast<double>(trial_requests_) : 0;
  const double p = std::max(before, 0.01);
  const double sent = static_cast<double>(look.list_requests - std::min(look.list_requests, trial_requests_));
  const double failed = static_cast<double>(look.list_errors - std::min(look.list_errors, trial_errors_));
  return failed > sent * p + 3 * std::sqrt(sent * p * (1 - p)) + 1;
}

int ListerGrowth::judge_trial(const ListingLook& look) {
  if (trial_ < 0) return 0;
  ++trial_;
  const bool errors = errors_rose(look);
  if (!errors && trial_ < kSettle + trial_window_) return 0;
  const std::uint64_t after = window_keys(trial_window_);
  trial_ = -1;
  if (!errors && static_cast<double>(after) >= kGain * static_cast<double>(baseline_)) return 0;
  // More listers did not list faster (they wait for cores, or the server serializes them),
  // or the server failed requests: no more, and those the trial added go.
  gave_up_ = true;
  since_change_ = 0;
  return -std::min(trial_added_, look.running - 1);
}

int ListerGrowth::on_look(const ListingLook& look) {
  history_[looks_ % (kMaxWindow + 1)] = look.keys_listed;
  ++looks_;
  ++since_change_;
  if (const int retire = judge_trial(look); retire < 0) return retire;
  const bool starved = look.pages_came && 2 * look.deleters_waiting > look.concurrency;
  if (!starved || look.busy >= kBusy || look.running >= kMaxListers || trial_ >= 0 || gave_up_) return 0;
  const int doubling = std::min(look.running, kMaxListers - look.running);
  const bool far = look.page_seconds >= kFarPage;
  if (look.machine_idle < kIdle && !far) return 0;  // pages from nearby: bound by CPU
  int added = doubling;
  if (look.machine_idle >= kIdle && far) {
    added = std::max(doubling, std::min(look.ranges_waiting, kMaxListers - look.running));
  }
  if (far) {
    // A trial needs a rate to beat, taken with every lister running at full pace.
    const int window = window_for(look.page_seconds);
    if (since_change_ < kSettle + window || window_keys(window) == 0) return 0;
    baseline_ = window_keys(window);
    trial_ = 0;
    trial_window_ = window;
    trial_added_ = added;
    trial_errors_ = look.list_errors;
    trial_requests_ = look.list_requests;
  }
  since_change_ = 0;
  return added;
}

int first_ranges(int listers, bool may_grow, double probe_seconds) {
  return may_grow && probe_seconds >= kFarPage ? std::max(listers, kMaxListers) : listers;
}

std::optional<CpuTimes> parse_proc_stat(std::string_view text) {
  // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"
  if (text.substr(0, 4) != "cpu ") return std::nullopt;
  text.remove_prefix(4);
  std::uint64_t field[8] = {};
  for (int i = 0; i < 8; ++i) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), field[i]);
    if (ec != std::errc{}) {
      if (i < 4) return std::nullopt;  // older kernels stop after idle
      break;
    }
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
  }
  CpuTimes t;
  t.idle = field[3] + field[4];
  for (auto f : field) t.all += f;
  return t;
}

double idle_share(const std::optional<CpuTimes>& before, const std::optional<CpuTimes>& after) {
  if (!before || !after || after->all <= before->all || after->idle < before->idle) return 1;
  return static_cast<double>(after->idle - before->idle) / static_cast<double>(after->all - before->all);
}

}  // namespace s3purge::engine
