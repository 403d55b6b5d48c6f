#include "engine/batcher.hpp"

#include <spdlog/spdlog.h>

#include <map>
#include <vector>

#include "engine/key_source.hpp"
#include "engine/lane_pacer.hpp"
#include "engine/parallel_listing.hpp"
#include "protocol/key_list.hpp"
#include "protocol/printable.hpp"
#include "protocol/utf8.hpp"

namespace s3purge::engine {

namespace asio = boost::asio;

namespace {

// Hands a batch to the receivers and starts a new one. The batch is swapped out before
// waiting, since other listers may add to it meanwhile.
asio::awaitable<void> send(const RunContext& run, BatchQueue<Batch>& out, Batch& batch, std::uint64_t lane = 0) {
  Batch full = std::exchange(batch, Batch());
  batch.reserve(run.options.batch_size);
  co_await out.send(std::move(full), lane);
}

// The last, partial batch, then one end marker per receiver.
asio::awaitable<void> end_of(BatchQueue<Batch>& out, Batch& last, int receivers) {
  if (!last.empty()) co_await out.send(std::move(last));
  for (int i = 0; i < receivers; ++i) co_await out.send(Batch());
}

// The batches being filled: one per lane where the listing is paced by key range (its keys
// go to their partition, and its throttles are its own), else one (lane 0).
class Filling {
 public:
  Batch& of(std::uint64_t lane) { return lanes_[lane]; }
  // Takes the lane's batch out (what is left of it at the end of the listing).
  Batch take(std::uint64_t lane) {
    auto node = lanes_.extract(lane);
    return node ? std::move(node.mapped()) : Batch();
  }
  // The lanes with a batch started, for the end of the listing.
  std::vector<std::uint64_t> started() const {
    std::vector<std::uint64_t> out;
    for (const auto& [lane, batch] : lanes_) {
      if (!batch.empty()) out.push_back(lane);
    }
    return out;
  }

