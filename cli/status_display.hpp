// Progress while a command runs. On a terminal: one status area, redrawn in place, with
// counts per kind, the current rate, retries and throttles, and a percentage and ETA once
// the total is known (the listing ended, or --expect from a plan). Elsewhere: one plain
// line per update, for logs.
#pragma once

#include <chrono>
#include <cstdint>
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
std::vector<std::string> status_lines(const std::string& label, const engine::PurgeReport& r,
                                      double elapsed_s, double rate, std::uint64_t expect);

class StatusDisplay {
 public:
  StatusDisplay(std::ostream& out, bool terminal, std::string label, std::uint64_t expect);
  void update(const engine::PurgeReport& r, std::chrono::steady_clock::duration elapsed);
  void clear();  // before the summary: the area goes, a log line stays

 private:
  std::ostream& out_;
  bool terminal_;
  std::string label_;
  std::uint64_t expect_;
  int drawn_ = 0;
  StatusSample last_{};
  double rate_ = 0;
};

}  // namespace s3purge::cli
