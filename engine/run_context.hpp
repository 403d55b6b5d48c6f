// What the mechanisms of one purge share: its options, its client, the one decision to go
// on or stop, the ledger of outcomes and the report. The purger owns them all, and hands
// this to each mechanism it wires; one thread.
#pragma once

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
};

}  // namespace s3purge::engine