 private:
  std::map<std::uint64_t, Batch> lanes_;
};

// Once the server throttles by key range, the partial batches of the lanes that have
// nothing queued. A lane's listing may be over long before the listing's end (the listers
// of throttled lanes wait for their room), and its last keys would wait for that; a paced
// lane sends its batches a piece at a time anyway. Where nothing was throttled, batches
// stay whole.
asio::awaitable<void> send_idle(const RunContext& run, BatchQueue<Batch>& out, Filling& filling) {
  const LanePacer* pacer = run.client.limiter().lanes();
  if (!pacer || pacer->lanes_cut() == 0) co_return;
  for (const auto lane : filling.started()) {
    if (lane == 0 || out.holds(lane)) continue;
    Batch batch = filling.take(lane);
    if (!batch.empty()) co_await out.send(std::move(batch), lane);
  }
}

// What the selection takes (or keeps for its charge), by storage class, in the first pass.
void count_class(RunContext& run, const Item& item) {
  if (run.report.passes != 1 || item.kind == Kind::delete_marker) return;
  auto& classes = run.report.by_class;
  if (classes.size() <= item.storage_class) classes.resize(item.storage_class + 1u);
  ClassCounts& c = classes[item.storage_class];
  ++c.entries;
  c.bytes += item.size;
  if (auto early = protocol::early_deletion(item.storage_class, item.size, item.modified, run.options.selection.now)) {
    ++c.early;
    c.early_bytes += item.size;
    c.gb_months += early->gb_months;
    c.free_from = std::max(c.free_from, early->free_from);
  }
}

// A listed entry, in the counts of its kind (and of its class, where it is taken).
void count_listed(RunContext& run, const Item& item) {
  for (auto* c : {&run.report.of(item.kind), run.report.also(item.kind, item.latest)}) {
    if (!c) continue;
    ++c->listed;
    c->bytes_listed += item.size;
  }
  if (item.kind != Kind::upload && (item.kept == protocol::KeptBy::none || item.kept == protocol::KeptBy::early_charge)) {
    count_class(run, item);
  }
}

}  // namespace

void ListingEnds::ended(bool cut_short) {
  cut_short_ = cut_short_ || cut_short;
  if (--running_ == 0 && run_.report.passes == 1 && !cut_short_) {
    run_.report.listing_done = true;
    spdlog::info("listing ended: {} entries", run_.report.total(&KindCounts::listed));
  }
}

asio::awaitable<void> feed(RunContext& run, Listing& listing, BatchQueue<Batch>& out, int receivers,
                           ListingEnds& ends) {
  Filling filling;
  const bool uploads = listing.traits().uploads;  // the journal's track
  listing.on_page = [&run, &filling, &out, &listing, uploads](Page& page) -> asio::awaitable<void> {
    OutcomeLedger& ledger = run.ledger;
    PurgeReport& report = run.report;
    const std::uint64_t ticket =
        ledger.open_ticket(uploads, {uploads, page.range, page.after,
                                     page.range_end || page.complete_through.has_value(),
                                     page.range_end, page.complete_through});
    if (listing.sizes_queue) out.listers(listing.listers_running);
    const bool paced = listing.paced;
    for (auto& item : page.items) {
      if (ledger.failed_before(item)) {
        if (ticket) ledger.progress()->taint(ticket);
        continue;  // reported already
      }
      // A server that lists outside the prefix asked for: never delete what was not named.
      if (item.kept == protocol::KeptBy::none && !item.key.starts_with(run.options.prefix)) {
        item.kept = protocol::KeptBy::outside_prefix;
      }
      // Listed by the first pass already: counted then, kept or deleted. One it counted
      // deleted (the server said so) and that is still here was not deleted after all.
      const bool counted = report.passes > 1 && run.first_pass_listed(item, uploads);
      if (counted && item.kept != protocol::KeptBy::none) continue;
      if (counted) {
        ledger.take_back(item);
      } else {
        count_listed(run, item);
      }
      if (item.kept != protocol::KeptBy::none) {
        // Kept: the range it came from is not emptied (--state-file must list it again).
        if (ticket) ledger.progress()->taint(ticket);
        for (auto* c : {&report.of(item.kind), report.also(item.kind, item.latest)}) {
          if (!c) continue;
          ++c->skipped;
          ++c->kept;
          c->bytes_kept += item.size;
        }
        ++report.kept_by[static_cast<std::size_t>(item.kept)];
        continue;
      }
      if (ticket) {
        item.ticket = ticket;
        ledger.progress()->add(ticket);
      }
      const std::uint64_t lane = paced ? LanePacer::lane_of(item.key, run.options.prefix) : 0;
      Batch& batch = filling.of(lane);  // a map's node: it stays while others send theirs
      if (batch.capacity() == 0) batch.reserve(run.options.batch_size);
      batch.push_back(std::move(item));
      if (batch.size() == run.options.batch_size) co_await send(run, out, batch, lane);
    }
    if (paced) co_await send_idle(run, out, filling);
    if (ticket) ledger.progress()->close(ticket);
  };
  co_await run_listing(run, listing);
  if (listing.refusal) {
    const auto& e = *listing.refusal;
    const std::string code = e.s3_code.empty() ? e.code.message() : e.s3_code;
    spdlog::warn("{} of {} not listed ({}): they are not checked nor removed", listing.traits().what,
                 run.options.bucket, code);
    run.report.not_checked[listing.traits().what] = code;
    run.uploads_refused = run.uploads_refused || listing.traits().uploads;
  }
  ends.ended(listing.cut_short);
  for (const auto lane : filling.started()) {
    if (lane != 0) co_await out.send(filling.take(lane), lane);
  }
  Batch last = filling.take(0);
  co_await end_of(out, last, receivers);
}

asio::awaitable<void> feed_named_keys(RunContext& run, BatchQueue<Batch>& out, int receivers,
                                      ListingEnds& ends) {
  const PurgeOptions& options = run.options;
  Batch batch;
  batch.reserve(options.batch_size);
  std::uint64_t line_no = 0;
  bool ended = false;
  while (!run.control.stopping()) {
    auto lines = co_await options.keys->next();
    if (!lines) {
      run.control.fail(lines.error());
      break;
    }
    if (lines->empty()) {
      ended = true;
      break;
    }
    for (auto& line : *lines) {
      ++line_no;
      auto parsed = protocol::parse_key_line(line, options.prefix);
      if (!parsed) {
        // The line as it came: the summary escapes its control characters, JSON its own;
        // a line that is not UTF-8 is escaped here (\xNN), so every document stays valid.
        Item bad;
        bad.key = protocol::is_utf8(line) ? line : protocol::printable(line);
        ++run.report.of(Kind::object).listed;
        run.ledger.failed(bad, "InvalidKeyLine", "line " + std::to_string(line_no) + ": " + parsed.error().message, "");
        continue;
      }
      if (!*parsed) continue;  // a blank line
      auto& [key, version_id] = **parsed;
      const Kind kind = version_id.empty() ? Kind::object : Kind::version;
      ++run.report.of(kind).listed;
      Item item;
      item.key = std::move(key);
      item.id = std::move(version_id);
      item.kind = kind;
      batch.push_back(std::move(item));
      if (batch.size() == options.batch_size) co_await send(run, out, batch);
    }
  }
  if (!ended) options.keys->close();
  ends.ended(!ended);
  co_await end_of(out, batch, receivers);
}

}  // namespace s3purge::engine
