#include "engine/latency_histogram.hpp"

#include <algorithm>
#include <cmath>

namespace s3purge::engine {

void LatencyHistogram::add(std::chrono::nanoseconds d) {
  const auto ns = static_cast<std::uint64_t>(std::max<std::int64_t>(d.count(), 1));
  const double us = static_cast<double>(ns) / 1000.0;
  int b = us <= 1 ? 0 : static_cast<int>(std::log2(us) * kPerOctave);
  b = std::min(b, kBuckets - 1);
  ++buckets_[static_cast<std::size_t>(b)];
  ++count_;
  max_ns_ = std::max(max_ns_, ns);
}

double LatencyHistogram::percentile_ms(double p) const {
  if (count_ == 0) return 0;
  const auto rank = static_cast<std::uint64_t>(std::ceil(p / 100.0 * static_cast<double>(count_)));
  std::uint64_t seen = 0;
  for (int b = 0; b < kBuckets; ++b) {
    seen += buckets_[static_cast<std::size_t>(b)];
    if (seen >= rank) {
      // The upper edge of the bucket, in ms; never above the longest seen, which the
      // bucket's edge can pass.
      return std::min(std::exp2(static_cast<double>(b + 1) / kPerOctave) / 1000.0, max_ms());
    }
  }
  return max_ms();
}

}  // namespace s3purge::engine
