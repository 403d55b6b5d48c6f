// A range's entries judged page by page: a key's versions split over pages, the entry on
// top held back until what lies beneath is known, orphan markers, versions that would
// come back, and the age of a noncurrent version from the entry above it.
#include "engine/key_selector.hpp"

#include <gtest/gtest.h>

using namespace s3purge;
using namespace s3purge::engine;
using protocol::KeptBy;
using Kind = protocol::EntryKind;

namespace {

Item entry(const char* key, const char* id, Kind kind, bool latest, std::int64_t modified,
           protocol::StorageClass cls = protocol::kStandard) {
  Item i;
  i.key = key;
  i.id = id;
  i.kind = kind;
  i.latest = latest;
  i.modified = modified;
  i.storage_class = kind == Kind::delete_marker ? protocol::kNoStorageClass : cls;
  return i;
}

// Every entry judged, pages fed one by one, in the order they came out.
std::vector<Item> judge_pages(KeySelector& s, std::vector<std::vector<Item>> pages) {
  std::vector<Item> out;
  for (std::size_t p = 0; p < pages.size(); ++p) {
    s.judge_page(pages[p], p + 1 == pages.size());
    for (auto& i : pages[p]) out.push_back(std::move(i));
  }
  return out;
}

KeptBy kept(const std::vector<Item>& items, const char* key, const char* id) {
  for (const auto& i : items) {
    if (i.key == key && i.id == id) return i.kept;
  }
  ADD_FAILURE() << key << " " << id << " not judged";
  return KeptBy::none;
}

}  // namespace

TEST(KeySelector, NoncurrentAgeIsWhenTheEntryAboveReplacedIt) {
  protocol::Selection s;
  s.parts = protocol::kNoncurrent;
  s.older_than = 100;
  KeySelector sel(s, "");
  // k: v3 (current, t=150) over v2 (t=90, replaced at 150) over v1 (t=50, replaced at 90).
  auto out = judge_pages(sel, {{entry("k", "3", Kind::version, true, 150), entry("k", "2", Kind::version, false, 90)},
                               {entry("k", "1", Kind::version, false, 50)}});
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(kept(out, "k", "3"), KeptBy::kind);
  EXPECT_EQ(kept(out, "k", "2"), KeptBy::age) << "noncurrent since 150, not 90";
  EXPECT_EQ(kept(out, "k", "1"), KeptBy::none) << "noncurrent since 90";
}

TEST(KeySelector, TheTopWaitsForItsKeyToEndAcrossPages) {
  protocol::Selection s;
  s.parts = protocol::kNoncurrent | protocol::kOrphanMarkers;
  KeySelector sel(s, "");
  std::vector<Item> first{entry("a", "1", Kind::version, true, 10), entry("b", "m", Kind::delete_marker, true, 20)};
  sel.judge_page(first, false);
  ASSERT_EQ(first.size(), 1u) << "b's marker waits: versions of b may follow";
  EXPECT_EQ(first[0].key, "a");
  std::vector<Item> second{entry("b", "v", Kind::version, false, 5), entry("c", "m", Kind::delete_marker, true, 30)};
  sel.judge_page(second, true);
  ASSERT_EQ(second.size(), 3u);
  EXPECT_EQ(kept(second, "b", "v"), KeptBy::none);
  EXPECT_EQ(kept(second, "b", "m"), KeptBy::none) << "nothing stays beneath: an orphan once the run is done";
  EXPECT_EQ(kept(second, "c", "m"), KeptBy::none) << "alone: an orphan";
}

TEST(KeySelector, AMarkerOverAKeptVersionIsNoOrphan) {
  protocol::Selection s;
  s.parts = protocol::kNoncurrent | protocol::kOrphanMarkers;
  s.keep_newest = 1;
  KeySelector sel(s, "");
  auto out = judge_pages(sel, {{entry("k", "m", Kind::delete_marker, true, 30), entry("k", "2", Kind::version, false, 20),
                                entry("k", "1", Kind::version, false, 10)}});
  EXPECT_EQ(kept(out, "k", "2"), KeptBy::newest);
  EXPECT_EQ(kept(out, "k", "1"), KeptBy::none);
  EXPECT_EQ(kept(out, "k", "m"), KeptBy::kind) << "it still hides version 2";
}

