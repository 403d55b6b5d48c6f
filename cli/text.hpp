// Numbers for people: 1,234,567; 1.5 GiB; 1:02:03.
#pragma once

#include <cstdint>
#include <string>

namespace s3purge::cli {

std::string thousands(std::uint64_t n);
std::string bytes_text(std::uint64_t n);
std::string duration_text(double seconds);

}  // namespace s3purge::cli
