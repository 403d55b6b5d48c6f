#include "engine/failed_entries.hpp"

#include <gtest/gtest.h>

#include <string>

using s3purge::engine::FailedEntries;

TEST(FailedEntries, KeysAndVersionsAreTellApart) {
  FailedEntries f;
  EXPECT_TRUE(f.empty());
  f.add("ab", "c");
  EXPECT_TRUE(f.contains("ab", "c"));
  EXPECT_FALSE(f.contains("a", "bc"));
  EXPECT_FALSE(f.contains("ab", ""));
  EXPECT_FALSE(f.contains("abc", ""));
}

TEST(FailedEntries, ManyEntriesAcrossMerges) {
  FailedEntries f;
  constexpr int kN = 20'000;  // several merges of the recent ones into the sorted ones
  for (int i = 0; i < kN; i += 2) f.add("key/" + std::to_string(i), "v");
  for (int i = 0; i < kN; i += 2) f.add("key/" + std::to_string(i), "v");  // twice: once kept
  EXPECT_EQ(f.size(), static_cast<std::size_t>(kN / 2));
  for (int i = 0; i < kN; ++i) {
    EXPECT_EQ(f.contains("key/" + std::to_string(i), "v"), i % 2 == 0) << i;
  }
}
