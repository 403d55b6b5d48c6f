// S3's partition model: the key space is cut into ranges (partitions), each serving at most
// `capacity` writes per second (each key of a DeleteObjects counts), as S3 serves about
// 3,500 per partitioned prefix. A key over its partition's capacity is refused (SlowDown);
// a partition that served 75% of its capacity or more in each second for `split_after`
// splits in two at the median of the keys it served lately, as S3 splits a hot partition.
// Pure: the clock is passed in.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace s3emu {

struct PartitionOptions {
  int count = 0;                        // 0: no partition model
  std::vector<std::string> bounds;      // lower bounds after the first (""), sorted; overrides count
  double capacity = 3500;               // writes/s per partition
  std::chrono::milliseconds split_after{0};  // 0: never split
};

// The lower bounds of `count` partitions cut evenly over hex-named keys' first two
// characters ("", "10", "20", ... for 16): keys that do not start with hex digits (plain
// names, "prefix-...") fall in the last one, as a sequentially named bucket has one hot
// partition.
std::vector<std::string> even_hex_bounds(int count);

// One bound per line of `text`, "" (the start) implied; nullopt when unsorted or repeated.
std::optional<std::vector<std::string>> parse_partition_bounds(std::string_view text);

class Partitions {
 public:
  using clock = std::chrono::steady_clock;

  explicit Partitions(const PartitionOptions& options);

  // Whether one write to `key` may run at `now`; false: refused, SlowDown.
  bool admit(std::string_view key, clock::time_point now);

  // [{"lower":"...","served":N,"throttled":N,"keys":N},...] and the splits so far; `keys`
  // is what keys_in(lower, upper) says a partition's range holds now (upper "": the end).
  std::string to_json(const std::function<std::uint64_t(std::string_view, std::string_view)>& keys_in) const;
  std::size_t count() const;

 private:
  struct Partition {
    std::string lower;
    double tokens = 0;
    double last = 0;
    bool started = false;
    std::optional<double> saturated_since;
    double window_start = 0;  // the current second, and what it served
    double window_served = 0;
    std::uint64_t served = 0, throttled = 0;
    std::vector<std::string> recent;  // keys admitted lately, for the split point
    std::size_t next_recent = 0;
  };
  void maybe_split(std::size_t i, double now);
  std::size_t index_of(std::string_view key) const;

  mutable std::mutex mutex_;
  double capacity_;
  double split_after_;  // seconds; 0: never
  std::vector<Partition> partitions_;  // sorted by lower bound
  std::uint64_t splits_ = 0;
};

}  // namespace s3emu
