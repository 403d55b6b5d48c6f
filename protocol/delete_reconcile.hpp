// Reconciles a DeleteObjects answer with the batch that was sent: every entry sent comes
// out deleted, failed with the code the server gave, to retry, or unknown. An entry is
// never taken as deleted because its refusal could not be matched to it.
//
// How an answer's elements (<Deleted> and <Error>) are matched to the entries sent:
// - an element with a <VersionId> names that (key, version id); an entry sent without a
//   version id also takes an element that gives one (the null version, a marker's id);
// - an element without one (moto's per-key errors, some clones' <Deleted>) names an entry
//   of its key: where the key was sent as often as it is named, each element takes one
//   (in order; all alike, or the match is ambiguous); where it is named less often, the
//   entries of that key are unknown: which of them were refused cannot be told;
// - an element that names nothing sent, or more entries of a key than were sent, makes the
//   whole answer unmatched: it describes another request, so nothing in it is believed;
// - a <Deleted> is believed only where it describes what was asked: an entry sent with a
//   version id whose <Deleted> gives none, or says a delete marker was made (where the
//   entry was a version, not a marker), is unknown;
// - an entry no element names is deleted in Quiet mode (S3 lists only errors), and unknown
//   where the answer lists deletions too (a server that ignores Quiet lists every entry),
//   or where the server has been seen to ignore Quiet (`lists_deletions`): from such a
//   server, an answer that names nothing has accounted for nothing.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "protocol/delete_requests.hpp"
#include "protocol/delete_result.hpp"

namespace s3purge::protocol {

enum class EntryOutcome : std::uint8_t {
  deleted,
  failed,   // a permanent per-key error: `errors[i]` says which
  retry,    // a retryable per-key error (InternalError, SlowDown): `errors[i]` says which
  unknown,  // the answer does not say, or not unambiguously: find out, or report it
};

struct Reconciled {
  std::vector<EntryOutcome> outcome;         // one per entry sent, in the order sent
  std::vector<const DeleteFailure*> errors;  // beside each: its error, for failed and retry
  // Non-empty when the answer names what was not sent (every outcome is then unknown).
  std::string unmatched;
};

Reconciled reconcile_delete_result(std::span<const ObjectId> sent, const DeleteObjectsResult& answer,
                                   bool lists_deletions = false);

}  // namespace s3purge::protocol
