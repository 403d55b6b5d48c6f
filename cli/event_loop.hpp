// One run of the event loop for a command: the task, Ctrl-C and SIGTERM, and a ticker for
// progress. The first signal asks the task to stop and starts the grace period; when that
// ends with the task still running, or at a second signal, the process ends (exit 3) after
// on_grace_expired or on_forced_quit has said what is known. A second signal within
// kSameSignal of the first is the same one delivered twice (to the process and to its
// group, as `timeout` and a terminal's Ctrl-C under a wrapper do), not a second Ctrl-C.
// Outside a loop a signal ends the process at once, with exit 3 too (cli/signal_exit.hpp).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <functional>
#include <string>

namespace s3purge::cli {

struct LoopHooks {
  std::function<void()> on_interrupt;  // the first signal
  std::function<void()> on_tick;       // every `tick` while the task runs
  std::chrono::milliseconds tick{0};   // 0: no ticker
  // After the first signal, requests in flight get this long; then on_grace_expired runs
  // (print what is known) and the process exits 3. 0: wait as long as they take.
  std::chrono::milliseconds grace{0};
  std::function<void()> on_grace_expired;
  std::function<void()> on_forced_quit;  // a second signal: say in short what is known
  // Writes the loop's own lines ("interrupted: ..."); null: to standard error. A status
  // area on the terminal clears itself first, so that it is redrawn below them.
  std::function<void(const std::string&)> say;
};

inline constexpr std::chrono::milliseconds kSameSignal{250};

using LoopTask = std::function<boost::asio::awaitable<void>(boost::asio::any_io_executor)>;

// Returns true when a signal interrupted the task (which still ran to its end).
bool run_event_loop(const LoopTask& task, const LoopHooks& hooks = {});


}  // namespace s3purge::cli
