// Numbers for people: 1,234,567; 1.5 GiB; 1:02:03.
#pragma once

#include <cstdint>
#include <string>

namespace s3purge::cli {

std::string thousands(std::uint64_t n);
std::string bytes_text(std::uint64_t n);
std::string duration_text(double seconds);
// A time to come, said at the scale that reads: "in 45 s", "in 12 min", "in 5 h 3 min",
// "in 40 days", "in 72 years"; a time past: "3 min ago".
std::string time_left_text(double seconds);

}  // namespace s3purge::cli
