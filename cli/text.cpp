#include "cli/text.hpp"

#include <cmath>
#include <cstdio>

namespace s3purge::cli {

std::string thousands(std::uint64_t n) {
  const std::string s = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i && (s.size() - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return out;
}

std::string bytes_text(std::uint64_t n) {
  static const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double v = static_cast<double>(n);
  int u = 0;
  while (v >= 1024 && u < 6) v /= 1024, ++u;
  char buf[32];
  std::snprintf(buf, sizeof buf, u ? "%.1f %s" : "%.0f %s", v, units[u]);
  return buf;
}

std::string duration_text(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  if (seconds < 60) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.1fs", seconds);
    return buf;
  }
  const auto s = static_cast<std::uint64_t>(seconds + 0.5);
  char buf[32];
  if (s < 3600) {
    std::snprintf(buf, sizeof buf, "%llu:%02llu", static_cast<unsigned long long>(s / 60),
                  static_cast<unsigned long long>(s % 60));
  } else {
    std::snprintf(buf, sizeof buf, "%llu:%02llu:%02llu", static_cast<unsigned long long>(s / 3600),
                  static_cast<unsigned long long>(s / 60 % 60), static_cast<unsigned long long>(s % 60));
  }
  return buf;
}

std::string time_left_text(double seconds) {
  if (!std::isfinite(seconds)) return "?";
  const bool past = seconds < 0;
  const auto s = static_cast<std::uint64_t>(std::abs(seconds) + 0.5);
  constexpr std::uint64_t kMinute = 60, kHour = 3600, kDay = 86400, kYear = 365 * kDay;
  std::string amount;
  if (s < kMinute) {
    amount = std::to_string(s) + " s";
  } else if (s < kHour) {
    amount = std::to_string(s / kMinute) + " min";
  } else if (s < 2 * kDay) {
    amount = std::to_string(s / kHour) + " h" + (s % kHour >= kMinute ? " " + std::to_string(s % kHour / kMinute) + " min" : "");
  } else if (s < 2 * kYear) {
    amount = std::to_string(s / kDay) + " days";
  } else {
    amount = std::to_string(s / kYear) + " years";
  }
  return past ? amount + " ago" : "in " + amount;
}

}  // namespace s3purge::cli
