// The selection's rules, entry by entry: key patterns, --only's parts, ages, classes, kept
// newest versions, the time limits the flags take, storage class names.
#include "protocol/selection.hpp"

#include <gtest/gtest.h>

#include "protocol/listing.hpp"
#include "protocol/storage_class.hpp"
#include "protocol/utf8.hpp"

using namespace s3purge::protocol;

namespace {

bool match(const char* pattern, const char* key) {
  auto p = KeyPattern::parse(pattern);
  EXPECT_TRUE(p) << pattern;
  return p && p->matches(key);
}

}  // namespace

TEST(KeyPattern, StarStaysInAFolderAndTwoStarsCross) {
  EXPECT_TRUE(match("/logs/*.gz", "logs/a.gz"));
  EXPECT_FALSE(match("/logs/*.gz", "logs/2024/a.gz"));
  EXPECT_TRUE(match("/logs/**.gz", "logs/2024/a.gz"));
  EXPECT_TRUE(match("/logs/**/a.gz", "logs/a.gz")) << "**/ matches no folder too";
  EXPECT_TRUE(match("/logs/**/a.gz", "logs/x/y/a.gz"));
  EXPECT_FALSE(match("/logs/**/a.gz", "logs/x/ya.gz"));
  EXPECT_TRUE(match("/a?c", "abc"));
  EXPECT_FALSE(match("/a?c", "a/c")) << "? is not /";
}

TEST(KeyPattern, UnanchoredMatchesAnyEndThatStartsAName) {
  EXPECT_TRUE(match("*.keep", "tmp/x/y.keep"));
  EXPECT_TRUE(match("*.keep", "y.keep"));
  EXPECT_FALSE(match("*.keep", "tmp/y.keep/z"));
  EXPECT_TRUE(match("x/y.keep", "tmp/x/y.keep"));
  EXPECT_FALSE(match("x/y.keep", "tmp/ax/y.keep")) << "an end that starts mid-name";
  EXPECT_FALSE(match("/x/y.keep", "tmp/x/y.keep")) << "anchored at the prefix";
}

TEST(KeyPattern, AFolderPatternTakesEverythingUnderIt) {
  EXPECT_TRUE(match("/tmp/", "tmp/a/b/c"));
  EXPECT_TRUE(match("cache/", "a/cache/b"));
  EXPECT_FALSE(match("/tmp/", "tmpx/a"));
}

TEST(KeyPattern, QuestionMarkAndStarsTakeWholeUtf8Characters) {
  EXPECT_TRUE(match("caf?.txt", "p/cafe.txt"));
  EXPECT_TRUE(match("caf?.txt", "p/caf\xc3\xa9.txt")) << "é is one character";
  EXPECT_TRUE(match("caf?.txt", "p/caf\xe6\x97\xa5.txt")) << "日 is one character";
  EXPECT_TRUE(match("caf?.txt", "p/caf\xf0\x9f\x98\x80.txt")) << "a 4-byte character is one";
  EXPECT_FALSE(match("caf??.txt", "p/caf\xc3\xa9.txt")) << "é is not two characters";
  EXPECT_FALSE(match("caf??.txt", "p/caf\xe6\x97\xa5.txt"));
  EXPECT_TRUE(match("/\xc3\xa9*", "\xc3\xa9t\xc3\xa9")) << "a literal character before a star";
  EXPECT_FALSE(match("/\xc3\xa9", "\xc3\xa8")) << "characters differ in their last byte";
  EXPECT_TRUE(match("/*\xa9", "x\xa9")) << "a stray continuation byte is a character of its own";
  EXPECT_FALSE(match("/*\xa9", "x\xc3\xa9")) << "and never the tail of a whole character";
  EXPECT_TRUE(match("/a?b", "a\xff" "b")) << "a byte that starts no character is one";
  EXPECT_TRUE(match("/\\\xc3\xa9", "\xc3\xa9")) << "an escaped character is taken whole";
}

