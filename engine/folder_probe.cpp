#include "engine/folder_probe.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "engine/body_pool.hpp"
#include "engine/lister_growth.hpp"
#include "protocol/uri.hpp"

namespace s3purge::engine {

namespace asio = boost::asio;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// The folders' cuts of the whole range above `at`: the ranges between them, the first
// from `at` (or from the first key). Sets the listing's folders.
std::vector<KeyRange> cut_at_folders(Listing& listing, Folders& found, const std::optional<std::string>& at,
                                     int listers) {
  listing.folders.assign(std::make_move_iterator(found.names.begin() + 1),
                         std::make_move_iterator(found.names.end()));
  listing.folder_keys.assign(listing.folders.size() + 1, 0);
  std::vector<KeyRange> out;
  std::optional<std::string> after = at;
  const int pieces = first_ranges(listers, listing.grows, listing.probe_seconds);
  for (auto& cut : cuts_among(listing.folders, at, std::nullopt, pieces - 1)) {
    out.push_back({after, cut});
    after = std::move(cut);
  }
  out.push_back({after, std::nullopt});
  spdlog::debug("{} listing {} as {} ranges, cut at {} folders under {}", listing.traits().what,
                at ? "goes on" : "starts", out.size(), found.names.size(),
                protocol::uri_encode(found.parent, false));
  return out;
}

}  // namespace

asio::awaitable<Folders> find_folders(RunContext& run, protocol::ListingKind kind) {
  auto lease = run.client.connection();
  S3Call call = run.client.call_on(*lease);
  protocol::HttpResponse resp;
  Folders out;
  out.parent = run.options.prefix;
  for (int depth = 0; depth < 3; ++depth) {
    protocol::ListCursor at;
    at.prefix = out.parent;
    auto req = protocol::build_list_request(kind, run.client.ctx(), at, "/");
    if (!co_await call(protocol::traits(kind).operation, req, resp)) co_return Folders{};
    auto page = protocol::parse_list_page(kind, resp.body);
    BodyPool::of_thread().give(std::move(resp.body));
    if (!page) co_return Folders{};
    out.names = std::move(page->folders);
    const bool beside = !page->entries.empty();
    const bool truncated = page->truncated;
    // A server that answers outside what was asked: no folders from it.
    if (std::any_of(out.names.begin(), out.names.end(),
                    [&](const std::string& f) { return !f.starts_with(out.parent) || f == out.parent; })) {
      co_return Folders{};
    }
    std::sort(out.names.begin(), out.names.end());
    out.names.erase(std::unique(out.names.begin(), out.names.end()), out.names.end());
    out.all_keys_inside = !beside && !truncated;
    if (out.names.size() != 1 || beside || truncated) co_return out;
    out.parent = std::move(out.names.front());
  }
  out.names.clear();
  co_return out;
}

asio::awaitable<void> probe_first(RunContext& run, Listing& listing, int listers) {
  const auto asked = std::chrono::steady_clock::now();
  auto found = co_await find_folders(run, listing.kind);
  listing.probe_seconds = seconds_since(asked);
  if (found.names.size() >= 2 && found.all_keys_inside && !run.options.journal) {
    listing.start.clear();
    for (auto& f : found.names) listing.start.push_back({std::nullopt, std::nullopt, std::move(f)});
    spdlog::debug("{} listing starts as {} folders under {}", listing.traits().what,
                  listing.start.size(), protocol::uri_encode(found.parent, false));
  } else if (found.names.size() >= 2) {
    listing.start = cut_at_folders(listing, found, std::nullopt, listers);
  }
}

asio::awaitable<void> probe_alongside(RunContext& run, Listing& listing, int listers) {
  const auto asked = std::chrono::steady_clock::now();
  auto found = co_await find_folders(run, listing.kind);
  listing.probe_seconds = seconds_since(asked);
  listing.probing = false;
  // Listed already, or stopping: nothing to cut.
  if (found.names.size() < 2 || !listing.whole || run.control.stopping() || listing.halt) co_return;
  auto ranges = cut_at_folders(listing, found, listing.whole_at, listers);
  if (ranges.size() < 2) co_return;
  listing.whole->through = ranges.front().through;
  ranges.erase(ranges.begin());
  listing.work.give(std::move(ranges));
  // Growth looks now rather than at its next look, up to 50 ms on.
  listing.look_now.cancel();
}

std::size_t folder_of(const Listing& listing, std::string_view key) {
  return static_cast<std::size_t>(std::upper_bound(listing.folders.begin(), listing.folders.end(), key,
                                                   [](std::string_view k, const std::string& f) { return k < f; }) -
                                  listing.folders.begin());
}

}  // namespace s3purge::engine
