#include "engine/list_page.hpp"

#include <spdlog/spdlog.h>

#include "engine/body_pool.hpp"
#include "protocol/uri.hpp"

namespace s3purge::engine {

namespace asio = boost::asio;
using protocol::Error;

asio::awaitable<std::optional<std::vector<Item>>> list_page(RunContext& run, S3Call& call,
                                                            protocol::HttpResponse& resp,
                                                            protocol::ListingKind kind,
                                                            Cursor& cursor,
                                                            std::optional<protocol::Error>* refusal) {
  const auto& traits = protocol::traits(kind);
  const auto in_listing = [&](Error e) {
    e.message = "listing of " + run.options.bucket + ": " + e.message;
    return e;
  };
  std::optional<protocol::ListPage> page;
  auto req = protocol::build_list_request(kind, run.client.ctx(), cursor.at);
  BodyCheck read = [&](protocol::HttpResponse& answer) -> protocol::Result<protocol::Ok> {
    auto parsed = protocol::parse_list_page(kind, answer.body);
    // Parsed: its buffer goes to the next large answer read here.
    BodyPool::of_thread().give(std::move(answer.body));
    if (!parsed) return in_listing(std::move(parsed).error());
    page = std::move(*parsed);
    return protocol::Ok{};
  };
  auto r = co_await call(traits.operation, req, resp, Resend::safe, std::move(read));
  if (!r) {
    Error e = r.error();
    // A refusal names the operation: the permission the role lacks follows from it.
    if (protocol::is_refusal(e.code)) e.message = std::string(traits.operation) + " refused: " + e.message;
    if (refusal && protocol::is_refusal(e.code)) {
      *refusal = std::move(e);
    } else {
      run.control.fail(e);
    }
    co_return std::nullopt;
  }
  if (traits.resumes_from_markers) {
    if (const auto again = cursor.repeats.drop_repeats(*page)) {
      // The key asked to go on from is the one whose entries came again.
      spdlog::warn("listing of {}: a {} page listed {} entries of {} again; each is counted once",
                   run.options.bucket, traits.operation, again, protocol::uri_encode(cursor.at.key_marker, false));
    }
  }
  // The page against the listing's progress, before its cursor is followed. Asking again
  // would get the same answer: the listing ends here, unfinished.
  if (auto moved = cursor.progress.check(page->progress_view(), traits.resumes_from_markers); !moved) {
    run.control.fail(in_listing(moved.error()));
    co_return std::nullopt;
  }
  protocol::follow(cursor.at, *page);
  std::vector<Item> items;
  items.reserve(page->entries.size());
  for (auto& entry : page->entries) items.push_back(Item{std::move(entry)});
  co_return items;
}

}  // namespace s3purge::engine