TEST(Utf8, APlainPrefixEndsAtTheFirstByteThatIsNotPlainUtf8) {
  EXPECT_EQ(plain_utf8_prefix("data/obj-9:\x0b\x96" "e"), "data/obj-9:") << "a control character";
  EXPECT_EQ(plain_utf8_prefix("ob\x8eT"), "ob") << "a stray continuation byte";
  EXPECT_EQ(plain_utf8_prefix("caf\xc3\xa9\xc3"), "caf\xc3\xa9") << "a character cut short";
  EXPECT_EQ(plain_utf8_prefix("\xe6\x97\xa5/x\x7f"), "\xe6\x97\xa5/x") << "DEL";
  EXPECT_EQ(plain_utf8_prefix("plain/key"), "plain/key");
}

TEST(KeyPattern, EscapesAndBadPatterns) {
  EXPECT_TRUE(match("/a\\*b", "a*b"));
  EXPECT_FALSE(match("/a\\*b", "axb"));
  EXPECT_FALSE(KeyPattern::parse(""));
  EXPECT_FALSE(KeyPattern::parse("a\\"));
}

TEST(KeyPattern, ManyStarsStayLinear) {
  // Backtracking matchers take exponential time on this; rows over the key do not.
  const std::string key(2000, 'a');
  EXPECT_FALSE(match("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", key.c_str()));
}

TEST(Parts, ParsedNamedAndRefused) {
  EXPECT_EQ(*parse_parts("noncurrent,orphan-markers"), unsigned(kNoncurrent | kOrphanMarkers));
  EXPECT_FALSE(parse_parts("noncurrent,bogus"));
  EXPECT_FALSE(parse_parts(","));
  EXPECT_EQ(parts_text(kAllParts), "current,noncurrent,markers,uploads");
}

TEST(Judge, EachRuleKeepsWithItsReason) {
  Selection s;
  s.parts = kNoncurrent | kOrphanMarkers;
  s.older_than = 1000;
  s.keep_newest = 1;
  s.exclude.push_back(*KeyPattern::parse("*.keep"));
  s.classes = {storage_class_of("GLACIER")};
  const auto glacier = storage_class_of("GLACIER");
  EXPECT_EQ(judge(s, {"a", Role::current, 10, glacier, 0}), KeptBy::kind);
  EXPECT_EQ(judge(s, {"a", Role::marker, 10, kNoStorageClass, 0}), KeptBy::kind) << "not an orphan";
  EXPECT_EQ(judge(s, {"a.keep", Role::noncurrent, 10, glacier, 3}), KeptBy::pattern);
  EXPECT_EQ(judge(s, {"a", Role::noncurrent, 10, kStandard, 3}), KeptBy::storage_class);
  EXPECT_EQ(judge(s, {"a", Role::noncurrent, 10, glacier, 0}), KeptBy::newest);
  EXPECT_EQ(judge(s, {"a", Role::noncurrent, 1000, glacier, 1}), KeptBy::age) << "older than is strict";
  EXPECT_EQ(judge(s, {"a", Role::noncurrent, kNoTime, glacier, 1}), KeptBy::age) << "unknown age is kept";
  EXPECT_EQ(judge(s, {"a", Role::noncurrent, 999, glacier, 1}), KeptBy::none);
  EXPECT_EQ(judge(s, {"a", Role::orphan_marker, 999, kNoStorageClass, 0}), KeptBy::storage_class)
      << "a marker has no class";
  s.classes.clear();
  EXPECT_EQ(judge(s, {"a", Role::orphan_marker, 999, kNoStorageClass, 0}), KeptBy::none);
}

TEST(Judge, MarkersTakeOrphansToo) {
  Selection s;
  s.parts = kMarkers;
  EXPECT_EQ(judge(s, {"a", Role::orphan_marker, 1, kNoStorageClass, 0}), KeptBy::none);
  EXPECT_EQ(judge(s, {"a", Role::marker, 1, kNoStorageClass, 0}), KeptBy::none);
  EXPECT_EQ(judge(s, {"a", Role::upload, 1, kStandard, 0}), KeptBy::kind);
}

