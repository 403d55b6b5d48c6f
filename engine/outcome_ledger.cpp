#include "engine/outcome_ledger.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "engine/range_journal.hpp"

namespace s3purge::engine {

OutcomeLedger::OutcomeLedger(PurgeReport& report, const PurgeOptions& options)
    : report_(report), options_(options) {
  if (options.journal && !options.dry_run) {
    progress_.emplace([this](bool uploads, const KeyRange& emptied) { record_emptied(uploads, emptied); });
  }
}

void OutcomeLedger::deleted(const Item& item) {
  for (auto* c : {&report_.of(item.kind), report_.also(item.kind, item.latest)}) {
    if (!c) continue;
    ++c->deleted;
    c->bytes_deleted += item.size;
  }
  settle(item, true);
}

void OutcomeLedger::failed(const Item& item, const std::string& code, const std::string& message,
                           const std::string& request_id) {
  ++report_.of(item.kind).failed;
  if (auto* current = report_.also(item.kind, item.latest)) ++current->failed;
  settle(item, false);
  failed_.add(item.key, item.id);
  FailureRecord record{item.key, item.id, item.kind, code, message, request_id};
  if (options_.on_failure) options_.on_failure(record);
  if (report_.failures.size() < options_.max_failure_records) {
    report_.failures.push_back(std::move(record));
  } else {
    ++report_.failures_not_recorded;
  }
}

void OutcomeLedger::failed(const Item& item, const protocol::Error& e) {
  std::string code = e.s3_code;
  if (code.empty()) {
    code = e.code == protocol::client_errc::outcome_unknown ? "OutcomeUnknown" : e.code.message();
  }
  failed(item, code, e.message, e.request_id);
}

void OutcomeLedger::skipped(const Item& item) {
  ++report_.of(item.kind).skipped;
  if (auto* current = report_.also(item.kind, item.latest)) ++current->skipped;
  settle(item, false);
}

void OutcomeLedger::skipped(const Batch& batch) {
  for (const auto& item : batch) skipped(item);
}

bool OutcomeLedger::take_back(const Item& item) {
  if (report_.of(item.kind).deleted == 0) return false;
  for (auto* c : {&report_.of(item.kind), report_.also(item.kind, item.latest)}) {
    if (!c || c->deleted == 0) continue;
    --c->deleted;
    c->bytes_deleted -= std::min(c->bytes_deleted, item.size);
  }
  ++report_.deletions_taken_back;
  return true;
}

void OutcomeLedger::not_deleted(const Item& item) {
  // Counted otherwise (nothing to take back): its outcome stands as it was.
  if (!take_back(item)) return;
  failed(item, "NotDeleted", "the server answered that it was deleted, and still lists it", "");
}

void OutcomeLedger::settle(const Item& item, bool deleted) {
  if (item.ticket) progress_->settle(item.ticket, deleted);
}

std::uint64_t OutcomeLedger::open_ticket(bool uploads, RangeProgress::PageMark mark) {
  if (!progress_ || report_.passes != 1) return 0;
  mark.uploads = uploads;
  return progress_->open(std::move(mark));
}

void OutcomeLedger::record_emptied(bool uploads, const KeyRange& emptied) {
  if (auto e = options_.journal->record(options_.bucket, options_.prefix,
                                        uploads ? "uploads" : "entries", emptied)) {
    spdlog::warn("{}; the purge goes on, but a re-run will list everything again", e->message);
  }
}

}  // namespace s3purge::engine
