// The emulator's partition model on a fake clock: bounds, per-partition capacity, splits.
#include "s3emu/partitions.hpp"

#include <gtest/gtest.h>

#include <cstdio>

using namespace s3emu;
using namespace std::chrono;

namespace {

// Each of `keys` offered once per tick, `ticks` ticks spread over `span`, starting each
// tick at another key (as a client's batches come from all over its ranges); the writes
// admitted.
int offer(Partitions& p, const std::vector<std::string>& keys, Partitions::clock::time_point& t, milliseconds span,
          int ticks) {
  int admitted = 0;
  for (int tick = 0; tick < ticks; ++tick) {
    for (std::size_t i = 0; i < keys.size(); ++i) admitted += p.admit(keys[(i + tick * 7) % keys.size()], t);
    t += span / ticks;
  }
  return admitted;
}

// The partitions' JSON, with the keys of `held` each range holds.
std::string json(const Partitions& p, const std::vector<std::string>& held = {}) {
  return p.to_json([&](std::string_view lower, std::string_view upper) {
    std::uint64_t n = 0;
    for (const auto& k : held) n += k >= lower && (upper.empty() || k < upper);
    return n;
  });
}

}  // namespace

TEST(Partitions, EvenBoundsOverHexNames) {
  EXPECT_EQ(even_hex_bounds(4), (std::vector<std::string>{"40", "80", "c0"}));
  EXPECT_EQ(even_hex_bounds(1), std::vector<std::string>{});
  EXPECT_EQ(parse_partition_bounds("a\nb\r\n\nc\n"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_FALSE(parse_partition_bounds("b\na\n"));
  EXPECT_FALSE(parse_partition_bounds("a\na\n"));
}

TEST(Partitions, EachPartitionHasItsOwnCapacity) {
  PartitionOptions o;
  o.count = 4;
  o.capacity = 1000;
  Partitions p(o);
  auto t = Partitions::clock::time_point(seconds(100));
  // 2000 writes/s offered to one partition for 3 s: its second of burst, then its 1000/s.
  std::vector<std::string> hot;
  for (int i = 0; i < 20; ++i) hot.push_back("0" + std::to_string(i));  // all below "40"
  EXPECT_GE(offer(p, hot, t, seconds(1), 100), 1900) << "the burst, and a second's worth";
  const int steady = offer(p, hot, t, seconds(2), 200);
  EXPECT_GE(steady, 1900);
  EXPECT_LE(steady, 2100);
  // The other partitions are untouched: a cold key passes at once.
  EXPECT_TRUE(p.admit("9abc", t));
  EXPECT_TRUE(p.admit("prefix-0001/object", t)) << "plain names fall in the last partition";
  EXPECT_NE(json(p).find("\"throttled\":"), std::string::npos);
  EXPECT_EQ(p.count(), 4u);
  // What each range holds, from its lower bound to the next one's.
  const auto held = json(p, {"05", "3a", "9abc", "prefix-x"});
  EXPECT_NE(held.find("{\"lower\":\"\",\"served\":"), std::string::npos) << held;
  std::vector<std::string> counts;
  for (auto at = held.find("\"keys\":"); at != std::string::npos; at = held.find("\"keys\":", at + 1)) {
    counts.push_back(held.substr(at + 7, held.find('}', at) - at - 7));
  }
  EXPECT_EQ(counts, (std::vector<std::string>{"2", "0", "1", "1"})) << held;
}

TEST(Partitions, AHotPartitionSplitsAtTheMedianOfItsKeys) {
  PartitionOptions o;
  o.count = 1;
  o.capacity = 1000;
  o.split_after = seconds(2);
  Partitions p(o);
  auto t = Partitions::clock::time_point(seconds(100));
  std::vector<std::string> keys;
  for (int i = 0; i < 40; ++i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "seq-%06d", i * 1000);
    keys.emplace_back(buf);
  }
  offer(p, keys, t, seconds(1), 100);  // 4000/s offered: the burst goes, refusals begin
  const int steady = offer(p, keys, t, seconds(1), 100);
  EXPECT_EQ(p.count(), 1u) << "not yet held at capacity for 2 s";
  offer(p, keys, t, seconds(2), 200);
  EXPECT_EQ(p.count(), 2u) << json(p);
  offer(p, keys, t, seconds(1), 100);  // the new partition's burst
  const int after = offer(p, keys, t, seconds(1), 100);
  EXPECT_GE(after, steady * 18 / 10) << "two partitions serve about twice as much";
  EXPECT_NE(json(p).find("\"splits\":" + std::to_string(p.count() - 1)), std::string::npos) << json(p);
}
