// What deleting early is billed (a hand-computed example), and the prices file.
#include <gtest/gtest.h>

#include "protocol/prices.hpp"
#include "protocol/storage_class.hpp"

using namespace s3purge::protocol;

namespace {
constexpr std::int64_t kDay = 86400;
constexpr std::uint64_t kGiB = 1ull << 30;
}  // namespace

TEST(EarlyDeletion, TheRestOfTheMinimumInGbMonthsOf30Days) {
  const std::int64_t now = 1000 * kDay;
  // 10 GiB in DEEP_ARCHIVE (180 days), written 120 days ago: 60 days left; its 32 KiB index
  // is billed too: (10 GiB + 32 KiB) x 60 / 30 = 20 + 2^-14 GB-months.
  const auto e = early_deletion(storage_class_of("DEEP_ARCHIVE"), 10 * kGiB, now - 120 * kDay, now);
  ASSERT_TRUE(e);
  EXPECT_DOUBLE_EQ(e->gb_months, 20.0 + 1.0 / 16384);
  EXPECT_EQ(e->free_from, now + 60 * kDay);
  // At 0.00099 per GB-month: 0.0198 and a little.
  EXPECT_NEAR(e->gb_months * 0.00099, 0.0198, 1e-7);
}

TEST(EarlyDeletion, SmallObjectsAreBilledTheLeastSizeOfTheirClass) {
  const std::int64_t now = 1000 * kDay;
  constexpr std::uint64_t kKiB = 1024;
  EXPECT_EQ(billed_bytes(storage_class_of("STANDARD_IA"), 1), 128 * kKiB);
  EXPECT_EQ(billed_bytes(storage_class_of("ONEZONE_IA"), 0), 128 * kKiB);
  EXPECT_EQ(billed_bytes(storage_class_of("GLACIER_IR"), 200 * kKiB), 200 * kKiB);
  EXPECT_EQ(billed_bytes(storage_class_of("GLACIER"), 1), 32 * kKiB + 1);
  EXPECT_EQ(billed_bytes(storage_class_of("IA"), 10), 64 * kKiB);
  EXPECT_EQ(billed_bytes(kStandard, 10), 10u);
  EXPECT_EQ(billed_bytes(storage_class_of("SOME_CLONE_CLASS"), 10), 10u);
  // A million 1 KiB objects in STANDARD_IA written today: 30 days of 128 KiB each, 1 month of
  // 10^6 x 2^-13 GiB = 122.07 GB-months, not the 0.95 their listed sizes would make.
  const auto one = early_deletion(storage_class_of("STANDARD_IA"), kKiB, now, now);
  ASSERT_TRUE(one);
  EXPECT_NEAR(one->gb_months * 1e6, 1e6 / 8192, 1e-6);
}

TEST(EarlyDeletion, NothingPastTheMinimumOrWithoutOne) {
  const std::int64_t now = 1000 * kDay;
  EXPECT_FALSE(early_deletion(storage_class_of("GLACIER"), kGiB, now - 90 * kDay, now));
  EXPECT_FALSE(early_deletion(kStandard, kGiB, now, now));
  EXPECT_FALSE(early_deletion(storage_class_of("INTELLIGENT_TIERING"), kGiB, now, now));
  EXPECT_TRUE(early_deletion(storage_class_of("DEEP_ARCHIVE"), kGiB, now - 179 * kDay, now));
  const auto unknown = early_deletion(storage_class_of("STANDARD_IA"), 3 * kGiB, INT64_MIN, now);
  ASSERT_TRUE(unknown) << "an unknown time is billed the most it can be";
  EXPECT_DOUBLE_EQ(unknown->gb_months, 3.0);
}

TEST(Prices, TheDocumentedFormat) {
  auto p = parse_prices("# prices\ncurrency USD\nstorage GLACIER 0.0036   # per GB-month\n"
                        "storage DEEP_ARCHIVE 0.00099\r\nrequest list 0.005\nrequest delete 0\n\n");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->currency, "USD");
  EXPECT_DOUBLE_EQ(p->storage_gb_month.at("GLACIER"), 0.0036);
  EXPECT_DOUBLE_EQ(p->storage_gb_month.at("DEEP_ARCHIVE"), 0.00099);
  EXPECT_DOUBLE_EQ(*p->list_per_1000, 0.005);
  EXPECT_DOUBLE_EQ(*p->delete_per_1000, 0);
  EXPECT_FALSE(p->abort_per_1000);
}

TEST(Prices, ErrorsNameTheLine) {
  auto bad = parse_prices("currency USD\nstorage GLACIER cheap\n");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("line 2"), std::string::npos) << bad.error().message;
  EXPECT_FALSE(parse_prices("storage GLACIER -1\n"));
  EXPECT_FALSE(parse_prices("request put 0.005\n"));
  EXPECT_FALSE(parse_prices("glacier 0.0036\n"));
}
