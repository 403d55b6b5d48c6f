#include "engine/range_progress.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace s3purge::engine {
namespace {

using namespace std::string_literals;

struct Recorded {
  bool uploads;
  KeyRange range;
};

TEST(RangeProgress, RecordsInListingOrderOnceEveryEntryIsDeleted) {
  std::vector<Recorded> out;
  RangeProgress p([&](bool uploads, const KeyRange& r) { out.push_back({uploads, r}); });
  // Range 0 starts after "a"; two pages, marks at "c" and at the range's end "f".
  const auto t1 = p.open({false, 0, "a"s, true, false, "c"s});
  p.add(t1);
  p.add(t1);
  p.close(t1);
  const auto t2 = p.open({false, 0, "a"s, true, true, "f"s});
  p.add(t2);
  p.close(t2);
  p.settle(t2, true);  // the second page is done first: nothing recorded yet
  EXPECT_TRUE(out.empty());
  p.settle(t1, true);
  EXPECT_TRUE(out.empty()) << "one entry of the first page is still in flight";
  p.settle(t1, true);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].range, (KeyRange{"a"s, "c"s}));
  EXPECT_EQ(out[1].range, (KeyRange{"a"s, "f"s}));
}

TEST(RangeProgress, AFailureStopsTheRangesRecord) {
  std::vector<Recorded> out;
  RangeProgress p([&](bool uploads, const KeyRange& r) { out.push_back({uploads, r}); });
  const auto t1 = p.open({true, 3, std::nullopt, true, false, "k"s});
  p.add(t1);
  p.close(t1);
  p.settle(t1, true);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(out[0].uploads);
  EXPECT_EQ(out[0].range, (KeyRange{std::nullopt, "k"s}));
  const auto t2 = p.open({true, 3, std::nullopt, true, false, "p"s});
  p.add(t2);
  p.close(t2);
  p.settle(t2, false);  // failed or skipped
  const auto t3 = p.open({true, 3, std::nullopt, true, true, std::nullopt});
  p.close(t3);  // an empty last page
  EXPECT_EQ(out.size(), 1u) << "nothing past the failure is recorded";
  // A page whose items were all reported before (tainted) also stops the record.
  const auto t4 = p.open({false, 9, std::nullopt, true, true, std::nullopt});
  p.taint(t4);
  p.close(t4);
  EXPECT_EQ(out.size(), 1u);
  // A page without a mark (one key's versions go on) records nothing but does not stop it.
  const auto t5 = p.open({false, 10, "m"s, false, false, std::nullopt});
  p.close(t5);
  const auto t6 = p.open({false, 10, "m"s, true, true, std::nullopt});
  p.close(t6);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].range, (KeyRange{"m"s, std::nullopt}));
}

}  // namespace
}  // namespace s3purge::engine
