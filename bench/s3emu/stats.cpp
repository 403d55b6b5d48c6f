#include "s3emu/stats.hpp"

#include <cmath>
#include <cstdio>

namespace s3emu {

void Stats::record(std::string_view op, int status, std::chrono::nanoseconds latency) {
  std::lock_guard lock(mutex_);
  ++requests_;
  auto it = ops_.find(op);
  if (it == ops_.end()) it = ops_.emplace(std::string(op), OpStats{}).first;
  ++it->second.by_status[status];
  it->second.latency.add(latency);
}

void Stats::keys_deleted(std::uint64_t n) {
  std::lock_guard lock(mutex_);
  keys_deleted_ += n;
}

void Stats::deletes_without_effect(std::uint64_t n) {
  std::lock_guard lock(mutex_);
  deletes_without_effect_ += n;
}

void Stats::uploads_aborted(std::uint64_t n) {
  std::lock_guard lock(mutex_);
  uploads_aborted_ += n;
}

std::uint64_t Stats::deletes_without_effect_total() {
  std::lock_guard lock(mutex_);
  return deletes_without_effect_;
}

std::uint64_t Stats::keys_deleted_total() {
  std::lock_guard lock(mutex_);
  return keys_deleted_;
}

std::uint64_t Stats::throttles_total() {
  std::lock_guard lock(mutex_);
  return throttles_;
}

void Stats::throttle() {
  std::lock_guard lock(mutex_);
  ++throttles_;
}

void Stats::keys_slowed(std::uint64_t n) {
  std::lock_guard lock(mutex_);
  keys_slowed_ += n;
  if (n > 0) ++answers_slowed_;
}

std::uint64_t Stats::keys_slowed_total() {
  std::lock_guard lock(mutex_);
  return keys_slowed_;
}

void Stats::fault(std::string_view kind) {
  std::lock_guard lock(mutex_);
  auto it = faults_.find(kind);
  if (it == faults_.end()) it = faults_.emplace(std::string(kind), 0).first;
  ++it->second;
}

std::string Stats::to_json(Store& store) {
  std::string out;
  char num[64];
  auto quoted = [&](std::string_view s) {
    out += '"';
    for (const char c : s) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += c;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        std::snprintf(num, sizeof num, "\\u%04x", c);
        out += num;
      } else {
        out += c;
      }
    }
    out += '"';
  };
  {
    std::lock_guard lock(mutex_);
    out += "{\"requests\":" + std::to_string(requests_);
    out += ",\"keys_deleted\":" + std::to_string(keys_deleted_);
    out += ",\"deletes_without_effect\":" + std::to_string(deletes_without_effect_);
    out += ",\"uploads_aborted\":" + std::to_string(uploads_aborted_);
    out += ",\"throttles_sent\":" + std::to_string(throttles_);
    out += ",\"keys_slowed\":" + std::to_string(keys_slowed_);
    out += ",\"answers_slowed\":" + std::to_string(answers_slowed_);
    out += ",\"faults\":{";
    bool first = true;
    for (const auto& [kind, n] : faults_) {
      if (!first) out += ',';
      first = false;
      quoted(kind);
      out += ':' + std::to_string(n);
    }
    out += "},\"operations\":{";
    first = true;
    for (const auto& [op, s] : ops_) {
      if (!first) out += ',';
      first = false;
      quoted(op);
      out += ":{\"count\":" + std::to_string(s.latency.count()) + ",\"by_status\":{";
      bool f2 = true;
      for (const auto& [status, n] : s.by_status) {
        if (!f2) out += ',';
        f2 = false;
        out += "\"" + std::to_string(status) + "\":" + std::to_string(n);
      }
      std::snprintf(num, sizeof num, "},\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,",
                    s.latency.percentile_ms(50), s.latency.percentile_ms(90),
                    s.latency.percentile_ms(99));
      out += num;
      std::snprintf(num, sizeof num, "\"max_ms\":%.3f}", s.latency.max_ms());
      out += num;
    }
    out += '}';
  }
  out += ",\"buckets\":{";
  std::lock_guard lock(store.mutex());
  bool first = true;
  for (const auto& [name, b] : store.buckets()) {
    if (!first) out += ',';
    first = false;
    const BucketCensus c = Store::census(b);
    quoted(name);
    out += ":{\"keys\":" + std::to_string(c.keys) + ",\"current\":" + std::to_string(c.current) +
           ",\"noncurrent\":" + std::to_string(c.noncurrent) +
           ",\"delete_markers\":" + std::to_string(c.markers) +
           ",\"uploads\":" + std::to_string(c.uploads) + ",\"versioning\":\"" +
           (b.versioning == Versioning::enabled     ? "Enabled"
            : b.versioning == Versioning::suspended ? "Suspended"
                                                    : "Off") +
           "\"}";
  }
  out += "}}";
  return out;
}

}  // namespace s3emu
