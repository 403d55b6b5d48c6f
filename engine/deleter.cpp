#include "engine/deleter.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "engine/s3_call.hpp"
#include "engine/single_requests.hpp"
#include "protocol/delete_reconcile.hpp"
#include "protocol/delete_requests.hpp"
#include "protocol/delete_result.hpp"
#include "protocol/printable.hpp"
#include "protocol/xml_writer.hpp"

namespace s3purge::engine {

namespace asio = boost::asio;
using protocol::Error;

namespace {

// Entries to send again, each with the code and message it is reported with if it runs
// out of attempts.
struct Again {
  Batch items;
  std::vector<std::pair<std::string, std::string>> why;
  std::size_t throttled = 0;  // of the items, those refused with SlowDown one by one
  void add(Item&& item, std::string code, std::string message) {
    items.push_back(std::move(item));
    why.emplace_back(std::move(code), std::move(message));
  }
};

// What one deleter reuses from batch to batch: its connection's calls, the answer, the
// DeleteObjects body and its keys (their strings' room reused likewise).
struct Tools {
  S3Call& call;
  protocol::HttpResponse resp;
  std::string body;
  std::vector<protocol::ObjectId> ids;
  std::uint64_t lane = 0;  // the key range of the batch in hand (engine/lane_pacer)
  BatchQueue<Batch>* queue = nullptr;  // where keys refused by their partition wait again
};

// Entries whose outcome cannot be known: those that may be sent again go back, the
// others are reported with `code`.
void unsure(RunContext& run, Batch& entries, Again& again, const char* code, const std::string& why) {
  for (auto& item : entries) {
    if (resend_safe(run, item)) {
      again.add(std::move(item), code, why);
    } else {
      run.ledger.failed(item, code, why, "");
    }
  }
}

// The entries of an answer that was read and matched with the batch.
void settle_answer(RunContext& run, Batch& pending, const protocol::Reconciled& rec,
                   const std::string& request_id, unsigned attempt, std::uint64_t lane, Clock::time_point sent, Again& again,
                   Batch& singles) {
  std::size_t done = 0, throttled = 0;
  for (std::size_t i = 0; i < pending.size(); ++i) {
    Item& item = pending[i];
    const protocol::DeleteFailure* f = rec.errors[i];
    switch (rec.outcome[i]) {
      case protocol::EntryOutcome::deleted:
        run.ledger.deleted(item);
        ++done;
        break;
      case protocol::EntryOutcome::failed:
        ++run.report.calls.errors_by_code[f->code];  // every error answer, per key too
        run.ledger.failed(item, f->code, f->message, request_id);
        break;
      case protocol::EntryOutcome::retry:
        ++run.report.calls.errors_by_code[f->code];
        if (protocol::is_throttle(f->ec)) {
          ++throttled;
          ++again.throttled;
        }
        again.add(std::move(item), f->code, f->message);
        break;
      case protocol::EntryOutcome::unknown:
        // Named ambiguously (several versions of a key, errors without version ids) or
        // not at all in an answer that names the others: sent again with the batch's
        // retries, where a refusal that stands names each entry it refuses; still unknown
        // after that, each goes alone, where its answer can only be its own.
        if (resend_safe(run, item) && attempt == 0) {
          again.add(std::move(item), "OutcomeUnknown", "the answer does not say what became of it");
        } else if (resend_safe(run, item)) {
          singles.push_back(std::move(item));
        } else {
          run.ledger.failed(item, "OutcomeUnknown", "the answer does not say which of the key's entries it refused",
                            request_id);
        }
        break;
    }
  }
  run.client.limiter().on_keys_throttled(done, throttled, lane, sent);
}

// What follows one DeleteObjects of a batch.
enum class Next {
  settled,   // every entry is written down, or in `again` or the singles
  at_once,   // send what is left of the batch at once (no attempt spent)
  finished,  // the batch is done with: reported failed, or skipped as the run stops
};

// A server that refuses the flexible checksum: Content-MD5 from now on (--checksum auto),
// or the run stops with what to do (a checksum chosen by name).
Next checksum_refused(RunContext& run, Batch& pending, protocol::ChecksumAlgorithm used, const Error& e) {
  const std::string name(protocol::checksum_name(used));
  if (run.options.checksum_fallback) {
    if (!run.report.checksum_refused) {
      spdlog::warn("the server refuses x-amz-checksum-{} ({}: {}): DeleteObjects carry Content-MD5 from now on", name,
                   e.s3_code, e.message);
    }
    run.report.checksum_refused = true;
    run.report.checksum = protocol::ChecksumAlgorithm::md5;
    return Next::at_once;
  }
  Error stop = e;
  stop.message += " (the server refuses --checksum " + name + "; use --checksum md5, or auto)";
  run.control.fail(stop);
  run.ledger.skipped(pending);
  return Next::finished;
}

// One DeleteObjects of `pending`, and what its answer says of each entry.
asio::awaitable<Next> send_once(RunContext& run, Tools& t, Batch& pending, unsigned attempt, Again& again,
                                Batch& singles) {
  t.ids.resize(pending.size());
  for (std::size_t i = 0; i < pending.size(); ++i) {  // assign: no allocation once warm
    t.ids[i].key.assign(pending[i].key);
    t.ids[i].version_id.assign(pending[i].version_id());
    t.ids[i].marker = pending[i].kind == protocol::EntryKind::delete_marker;
  }
  protocol::DeleteOptions opts;
  opts.bypass_governance = run.options.bypass_governance;
  opts.checksum = run.report.checksum;
  auto req = protocol::build_delete_objects(run.client.ctx(), t.ids, opts, std::move(t.body));
  if (!req) {
    // Keys XML 1.0 cannot carry go alone, URL-encoded in a request path. They are rare,
    // so they are looked for only when a body could not be written.
    const auto carried = [](const Item& item) {
      return protocol::xml_can_carry(item.key) && protocol::xml_can_carry(item.id);
    };
    if (req.error().code == protocol::client_errc::key_not_xml_safe &&
        !std::all_of(pending.begin(), pending.end(), carried)) {
      Batch rest;
      rest.reserve(pending.size());
      for (auto& item : pending) (carried(item) ? rest : singles).push_back(std::move(item));
      pending = std::move(rest);
      co_return Next::at_once;
    }
    for (const auto& item : pending) run.ledger.failed(item, req.error());  // cannot happen
    co_return Next::finished;
  }
  const bool careful = !std::all_of(pending.begin(), pending.end(),
                                    [&run](const Item& item) { return resend_safe(run, item); });
  // The queue took the first attempt's tokens of the batch's key range with the batch.
  if (!co_await run.client.limiter().acquire(attempt == 0 ? 0 : t.lane, pending.size(), run.client.stop_signal())) {
    run.ledger.skipped(pending);  // stopped while waiting for tokens
    co_return Next::finished;
  }
  t.call.pace_lane(t.lane, pending.size());
  InFlight in_flight(run.report, pending);
  auto r = co_await t.call("DeleteObjects", *req, t.resp, careful ? Resend::only_if_not_carried_out : Resend::safe);
  in_flight.answered();
  t.call.pace_lane(0);
  t.body = std::move(req->body);
  if (!r) {
    const Error& e = r.error();
    if (opts.checksum != protocol::ChecksumAlgorithm::md5 && protocol::refuses_checksum(e)) {
      co_return checksum_refused(run, pending, opts.checksum, e);
    }
    if (e.code == protocol::s3_errc::not_implemented || e.code == protocol::s3_errc::method_not_allowed) {
      // A server without DeleteObjects (the GCS XML API, some older S3 clones): single
      // deletes from now on, for the rest of the run.
      if (!run.report.delete_objects_unsupported) {
        spdlog::warn("the server has no DeleteObjects ({}): deleting one key per request", e.s3_code);
      }
      run.report.delete_objects_unsupported = true;
      co_return Next::at_once;
    }
    if (protocol::is_fatal(e.code) || e.code == protocol::client_errc::stopped) {
      run.control.fail(e);  // a stop is no cause: the run is stopping already
      run.ledger.skipped(pending);
      co_return Next::finished;
    }
    if (e.code != protocol::client_errc::outcome_unknown) {
      for (const auto& item : pending) run.ledger.failed(item, e);  // budget spent, or permanent
      co_return Next::finished;
    }
    unsure(run, pending, again, "OutcomeUnknown", e.message);
    co_return Next::settled;
  }
  auto result = protocol::parse_delete_objects_result(t.resp.body);
  if (!result) {
    // A 200 whose answer cannot be read: what it did is unknown.
    ++run.report.calls.errors_by_code[result.error().code.message()];
    unsure(run, pending, again, "OutcomeUnknown",
           "the answer could not be read (" + result.error().describe() +
               "), and sending the request again could repeat it");
    co_return Next::settled;
  }
  // A server that lists deletions although asked for Quiet answers (moto) must list each
  // one: from it, an answer that names nothing has confirmed nothing.
  run.server_lists_deletions = run.server_lists_deletions || !result->deleted.empty();
  const auto rec = protocol::reconcile_delete_result(t.ids, *result, run.server_lists_deletions);
  const std::string request_id = protocol::printable(t.resp.headers.get("x-amz-request-id"));
  if (!rec.unmatched.empty()) {
    ++run.report.calls.errors_by_code["UnmatchedAnswer"];
    spdlog::warn("DeleteObjects (request id {}): {}; its {} entries are not taken as deleted", request_id,
                 rec.unmatched, pending.size());
    unsure(run, pending, again, "UnmatchedAnswer", rec.unmatched);
    co_return Next::settled;
  }
  settle_answer(run, pending, rec, request_id, attempt, t.lane, t.call.last_sent(), again, singles);
  co_return Next::settled;
}

asio::awaitable<void> delete_batch(RunContext& run, Tools& t, Batch& batch) {
  Batch singles, pending = std::move(batch);
  for (unsigned attempt = pending.empty() ? 0 : pending.front().attempts; !pending.empty();) {
    if (run.control.stopping()) {
      run.ledger.skipped(pending);
      break;
    }
    if (run.report.delete_objects_unsupported) {
      for (auto& item : pending) singles.push_back(std::move(item));
      break;
    }
    Again again;  // sent again, as a batch
    const Next next = co_await send_once(run, t, pending, attempt, again, singles);
    if (next == Next::at_once) continue;
    if (next == Next::finished || again.items.empty()) break;
    // Throttled keys get the throttles' allowance, as a throttled request does.
    const bool only_throttled = again.throttled == again.items.size();
    const auto& retry = run.options.retry;
    if (attempt++ >= (only_throttled ? retry.transient_retries + retry.throttle_retries : retry.transient_retries)) {
      for (std::size_t i = 0; i < again.items.size(); ++i) {
        run.ledger.failed(again.items[i], again.why[i].first, again.why[i].second, "");
      }
      break;
    }
    run.report.key_retries += again.items.size();
    if (only_throttled && t.lane != 0 && t.queue && run.client.limiter().lanes()) {
      // Paced by their key range: they wait for its rate in the queue, as batches of other
      // key ranges go by, not in this deleter.
      for (auto& item : again.items) item.attempts = static_cast<std::uint8_t>(std::min(attempt, 255u));
      t.queue->requeue(std::move(again.items), t.lane);
      break;
    }
    // Keys refused one by one as their partition is over capacity are paced by the rate
    // limiter (which the refusals cut): a short pause, not the backoff of a failing server,
    // which would hold this deleter, and every batch behind it, for seconds.
    co_await run.client.sleep(only_throttled ? std::chrono::milliseconds(50 * std::min(attempt, 10u))
                                             : run.client.backoff().delay(attempt));
    pending = std::move(again.items);
  }
  for (const auto& item : singles) co_await delete_single(run, t.call, item, t.resp);
}

// The next batch, counted in deleters_waiting while it is awaited (not while deleted).
asio::awaitable<Laned<Batch>> receive(RunContext& run, BatchQueue<Batch>& in) {
  ++run.deleters_waiting;
  struct Count {  // also when the receive throws
    int& n;
    ~Count() { --n; }
  } waited{run.deleters_waiting};
  co_return co_await in.receive();
}

}  // namespace

asio::awaitable<void> deleter(RunContext& run, BatchQueue<Batch>& in) {
  auto lease = run.client.connection();
  S3Call call = run.client.call_on(*lease);
  call.paced(true);
  Tools tools{call, {}, {}, {}, 0, &in};
  for (;;) {
    auto [batch, lane] = co_await receive(run, in);
    if (batch.empty()) co_return;
    if (run.control.stopping() || run.options.dry_run) {
      run.ledger.skipped(batch);
    } else {
      tools.lane = lane;
      co_await delete_batch(run, tools, batch);
    }
  }
}

}  // namespace s3purge::engine
