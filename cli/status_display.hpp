// Progress while a command runs. On a terminal: one status area, redrawn in place, with
// counts per kind, the current rate, retries and throttles, and a percentage and ETA once
// the total is known (the listing ended, or --expect from a plan). Elsewhere: one plain
// line per update, for logs.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "engine/purge_report.hpp"

namespace s3purge::cli {

struct StatusSample {
  double elapsed_s = 0;
  std::uint64_t done = 0;  // deleted + failed + skipped
};

// The status text; pure, for tests. `rate` is entries/s lately; `expect` 0 when unknown.
// The ETA comes from the average rate since the start (what is done over the time it took),
// so a stalled listing does not make it double at each update; while everything listed is
// done and the listing goes on, it says "listing...". `plan`: nothing is deleted, so the
// lines speak of what was listed, taken and kept.
std::vector<std::string> status_lines(const std::string& label, const engine::PurgeReport& r,
                                      double elapsed_s, double rate, std::uint64_t expect, bool plan = false);

// Each line cut at its last separator (", ", "; " or two blanks) that keeps it within
// `width` columns, the rest on a following line indented by two; a part with no separator
// to cut at is truncated. Width 0: no limit.
std::vector<std::string> fit_to_width(const std::vector<std::string>& lines, std::size_t width);

// The columns of the terminal on `fd`, read at each call (so a resize is followed); 0 when
// it cannot be told.
std::size_t terminal_columns(int fd);

// A report's text, each line fitted as fit_to_width does (the last column left free), but
// a command to copy (a line that starts "    s3purge "), which is never cut. Width 0: as is.
std::string fit_text(const std::string& text, std::size_t width);

class StatusDisplay {
 public:
  // `columns` is asked before each redraw on a terminal; null: no limit.
  StatusDisplay(std::ostream& out, bool terminal, std::string label, std::uint64_t expect,
                std::function<std::size_t()> columns = nullptr);
  void update(const engine::PurgeReport& r, std::chrono::steady_clock::duration elapsed);
  // A plan's progress: listing words, no deletion.
  void speak_of_listing() { plan_ = true; }
  void clear();  // before the summary: the area goes, a log line stays

 private:
  void up(std::size_t width);  // to the area's first row, clearing it

  std::ostream& out_;
  bool terminal_;
  std::string label_;
  std::uint64_t expect_;
  std::function<std::size_t()> columns_;
  std::vector<std::size_t> drawn_;  // the length of each line of the area on screen
  // The samples of the last kRateWindow seconds: the rate shown is over them, so it neither
  // jumps with each page nor decays by half at each update of a pause.
  static constexpr double kRateWindow = 5.0;
  std::deque<StatusSample> samples_;
  bool plan_ = false;
};

}  // namespace s3purge::cli
