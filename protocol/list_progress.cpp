#include "protocol/list_progress.hpp"

#include "protocol/uri.hpp"

namespace s3purge::protocol {

Result<Ok> ListProgress::stalled(std::string why) const {
  return Error(client_errc::listing_stalled,
               "stopped after " + std::to_string(pages_) + " pages: " + why);
}

Result<Ok> ListProgress::check(const ListedPage& page, bool versions_or_uploads) {
  ++pages_;
  if (page.entries > kMaxPageEntries) {
    return Error(client_errc::page_too_large,
                 "a list page holds " + std::to_string(page.entries) + " entries; at most " +
                     std::to_string(kMaxPageEntries) + " are taken from one answer (1000 were asked for)");
  }
  // Keys come in order: a page that starts below what earlier pages listed lists it again
  // (versions and uploads may go on with the last key's entries).
  if (page.entries > 0 && pages_ > 1) {
    const bool back = versions_or_uploads ? page.first_key < last_key_ : page.first_key <= last_key_;
    if (back) {
      return stalled("a page starts at " + uri_encode(page.first_key, false) + ", at or below " +
                     uri_encode(last_key_, false) + ", which was listed already");
    }
  }
  const bool moved = page.entries > 0 && (pages_ == 1 || page.last_key > last_key_);
  if (page.entries > 0 && page.last_key > last_key_) last_key_ = std::string(page.last_key);
  if (!page.truncated) return Ok{};

  empty_in_a_row_ = page.entries == 0 ? empty_in_a_row_ + 1 : 0;
  if (empty_in_a_row_ > kMaxEmptyPages) {
    return stalled(std::to_string(empty_in_a_row_) + " truncated pages in a row without an entry");
  }
  std::string marker;
  if (versions_or_uploads) {
    if (page.next.key_marker < key_marker_) {
      return stalled("the next key marker " + uri_encode(page.next.key_marker, false) +
                     " is below the one followed before, " + uri_encode(key_marker_, false));
    }
    if (page.next.key_marker != key_marker_) seen_.clear();
    key_marker_ = std::string(page.next.key_marker);
    marker = std::string(page.next.id_marker);
  } else {
    if (moved) seen_.clear();
    marker = std::string(page.next.token);
  }
  if (!seen_.insert(std::move(marker)).second) {
    return stalled(versions_or_uploads
                       ? "the markers " + uri_encode(page.next.key_marker, false) + " / " +
                             uri_encode(page.next.id_marker, false) + " came back a second time"
                       : "the same continuation token came back a second time");
  }
  return Ok{};
}

}  // namespace s3purge::protocol
