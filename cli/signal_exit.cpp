#include "cli/signal_exit.hpp"

#include <csignal>

#include <unistd.h>

#include "cli/exit_codes.hpp"

namespace s3purge::cli {

namespace {
void exit_interrupted(int) {
  // Async-signal-safe: write(2) and _exit(2) only.
  static constexpr char kMessage[] = "\ns3purge: interrupted\n";
  [[maybe_unused]] const auto n = ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  ::_exit(static_cast<int>(ExitCode::interrupted));
}
}  // namespace

void exit_on_signal_outside_loops() {
  struct sigaction action {};
  action.sa_handler = exit_interrupted;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

}  // namespace s3purge::cli