TEST(KeySelector, TakingTheTopOverAKeptVersionIsRefusedOrCounted) {
  protocol::Selection s;
  s.keep_newest = 1;
  for (const bool allow : {false, true}) {
    s.allow_resurface = allow;
    KeySelector sel(s, "");
    auto out = judge_pages(sel, {{entry("k", "3", Kind::version, true, 30), entry("k", "2", Kind::version, false, 20)},
                                 {entry("k", "1", Kind::version, false, 10), entry("x", "1", Kind::version, true, 5)}});
    EXPECT_EQ(kept(out, "k", "3"), allow ? KeptBy::none : KeptBy::resurface);
    EXPECT_EQ(kept(out, "k", "2"), KeptBy::newest);
    EXPECT_EQ(kept(out, "x", "1"), KeptBy::none) << "nothing beneath";
    EXPECT_EQ(sel.resurfacing(), allow ? 1u : 0u);
  }
}

TEST(KeySelector, AKeptMarkerBeneathHidesTheKey) {
  // Taking the current version leaves a marker on top: the key stays deleted, nothing
  // comes back.
  protocol::Selection s;
  s.parts = protocol::kCurrent | protocol::kNoncurrent;
  KeySelector sel(s, "");
  auto out = judge_pages(sel, {{entry("k", "3", Kind::version, true, 30), entry("k", "m", Kind::delete_marker, false, 20),
                                entry("k", "1", Kind::version, false, 10)}});
  EXPECT_EQ(kept(out, "k", "3"), KeptBy::none);
  EXPECT_EQ(kept(out, "k", "m"), KeptBy::kind);
  EXPECT_EQ(sel.resurfacing(), 0u);
}

TEST(KeySelector, PatternsAreRelativeToThePrefixAndOutsideIsKept) {
  protocol::Selection s;
  s.include.push_back(*protocol::KeyPattern::parse("/a*"));
  KeySelector sel(s, "p/");
  auto out = judge_pages(sel, {{entry("p/ab", "", Kind::object, true, 1), entry("p/b", "", Kind::object, true, 1),
                                entry("q/a", "", Kind::object, true, 1)}});
  EXPECT_EQ(kept(out, "p/ab", ""), KeptBy::none);
  EXPECT_EQ(kept(out, "p/b", ""), KeptBy::pattern);
  EXPECT_EQ(kept(out, "q/a", ""), KeptBy::outside_prefix);
}

TEST(KeySelector, MemoryStaysFlatForAKeyOfManyVersions) {
  protocol::Selection s;
  s.parts = protocol::kNoncurrent;
  KeySelector sel(s, "");
  std::size_t out = 0;
  for (int p = 0; p < 100; ++p) {
    std::vector<Item> page;
    for (int i = 0; i < 1000; ++i) {
      const int n = p * 1000 + i;
      page.push_back(entry("k", std::to_string(n).c_str(), Kind::version, n == 0, 1'000'000 - n));
    }
    sel.judge_page(page, p == 99);
    EXPECT_GE(page.size(), 999u) << "at most the top is held";
    out += page.size();
  }
  EXPECT_EQ(out, 100'000u);
}

TEST(KeySelector, AListingOutOfOrderIsNotTakenAtItsWord) {
  protocol::Selection s;
  s.parts = protocol::kNoncurrent;
  s.older_than = 100;
  KeySelector sel(s, "");
  // A second "latest" beneath the first, and a version newer than the entry above it.
  auto out = judge_pages(sel, {{entry("k", "3", Kind::version, true, 50), entry("k", "2", Kind::version, true, 40),
                                entry("k", "1", Kind::version, false, 60)}});
  EXPECT_EQ(kept(out, "k", "2"), KeptBy::kind) << "marked latest: current, whatever its place";
  EXPECT_EQ(kept(out, "k", "1"), KeptBy::age) << "newer than the entry above: its age is unknown";
}
