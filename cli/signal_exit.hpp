// SIGINT and SIGTERM outside an event loop (starting up, at the confirmation prompt,
// between buckets, printing the report): nothing is in flight, so the process ends at once
// with "interrupted" on stderr and exit 3, as an interrupted purge does, not by the
// signal's default action (which a caller sees as 130 or 143, and a report never comes).
#pragma once

namespace s3purge::cli {

// Called first thing in main, and again as each event loop ends: Asio puts back the
// default action when its signal set goes.
void exit_on_signal_outside_loops();

}  // namespace s3purge::cli
