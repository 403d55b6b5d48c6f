// The event-loop hooks of a command that runs a Purger: Ctrl-C asks it to stop, and the
// status display follows its counters (every 0.5 s on a terminal, 5 s in a log).
#pragma once

#include "cli/event_loop.hpp"
#include "cli/status_display.hpp"

namespace s3purge::engine {
class Purger;
}

namespace s3purge::cli {

// `running` points at the Purger while it runs and is null otherwise; `show` false: no ticks.
LoopHooks purger_hooks(engine::Purger* const& running, StatusDisplay& status, bool show, bool terminal);

}  // namespace s3purge::cli
