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
  // 10 GiB in GLACIER (90 days), written 30 days ago: 60 days left, 10 x 60 / 30 = 20 GB-months.
  const auto e = early_deletion(storage_class_of("GLACIER"), 10 * kGiB, now - 30 * kDay, now);
  ASSERT_TRUE(e);
  EXPECT_DOUBLE_EQ(e->gb_months, 20.0);
  EXPECT_EQ(e->free_from, now + 60 * kDay);
  // At 0.0036 per GB-month: 0.072.
  EXPECT_NEAR(e->gb_months * 0.0036, 0.072, 1e-12);
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
