#include "engine/lister_growth.hpp"

#include <algorithm>
#include <charconv>

namespace s3purge::engine {

namespace {
constexpr double kBusy = 0.5;   // of one core
constexpr double kIdle = 0.5;   // of all cores
}  // namespace

std::uint64_t ListerGrowth::window_keys() const {
  if (looks_ <= kWindow) return 0;
  const std::uint64_t now = history_[(looks_ - 1) % (kWindow + 1)];
  const std::uint64_t then = history_[looks_ % (kWindow + 1)];  // kWindow looks before
  return now - then;
}

int ListerGrowth::on_look(const ListingLook& look) {
  history_[looks_ % (kWindow + 1)] = look.keys_listed;
  ++looks_;
  if (trial_ >= 0 && ++trial_ >= kSettle + kWindow) {
    const std::uint64_t after = window_keys();
    trial_ = -1;
    if (static_cast<double>(after) < kGain * static_cast<double>(baseline_)) {
      gave_up_ = true;  // more listers did not list faster: they wait for cores, not pages
    }
  }
  ++since_change_;
  const bool starved = look.pages_came && 2 * look.deleters_waiting > look.concurrency;
  if (!starved || look.busy >= kBusy || look.running >= kMaxListers || trial_ >= 0) return 0;
  const int doubling = std::min(look.running, kMaxListers - look.running);
  if (look.machine_idle < kIdle) {
    if (gave_up_ || look.page_seconds < kFarPage) return 0;
    // A trial needs a rate to beat, taken with every lister running at full pace.
    if (since_change_ < kSettle + kWindow || window_keys() == 0) return 0;
    baseline_ = window_keys();
    trial_ = 0;
  }
  since_change_ = 0;
  if (look.machine_idle >= kIdle && look.page_seconds >= kFarPage) {
    return std::max(doubling, std::min(look.ranges_waiting, kMaxListers - look.running));
  }
  return doubling;
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
