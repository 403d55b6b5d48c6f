// Times as text: durations on command lines ("20ms", "1.5s", "7d") and the ISO 8601
// timestamps S3 writes ("2026-11-24T00:00:00.000Z").
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace s3purge::protocol {

// ns, us, ms, s, m, h, d; "0" alone needs no unit. Negative or unitless values are refused.
std::optional<std::chrono::nanoseconds> parse_duration(std::string_view s);

// UTC "YYYY-MM-DDThh:mm:ss", optional fraction, then "Z" (or nothing). Whole seconds.
// Years 1700-2200 (what the clock's 64-bit nanoseconds hold, with room to spare).
std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view s);
// "2026-12-04T10:41:07Z": whole seconds, UTC.
std::string format_iso8601(std::chrono::system_clock::time_point t);

}  // namespace s3purge::protocol
