#include "engine/credential_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "engine/secrets.hpp"
#include "protocol/printable.hpp"
#include "protocol/time_text.hpp"

extern char** environ;

namespace s3purge::engine {

using protocol::Error;
using protocol::client_errc;

namespace {

Error refused(const std::string& who, const std::string& why) {
  return Error(client_errc::missing_credentials, "credential_process of " + who + ": " + why);
}

// The secrets in a helper's output, remembered (engine/secrets) whether or not the rest of
// it reads.
void remember_secrets_of(std::string_view output) {
  boost::system::error_code ec;
  const auto doc = boost::json::parse(output, ec);
  if (ec || !doc.is_object()) return;
  for (const char* name : {"SecretAccessKey", "SessionToken"}) {
    if (const auto* v = doc.as_object().if_contains(name); v && v->is_string()) remember_secret(v->as_string());
  }
}

}  // namespace

protocol::Result<TimedCredentials> parse_process_credentials(std::string_view output, const std::string& who) {
  boost::system::error_code ec;
  const auto doc = boost::json::parse(output, ec);
  if (ec || !doc.is_object()) {
    return refused(who, "its output is not a JSON object (" + std::to_string(output.size()) + " bytes)");
  }
  const auto& o = doc.as_object();
  const auto* version = o.if_contains("Version");
  if (!version || !version->is_int64() || version->as_int64() != 1) {
    return refused(who, "its output has no \"Version\": 1");
  }
  auto text = [&](const char* name) -> std::string {
    const auto* v = o.if_contains(name);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  TimedCredentials out;
  out.credentials = {text("AccessKeyId"), text("SecretAccessKey"), text("SessionToken")};
  if (!out.credentials.complete()) {
    return refused(who, "its output lacks AccessKeyId or SecretAccessKey");
  }
  if (const auto* e = o.if_contains("Expiration"); e && !e->is_null()) {
    if (!e->is_string()) return refused(who, "its Expiration is not a date");
    // "...Z", or "...+HH:MM" / "...-HH:MM" as `aws configure export-credentials` writes it.
    std::string_view date(e->as_string());
    std::chrono::minutes offset{0};
    if (date.size() > 6 && (date[date.size() - 6] == '+' || date[date.size() - 6] == '-') && date[date.size() - 3] == ':') {
      const auto tail = date.substr(date.size() - 5);
      if (tail.find_first_not_of("0123456789:") != std::string_view::npos) return refused(who, "its Expiration has a bad offset");
      offset = std::chrono::hours((tail[0] - '0') * 10 + (tail[1] - '0')) + std::chrono::minutes((tail[3] - '0') * 10 + (tail[4] - '0'));
      if (date[date.size() - 6] == '-') offset = -offset;
      date.remove_suffix(6);
    }
    auto when = protocol::parse_iso8601(date);
    if (when) *when -= offset;
    if (!when) return refused(who, "its Expiration is not an ISO 8601 date");
    out.expiration = *when;
  }
  return out;
}

protocol::Result<TimedCredentials> run_credential_process(const std::string& command, const std::string& who,
                                                          std::chrono::milliseconds timeout) {
  // Its output is read; what it says on stderr is shown escaped, never raw (it may hold
  // control sequences, or a secret, which the log sinks take out).
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) return refused(who, std::string("pipe: ") + std::strerror(errno));
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    return refused(who, std::string("pipe: ") + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
  // A process group of its own: past the deadline, what the shell started dies with it.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  pid_t pid = -1;
  const int spawned = posix_spawn(&pid, "/bin/sh", &actions, &attr, const_cast<char**>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (spawned != 0) {
    close(out_pipe[0]);
    close(err_pipe[0]);
    return refused(who, std::string("cannot run /bin/sh: ") + std::strerror(spawned));
  }

  constexpr std::size_t kMaxOutput = 64 * 1024, kMaxErrorShown = 2048;
  std::string output, errors;
  bool too_long = false, timed_out = false;
  bool out_open = true, err_open = true;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (out_open || err_open) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = out_open;  // a stderr kept open by something it started does not count
      break;
    }
    pollfd p[2] = {{out_open ? out_pipe[0] : -1, POLLIN, 0}, {err_open ? err_pipe[0] : -1, POLLIN, 0}};
    const int ready = poll(p, 2, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[4096];
      const ssize_t n = read(p[i].fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        (i == 0 ? out_open : err_open) = false;
        // Its output is whole: what it has still to say on stderr gets a moment more.
        if (i == 0) deadline = std::min(deadline, std::chrono::steady_clock::now() + std::chrono::milliseconds(200));
        continue;
      }
      if (i == 1) {
        errors.append(buf, std::min(static_cast<std::size_t>(n), kMaxErrorShown - std::min(errors.size(), kMaxErrorShown)));
        continue;
      }
      output.append(buf, static_cast<std::size_t>(n));
      if (output.size() > kMaxOutput) too_long = true;
    }
    if (too_long) break;
  }
  close(err_pipe[0]);
  // What it said is shown after what it gave is known secret, so that it can be taken out.
  remember_secrets_of(output);
  if (!errors.empty()) spdlog::warn("credential_process of {} says: {}", who, protocol::printable(errors));
  close(out_pipe[0]);
  if (timed_out || too_long) kill(-pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    return refused(who, "'" + command + "' did not finish within " + std::to_string(timeout.count() / 1000) + " s");
  }
  if (too_long) return refused(who, "its output is over 64 KiB");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return refused(who, "'" + command + "' failed (" +
                            (WIFEXITED(status) ? "exit code " + std::to_string(WEXITSTATUS(status))
                                               : std::string("killed by a signal")) +
                            ")");
  }
  return parse_process_credentials(output, who);
}

}  // namespace s3purge::engine
