// Where every entry's outcome is written: deleted, failed with its S3 error code, or
// skipped, per kind in the report, so that listed = deleted + failed + skipped holds. A
// failure is also kept (up to max_failure_records), handed to on_failure, and remembered so
// that later passes do not list it again; with --state-file, each outcome settles the
// ticket of the page the entry came from.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/failed_entries.hpp"
#include "engine/item.hpp"
#include "engine/purge_options.hpp"
#include "engine/purge_report.hpp"
#include "engine/range_progress.hpp"

namespace s3purge::engine {

class OutcomeLedger {
 public:
  // Keeps a reference to `report` and `options`.
  OutcomeLedger(PurgeReport& report, const PurgeOptions& options);

  void deleted(const Item& item);
  void failed(const Item& item, const std::string& code, const std::string& message,
              const std::string& request_id);
  // The error's S3 code, or its client code's name ("OutcomeUnknown").
  void failed(const Item& item, const protocol::Error& e);
  void skipped(const Item& item);
  void skipped(const Batch& batch);
  // An entry counted deleted that a later listing finds again: the server's "deleted" was
  // not so. The count goes back to what it was before; the entry is then settled anew.
  // False where no deletion was counted to take back.
  bool take_back(const Item& item);
  // As take_back, and the entry failed for good: the run will not send it again.
  void not_deleted(const Item& item);

  // Listed entries that failed for good earlier in this run.
  bool no_failures() const { return failed_.empty(); }
  bool failed_before(const Item& item) const {
    return !failed_.empty() && failed_.contains(item.key, item.id);
  }

  // --state-file: tickets for the pages of the first pass (0: none kept). See RangeProgress.
  std::uint64_t open_ticket(bool uploads, RangeProgress::PageMark mark);
  RangeProgress* progress() { return progress_ ? &*progress_ : nullptr; }

 private:
  void settle(const Item& item, bool deleted);
  void record_emptied(bool uploads, const KeyRange& emptied);

  PurgeReport& report_;
  const PurgeOptions& options_;
  FailedEntries failed_;
  std::optional<RangeProgress> progress_;  // with --state-file, outside dry runs
};

}  // namespace s3purge::engine
