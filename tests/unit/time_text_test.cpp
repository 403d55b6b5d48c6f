#include "protocol/time_text.hpp"

#include <gtest/gtest.h>

namespace {

using namespace std::chrono;
using s3purge::protocol::parse_duration;
using s3purge::protocol::parse_iso8601;

TEST(Duration, ParsesEveryUnit) {
  EXPECT_EQ(parse_duration("20ms"), milliseconds(20));
  EXPECT_EQ(parse_duration("1.5s"), milliseconds(1500));
  EXPECT_EQ(parse_duration("250us"), microseconds(250));
  EXPECT_EQ(parse_duration("10ns"), nanoseconds(10));
  EXPECT_EQ(parse_duration("90m"), minutes(90));
  EXPECT_EQ(parse_duration("12h"), hours(12));
  EXPECT_EQ(parse_duration("7d"), hours(7 * 24));
  EXPECT_EQ(parse_duration("0"), nanoseconds(0));
}

TEST(Duration, RefusesWhatIsNotADuration) {
  EXPECT_FALSE(parse_duration("20"));
  EXPECT_FALSE(parse_duration("-1ms"));
  EXPECT_FALSE(parse_duration("fast"));
  EXPECT_FALSE(parse_duration("7days"));
  EXPECT_FALSE(parse_duration(""));
  EXPECT_FALSE(parse_duration("1e30d"));  // beyond what nanoseconds hold
  EXPECT_FALSE(parse_duration("nAns"));   // found by fuzzing: from_chars reads NaN
  EXPECT_FALSE(parse_duration("infd"));
}

TEST(Iso8601, ParsesWhatS3Writes) {
  const auto t = parse_iso8601("2026-11-24T01:02:03.000Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->time_since_epoch(), sys_days{2026y / 11 / 24}.time_since_epoch() + 1h + 2min + 3s);
  EXPECT_EQ(parse_iso8601("2026-11-24T01:02:03Z"), t);
  EXPECT_EQ(parse_iso8601("2026-11-24T01:02:03"), t);
  EXPECT_EQ(parse_iso8601("1970-01-01T00:00:00Z")->time_since_epoch(), seconds(0));
}

TEST(Iso8601, RefusesMalformedDates) {
  EXPECT_FALSE(parse_iso8601(""));
  EXPECT_FALSE(parse_iso8601("2026-11-24"));
  EXPECT_FALSE(parse_iso8601("2026-02-30T00:00:00Z"));
  EXPECT_FALSE(parse_iso8601("2026-11-24T25:00:00Z"));
  EXPECT_FALSE(parse_iso8601("2026-11-24T01:02:03+01:00"));
  EXPECT_FALSE(parse_iso8601("2026-11-24 01:02:03Z"));
  EXPECT_FALSE(parse_iso8601("yyyy-11-24T01:02:03Z"));
  // Found by fuzzing: year 2426 overflowed the clock's nanoseconds.
  EXPECT_FALSE(parse_iso8601("2426-11-24T01:02:03.000Z"));
  EXPECT_FALSE(parse_iso8601("0001-01-01T00:00:00Z"));
  EXPECT_TRUE(parse_iso8601("2200-12-31T23:59:59Z"));
}

}  // namespace
