// An entry on its way from a list page to the request that removes it.
#pragma once

#include <cstdint>
#include <vector>

#include "protocol/listing.hpp"
#include "protocol/selection.hpp"

namespace s3purge::engine {

struct Item : protocol::ListedEntry {
  // Why the selection keeps it (listed, counted as skipped, not removed); none: taken.
  protocol::KeptBy kept = protocol::KeptBy::none;
  std::uint64_t ticket = 0;  // the listed page it came from, for --state-file; 0: none
  // DeleteObjects this entry was in before it went back to the queue (keys its partition
  // refused wait there for their key range's rate, engine/deleter).
  std::uint8_t attempts = 0;
};

// Up to batch_size items. An empty batch is the end of a listing, one per receiver.
using Batch = std::vector<Item>;

}  // namespace s3purge::engine
