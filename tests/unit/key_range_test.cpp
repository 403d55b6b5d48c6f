#include "engine/key_range.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <map>
#include <random>
#include <set>

namespace s3purge::engine {
namespace {

using namespace std::string_literals;

// Keys of awkward shapes: one hot prefix, 200 shared bytes, binary-looking bytes, unicode,
// 1024-byte keys, very dense and very sparse runs, and the key equal to the prefix.
std::set<std::string> adversarial_keys(std::mt19937& rng, const std::string& prefix) {
  std::set<std::string> keys;
  std::uniform_int_distribution<int> byte(0, 255), len(0, 12);
  const std::string shared(200, 'a');
  keys.insert(prefix);
  for (int i = 0; i < 400; ++i) keys.insert(prefix + "hot/" + std::to_string(i));
  for (int i = 0; i < 400; ++i) keys.insert(prefix + shared + std::to_string(i));
  for (int i = 0; i < 300; ++i) {
    std::string k = prefix;
    for (int n = len(rng); n > 0; --n) k.push_back(static_cast<char>(byte(rng)));
    keys.insert(k);
  }
  for (int i = 0; i < 256; ++i) keys.insert(prefix + "dense" + std::string(1, static_cast<char>(i)));
  for (const std::string& u : {"caf\xc3\xa9"s, "cafe\xcc\x81"s, "\xf0\x9f\x98\x80"s, "\xe2\x82\xac"s}) {
    keys.insert(prefix + u);
  }
  keys.insert(prefix + std::string(1024 - prefix.size(), '\xff'));
  keys.insert(prefix + std::string(1024 - prefix.size(), 'z'));
  keys.insert(prefix + std::string(1, '\0'));
  keys.insert(prefix + "\0\0\0"s);
  return keys;
}

// Lists `keys` the way the engine does: ranges taken from a queue, pages of `page` keys,
// and after every page what is left of the range cut into pieces for idle listers.
// Returns how often each key was listed.
std::map<std::string, int> list_with_splits(const std::set<std::string>& keys,
                                            const std::string& prefix,
                                            std::vector<KeyRange> start, std::mt19937& rng,
                                            std::size_t page, int* ranges_seen = nullptr,
                                            bool byte_wise = false) {
  std::map<std::string, int> seen;
  std::deque<KeyRange> queue(start.begin(), start.end());
  std::uniform_int_distribution<int> parts(0, 6), pages(1, 8);
  int ranges = 0;
  while (!queue.empty()) {
    KeyRange r = queue.front();
    queue.pop_front();
    ++ranges;
    std::optional<std::string> pos = r.after;
    for (;;) {
      auto it = pos ? keys.upper_bound(*pos) : keys.lower_bound(prefix);
      std::vector<std::string> listed;
      for (; it != keys.end() && listed.size() < page && it->starts_with(prefix); ++it) {
        listed.push_back(*it);
      }
      const bool more = it != keys.end() && it->starts_with(prefix);
      bool ended = !more;
      for (const auto& k : listed) {
        if (!r.contains(k)) {  // past the range's end: the range is done
          ended = true;
          break;
        }
        ++seen[k];
      }
      if (ended || listed.empty()) break;
      pos = listed.back();
      const int n = parts(rng);
      if (n == 0) continue;
      const std::vector<std::string_view> keys_listed(listed.begin(), listed.end());
      auto cuts = byte_wise ? split_points(prefix, *pos, r.through, listed.front(), listed.back(), n, pages(rng))
                            : cut_range(prefix, keys_listed, r.through, n, pages(rng));
      EXPECT_LE(cuts.size(), static_cast<std::size_t>(n));
      std::optional<std::string> lower = pos;
      for (const auto& c : cuts) {
        EXPECT_TRUE(c.starts_with(prefix));
        EXPECT_GT(c, *lower);
        if (r.through) {
          EXPECT_LT(c, *r.through);
        }
        lower = c;
      }
      if (cuts.empty()) continue;
      for (std::size_t i = 0; i < cuts.size(); ++i) {
        queue.push_back({cuts[i], i + 1 < cuts.size() ? std::optional(cuts[i + 1]) : r.through});
      }
      r.through = cuts.front();
    }
  }
  if (ranges_seen) *ranges_seen = ranges;
  return seen;
}

void expect_each_once(const std::set<std::string>& keys, const std::string& prefix,
                      const std::map<std::string, int>& seen) {
  std::size_t under = 0;
  for (const auto& k : keys) {
    if (!k.starts_with(prefix)) continue;
    ++under;
    auto it = seen.find(k);
    ASSERT_NE(it, seen.end()) << "never listed: " << testing::PrintToString(k);
    EXPECT_EQ(it->second, 1) << testing::PrintToString(k);
  }
  EXPECT_EQ(seen.size(), under);
}

TEST(KeyRange, BoundsAreExclusiveBelowAndInclusiveAbove) {
  const KeyRange r{"b", "d"};
  EXPECT_FALSE(r.contains("b"));
  EXPECT_TRUE(r.contains("b\0"s));
  EXPECT_TRUE(r.contains("d"));
  EXPECT_FALSE(r.contains("d\0"s));
  EXPECT_TRUE(KeyRange{}.contains(""));
  EXPECT_TRUE((KeyRange{"b", "b"}.empty()));
  EXPECT_FALSE((KeyRange{std::nullopt, "b"}.empty()));
}

TEST(KeyRange, CutsAmongFoldersSpreadEvenlyInsideTheRange) {
  std::vector<std::string> folders;
  for (char c = 'a'; c <= 'j'; ++c) folders.push_back(std::string(1, c) + "/");
  // Three cuts over ten folders: four runs of two or three.
  EXPECT_EQ(cuts_among(folders, std::nullopt, std::nullopt, 3), (std::vector{"c/"s, "f/"s, "h/"s}));
  // Only folders strictly inside (pos, through): not the position's own, not the end.
  EXPECT_EQ(cuts_among(folders, "c/x"s, "f/"s, 5), (std::vector{"d/"s, "e/"s}));
  EXPECT_EQ(cuts_among(folders, "c/"s, "d/"s, 5), std::vector<std::string>{});
  // Never more cuts than folders, none repeated, all increasing.
  for (int parts = 0; parts < 14; ++parts) {
    const auto cuts = cuts_among(folders, "a/1"s, std::nullopt, parts);
    EXPECT_EQ(cuts.size(), static_cast<std::size_t>(std::min(parts, 9)));
    EXPECT_TRUE(std::is_sorted(cuts.begin(), cuts.end()));
    EXPECT_EQ(std::adjacent_find(cuts.begin(), cuts.end()), cuts.end());
    for (const auto& c : cuts) EXPECT_GT(c, "a/1"s);
  }
  EXPECT_TRUE(cuts_among({}, std::nullopt, std::nullopt, 4).empty());
}

// So many pages ahead that the range's own end decides.
constexpr int kWide = 2'000'000'000;

TEST(KeyRange, MidpointIsByteWise) {
  // Half way from "a" to "c" is "b"; from "a" to the end of the key space is 0xb0.
  EXPECT_EQ(split_points("", "a", "c"s, "a", "a", 1, kWide), std::vector{"b"s});
  EXPECT_EQ(split_points("", "a", std::nullopt, "\x01", "a", 1, 4), std::vector{"\xb0\x80"s});
  // Keys sharing 200 bytes still have a point between them.
  const std::string shared(200, 'k');
  const auto cut = split_points("", shared + "a", shared + "c", shared + "a", shared + "a", 1, kWide);
  EXPECT_EQ(cut, std::vector{shared + "b"});
  // Nothing lies strictly between "a" and "a\0".
  EXPECT_TRUE(split_points("", "a", "a\0"s, "a", "a", 4, 4).empty());
  EXPECT_TRUE(split_points("", "b", "a"s, "a", "b", 4, 4).empty());
  // Keys outside the prefix are never cut.
  EXPECT_TRUE(split_points("p/", "q", std::nullopt, "q", "q", 4, 4).empty());
}

TEST(KeyRange, PiecesFollowThePageWidth) {
  // A page covered "p/a00".."p/a99" (0x0909 wide): the keys left are guessed to lie within
  // four such widths, cut in four; the last piece also keeps everything beyond.
  const auto cuts = split_points("p/", "p/a99", std::nullopt, "p/a00", "p/a99", 3, 4);
  EXPECT_EQ(cuts, (std::vector{"p/aBB"s, "p/aKK"s, "p/aTT"s}));
  // Less room left than that: the rest is cut evenly.
  EXPECT_EQ(split_points("", "a", "e"s, "a", "a", 3, kWide), (std::vector{"b"s, "c"s, "d"s}));
}

// A page of 1000 keys "FORMAT" % 0..999.
std::vector<std::string> numbered_page(const char* format) {
  std::vector<std::string> keys;
  for (int i = 0; i < 1000; ++i) {
    char k[64];
    std::snprintf(k, sizeof k, format, i);
    keys.push_back(k);
  }
  return keys;
}

TEST(KeyRange, DecimalKeysAreCutInDecimal) {
  // A page of "object-000000".."object-000999": 1000 keys over three digits. Guessing 4
  // such pages ahead and cutting in 4, the pieces start at 1000, 2000 and 3000, not at
  // byte-wise points that hold a few keys each.
  const auto keys = numbered_page("object-%06d");
  const std::vector<std::string_view> page(keys.begin(), keys.end());
  const auto cuts = split_points_in_alphabet("", page, std::nullopt, 3, 4);
  ASSERT_EQ(cuts.size(), 3u);
  // Each piece holds about one page of the keys that would follow.
  for (std::size_t i = 0; i < cuts.size(); ++i) {
    const int n = std::stoi(cuts[i].substr(7));
    EXPECT_NEAR(n, 999 + 999 * static_cast<int>(i + 1), 2) << cuts[i];
  }
  // Byte-wise, the same cut puts the first piece's end within a few keys of the page.
  const auto bytes = split_points("", page.back(), std::nullopt, page.front(), page.back(), 3, 4);
  ASSERT_FALSE(bytes.empty());
  EXPECT_LT(bytes[0], "object-001010") << "byte-wise pieces are narrow for decimal keys";
  // Hash-like names: hex.
  std::vector<std::string> hex;
  for (int i = 0; i < 256; ++i) {
    char k[16];
    std::snprintf(k, sizeof k, "%02x%02x", i / 16, (i * 7) % 256);
    hex.push_back(k);
  }
  std::sort(hex.begin(), hex.end());
  const std::vector<std::string_view> hex_page(hex.begin(), hex.begin() + 100);
  for (const auto& c : split_points_in_alphabet("", hex_page, std::nullopt, 5, 2)) {
    EXPECT_EQ(c.find_first_not_of("0123456789abcdef"), std::string::npos) << c;
  }
  // One key's versions, or a page of one key: nothing to read as a number.
  const std::vector<std::string_view> same{"k", "k", "k"};
  EXPECT_TRUE(split_points_in_alphabet("", same, std::nullopt, 3, 4).empty());
}

TEST(KeyRange, FarCutsReachKeysThePageDidNotShow) {
  // The first page of 1000 prefixes of 1000 keys each shows only "prefix-0000/...": some
  // cut must still land among the later prefixes.
  const auto keys = numbered_page("prefix-0000/object-%09d");
  const std::vector<std::string_view> page(keys.begin(), keys.end());
  const auto cuts = cut_range("", page, std::nullopt, 15, 1024);
  ASSERT_FALSE(cuts.empty());
  EXPECT_TRUE(std::any_of(cuts.begin(), cuts.end(), [](const std::string& c) {
    return c > "prefix-0001" && c < "prefix-0999";
  })) << testing::PrintToString(cuts);
  for (std::size_t i = 1; i < cuts.size(); ++i) EXPECT_LT(cuts[i - 1], cuts[i]);
}

TEST(KeyRange, SplittingListsEveryKeyOnce) {
  for (unsigned seed = 1; seed <= 40; ++seed) {
    std::mt19937 rng(seed);
    const std::string prefix = seed % 2 ? "" : "logs/2024/";
    auto keys = adversarial_keys(rng, prefix);
    keys.insert("outside-the-prefix");  // when there is one
    for (std::size_t page : {1u, 7u, 100u}) {
      for (const bool byte_wise : {false, true}) {
        int ranges = 0;
        auto seen = list_with_splits(keys, prefix, {KeyRange{}}, rng, page, &ranges, byte_wise);
        expect_each_once(keys, prefix, seen);
        if (page == 1) {
          EXPECT_GT(ranges, 10);  // it did split
        }
      }
    }
  }
}

TEST(KeyRange, ShardsCoverEveryKeyOnce) {
  std::mt19937 rng(7);
  for (const std::string& prefix : {""s, "data/"s}) {
    auto keys = adversarial_keys(rng, prefix);
    for (int n : {1, 2, 3, 16, 100}) {
      std::vector<KeyRange> all;
      for (int i = 0; i < n; ++i) {
        auto shard = shard_ranges(prefix, i, n);
        EXPECT_EQ(shard.size(), 256u);
        all.insert(all.end(), shard.begin(), shard.end());
      }
      const auto whole = merge(all);
      ASSERT_EQ(whole.size(), 1u);  // they meet: no gap
      EXPECT_FALSE(whole[0].after || whole[0].through);
      auto seen = list_with_splits(keys, prefix, all, rng, 50);
      expect_each_once(keys, prefix, seen);
    }
  }
  // Hex names (hashes, UUIDs), and decimal names under a prefix, spread over all four.
  for (const bool hex : {true, false}) {
    std::map<int, int> per_shard;
    for (int i = 0; i < 4000; ++i) {
      char buf[16];
      std::snprintf(buf, sizeof buf, hex ? "%08x" : "k%d", hex ? static_cast<unsigned>(rng()) : i);
      for (int s = 0; s < 4; ++s) {
        for (const auto& r : shard_ranges(hex ? "" : "k", s, 4)) per_shard[s] += r.contains(buf);
      }
    }
    EXPECT_EQ(per_shard.size(), 4u);
    for (const auto& [s, n] : per_shard) EXPECT_GT(n, hex ? 700 : 250) << "shard " << s;
  }
}

TEST(KeyRange, SubtractLeavesExactlyTheRest) {
  std::mt19937 rng(3);
  std::set<std::string> universe;
  for (int i = 0; i < 60; ++i) universe.insert(std::string(1, static_cast<char>('a' + i % 26)) + std::to_string(i));
  universe.insert("");
  std::vector<std::string> points(universe.begin(), universe.end());
  std::uniform_int_distribution<std::size_t> pick(0, points.size() - 1);
  std::uniform_int_distribution<int> coin(0, 4);
  auto bound = [&]() -> std::optional<std::string> {
    if (coin(rng) == 0) return std::nullopt;
    return points[pick(rng)];
  };
  for (int round = 0; round < 500; ++round) {
    const KeyRange range{bound(), bound()};
    std::vector<KeyRange> done;
    for (int n = coin(rng); n > 0; --n) done.push_back({bound(), bound()});
    const auto left = subtract(range, done);
    for (std::size_t i = 1; i < left.size(); ++i) {
      ASSERT_TRUE(left[i - 1].through && left[i].after);
      EXPECT_LT(*left[i - 1].through, *left[i].after);  // in order, apart
    }
    for (const auto& k : universe) {
      const bool in_done = std::any_of(done.begin(), done.end(), [&](auto& d) { return d.contains(k); });
      const bool expected = range.contains(k) && !in_done;
      const int found = static_cast<int>(
          std::count_if(left.begin(), left.end(), [&](auto& l) { return l.contains(k); }));
      EXPECT_EQ(found, expected ? 1 : 0) << "key " << k << " round " << round;
    }
  }
}

TEST(KeyRange, MergeJoinsRangesThatMeet) {
  const auto m = merge({{"c"s, "e"s}, {std::nullopt, "b"s}, {"b"s, "c"s}, {"x"s, std::nullopt}, {"f"s, "g"s}});
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0], (KeyRange{std::nullopt, "e"s}));
  EXPECT_EQ(m[1], (KeyRange{"f"s, "g"s}));
  EXPECT_EQ(m[2], (KeyRange{"x"s, std::nullopt}));
}

}  // namespace
}  // namespace s3purge::engine
