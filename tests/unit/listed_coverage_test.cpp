// The key intervals the first pass listed whole: intervals merge, bounds are exact.
#include "engine/listed_coverage.hpp"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>

using s3purge::engine::just_after;
using s3purge::engine::ListedCoverage;

TEST(ListedCoverage, FromIsInAndToIsOut) {
  ListedCoverage c;
  c.add("b", "d");
  EXPECT_FALSE(c.covers("a"));
  EXPECT_TRUE(c.covers("b"));
  EXPECT_TRUE(c.covers("c"));
  EXPECT_TRUE(c.covers("cz"));
  EXPECT_FALSE(c.covers("d"));
  c.add("d", just_after("d"));
  EXPECT_TRUE(c.covers("d")) << "just_after takes the key in";
  EXPECT_FALSE(c.covers(std::string("d\0", 2))) << "and nothing after it";
  EXPECT_EQ(c.intervals(), 1u) << "touching intervals merge";
}

TEST(ListedCoverage, PagesOfManyRangesMergeIntoFewIntervals) {
  ListedCoverage c;
  // Two ranges listed side by side, page by page, out of order.
  for (int i = 0; i < 100; ++i) {
    c.add("a" + std::to_string(1000 + i), "a" + std::to_string(1001 + i));
    c.add("b" + std::to_string(1000 + i), "b" + std::to_string(1001 + i));
  }
  EXPECT_EQ(c.intervals(), 2u);
  EXPECT_TRUE(c.covers("a1050x"));
  EXPECT_FALSE(c.covers("a1100"));
  EXPECT_FALSE(c.covers("a2"));
  c.add("a1100", "b1000");
  EXPECT_EQ(c.intervals(), 1u);
  c.add("z", "a");  // empty: nothing
  EXPECT_FALSE(c.covers("z"));
}

TEST(ListedCoverage, AgreesWithASetOfPointsOnRandomIntervals) {
  std::mt19937 rng(41);
  for (int round = 0; round < 200; ++round) {
    ListedCoverage c;
    std::set<int> points;  // keys "000".."199" as numbers
    for (int n = 0; n < 12; ++n) {
      const int from = static_cast<int>(rng() % 200), to = from + static_cast<int>(rng() % 30);
      char a[8], b[8];
      std::snprintf(a, sizeof a, "%03d", from);
      std::snprintf(b, sizeof b, "%03d", to);
      c.add(a, b);
      for (int k = from; k < to; ++k) points.insert(k);
    }
    for (int k = 0; k < 240; ++k) {
      char key[8];
      std::snprintf(key, sizeof key, "%03d", k);
      ASSERT_EQ(c.covers(key), points.count(k) == 1) << "round " << round << " key " << key;
    }
  }
}
