#include "cli/flag_checks.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace s3purge::cli {

namespace {

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

}  // namespace

CLI::Validator number_in(double lo, double hi, bool integer, std::string meaning, bool above) {
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        double v = 0;
        const auto* end = text.data() + text.size();
        const auto r = std::from_chars(text.data(), end, v);
        std::string allowed = above ? "more than " + number_text(lo)
                              : hi >= 1e300 ? number_text(lo) + " or more"
                                            : number_text(lo) + " to " + number_text(hi);
        if (!meaning.empty()) allowed += " (" + meaning + ")";
        if (r.ec != std::errc() || r.ptr != end || !std::isfinite(v)) {
          return "'" + text + "' is not " + (integer ? "a whole number" : "a number") + "; allowed: " + allowed;
        }
        if ((integer && v != std::floor(v)) || v < lo || v > hi || (above && v <= lo)) {
          return text + " is out of range; allowed: " + allowed;
        }
        return {};
      },
      "", "");
}

}  // namespace s3purge::cli
