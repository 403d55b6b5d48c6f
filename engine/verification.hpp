// What is left in some key ranges: a listing of entries and uploads side by side (an empty
// bucket costs one list request of each, at once), counting everything found and how much
// of it is not a known failure. It decides whether another pass runs and what a stopped
// run reports as remaining.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <vector>

#include "engine/key_range.hpp"
#include "engine/run_context.hpp"

namespace s3purge::engine {

struct Left {
  std::uint64_t total = 0;    // entries and uploads found (uploads kept by --older-than aside)
  std::uint64_t unknown = 0;  // of them, not failed earlier in the run
};

// nullopt when a listing could not be finished. With `stop_at_first_unknown`, stops as soon
// as something not known to have failed is found. With `settle`, the last count of a run
// that sent all it listed: an entry the first pass listed and counted deleted that is
// still there was not deleted (OutcomeLedger::not_deleted), and is a known failure.
boost::asio::awaitable<std::optional<Left>> count_left(RunContext& run, bool stop_at_first_unknown,
                                                       std::vector<KeyRange> where, bool settle = false);

}  // namespace s3purge::engine
