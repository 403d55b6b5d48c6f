#include "s3emu/faults.hpp"

#include <charconv>

#include "s3emu/spec_items.hpp"

namespace s3emu {
namespace {

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

std::optional<FaultRates> parse_fault_rates(std::string_view spec, std::string& error) {
  FaultRates r;
  const bool ok = for_each_spec_item(spec, "fault", error, [&](std::string_view name,
                                                                std::string_view text) {
    const std::string value(text);
    double p = 0;
    const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), p);
    if (ec != std::errc() || ptr != value.data() + value.size() || p < 0 || p > 1) {
      error = "fault '" + std::string(name) + "': probability must be in [0, 1]";
      return false;
    }
    if (name == "slowdown") r.slowdown = p;
    else if (name == "internal") r.internal = p;
    else if (name == "reset") r.reset = p;
    else if (name == "key-error") r.key_error = p;
    else if (name == "error-in-200") r.error_in_200 = p;
    else if (name == "truncate") r.truncate = p;
    else if (name == "lost-delete") r.lost_delete = p;
    else if (name == "versionless-error") r.versionless_error = p;
    else if (name == "unmatched") r.unmatched = p;
    else if (name == "verbose") r.verbose = p;
    else {
      error = "unknown fault '" + std::string(name) +
              "' (slowdown, internal, reset, key-error, error-in-200, truncate, lost-delete, "
              "versionless-error, unmatched, verbose)";
      return false;
    }
    return true;
  });
  if (!ok) return std::nullopt;
  if (r.slowdown + r.internal + r.reset + r.error_in_200 + r.truncate > 1) {
    error = "request fault probabilities add up to more than 1";
    return std::nullopt;
  }
  return r;
}

std::string_view to_string(RequestFault f) {
  switch (f) {
    case RequestFault::none: return "none";
    case RequestFault::slowdown: return "slowdown";
    case RequestFault::internal: return "internal";
    case RequestFault::reset: return "reset";
    case RequestFault::error_in_200: return "error-in-200";
    case RequestFault::truncate: return "truncate";
    case RequestFault::over_capacity: return "over-capacity";
  }
  return "none";
}

double FaultInjector::uniform(std::uint64_t a, std::uint64_t b) const {
  const std::uint64_t h = splitmix64(seed_ ^ splitmix64(a * 0x100000001b3ULL + b));
  return static_cast<double>(h >> 11) * 0x1.0p-53;
}

RequestFault FaultInjector::draw(std::uint64_t request_seq) const {
  double u = uniform(request_seq, 0);
  const std::pair<double, RequestFault> order[] = {
      {rates_.slowdown, RequestFault::slowdown}, {rates_.internal, RequestFault::internal},
      {rates_.reset, RequestFault::reset},       {rates_.error_in_200, RequestFault::error_in_200},
      {rates_.truncate, RequestFault::truncate}};
  for (const auto& [p, f] : order) {
    if (u < p) return f;
    u -= p;
  }
  return RequestFault::none;
}

bool FaultInjector::key_error(std::uint64_t request_seq, std::size_t key_index) const {
  return rates_.key_error > 0 && uniform(request_seq, key_index + 1) < rates_.key_error;
}

bool FaultInjector::lost_delete(std::uint64_t request_seq, std::size_t key_index) const {
  // Drawn apart from key_error: the high bit keeps the two streams independent.
  return rates_.lost_delete > 0 &&
         uniform(request_seq, (std::uint64_t{1} << 63) | (key_index + 1)) < rates_.lost_delete;
}

// Each draw has its own stream (the second argument's high bits), apart from the others.
bool FaultInjector::versionless_error(std::uint64_t request_seq, std::size_t key_index) const {
  return rates_.versionless_error > 0 &&
         uniform(request_seq, (std::uint64_t{1} << 62) | (key_index + 1)) < rates_.versionless_error;
}

bool FaultInjector::unmatched(std::uint64_t request_seq) const {
  return rates_.unmatched > 0 && uniform(request_seq, std::uint64_t{1} << 61) < rates_.unmatched;
}

bool FaultInjector::verbose(std::uint64_t request_seq) const {
  return rates_.verbose > 0 && uniform(request_seq, std::uint64_t{1} << 60) < rates_.verbose;
}

}  // namespace s3emu
