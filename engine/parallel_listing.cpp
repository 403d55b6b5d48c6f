#include "engine/parallel_listing.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <spdlog/spdlog.h>

#include <time.h>

#include <algorithm>
#include <fstream>

#include "engine/folder_probe.hpp"
#include "engine/lister_growth.hpp"
#include "engine/range_lister.hpp"
#include "engine/task_group.hpp"

namespace s3purge::engine {

namespace asio = boost::asio;

namespace {

// CPU seconds this process has used, all threads.
double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// The machine's CPU times; nothing where there is no /proc/stat.
std::optional<CpuTimes> machine_cpu_times() {
  std::ifstream in("/proc/stat");
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  return parse_proc_stat(line);
}

void add_lister(RunContext& run, Listing& listing, TaskGroup& group) {
  ++listing.listers_running;
  group.spawn(range_lister(run, listing));
}

// Every kLook, adds listers as lister_growth.hpp says. A new lister waits for a range, and
// the next page of a busy one is split for it.
asio::awaitable<void> grow_listers(RunContext& run, Listing& listing, TaskGroup& group) {
  constexpr auto kLook = std::chrono::milliseconds(static_cast<int>(kLookSeconds * 1000));
  ListerGrowth growth;
  ListingLook look;
  look.running = starting_listers(run.options);
  look.concurrency = run.options.concurrency;
  auto cpu_before = process_cpu_seconds();
  auto machine_before = machine_cpu_times();
  auto wall_before = std::chrono::steady_clock::now();
  std::uint64_t pages_before = 0;
  double page_seconds_before = 0;
  while (listing.listers_running > 0 && !run.control.stopping() && !listing.halt) {
    listing.look_now.expires_after(kLook);
    co_await listing.look_now.async_wait(asio::as_tuple(asio::use_awaitable));
    if (listing.listers_running == 0) break;
    const auto cpu = process_cpu_seconds();
    const auto machine = machine_cpu_times();
    const auto wall = std::chrono::steady_clock::now();
    look.busy = (cpu - cpu_before) / std::chrono::duration<double>(wall - wall_before).count();
    look.machine_idle = idle_share(machine_before, machine);
    cpu_before = cpu;
    machine_before = machine;
    wall_before = wall;
    look.deleters_waiting = run.deleters_waiting;
    // The folders' answer is a list page too: where it came, the network answers, and
    // growth need not wait for the ranges' first pages (a round trip or more on a WAN).
    look.pages_came = listing.pages > 0 || listing.probe_seconds > 0;
    if (listing.pages == 0) look.page_seconds = listing.probe_seconds;
    look.keys_listed = listing.entries;
    look.ranges_waiting = listing.work.left();
    if (listing.pages > pages_before) {
      look.page_seconds = (listing.page_seconds - page_seconds_before) /
                          static_cast<double>(listing.pages - pages_before);
    }
    look.running = listing.listers_running;  // hand_on_lanes may have added some
    look.list_errors = listing.list_errors;
    look.list_requests = listing.list_requests;
    pages_before = listing.pages;
    page_seconds_before = listing.page_seconds;
    const int more = growth.on_look(look);
    if (more < 0) {
      listing.retire += -more;
      spdlog::debug("{} listers to retire of {}: more listed no faster, or the server failed list requests "
                    "({} so far); no more are added",
                    -more, look.running, listing.list_errors);
      continue;
    }
    if (more == 0) continue;
    for (int i = 0; i < more; ++i) add_lister(run, listing, group);
    look.running += more;
    run.report.listers_peak = std::max(run.report.listers_peak, look.running);
    spdlog::debug("{} listers: the deleters wait for keys, and this process for the network "
                  "({:.0f}% of a core, the machine {:.0f}% idle{})",
                  look.running, 100 * look.busy, 100 * look.machine_idle,
                  growth.in_trial() ? "; a trial: it stands if they list faster" : "");
  }
}

}  // namespace

int starting_listers(const PurgeOptions& options) {
  // S3 deletes at most ~3,500 keys/s per partition, so a DeleteObjects of 1000 keys takes
  // 0.3 s or more, against tens to hundreds of ms for a list page of 1000: a lister per
  // four deleters keeps them fed once splitting has spread the listers out. Where list
  // pages are as slow as deletes (bench/listers), more are added as the deleters starve
  // (grow_listers), unless --listers fixes the number.
  return options.listers > 0 ? options.listers : std::clamp(options.concurrency / 4, 1, kMaxListers);
}

asio::awaitable<void> run_listing(RunContext& run, Listing& listing) {
  const int listers = starting_listers(run.options);
  // Folders are probed for a pass's listing of the whole, when there are listers to share
  // the ranges; where ranges may start after any key, while the whole is listed.
  const bool probe = listing.in_pass && listers > 1 && listing.start == std::vector<KeyRange>{KeyRange{}};
  const bool alongside = probe && listing.traits().starts_after_any_key;
  if (probe && !alongside) co_await probe_first(run, listing, listers);
  listing.work.give(std::move(listing.start));
  TaskGroup group(run.client.executor());
  if (alongside) {
    listing.probing = true;
    group.spawn(probe_alongside(run, listing, listers));
  }
  for (int i = 0; i < listers; ++i) add_lister(run, listing, group);
  run.report.listers_peak = std::max(run.report.listers_peak, listers);
  if (listing.grows) {
    group.spawn(grow_listers(run, listing, group));
    // For the lanes a lister hands on (range_lister): up to kMaxListers in all.
    listing.add_lister = [&] {
      if (listing.listers_running >= kMaxListers) return;
      add_lister(run, listing, group);
      run.report.listers_peak = std::max(run.report.listers_peak, listing.listers_running);
    };
  }
  co_await group.wait();
  listing.add_lister = nullptr;
}

}  // namespace s3purge::engine
