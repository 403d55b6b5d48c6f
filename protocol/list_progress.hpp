// The check that a listing moves forward, for all three listings. A server can answer
// IsTruncated=true for ever: with the same continuation token, with markers that point
// back, or with pages that list again what was listed. Each page is checked before its
// cursor is followed, and a listing that does not move is an error (as botocore raises
// for a repeated token), never an endless loop and never "the listing ended".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_set>

#include "protocol/error.hpp"

namespace s3purge::protocol {

// Where a page says the listing goes on from: the continuation token (ListObjectsV2), or
// the key and id markers (ListObjectVersions, ListMultipartUploads).
struct ListPosition {
  std::string_view token;
  std::string_view key_marker;
  std::string_view id_marker;
};

// What one page held, for the check.
struct ListedPage {
  std::size_t entries = 0;
  std::string_view first_key;  // of its entries, "" when none
  std::string_view last_key;
  bool truncated = false;
  ListPosition next;  // where it goes on, when truncated
};

class ListProgress {
 public:
  // 1000 entries are asked for; some servers ignore max-keys for small listings (moto's
  // uploads). Ten times that is no server's page size, and bounds what one answer may
  // make this process hold.
  static constexpr std::size_t kMaxPageEntries = 10'000;
  // S3 can answer a truncated page with nothing in it (a run of keys deleted since),
  // rarely twice in a row; a thousand in a row is a server going nowhere.
  static constexpr std::size_t kMaxEmptyPages = 1000;

  // Ok when the page may be followed (or was the last); listing_stalled or page_too_large.
  // `versions_or_uploads`: the listing resumes from markers, and several entries of one
  // key can span pages.
  Result<Ok> check(const ListedPage& page, bool versions_or_uploads);

 private:
  Result<Ok> stalled(std::string why) const;

  std::size_t pages_ = 0;
  std::size_t empty_in_a_row_ = 0;
  std::string last_key_;     // the highest key listed so far
  std::string key_marker_;   // the markers followed last
  // Tokens or id markers followed since the listing last moved to a higher key: one seen
  // again means the server sends this listing round in a circle.
  std::unordered_set<std::string> seen_;
};

}  // namespace s3purge::protocol
