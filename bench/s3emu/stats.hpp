// What the emulator saw: requests per operation and status, latency percentiles per
// operation, keys deleted, throttles and faults sent. Served as JSON at /_emu/stats.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "engine/latency_histogram.hpp"
#include "s3emu/store.hpp"

namespace s3emu {

using LatencyHistogram = s3purge::engine::LatencyHistogram;

class Stats {
 public:
  void record(std::string_view op, int status, std::chrono::nanoseconds latency);
  void keys_deleted(std::uint64_t n);
  void deletes_without_effect(std::uint64_t n);
  void uploads_aborted(std::uint64_t n);
  void throttle();
  // Keys of a DeleteObjects refused SlowDown, one by one (and, where n > 0, one answer
  // that refused some).
  void keys_slowed(std::uint64_t n);
  void fault(std::string_view kind);

  std::uint64_t keys_deleted_total();
  std::uint64_t throttles_total();
  std::uint64_t keys_slowed_total();
  std::uint64_t deletes_without_effect_total();  // a key deleted twice shows here

  // The whole picture, with what each bucket of `store` still holds.
  std::string to_json(Store& store);

 private:
  struct OpStats {
    std::map<int, std::uint64_t> by_status;
    LatencyHistogram latency;
  };
  std::mutex mutex_;
  std::map<std::string, OpStats, std::less<>> ops_;
  std::map<std::string, std::uint64_t, std::less<>> faults_;
  std::uint64_t requests_ = 0;
  std::uint64_t keys_deleted_ = 0;
  std::uint64_t deletes_without_effect_ = 0;
  std::uint64_t uploads_aborted_ = 0;
  std::uint64_t throttles_ = 0;
  std::uint64_t keys_slowed_ = 0;
  std::uint64_t answers_slowed_ = 0;
};

}  // namespace s3emu
