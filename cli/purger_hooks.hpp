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
// After Ctrl-C, requests in flight get kInterruptGrace before `report` is called with the
// report as it stands (Purger::settled_now) and the process exits 3; a second Ctrl-C prints
// one line of it to standard error and exits 3.
inline constexpr std::chrono::seconds kInterruptGrace{10};
LoopHooks purger_hooks(engine::Purger* const& running, StatusDisplay& status, bool show, bool terminal,
                       std::function<void(const engine::PurgeReport&)> report = {});

}  // namespace s3purge::cli
