// The entries of one request, counted in flight (PurgeReport::in_flight) from before it is
// sent until its answer is in hand: what a stop that cannot wait for the answer reports as
// unknown, apart from what was never sent.
#pragma once

#include <span>

#include "engine/item.hpp"
#include "engine/purge_report.hpp"

namespace s3purge::engine {

class InFlight {
 public:
  InFlight(PurgeReport& report, std::span<const Item> items) : report_(report), items_(items) { count(true); }
  InFlight(PurgeReport& report, const Item& item) : InFlight(report, std::span<const Item>(&item, 1)) {}
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;
  ~InFlight() { answered(); }

  // The answer is in (or the request ended without one): the entries are no longer in flight.
  void answered() {
    if (open_) count(false);
    open_ = false;
  }

 private:
  void count(bool in) {
    for (const auto& item : items_) {
      auto& n = report_.in_flight[static_cast<std::size_t>(item.kind)];
      n = in ? n + 1 : n - 1;
      if (report_.also(item.kind, item.latest)) {
        auto& current = report_.current_versions_in_flight;
        current = in ? current + 1 : current - 1;
      }
    }
  }

  PurgeReport& report_;
  std::span<const Item> items_;
  bool open_ = true;
};

}  // namespace s3purge::engine