TEST(Selection, WhatMayBringVersionsBack) {
  Selection s;
  EXPECT_FALSE(s.selective());
  EXPECT_FALSE(s.may_resurface());
  s.older_than = 5;
  EXPECT_TRUE(s.selective());
  EXPECT_FALSE(s.may_resurface()) << "what lies beneath is older still";
  s.keep_newest = 1;
  EXPECT_TRUE(s.may_resurface());
  s = {};
  s.parts = kNoncurrent | kOrphanMarkers;
  EXPECT_FALSE(s.may_resurface()) << "orphans hide nothing";
  s.parts = kCurrent;
  EXPECT_TRUE(s.may_resurface());
  s.parts = kMarkers | kNoncurrent;
  EXPECT_FALSE(s.may_resurface());
  s.newer_than = 5;
  EXPECT_TRUE(s.may_resurface());
}

TEST(TimeLimit, DurationsCountBackAndDatesAreUtc) {
  EXPECT_EQ(*parse_time_limit("30d", 100 * 86400), 70 * 86400);
  EXPECT_EQ(*parse_time_limit("1970-01-02", 0), 86400);
  EXPECT_EQ(*parse_time_limit("1970-01-02T00:00:10Z", 0), 86410);
  EXPECT_FALSE(parse_time_limit("30q", 0));
  EXPECT_FALSE(parse_time_limit("1970-13-02", 0));
}

TEST(StorageClasses, KnownNamesWithMinimumDurationsAndNewNamesLearned) {
  EXPECT_EQ(storage_class_of(""), kStandard);
  EXPECT_EQ(storage_class_name(storage_class_of("DEEP_ARCHIVE")), "DEEP_ARCHIVE");
  EXPECT_EQ(minimum_storage_days(storage_class_of("STANDARD_IA")), 30);
  EXPECT_EQ(minimum_storage_days(storage_class_of("GLACIER_IR")), 90);
  EXPECT_EQ(minimum_storage_days(storage_class_of("ColdArchive")), 180);
  EXPECT_EQ(minimum_storage_days(storage_class_of("Archive")), 60);
  EXPECT_EQ(minimum_storage_days(kStandard), 0);
  const auto c = storage_class_of("CEPH_COLD");
  EXPECT_GT(c, storage_class_of("OTHER")) << "learned after the known names";
  EXPECT_EQ(storage_class_of("CEPH_COLD"), c);
  EXPECT_EQ(storage_class_name(c), "CEPH_COLD");
  EXPECT_EQ(minimum_storage_days(c), 0);
}

TEST(ListPages, CarryTimesAndClasses) {
  const std::string body =
      "<ListVersionsResult><IsTruncated>false</IsTruncated>"
      "<Version><Key>a</Key><VersionId>2</VersionId><IsLatest>true</IsLatest>"
      "<LastModified>1970-01-02T00:00:00.000Z</LastModified><Size>3</Size><StorageClass>GLACIER</StorageClass></Version>"
      "<DeleteMarker><Key>b</Key><VersionId>1</VersionId><IsLatest>true</IsLatest>"
      "<LastModified>garbage</LastModified></DeleteMarker>"
      "<Version><Key>c</Key><VersionId>1</VersionId><IsLatest>true</IsLatest><Size>1</Size></Version>"
      "</ListVersionsResult>";
  auto page = parse_list_page(ListingKind::versions, body);
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->entries.size(), 3u);
  EXPECT_EQ(page->entries[0].modified, 86400);
  EXPECT_EQ(storage_class_name(page->entries[0].storage_class), "GLACIER");
  EXPECT_EQ(page->entries[1].modified, kNoTime) << "unreadable: unknown, never guessed";
  EXPECT_EQ(page->entries[1].storage_class, kNoStorageClass);
  EXPECT_EQ(page->entries[2].storage_class, kStandard) << "none named: STANDARD";
  EXPECT_EQ(page->entries[2].modified, kNoTime);
}
