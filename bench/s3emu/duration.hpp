// "20ms", "1.5s", "250us", "0": durations on the command line.
#pragma once

#include <charconv>
#include <chrono>
#include <optional>
#include <string_view>

namespace s3emu {

inline std::optional<std::chrono::nanoseconds> parse_duration(std::string_view s) {
  double v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || v < 0) return std::nullopt;
  const std::string_view unit(ptr, static_cast<std::size_t>(s.data() + s.size() - ptr));
  double scale = 0;
  if (unit == "ns") scale = 1;
  else if (unit == "us") scale = 1e3;
  else if (unit == "ms") scale = 1e6;
  else if (unit == "s") scale = 1e9;
  else if (unit.empty() && v == 0) scale = 1;
  else return std::nullopt;
  return std::chrono::nanoseconds(static_cast<std::int64_t>(v * scale));
}

}  // namespace s3emu
