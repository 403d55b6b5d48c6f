// When to add listers to a listing, from what looks at it saw. Pure: no clocks, no I/O.
//
// Listers are doubled, up to kMaxListers, while the deleters starve (most of them wait for
// a batch of keys) and this process mostly waits (under half a core): list pages are slow
// to come back, not slow to handle. Deleters slowed by --rate or by throttling wait in the
// limiter, not for keys, and add none.
//
// A process can use under half a core because it waits for the network, or because other
// processes hold the cores and it waits for one; more listers help only the first. So:
// - where half of the machine's cores or more are idle, listers double at each look;
// - where they are not, and list pages take kFarPage or more to come back (a server that
//   far is not the one holding the cores), a doubling is a trial: it stands if the keys
//   listed per window rose by a quarter once the new listers had time to start (a listing
//   that waits for the network nearly doubles), and growth stops for good after a trial
//   that did not pay. The rate to beat is taken once the last listers added have started
//   too, so that one still ramping up does not make a trial look paid. Pages from a server
//   nearby get no trial: listing there is bound by CPU.
// Far pages on a half-idle machine: as many are added at once as there are ranges cut off
// and waiting for a lister (the first cut makes one per lister there may be), if that is
// more than a doubling: each new lister's first page is a round trip away, and adding them
// a doubling at a time would keep the deleters waiting several round trips longer.
//
// Far pages, busy or idle machine: every growth is a trial, judged over a window of at least
// two page round trips, and undone when it did not pay: the listers it added retire (the
// negative answer) and growth stops for good. A server that serializes its listings (moto:
// each page scans the bucket) answers more listers with slower pages, not more keys. A
// list request that failed during the trial (a 5xx, a reset: moto under concurrent
// listing) fails the trial at once.
// Unknown machine idleness (no /proc/stat) counts as spare.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace s3purge::engine {

inline constexpr int kMaxListers = 64;
inline constexpr double kFarPage = 0.020;  // seconds

inline constexpr double kLookSeconds = 0.050;  // the engine looks this often

struct ListingLook {
  int running = 0;           // listers now
  int concurrency = 0;       // deleters
  int deleters_waiting = 0;  // deleters waiting for a batch
  bool pages_came = false;   // at least one list page has come back
  double busy = 0;           // this process's CPU over the look, in cores
  double machine_idle = 1;   // idle share of all the machine's cores over the look, 0 to 1
  std::uint64_t keys_listed = 0;  // entries listed so far, by all listers
  double page_seconds = 0;   // a list page's round trip, lately (0: none came yet)
  int ranges_waiting = 0;    // ranges cut off and not yet taken by a lister
  std::uint64_t list_errors = 0;  // list requests that failed and were sent again, so far
  std::uint64_t list_requests = 0;  // list requests sent, so far, retries included
};

// How many ranges a listing of keys in folders starts as: one per lister running, or, where
// listers may be added and the folders' answer took kFarPage or more, one per lister there
// may be, so that those added start at once on a range of their own instead of waiting a
// page for a busy one to split (a WAN: 0.1-0.3 s each time). Near, ranges stay as few as the
// listers: each ends with a page read past its end.
int first_ranges(int listers, bool may_grow, double probe_seconds);

class ListerGrowth {
 public:
  static constexpr int kWindow = 4;  // looks over which listing rates are compared, at least
  static constexpr int kMaxWindow = 40;  // and at most: 2 s of looks
  static constexpr int kSettle = 4;  // looks new listers get to start before they count
  static constexpr double kGain = 1.25;

  // How many listers to add after this look: 0, or as many as run (up to kMaxListers); or,
  // negative, how many to retire (a trial that did not pay). Looks come every kLookSeconds.
  int on_look(const ListingLook& look);

  bool in_trial() const { return trial_ >= 0; }
  bool gave_up() const { return gave_up_; }

 private:
  std::uint64_t window_keys(int looks) const;  // keys listed over the last `looks` looks
  // Looks to judge a rate over: two page round trips, within kWindow..kMaxWindow.
  static int window_for(double page_seconds);
  int judge_trial(const ListingLook& look);  // what a trial's end retires (negative), or 0

  std::uint64_t history_[kMaxWindow + 1] = {};  // keys_listed of the last looks, a ring
  int looks_ = 0;
  int trial_ = -1;  // looks since a trial's doubling; -1: none running
  int trial_window_ = kWindow;
  int trial_added_ = 0;
  std::uint64_t trial_errors_ = 0;  // list_errors when the trial began
  std::uint64_t trial_requests_ = 0;  // list_requests when the trial began
  // More of the trial's list requests failed than the share that failed before it explains
  // (a server that fails a share of requests whatever the listers fails as many in a trial).
  bool errors_rose(const ListingLook& look) const;
  int since_change_ = 0;  // looks since listers were last added
  std::uint64_t baseline_ = 0;
  bool gave_up_ = false;
};

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
