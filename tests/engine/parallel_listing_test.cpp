// Parallel key-range listing against the in-process emulator: every key is listed and
// deleted exactly once, whatever the layout, for objects, versions and uploads; and shards
// run side by side split one bucket between them.
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <thread>

#include "emulator_fixture.hpp"
#include "engine/key_range.hpp"
#include "engine/lister_growth.hpp"

namespace s3purge::testing {
namespace {

using engine::Kind;
using namespace std::string_literals;

// Layouts that defeat naive splitting. Keys stay valid UTF-8, as S3 requires.
std::vector<std::string> layout(const std::string& name, std::mt19937& rng) {
  std::set<std::string> keys;
  if (name == "hot-prefix") {
    for (int i = 0; i < 1500; ++i) keys.insert("logs/2024/11/23/host-7/" + std::to_string(i));
    keys.insert("a-lone-key");
    keys.insert("zzz");
  } else if (name == "shared-200-bytes") {
    const std::string shared(200, 'q');
    for (int i = 0; i < 1500; ++i) keys.insert(shared + std::to_string(i * 7919 % 100000));
  } else if (name == "binary-looking") {
    std::uniform_int_distribution<int> byte(1, 0x7f), len(1, 24);
    while (keys.size() < 1500) {
      std::string k;
      for (int n = len(rng); n > 0; --n) k.push_back(static_cast<char>(byte(rng)));
      keys.insert(k);
    }
  } else if (name == "unicode") {
    const std::vector<std::string> parts = {"caf\xc3\xa9", "cafe\xcc\x81", "\xf0\x9f\x98\x80",
                                            "\xe2\x82\xac", "\xe4\xb8\xad\xe6\x96\x87", "~", "z"};
    std::uniform_int_distribution<std::size_t> pick(0, parts.size() - 1);
    while (keys.size() < 1500) keys.insert(parts[pick(rng)] + "/" + parts[pick(rng)] + std::to_string(keys.size()));
  } else if (name == "long-keys") {
    for (int i = 0; i < 400; ++i) {
      std::string k = std::to_string(i) + "/";
      k.resize(1024, static_cast<char>('a' + i % 26));
      keys.insert(k);
    }
  } else if (name == "folders") {
    // One folder holding ten (fewer than a page of them: ranges by folder), nothing beside.
    for (int d = 0; d < 10; ++d) {
      for (int i = 0; i < 150; ++i) keys.insert("root/dir-" + std::to_string(d) + "/f" + std::to_string(i));
    }
  } else if (name == "folders-and-files") {
    // More folders than a page holds, and keys beside them: ranges cut at the folders.
    for (int d = 0; d < 40; ++d) {
      for (int i = 0; i < 30; ++i) keys.insert("d" + std::to_string(d) + "/f" + std::to_string(i));
      keys.insert("d" + std::to_string(d) + ".txt");
    }
  } else if (name == "sparse-and-dense") {
    for (int i = 0; i < 1200; ++i) keys.insert("m" + std::to_string(100000 + i));  // dense
    for (const char* k : {"\x01", "0", "A", "b", "y", "\x7f", "\xc3\xbf", "\xf4\x8f\xbf\xbf"}) keys.insert(k);
  }
  return {keys.begin(), keys.end()};
}

struct Case {
  const char* layout;
  int versions;  // 1: unversioned
  int uploads;
};

class ParallelListing : public ::testing::TestWithParam<Case> {};

TEST_P(ParallelListing, EveryEntryListedAndDeletedOnce) {
  const Case c = GetParam();
  std::mt19937 rng(11);
  const auto keys = layout(c.layout, rng);
  Emulator::Config config;
  config.router.max_page = 13;  // many pages, so listers split and meet
  Emulator emu(config);
  emu.add_bucket("layout", keys, c.versions, c.uploads);

  auto o = options_for(emu, "layout");
  o.listers = 8;
  o.delete_bucket = true;
  const auto r = purge(o);
  ASSERT_TRUE(r.stopped.empty()) << summary(r);
  EXPECT_TRUE(r.bucket_deleted) << summary(r);
  EXPECT_TRUE(r.balanced()) << summary(r);
  const std::uint64_t n = keys.size();
  const std::uint64_t markers = c.versions > 1 ? (n + 2) / 3 : 0;
  if (c.versions > 1) {
    EXPECT_EQ(r.of(Kind::version).listed, n * c.versions) << summary(r);
    EXPECT_EQ(r.of(Kind::delete_marker).listed, markers) << summary(r);
  } else {
    EXPECT_EQ(r.of(Kind::object).listed, n) << summary(r);
  }
  EXPECT_EQ(r.of(Kind::upload).listed, n * c.uploads) << summary(r);
  EXPECT_EQ(r.total(&engine::KindCounts::deleted), r.total(&engine::KindCounts::listed));
  EXPECT_EQ(emu.stats().deletes_without_effect_total(), 0u) << "nothing deleted twice";
  EXPECT_EQ(emu.stats().keys_deleted_total(), n * c.versions + markers);
  EXPECT_GT(r.ranges_listed, 8u) << "the listing was split";
  EXPECT_EQ(r.passes, 1) << "one pass found everything";
}

INSTANTIATE_TEST_SUITE_P(
    Layouts, ParallelListing,
    ::testing::Values(Case{"hot-prefix", 1, 0}, Case{"hot-prefix", 2, 1},
                      Case{"shared-200-bytes", 1, 0}, Case{"shared-200-bytes", 2, 1},
                      Case{"binary-looking", 1, 0}, Case{"binary-looking", 2, 1},
                      Case{"unicode", 1, 0}, Case{"unicode", 2, 1}, Case{"long-keys", 1, 0},
                      Case{"long-keys", 2, 2}, Case{"folders", 1, 0}, Case{"folders", 2, 1},
                      Case{"folders-and-files", 1, 0}, Case{"folders-and-files", 2, 1},
                      Case{"sparse-and-dense", 1, 0},
                      Case{"sparse-and-dense", 2, 1}),
    [](const auto& param_info) {
      const Case& p = param_info.param;
      std::string name = std::string(p.layout) + (p.versions > 1 ? "_versioned" : "_plain");
      for (auto& ch : name) ch = ch == '-' ? '_' : ch;
      return name;
    });

// Small folders are listed several to a page: ranges are runs of folders, not one each.
TEST(FolderRanges, SmallFoldersShareListPages) {
  std::vector<std::string> keys;
  for (int d = 0; d < 60; ++d) {
    for (int i = 0; i < 20; ++i) keys.push_back("day-" + std::to_string(100 + d) + "/f" + std::to_string(i));
  }
  std::sort(keys.begin(), keys.end());
  Emulator emu(Emulator::Config{});
  emu.add_bucket("folders", keys, 1, 0);
  auto o = options_for(emu, "folders");
  o.listers = 4;
  const auto r = purge(o);
  ASSERT_TRUE(r.stopped.empty()) << summary(r);
  EXPECT_EQ(r.of(Kind::object).deleted, keys.size());
  // 1,200 keys: two pages' worth, four ranges, one folder probe, one check; a range per
  // folder would list 60 pages.
  EXPECT_LE(r.calls.latency.at("ListObjectsV2").count(), 12u) << summary(r);
  EXPECT_EQ(emu.stats().deletes_without_effect_total(), 0u);
}

// Objects of an unversioned bucket: the folders are asked while the whole range is listed.
// Nested two levels deep they take three round trips, so the whole range has pages listed
// when they come; it then ends at the first cut past them, and the ranges above go to the
// other listers. Listed more than once, keys would be counted twice.
TEST(FolderRanges, LateFoldersCutTheWholeRangeAsItIsListed) {
  std::vector<std::string> keys;
  for (int d = 0; d < 30; ++d) {
    for (int i = 0; i < 40; ++i) keys.push_back("a/b/dir-" + std::to_string(100 + d) + "/f" + std::to_string(i));
  }
  std::sort(keys.begin(), keys.end());
  Emulator::Config config;
  config.router.max_page = 25;  // 48 pages
  config.server.list_latency = std::chrono::milliseconds(10);
  Emulator emu(config);
  emu.add_bucket("nested", keys, 1, 0);
  auto o = options_for(emu, "nested");
  o.listers = 4;
  const auto r = purge(o);
  ASSERT_TRUE(r.stopped.empty()) << summary(r);
  EXPECT_EQ(r.of(Kind::object).listed, keys.size()) << summary(r);
  EXPECT_EQ(r.of(Kind::object).deleted, keys.size()) << summary(r);
  EXPECT_EQ(emu.stats().deletes_without_effect_total(), 0u);
  EXPECT_GE(r.ranges_listed, 4u) << "the whole range was cut at the folders";
  // 48 pages, a page more where a range's last one reads past its end, three probes and a
  // check; listing it all again from the first key would take 48 more.
  EXPECT_LE(r.calls.latency.at("ListObjectsV2").count(), 75u) << summary(r);
}

// Inside a folder, a split cuts where the folder's keys probably end (folders listed so far
// say how many a folder holds), not 1024 pages ahead or towards the next folder: pieces that
// come back empty cost a list request each.
TEST(FolderRanges, SplitsInsideAFolderStayNearItsKeys) {
  std::vector<std::string> keys;
  for (int d = 0; d < 20; ++d) {
    for (int i = 0; i < 1000; ++i) keys.push_back("day-" + std::to_string(100 + d) + "/obj-" + std::to_string(100000 + 1000 * d + i));
  }
  Emulator::Config config;
  config.router.max_page = 100;  // 10 pages a folder, 200 in all
  config.server.list_latency = std::chrono::milliseconds(20);  // listers wait for work often
  Emulator emu(config);
  emu.add_bucket("days", keys, 1, 0);
  auto o = options_for(emu, "days");
  o.listers = 64;
  const auto r = purge(o);
  ASSERT_TRUE(r.stopped.empty()) << summary(r);
  EXPECT_EQ(r.of(Kind::object).deleted, keys.size());
  EXPECT_EQ(emu.stats().deletes_without_effect_total(), 0u);
  // 200 pages, the folder probe and the check, and a page more for a piece here and there:
  // about 400 measured. Cuts 1024 pages ahead took 620-970.
  EXPECT_LE(r.calls.latency.at("ListObjectsV2").count(), 500u) << summary(r);
}

// Slow list pages starve the deleters, and the process mostly waits: listers are added
// (the default, --listers 0). A fixed --listers stays as given.
TEST(ListerGrowth, SlowListPagesAddListers) {
  std::vector<std::string> keys;
  for (int i = 0; i < 6000; ++i) keys.push_back("k" + std::to_string(100000 + i));
  for (const int fixed : {0, 2}) {
    Emulator::Config config;
    config.router.max_page = 100;
    config.server.list_latency = std::chrono::milliseconds(40);
    Emulator emu(config);
    emu.add_bucket("slow", keys, 1, 0);
    auto o = options_for(emu, "slow");
    o.concurrency = 8;  // two listers to start with
    o.listers = fixed;
    const auto r = purge(o);
    ASSERT_TRUE(r.stopped.empty()) << summary(r);
    EXPECT_EQ(r.of(Kind::object).deleted, keys.size());
    EXPECT_EQ(emu.stats().deletes_without_effect_total(), 0u);
    if (fixed) {
      EXPECT_EQ(r.listers_peak, fixed);
    } else {
      EXPECT_GT(r.listers_peak, 2) << "60 pages at 40 ms each, two listers: more were added";
    }
  }
}

// Slow deletes and far list pages: the deleters soon have keys queued, and listers are
// added only while they wait for them (at the start, before pages came: one for each of
// the 10 ranges the folders cut, or a doubling). A deleter busy deleting does not count as
// waiting: when it did, such a listing grew to 64 listers.
TEST(ListerGrowth, DeletersBusyDeletingAddNoListers) {
  Emulator::Config config;
  config.seeds = {"bucket=slowdel,objects=3000,prefixes=10"};
  config.router.max_page = 100;
  config.server.list_latency = std::chrono::milliseconds(30);
  config.server.per_key_latency = std::chrono::milliseconds(2);  // 200 ms a batch
  Emulator emu(config);
  auto o = options_for(emu, "slowdel");
  o.batch_size = 100;  // 8 deleters: 40 batches/s; 2 listers: 66 pages/s
  const auto r = purge(o);
  ASSERT_TRUE(r.stopped.empty()) << summary(r);
  EXPECT_EQ(r.of(Kind::object).deleted, 3000u);
  EXPECT_LE(r.listers_peak, 12) << summary(r);
}

// Three shards emptied side by side, each by its own purger and thread as if on its own
// machine: together they delete every entry once, and none touches another's keys.
TEST(Shards, DisjointShardsDeleteEveryKeyOnce) {
  std::mt19937 rng(5);
  auto keys = layout("unicode", rng);
  for (const auto& k : layout("hot-prefix", rng)) keys.push_back(k);
  for (int i = 0; i < 600; ++i) {  // hash-like names, which spread over every shard
    char name[16];
    std::snprintf(name, sizeof name, "%08x", static_cast<unsigned>(rng()));
    keys.push_back(name);
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  Emulator::Config config;
  config.router.max_page = 50;
  Emulator emu(config);
  emu.add_bucket("sharded", keys, 2, 1);

  constexpr int kShards = 3;
  std::vector<engine::PurgeReport> reports(kShards);
  std::vector<std::thread> machines;
  for (int i = 0; i < kShards; ++i) {
    machines.emplace_back([&, i] {
      auto o = options_for(emu, "sharded");
      o.listers = 4;
      o.ranges = engine::shard_ranges("", i, kShards);
      reports[i] = purge(o);
    });
  }
  for (auto& m : machines) m.join();
  std::uint64_t listed = 0;
  for (const auto& r : reports) {
    EXPECT_TRUE(r.stopped.empty()) << summary(r);
    EXPECT_TRUE(r.empty_verified) << summary(r);
    EXPECT_GT(r.total(&engine::KindCounts::deleted), 0u) << "every shard had work";
    listed += r.total(&engine::KindCounts::listed);
  }
  const std::uint64_t n = keys.size(), entries = n * 2 + (n + 2) / 3;
  EXPECT_EQ(listed, entries + n) << "each entry and upload listed by one shard only";
  EXPECT_EQ(emu.stats().keys_deleted_total(), entries);
  EXPECT_EQ(emu.stats().deletes_without_effect_total(), 0u);
  const auto left = emu.census("sharded");
  ASSERT_TRUE(left);
  EXPECT_TRUE(left->empty()) << "shards keep the bucket; it is empty";
}

// Far list pages (a WAN) and keys in folders: the first cut makes as many ranges as the
// listers may grow to (first_ranges), and listers are added from the first look on, the
// folders' answer having shown the network answers.
TEST(ListerGrowth, FarPagesGrowOverRangesCutFirst) {
  Emulator::Config config;
  config.seeds = {"bucket=wide,objects=20000,prefixes=100"};
  config.router.max_page = 100;
  config.server.list_latency = std::chrono::milliseconds(30);
  Emulator emu(config);
  const auto r = purge(options_for(emu, "wide"));  // 8 deleters: 2 listers to start with
  ASSERT_TRUE(r.stopped.empty()) << summary(r);
  EXPECT_EQ(r.of(Kind::object).deleted, 20000u);
  EXPECT_EQ(emu.stats().deletes_without_effect_total(), 0u);
  EXPECT_GE(r.ranges_listed, static_cast<std::uint64_t>(engine::kMaxListers)) << summary(r);
  EXPECT_GT(r.listers_peak, 2);
}

}  // namespace
}  // namespace s3purge::testing
