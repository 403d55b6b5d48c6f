#include "engine/lister_growth.hpp"

#include <algorithm>
#include <charconv>

namespace s3purge::engine {

namespace {
constexpr double kBusy = 0.5;   // of one core
constexpr double kIdle = 0.25;  // of all cores
}  // namespace

int listers_to_add(const ListingLook& look) {
  const bool starved = look.pages_came && 2 * look.deleters_waiting > look.concurrency;
  if (!starved || look.busy >= kBusy || look.machine_idle < kIdle || look.running >= kMaxListers) {
    return 0;
  }
  return std::min(look.running, kMaxListers - look.running);
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
