#include "engine/range_journal.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

using namespace s3purge::engine;

namespace {

struct TempFile {
  std::string path;
  TempFile() {
    char name[] = "/tmp/s3purge-journal-XXXXXX";
    const int fd = mkstemp(name);
    if (fd >= 0) close(fd);
    path = name;
  }
  ~TempFile() { std::remove(path.c_str()); }
  void write(const std::string& text) const { std::ofstream(path, std::ios::binary) << text; }
};

}  // namespace

TEST(RangeJournal, RecordedRangesAreReadBackMergedAndOnlyForTheirListing) {
  TempFile f;
  {
    auto j = RangeJournal::open(f.path);
    ASSERT_TRUE(j) << j.error().describe();
    EXPECT_FALSE((*j)->record("b", "p/", "entries", {std::nullopt, "p/c"}));
    EXPECT_FALSE((*j)->record("b", "p/", "entries", {"p/c", "p/f"}));
    EXPECT_FALSE((*j)->record("b", "p/", "uploads", {"p/x", std::nullopt}));
    EXPECT_FALSE((*j)->record("other", "p/", "entries", {std::nullopt, std::nullopt}));
    EXPECT_TRUE((*j)->done("b", "p/", "entries").empty()) << "what this run records is for the next";
  }
  auto j = RangeJournal::open(f.path);
  ASSERT_TRUE(j);
  const auto entries = (*j)->done("b", "p/", "entries");
  ASSERT_EQ(entries.size(), 1u) << "adjacent ranges merge";
  EXPECT_EQ(entries[0], (KeyRange{std::nullopt, "p/f"}));
  ASSERT_EQ((*j)->done("b", "p/", "uploads").size(), 1u);
  EXPECT_TRUE((*j)->done("b", "q/", "entries").empty());
}

TEST(RangeJournal, AnyByteOfAKeySurvives) {
  TempFile f;
  const std::string key("a\0b \n\xff", 6);
  {
    auto j = RangeJournal::open(f.path);
    ASSERT_TRUE(j);
    EXPECT_FALSE((*j)->record("b", std::string("\x01 x", 3), "entries", {key, std::nullopt}));
  }
  auto j = RangeJournal::open(f.path);
  ASSERT_TRUE(j);
  const auto done = (*j)->done("b", std::string("\x01 x", 3), "entries");
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].after, key);
}

TEST(RangeJournal, ALastLineCutShortIsIgnoredAndAForeignLineRefused) {
  TempFile f;
  f.write("done entries b x - x61\ndone entries b x x61 x6");  // a crash mid-line
  auto j = RangeJournal::open(f.path);
  ASSERT_TRUE(j) << j.error().describe();
  EXPECT_EQ((*j)->done("b", "", "entries").size(), 1u);

  TempFile g;
  g.write("done entries b x - x61\nsomething else entirely\n");
  auto bad = RangeJournal::open(g.path);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("line 2"), std::string::npos) << bad.error().message;
}

TEST(RangeJournal, AFileThatCannotBeWrittenIsRefused) {
  auto j = RangeJournal::open("/nonexistent-dir/state");
  ASSERT_FALSE(j);
  EXPECT_NE(j.error().message.find("cannot write --state-file"), std::string::npos);
}

TEST(RangeJournal, ABegunRunIsKnownToTheNextOneForItsBucketAndPrefixOnly) {
  TempFile f;
  {
    auto j = RangeJournal::open(f.path);
    ASSERT_TRUE(j) << j.error().describe();
    EXPECT_FALSE((*j)->begun_before("b", "p/")) << "a new file: no run began";
    EXPECT_FALSE((*j)->record_begun("b", "p/"));
    EXPECT_FALSE((*j)->begun_before("b", "p/")) << "what this run records is for the next";
  }
  auto j = RangeJournal::open(f.path);
  ASSERT_TRUE(j) << j.error().describe();
  EXPECT_TRUE((*j)->begun_before("b", "p/"));
  EXPECT_FALSE((*j)->begun_before("b", "q/"));
  EXPECT_FALSE((*j)->begun_before("c", "p/"));
  EXPECT_TRUE((*j)->done("b", "p/", "entries").empty()) << "a begun line empties no range";
}
