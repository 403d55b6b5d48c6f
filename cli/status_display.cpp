#include "cli/status_display.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "cli/text.hpp"

namespace s3purge::cli {

std::vector<std::string> status_lines(const std::string& label, const engine::PurgeReport& r,
                                      double elapsed_s, double rate, std::uint64_t expect) {
  using engine::Kind;
  const std::uint64_t listed = r.total(&engine::KindCounts::listed);
  const std::uint64_t done = r.settled();
  // The total is known when the listing ended; before that, from a plan if one was given.
  std::uint64_t total = 0;
  if (r.listing_done) total = listed;
  else if (expect) total = std::max(expect, listed);
  std::string head = label + "  " + duration_text(elapsed_s);
  if (total) {
    char pct[32];
    std::snprintf(pct, sizeof pct, "  %.1f%%", 100.0 * static_cast<double>(std::min(done, total)) /
                                                    static_cast<double>(total));
    head += pct;
    if (rate > 0 && done < total) {
      head += "  ETA " + duration_text(static_cast<double>(total - done) / rate);
    }
    head += "  of " + thousands(total) + (r.listing_done ? "" : " (planned)");
  } else {
    head += "  listed " + thousands(listed) + " so far";
  }
  const std::string rate_text = thousands(static_cast<std::uint64_t>(std::max(rate, 0.0))) + "/s";
  std::string counts = "deleted " + thousands(r.total(&engine::KindCounts::deleted)) + " (" +
                       rate_text + "): versions " + thousands(r.of(Kind::version).deleted) +
                       ", markers " + thousands(r.of(Kind::delete_marker).deleted) + ", objects " +
                       thousands(r.of(Kind::object).deleted) + ", uploads " +
                       thousands(r.of(Kind::upload).deleted);
  std::string trouble = "failed " + thousands(r.total(&engine::KindCounts::failed)) + ", skipped " +
                        thousands(r.total(&engine::KindCounts::skipped)) + ", retries " +
                        thousands(r.calls.throttle_retries + r.calls.transient_retries + r.key_retries) +
                        ", throttled " + thousands(r.calls.throttle_retries) + ", requests " +
                        thousands(r.calls.requests);
  return {head, counts, trouble};
}

StatusDisplay::StatusDisplay(std::ostream& out, bool terminal, std::string label, std::uint64_t expect)
    : out_(out), terminal_(terminal), label_(std::move(label)), expect_(expect) {}

void StatusDisplay::update(const engine::PurgeReport& r, std::chrono::steady_clock::duration elapsed) {
  const StatusSample now{std::chrono::duration<double>(elapsed).count(), r.settled()};
  const double dt = now.elapsed_s - last_.elapsed_s;
  if (dt > 0) {
    const double recent = static_cast<double>(now.done - last_.done) / dt;
    rate_ = last_.elapsed_s == 0 ? recent : 0.5 * rate_ + 0.5 * recent;  // smooth, but follow
  }
  last_ = now;
  const auto lines = status_lines(label_, r, now.elapsed_s, rate_, expect_);
  if (!terminal_) {
    out_ << "s3purge: " << lines[0] << "; " << lines[1] << "; " << lines[2] << "\n" << std::flush;
    return;
  }
  // Back to the top of the area, clear it, draw it again.
  if (drawn_) out_ << "\x1b[" << drawn_ << "F\x1b[J";
  for (const auto& l : lines) out_ << l << "\x1b[K\n";
  out_ << std::flush;
  drawn_ = static_cast<int>(lines.size());
}

void StatusDisplay::clear() {
  if (terminal_ && drawn_) out_ << "\x1b[" << drawn_ << "F\x1b[J" << std::flush;
  drawn_ = 0;
}

}  // namespace s3purge::cli
