#include "cli/purger_hooks.hpp"

#include <iostream>

#include "cli/report_output.hpp"
#include "engine/purger.hpp"

namespace s3purge::cli {

LoopHooks purger_hooks(engine::Purger* const& running, StatusDisplay& status, bool show, bool terminal,
                       std::function<void(const engine::PurgeReport&)> report) {
  LoopHooks hooks;
  hooks.on_interrupt = [&running] {
    if (running) running->request_stop();
  };
  hooks.grace = kInterruptGrace;
  hooks.say = [&status](const std::string& text) {
    status.clear();  // the area is drawn again below the line at the next tick
    std::cerr << text << std::flush;
  };
  hooks.on_grace_expired = [&running, &status, report = std::move(report)] {
    status.clear();
    if (running && report) report(running->settled_now());
  };
  hooks.on_forced_quit = [&running, &status] {
    status.clear();
    if (running) std::cerr << "s3purge: quit: " << stop_line(running->settled_now()) << "\n" << std::flush;
  };
  if (show) {
    hooks.tick = std::chrono::milliseconds(terminal ? 500 : 5000);
    hooks.on_tick = [&running, &status, started = std::chrono::steady_clock::now()] {
      if (running) status.update(running->progress(), std::chrono::steady_clock::now() - started);
    };
  }
  return hooks;
}

}  // namespace s3purge::cli
