// What deleting will cost, for `plan` and the runs' summaries: per storage class, the
// entries the selection takes, how many are still inside their class's minimum duration,
// the GB-months deleting them now is billed and the date from which it costs nothing more;
// with a --prices file, the requests' cost beside; money only from that file.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "engine/purge_report.hpp"
#include "protocol/prices.hpp"

namespace s3purge::cli {

struct Requests {
  std::uint64_t list = 0, deletes = 0, aborts = 0;
};

void print_costs(std::ostream& out, const engine::PurgeReport& r, const Requests& requests,
                 const std::optional<protocol::Prices>& prices);
boost::json::object costs_json(const engine::PurgeReport& r, const Requests& requests,
                               const std::optional<protocol::Prices>& prices);

// After a run with --skip-early-deletion-charges: what it kept, when each class becomes free
// to delete, and the lifecycle rule that deletes it then at no charge.
void print_kept_for_charges(std::ostream& out, const engine::PurgeReport& r, const std::string& target,
                            bool selective_otherwise);
// After a run without it: what of the entries taken was inside its minimum duration, and
// the GB-months deleting it is billed.
void print_early_billed(std::ostream& out, const engine::PurgeReport& r, bool dry_run);

}  // namespace s3purge::cli
