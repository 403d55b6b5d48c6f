#include "s3emu/partitions.hpp"

#include <algorithm>
#include <cstdio>

namespace s3emu {

namespace {

constexpr double kBurstSeconds = 1.0;     // how far a partition may run ahead of its rate: a 1000-key batch passes whole
constexpr std::size_t kRecentKeys = 512;  // keys kept per partition for its split point

double seconds(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
      continue;
    }
    out += c;
  }
  out += '"';
}

}  // namespace

std::vector<std::string> even_hex_bounds(int count) {
  std::vector<std::string> bounds;
  for (int i = 1; i < count; ++i) {
    char buf[12];
    std::snprintf(buf, sizeof buf, "%02x", static_cast<unsigned>(i * 256 / count) & 0xffu);
    bounds.emplace_back(buf);
  }
  return bounds;
}

std::optional<std::vector<std::string>> parse_partition_bounds(std::string_view text) {
  std::vector<std::string> bounds;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string line(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (!bounds.empty() && line <= bounds.back()) return std::nullopt;
    bounds.push_back(std::move(line));
  }
  return bounds;
}

Partitions::Partitions(const PartitionOptions& options)
    : capacity_(options.capacity),
      split_after_(std::chrono::duration<double>(options.split_after).count()) {
  const auto bounds = options.bounds.empty() ? even_hex_bounds(options.count) : options.bounds;
  partitions_.push_back(Partition{});
  for (const auto& b : bounds) {
    Partition p;
    p.lower = b;
    partitions_.push_back(std::move(p));
  }
}

std::size_t Partitions::index_of(std::string_view key) const {
  // The last partition whose lower bound is not above the key.
  const auto it = std::upper_bound(partitions_.begin(), partitions_.end(), key,
                                   [](std::string_view k, const Partition& p) { return k < p.lower; });
  return static_cast<std::size_t>(it - partitions_.begin()) - 1;
}

bool Partitions::admit(std::string_view key, clock::time_point at) {
  const std::lock_guard lock(mutex_);
  const double now = seconds(at);
  {
    // Held at capacity: each whole second since saturated_since served 75% of it or more
    // (S3 splits a partition on a sustained request rate, whether it refuses or not).
    Partition& p = partitions_[index_of(key)];
    if (now - p.window_start >= 1) {
      if (p.window_served >= 0.75 * capacity_ * (now - p.window_start)) {
        if (!p.saturated_since) p.saturated_since = p.window_start;
      } else {
        p.saturated_since.reset();
      }
      p.window_start = now;
      p.window_served = 0;
    }
    maybe_split(index_of(key), now);
  }
  Partition& p = partitions_[index_of(key)];  // the half the key is in, if it split
  if (!p.started) p.tokens = capacity_ * kBurstSeconds, p.last = now, p.started = true, p.window_start = now;
  p.tokens = std::min(capacity_ * kBurstSeconds, p.tokens + (now - p.last) * capacity_);
  p.last = now;
  if (p.tokens < 1) {
    ++p.throttled;
    return false;
  }
  p.tokens -= 1;
  ++p.served;
  ++p.window_served;
  if (p.recent.size() < kRecentKeys) {
    p.recent.emplace_back(key);
  } else {
    p.recent[p.next_recent++ % kRecentKeys].assign(key);
  }
  return true;
}

void Partitions::maybe_split(std::size_t i, double now) {
  Partition& p = partitions_[i];
  if (split_after_ <= 0 || !p.saturated_since || now - *p.saturated_since < split_after_ || p.recent.size() < 2) return;
  std::vector<std::string> keys = p.recent;
  std::sort(keys.begin(), keys.end());
  const std::string& median = keys[keys.size() / 2];
  const std::string upper = i + 1 < partitions_.size() ? partitions_[i + 1].lower : std::string();
  if (median <= p.lower || (!upper.empty() && median >= upper)) return;
  Partition right;
  right.lower = median;
  p.saturated_since.reset();
  p.recent.clear();
  p.next_recent = 0;
  partitions_.insert(partitions_.begin() + static_cast<std::ptrdiff_t>(i) + 1, std::move(right));
  ++splits_;
}

std::string Partitions::to_json(
    const std::function<std::uint64_t(std::string_view, std::string_view)>& keys_in) const {
  const std::lock_guard lock(mutex_);
  std::string out = "{\"capacity\":" + std::to_string(static_cast<std::uint64_t>(capacity_)) +
                    ",\"splits\":" + std::to_string(splits_) + ",\"list\":[";
  for (std::size_t i = 0; i < partitions_.size(); ++i) {
    const auto& p = partitions_[i];
    if (i) out += ',';
    out += "{\"lower\":";
    append_json_string(out, p.lower);
    const std::string_view upper = i + 1 < partitions_.size() ? std::string_view(partitions_[i + 1].lower) : "";
    out += ",\"served\":" + std::to_string(p.served) + ",\"throttled\":" + std::to_string(p.throttled) +
           ",\"keys\":" + std::to_string(keys_in(p.lower, upper)) + "}";
  }
  return out + "]}";
}

std::size_t Partitions::count() const {
  const std::lock_guard lock(mutex_);
  return partitions_.size();
}

}  // namespace s3emu
