// Latencies in log-spaced buckets (8 per power of two from 1 us: ~9% resolution, 40
// octaves), cheap enough to record every request. Used by the engine per S3 operation and
// by s3emu per served operation.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>

namespace s3purge::engine {

class LatencyHistogram {
 public:
  void add(std::chrono::nanoseconds d);
  std::uint64_t count() const { return count_; }
  // The upper edge of the bucket holding the p-th percentile, in milliseconds, or the
  // longest latency seen where that is less.
  double percentile_ms(double p) const;
  double max_ms() const { return static_cast<double>(max_ns_) / 1e6; }

 private:
  static constexpr int kPerOctave = 8;
  static constexpr int kBuckets = 40 * kPerOctave;
  std::array<std::uint64_t, kBuckets> buckets_{};
  std::uint64_t count_ = 0;
  std::uint64_t max_ns_ = 0;
};

}  // namespace s3purge::engine
