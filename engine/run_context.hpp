// What the mechanisms of one purge share: its options, its client, the one decision to go
// on or stop, the ledger of outcomes and the report. The purger owns them all, and hands
// this to each mechanism it wires; one thread.
#pragma once

#include <array>
#include <cstdint>

#include "engine/listed_coverage.hpp"
#include "engine/outcome_ledger.hpp"
#include "engine/purge_options.hpp"
#include "engine/purge_report.hpp"
#include "engine/run_control.hpp"
#include "engine/s3_client.hpp"
#include "protocol/listing.hpp"

namespace s3purge::engine {

struct RunContext {
  const PurgeOptions& options;
  S3Client& client;
  RunControl& control;
  OutcomeLedger& ledger;
  PurgeReport& report;
  // The listing of the bucket's entries: versions wherever versioning was ever enabled.
  // Known once the run has checked the bucket.
  protocol::ListingKind entries = protocol::ListingKind::objects;
  bool versioned = false;
  // Deleters waiting for a batch (the listing is slower): what grows the listers.
  int deleters_waiting = 0;
  // The server lists deletions although Quiet was asked (moto): from then on every entry
  // of a DeleteObjects must be named in its answer (see protocol/delete_reconcile).
  bool server_lists_deletions = false;
  // Listing uploads was refused (see protocol::is_refusal): later passes and checks skip
  // them, and the report says they were not checked.
  bool uploads_refused = false;
  // A run over this bucket and prefix began before this one (--state-file): what it
  // deleted is gone from every listing of this run, the first pass's too.
  bool after_earlier_run = false;
  // When the run began, in seconds since 1970: an entry written since may be new to it.
  std::int64_t started_at = 0;
  // What the first pass listed whole, of the entries [0] and of the uploads [1].
  std::array<ListedCoverage, 2> first_pass{};

  // Whether an entry a later listing finds is one the first pass listed (see
  // ListedCoverage): inside what the first pass listed whole, and not written since the
  // run began (where the server gives no time, the interval alone decides: the count then
  // errs low, never high).
  bool first_pass_listed(const Item& item, bool uploads) const {
    return (item.modified == protocol::kNoTime || item.modified < started_at) &&
           first_pass[uploads ? 1 : 0].covers(item.key);
  }
};

}  // namespace s3purge::engine
