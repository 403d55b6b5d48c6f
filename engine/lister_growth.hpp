// When to add listers to a listing, from what one look at it saw. Pure: no clocks, no I/O.
//
// Listers are doubled, up to kMaxListers, while all of these hold:
// - the deleters starve: most of them wait for a batch of keys;
// - this process mostly waits (under half a core): list pages are slow to come back, not
//   slow to handle. Deleters slowed by --rate or by throttling wait in the limiter, not
//   for keys, and add none either;
// - the machine has CPU to spare (a quarter of its cores idle or more). A process can use
//   under half a core because it waits for the network, or because others hold the cores
//   and it waits for one: the emulator and a benchmark's poller on the same two cores made
//   the default grow to 16-64 listers on loopback, 24-62 MiB for nothing, as more listers
//   cannot list faster without CPU. Unknown (no /proc/stat) counts as spare.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace s3purge::engine {

inline constexpr int kMaxListers = 64;

struct ListingLook {
  int running = 0;           // listers now
  int concurrency = 0;       // deleters
  int deleters_waiting = 0;  // deleters waiting for a batch
  bool pages_came = false;   // at least one list page has come back
  double busy = 0;           // this process's CPU over the look, in cores
  double machine_idle = 1;   // idle share of all the machine's cores over the look, 0 to 1
};

// How many listers to add after this look: 0, or as many as run (up to kMaxListers).
int listers_to_add(const ListingLook& look);

// The machine's CPU time from the first line of /proc/stat, in clock ticks: idle (idle and
// iowait) and all (user to steal). Nothing when the text is not such a line.
struct CpuTimes {
  std::uint64_t idle = 0;
  std::uint64_t all = 0;
};
std::optional<CpuTimes> parse_proc_stat(std::string_view text);

// The idle share between two readings; 1 (spare) when either is missing or no time passed.
double idle_share(const std::optional<CpuTimes>& before, const std::optional<CpuTimes>& after);

}  // namespace s3purge::engine
