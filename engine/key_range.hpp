// Ranges of the key space, for listing one bucket from many places at once.
//
// A range holds the keys k with  after < k <= through  in S3's order (bytes of UTF-8,
// compared as unsigned): `after` is what ListObjectsV2's start-after and the key-marker of
// ListObjectVersions and ListMultipartUploads take, so a range's listing starts exactly at
// its first key. A missing `after` starts at the beginning, a missing `through` runs to the
// end. Ranges that meet (one's `through` is the next one's `after`) share no key.
//
// Split points are computed on what follows the prefix, reading those bytes as a base-256
// fraction in [0, 1]: a midpoint of two keys is the byte-wise midpoint of the fractions, so
// keys that share a long prefix still split between them, however long it is.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace s3purge::engine {

struct KeyRange {
  KeyRange() = default;
  KeyRange(std::optional<std::string> a, std::optional<std::string> t, std::string w = {})
      : after(std::move(a)), through(std::move(t)), within(std::move(w)) {}

  std::optional<std::string> after;    // exclusive; none: from the first key
  std::optional<std::string> through;  // inclusive; none: to the last key
  // Not empty: only keys that start with this are in the range, and it is listed with this
  // as the prefix, so the server says where it ends (a folder of a hierarchical bucket).
  std::string within;

  bool contains(std::string_view key) const {
    return key.starts_with(within) && (!after || key > *after) && (!through || key <= *through);
  }
  // No key can lie inside (after >= through).
  bool empty() const { return after && through && *after >= *through; }
  bool operator==(const KeyRange&) const = default;
};

// Where to cut what is left of a range, (pos, through], into `parts` + 1 pieces: at most
// `parts` strictly increasing keys in (pos, through), each starting with `prefix`.
//
// `first` and `last` are the first and last keys of the page just listed, which ended at
// `pos` (== last). Their distance is how much key space a page covered. The keys left are
// guessed to lie within `pages_ahead` such widths (or up to `through`, if nearer), and that
// span is cut evenly; the highest piece also keeps everything beyond it. A wrong guess
// corrects itself: pieces beyond the last key come back empty after one request, and a
// highest piece holding most keys is cut again when a lister is idle. Empty when nothing
// lies strictly between pos and through, or when the keys do not start with `prefix`.
std::vector<std::string> split_points(std::string_view prefix, std::string_view pos,
                                      const std::optional<std::string>& through,
                                      std::string_view first, std::string_view last, int parts,
                                      int pages_ahead);

// The same cut, in the alphabet the page's keys are made of from where they start to
// differ: for keys like "object-000123" (digits) or hash names (hex), a width in bytes
// overstates how many keys lie ahead by a factor of (256 / alphabet size) per byte, so
// pieces cut byte-wise hold a fraction of a page each. Here the varying tail is read as a
// number in the alphabet's radix. Empty when that does not apply (one key's versions, all
// 256 bytes in use); the cuts are then strictly increasing keys in (page.back(), through).
std::vector<std::string> split_points_in_alphabet(std::string_view prefix,
                                                  const std::vector<std::string_view>& page,
                                                  const std::optional<std::string>& through,
                                                  int parts, int pages_ahead);

// The cuts for what is left of a range after `page` (its keys in order, ending at the
// range's position): half of them near, in the keys' alphabet where that applies (else
// byte-wise); half far, spread evenly in orders of magnitude from the page's width to the
// range's end, for keys that go on at a level the page did not show ("prefix-0001/..."
// after a page of "prefix-0000/..."). Strictly increasing keys in (page.back(), through).
std::vector<std::string> cut_range(std::string_view prefix, const std::vector<std::string_view>& page,
                                   const std::optional<std::string>& through, int parts,
                                   int pages_ahead);

// At most `parts` of the sorted `bounds` (folder names, say) that lie strictly inside
// (pos, through), spread evenly over those that do: cuts between runs of about as many
// folders each. No `pos`: from the first key.
std::vector<std::string> cuts_among(const std::vector<std::string>& bounds,
                                    const std::optional<std::string_view>& pos,
                                    const std::optional<std::string>& through, int parts);

// The ranges of shard I of N: together the N shards hold every key under `prefix`, once.
// Bounds do not depend on what the bucket holds, so N machines agree on them without
// talking. The first three bytes after the prefix are cut evenly into 256 * N small ranges
// over the characters keys are usually made of ("-./", digits, letters and "_"; other bytes
// fall where their order puts them), and shard I takes every N-th of them, starting at the
// I-th: keys crowded under a few characters are still spread over all shards.
// 0 <= index < count <= kMaxShards.
inline constexpr int kMaxShards = 1000;
std::vector<KeyRange> shard_ranges(std::string_view prefix, int index, int count);

// `range` without the ranges of `done` (in any order, possibly overlapping): what is left,
// in key order.
std::vector<KeyRange> subtract(const KeyRange& range, std::vector<KeyRange> done);

// Ranges that meet or overlap, joined; the result in key order.
std::vector<KeyRange> merge(std::vector<KeyRange> ranges);

}  // namespace s3purge::engine
