#include "cli/status_display.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <sys/ioctl.h>

#include "cli/text.hpp"

namespace s3purge::cli {

std::vector<std::string> status_lines(const std::string& label, const engine::PurgeReport& r,
                                      double elapsed_s, double rate, std::uint64_t expect, bool plan) {
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
    if (done < total && !r.listing_done && done >= listed) {
      head += "  ETA listing...";  // all that was listed is done: the listing sets the pace
    } else if (done < total && done > 0 && elapsed_s > 0) {
      head += "  ETA " + duration_text(static_cast<double>(total - done) * elapsed_s / static_cast<double>(done));
    }
    head += "  of " + thousands(total) + (r.listing_done ? "" : " (planned)");
  } else {
    head += "  listed " + thousands(listed) + " so far";
  }
  const std::string rate_text = thousands(static_cast<std::uint64_t>(std::max(rate, 0.0))) + "/s";
  const std::string retries = "retries " +
                              thousands(r.calls.throttle_retries + r.calls.transient_retries + r.key_retries) +
                              ", throttled " + thousands(r.calls.throttle_retries) + ", requests " +
                              thousands(r.calls.requests);
  if (plan) {
    std::uint64_t kept = 0;
    for (const auto k : engine::kKinds) kept += r.of(k).kept;
    const std::string counts = "listed " + thousands(listed) + " (" + rate_text + "): versions " +
                               thousands(r.of(Kind::version).listed) + ", markers " +
                               thousands(r.of(Kind::delete_marker).listed) + ", objects " +
                               thousands(r.of(Kind::object).listed) + ", uploads " +
                               thousands(r.of(Kind::upload).listed);
    return {label + "  " + duration_text(elapsed_s) + "  listing",
            counts, "taken " + thousands(listed - std::min(listed, kept)) + ", kept " + thousands(kept) + "; " + retries};
  }
  std::string counts = "deleted " + thousands(r.total(&engine::KindCounts::deleted)) + " (" +
                       rate_text + "): versions " + thousands(r.of(Kind::version).deleted) +
                       ", markers " + thousands(r.of(Kind::delete_marker).deleted) + ", objects " +
                       thousands(r.of(Kind::object).deleted) + ", uploads " +
                       thousands(r.of(Kind::upload).deleted);
  std::string trouble = "failed " + thousands(r.total(&engine::KindCounts::failed)) + ", skipped " +
                        thousands(r.total(&engine::KindCounts::skipped)) + ", " + retries;
  return {head, counts, trouble};
}

std::vector<std::string> fit_to_width(const std::vector<std::string>& lines, std::size_t width) {
  if (width == 0) return lines;
  std::vector<std::string> out;
  for (const auto& line : lines) {
    // A continuation hangs two columns further in than its line starts.
    const std::string indent(std::min(line.find_first_not_of(' '), width / 2) + 2, ' ');
    const std::string_view kIndent = indent;
    std::string text = line;
    while (text.size() > width) {
      const std::size_t from = text.starts_with(kIndent) ? kIndent.size() + 1 : 1;
      if (width <= kIndent.size() + 1) {  // no room for a continuation: truncate
        text.resize(width);
        break;
      }
      // The last separator whose left side fits (the separator's comma or colon stays on
      // the line); a blank where there is none; else the width itself.
      std::size_t cut = std::string::npos, resume = width;
      for (const std::string_view sep : {", ", "; ", ": ", "  "}) {
        const auto at = text.rfind(sep, width - (sep[0] == ' ' ? 0 : 1));
        if (at != std::string::npos && at >= from && (cut == std::string::npos || at > cut)) {
          cut = at + (sep[0] == ' ' ? 0 : 1);
          resume = at + sep.size();
        }
      }
      if (cut == std::string::npos) {
        const auto blank = text.rfind(' ', width);
        if (blank != std::string::npos && blank >= from) cut = blank, resume = blank + 1;
        else cut = width, resume = width;
      }
      out.push_back(text.substr(0, cut));
      text = std::string(kIndent) + text.substr(resume);
    }
    out.push_back(std::move(text));
  }
  return out;
}

std::string fit_text(const std::string& text, std::size_t width) {
  if (width < 2) return text;
  std::string out;
  std::size_t at = 0;
  while (at < text.size()) {
    auto end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(at, end - at);
    if (line.starts_with("    s3purge ")) {
      out += line + "\n";
    } else {
      for (const auto& l : fit_to_width({line}, width - 1)) out += l + "\n";
    }
    at = end + 1;
  }
  if (!text.empty() && text.back() != '\n') out.pop_back();
  return out;
}

std::size_t terminal_columns(int fd) {
  winsize ws{};
  if (ioctl(fd, TIOCGWINSZ, &ws) != 0) return 0;
  return ws.ws_col;
}

StatusDisplay::StatusDisplay(std::ostream& out, bool terminal, std::string label, std::uint64_t expect,
                             std::function<std::size_t()> columns)
    : out_(out), terminal_(terminal), label_(std::move(label)), expect_(expect), columns_(std::move(columns)) {}

void StatusDisplay::update(const engine::PurgeReport& r, std::chrono::steady_clock::duration elapsed) {
  // A plan settles each entry as it is listed (counted as skipped): the same count.
  const StatusSample now{std::chrono::duration<double>(elapsed).count(), r.settled()};
  while (samples_.size() > 1 && now.elapsed_s - samples_[1].elapsed_s >= kRateWindow) samples_.pop_front();
  const StatusSample from = samples_.empty() ? StatusSample{} : samples_.front();
  const double dt = now.elapsed_s - from.elapsed_s;
  const double rate = dt > 0 ? static_cast<double>(now.done - std::min(now.done, from.done)) / dt : 0;
  samples_.push_back(now);
  const auto lines = status_lines(label_, r, now.elapsed_s, rate, expect_, plan_);
  if (!terminal_) {
    out_ << "s3purge: " << lines[0] << "; " << lines[1] << "; " << lines[2] << "\n" << std::flush;
    return;
  }
  const std::size_t width = columns_ ? columns_() : 0;
  // Back to the top of the area, clear it, draw it again. The last column stays free: a
  // line that fills it leaves the cursor there on some terminals and wraps on others.
  up(width);
  const auto fitted = fit_to_width(lines, width > 1 ? width - 1 : width);
  for (const auto& l : fitted) {
    out_ << l << "\x1b[K\n";
    drawn_.push_back(l.size());
  }
  out_ << std::flush;
}

void StatusDisplay::up(std::size_t width) {
  if (drawn_.empty()) return;
  // Rows the area takes now: after a terminal narrowed, it may have rewrapped its lines.
  std::size_t rows = 0;
  for (const auto len : drawn_) rows += width ? std::max<std::size_t>(1, (len + width - 1) / width) : 1;
  out_ << "\x1b[" << rows << "F\x1b[J";
  drawn_.clear();
}

void StatusDisplay::clear() {
  if (terminal_) up(columns_ ? columns_() : 0);
  out_ << std::flush;
  drawn_.clear();
}

}  // namespace s3purge::cli
