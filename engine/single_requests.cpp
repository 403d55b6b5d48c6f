#include "engine/single_requests.hpp"

#include <optional>

#include "protocol/delete_requests.hpp"

namespace s3purge::engine {

namespace asio = boost::asio;

namespace {

// Sends the entry's request, and writes down what became of the entry. `gone`: an error
// code that means it is gone anyway (an upload completed or aborted since it was listed).
asio::awaitable<void> remove_one(RunContext& run, S3Call& call, const Item& item, protocol::HttpResponse& resp,
                                 const char* operation, protocol::Result<protocol::HttpRequest> req,
                                 Resend resend, std::optional<protocol::s3_errc> gone = std::nullopt) {
  if (run.control.stopping()) {
    run.ledger.skipped(item);
    co_return;
  }
  if (!req) {
    run.ledger.failed(item, req.error());
    co_return;
  }
  if (!co_await run.client.limiter().acquire(1, run.client.stop_signal())) {
    run.ledger.skipped(item);  // stopped while waiting for a token
    co_return;
  }
  InFlight in_flight(run.report, item);
  auto r = co_await call(operation, *req, resp, resend);
  in_flight.answered();
  if (r || (gone && r.error().code == *gone)) {
    run.ledger.deleted(item);
    run.client.limiter().on_success(1);
  } else if (protocol::is_fatal(r.error().code) || r.error().code == protocol::client_errc::stopped) {
    run.control.fail(r.error());
    run.ledger.skipped(item);
  } else {
    run.ledger.failed(item, r.error());
  }
}

}  // namespace

bool resend_safe(const RunContext& run, const Item& item) {
  return !run.versioned || !item.version_id().empty();
}

asio::awaitable<void> delete_single(RunContext& run, S3Call& call, const Item& item,
                                    protocol::HttpResponse& resp) {
  protocol::DeleteOptions opts;
  opts.bypass_governance = run.options.bypass_governance;
  // Built before the co_await: g++ 12 mishandles temporaries inside a co_await expression.
  const protocol::ObjectId id{item.key, item.version_id()};
  auto req = protocol::build_delete_object(run.client.ctx(), id, opts);
  const Resend resend = resend_safe(run, item) ? Resend::safe : Resend::only_if_not_carried_out;
  co_await remove_one(run, call, item, resp, "DeleteObject", std::move(req), resend);
}

asio::awaitable<void> aborter(RunContext& run, BatchQueue<Batch>& in) {
  auto lease = run.client.connection();
  S3Call call = run.client.call_on(*lease);
  call.paced(true);
  protocol::HttpResponse resp;
  for (;;) {
    Batch batch = (co_await in.receive()).batch;  // uploads are not paced by key range
    if (batch.empty()) co_return;
    for (const auto& item : batch) {
      if (run.options.dry_run) {
        run.ledger.skipped(item);
        continue;
      }
      auto req = protocol::build_abort_multipart_upload(run.client.ctx(), item.key, item.upload_id());
      co_await remove_one(run, call, item, resp, "AbortMultipartUpload", std::move(req), Resend::safe,
                          protocol::s3_errc::no_such_upload);
    }
  }
}

}  // namespace s3purge::engine
