// One page of a listing: asked, read (asked again while the answer does not parse, as
// S3Call retries), checked to move the listing forward (protocol/list_progress), and the
// cursor moved on.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <vector>

#include "engine/item.hpp"
#include "engine/run_context.hpp"
#include "engine/s3_call.hpp"
#include "protocol/list_progress.hpp"
#include "protocol/listing.hpp"

namespace s3purge::engine {

// Where a listing of one range has got to, and the check that it keeps moving.
struct Cursor {
  protocol::ListCursor at;
  protocol::ListProgress progress;
  protocol::RepeatFilter repeats;  // versions and uploads
};

// The page's items; nullopt after a fatal error (the run is then stopping), or, where
// `refusal` is given, after a refusal (protocol::is_refusal), which is put there instead of
// stopping the run.
boost::asio::awaitable<std::optional<std::vector<Item>>> list_page(
    RunContext& run, S3Call& call, protocol::HttpResponse& resp, protocol::ListingKind kind, Cursor& cursor,
    std::optional<protocol::Error>* refusal = nullptr);

}  // namespace s3purge::engine
