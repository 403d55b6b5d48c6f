#include "cli/event_loop.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>

#include "cli/exit_codes.hpp"
#include "cli/signal_exit.hpp"

namespace s3purge::cli {

namespace asio = boost::asio;
using boost::system::error_code;

bool run_event_loop(const LoopTask& task, const LoopHooks& hooks) {
  struct Outside {  // destroyed last: after the signal set has put back the default action
    ~Outside() { exit_on_signal_outside_loops(); }
  } outside;
  asio::io_context ioc(1);
  bool interrupted = false;
  asio::steady_timer grace(ioc);
  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  const auto say = [&hooks](const std::string& text) {
    if (hooks.say) hooks.say(text);
    else std::cerr << text << std::flush;
  };
  std::chrono::steady_clock::time_point first_signal;
  std::function<void(const error_code&, int)> on_signal = [&](const error_code& ec, int) {
    if (ec) return;
    if (interrupted && std::chrono::steady_clock::now() - first_signal < kSameSignal) {
      signals.async_wait(on_signal);
      return;
    }
    if (interrupted) {
      if (hooks.on_forced_quit) hooks.on_forced_quit();
      std::_Exit(static_cast<int>(ExitCode::interrupted));
    }
    interrupted = true;
    first_signal = std::chrono::steady_clock::now();
    say("s3purge: interrupted: finishing requests in flight (again to quit now)\n");
    if (hooks.on_interrupt) hooks.on_interrupt();
    signals.async_wait(on_signal);
    if (hooks.grace.count() > 0) {
      grace.expires_after(hooks.grace);
      grace.async_wait([&](const error_code& e) {
        if (e) return;
        say("s3purge: the grace period ended with requests in flight\n");
        if (hooks.on_grace_expired) hooks.on_grace_expired();
        std::_Exit(static_cast<int>(ExitCode::interrupted));
      });
    }
  };
  signals.async_wait(on_signal);

  asio::steady_timer ticker(ioc);
  std::function<void(const error_code&)> tick = [&](const error_code& ec) {
    if (ec) return;
    hooks.on_tick();
    ticker.expires_after(hooks.tick);
    ticker.async_wait(tick);
  };
  if (hooks.on_tick && hooks.tick.count() > 0) {
    ticker.expires_after(hooks.tick);
    ticker.async_wait(tick);
  }

  std::exception_ptr failure;
  asio::co_spawn(ioc, task(ioc.get_executor()), [&](std::exception_ptr e) {
    failure = e;
    signals.cancel();
    ticker.cancel();
    grace.cancel();
  });
  ioc.run();
  if (failure) std::rethrow_exception(failure);
  return interrupted;
}

}  // namespace s3purge::cli
