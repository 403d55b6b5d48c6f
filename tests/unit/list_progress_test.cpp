#include "protocol/list_progress.hpp"
#include "protocol/listing.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace s3purge::protocol;

namespace {

ListedPage v2(std::string_view first, std::string_view last, std::size_t n, bool truncated,
              std::string_view token) {
  return {n, first, last, truncated, {token, {}, {}}};
}

ListedPage markers(std::string_view first, std::string_view last, std::size_t n, bool truncated,
                   std::string_view key, std::string_view id) {
  return {n, first, last, truncated, {{}, key, id}};
}

}  // namespace

TEST(ListProgress, AListingThatMovesIsFollowedToItsEnd) {
  ListProgress p;
  EXPECT_TRUE(p.check(v2("a", "c", 3, true, "t1"), false));
  EXPECT_TRUE(p.check(v2("d", "f", 3, true, "t2"), false));
  EXPECT_TRUE(p.check(v2("g", "g", 1, false, ""), false));
}

TEST(ListProgress, TheSameTokenTwiceIsAnError) {
  ListProgress p;
  EXPECT_TRUE(p.check(v2("", "", 0, true, "same"), false));
  const auto r = p.check(v2("", "", 0, true, "same"), false);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, client_errc::listing_stalled);
  EXPECT_NE(r.error().message.find("continuation token"), std::string::npos);
}

TEST(ListProgress, TokensGoingRoundInACircleAreCaught) {
  ListProgress p;
  EXPECT_TRUE(p.check(v2("", "", 0, true, "A"), false));
  EXPECT_TRUE(p.check(v2("", "", 0, true, "B"), false));
  EXPECT_FALSE(p.check(v2("", "", 0, true, "A"), false));
}

TEST(ListProgress, APageThatListsAgainWhatWasListedIsAnError) {
  ListProgress p;
  EXPECT_TRUE(p.check(v2("a", "m", 5, true, "t1"), false));
  const auto r = p.check(v2("a", "m", 5, true, "t2"), false);  // a new token, the same keys
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, client_errc::listing_stalled);
}

TEST(ListProgress, MarkersThatPointBackAreAnError) {
  ListProgress p;
  EXPECT_TRUE(p.check(markers("a", "m", 5, true, "m", "v9"), true));
  const auto r = p.check(markers("n", "p", 2, true, "c", "v1"), true);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("below"), std::string::npos);
}

TEST(ListProgress, RepeatedMarkersAreAnError) {
  ListProgress p;
  EXPECT_TRUE(p.check(markers("a", "m", 5, true, "m", "v9"), true));
  EXPECT_FALSE(p.check(markers("m", "m", 1, true, "m", "v9"), true));
}

TEST(ListProgress, AKeyWithManyVersionsMayStayOnOneKeyMarker) {
  ListProgress p;
  EXPECT_TRUE(p.check(markers("k", "k", 1000, true, "k", "v1000"), true));
  EXPECT_TRUE(p.check(markers("k", "k", 1000, true, "k", "v2000"), true));
  EXPECT_TRUE(p.check(markers("k", "z", 10, false, "", ""), true));
}

TEST(ListProgress, EndlessEmptyPagesEnd) {
  ListProgress p;
  bool stopped = false;
  for (int i = 0; i < 5000 && !stopped; ++i) {
    stopped = !p.check(v2("", "", 0, true, "t" + std::to_string(i)), false);
  }
  EXPECT_TRUE(stopped);
}

TEST(ListProgress, APageFarLargerThanAskedIsRefused) {
  ListProgress p;
  const auto r = p.check(v2("a", "z", 60'000, false, ""), false);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, client_errc::page_too_large);
}

namespace {

s3purge::protocol::ListPage versions_page(std::vector<std::pair<const char*, const char*>> entries) {
  s3purge::protocol::ListPage page;
  for (const auto& [key, id] : entries) {
    s3purge::protocol::ListedEntry e;
    e.key = key;
    e.id = id;
    e.kind = s3purge::protocol::EntryKind::version;
    page.entries.push_back(std::move(e));
  }
  return page;
}

}  // namespace

TEST(RepeatFilter, EntriesOfTheKeyThatSpansPagesAreTakenOnce) {
  s3purge::protocol::RepeatFilter f;
  auto p1 = versions_page({{"a", "1"}, {"b", "3"}, {"b", "2"}});
  EXPECT_EQ(f.drop_repeats(p1), 0u);
  // The server takes version-id-marker=2 as inclusive, and lists b/2 again.
  auto p2 = versions_page({{"b", "2"}, {"b", "1"}, {"c", "9"}});
  EXPECT_EQ(f.drop_repeats(p2), 1u);
  ASSERT_EQ(p2.entries.size(), 2u);
  EXPECT_EQ(p2.entries[0].id, "1");
  // c/9 is the key the page ended with now; b is no longer remembered (nor needed).
  auto p3 = versions_page({{"c", "9"}, {"c", "8"}});
  EXPECT_EQ(f.drop_repeats(p3), 1u);
  auto p4 = versions_page({{"c", "9"}, {"c", "8"}, {"c", "3"}});
  EXPECT_EQ(f.drop_repeats(p4), 2u) << "every entry of the spanning key listed so far";
  auto p5 = versions_page({{"c", "8"}});
  EXPECT_EQ(f.drop_repeats(p5), 1u);
  EXPECT_TRUE(p5.entries.empty());
  auto p6 = versions_page({{"d", "1"}});
  EXPECT_EQ(f.drop_repeats(p6), 0u);
}
