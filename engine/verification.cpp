#include "engine/verification.hpp"

#include "engine/listing_state.hpp"
#include "engine/parallel_listing.hpp"
#include "engine/task_group.hpp"

namespace s3purge::engine {

namespace asio = boost::asio;

asio::awaitable<std::optional<Left>> count_left(RunContext& run, bool stop_at_first_unknown,
                                                std::vector<KeyRange> where, bool settle) {
  Left out;
  std::optional<Listing> entries, uploads;
  const auto ex = run.client.executor();
  if (run.options.objects) entries.emplace(ex, run.entries, where);
  if (run.options.uploads && !run.uploads_refused) {
    uploads.emplace(ex, protocol::ListingKind::uploads, std::move(where));
  }
  TaskGroup group(ex);
  for (auto* listing : {&entries, &uploads}) {
    if (!*listing) continue;
    const bool of_uploads = (*listing)->traits().uploads;
    (*listing)->on_page = [&, of_uploads](Page& page) -> asio::awaitable<void> {
      for (const auto& item : page.items) {
        if (item.kept != protocol::KeptBy::none) continue;
        ++out.total;
        if (run.ledger.failed_before(item)) continue;
        if (settle && run.first_pass_listed(item, of_uploads)) {
          run.ledger.not_deleted(item);
        } else {
          ++out.unknown;
        }
      }
      if (stop_at_first_unknown && out.unknown) {
        for (auto* l : {&entries, &uploads}) {
          if (*l) (*l)->halt = true;
        }
      }
      co_return;
    };
    group.spawn(run_listing(run, **listing));
  }
  co_await group.wait();
  for (auto* listing : {&entries, &uploads}) {
    if (*listing && (*listing)->cut_short && !(*listing)->halt) co_return std::nullopt;  // failed
  }
  co_return out;
}

}  // namespace s3purge::engine
