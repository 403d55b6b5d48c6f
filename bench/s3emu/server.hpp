// s3emu's network side: an HTTP/1.1 keep-alive server on Beast (plain or TLS), N threads,
// the latency model served with timers (never by blocking a thread), the capacity model,
// and the transport faults (connection reset, truncated body) around the Router.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "s3emu/capacity.hpp"
#include "s3emu/faults.hpp"
#include "s3emu/router.hpp"

namespace s3emu {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: the system picks one
  int threads = 1;
  std::string tls_cert_file;  // PEM; with tls_key_file: serve TLS
  std::string tls_key_file;
  std::chrono::nanoseconds latency{0};           // per request
  std::chrono::nanoseconds per_key_latency{0};   // per key of a DeleteObjects
  std::chrono::nanoseconds list_latency{0};      // per list page
  double capacity_ops = 0;                       // 0: unlimited
  Capacity::Schedule capacity_schedule;          // instead of capacity_ops, from start()
  Overload overload = Overload::queue;
  // A keep-alive connection idle this long is closed.
  std::chrono::seconds idle_timeout{120};
  // Close a connection silently after this many requests (0: never), as load balancers
  // do: clients must resend what they had sent on it.
  std::uint64_t max_requests_per_connection = 0;
};

class Server {
 public:
  Server(ServerOptions options, Router& router, Stats& stats, const FaultInjector* faults);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; throws with a clear message when it cannot.
  void start();
  std::uint16_t port() const;
  // Serves until stop(); runs options.threads threads, the caller's among them.
  void run();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A self-signed certificate for 127.0.0.1, ::1, localhost and *.localhost, written as PEM.
// Throws on failure.
void write_self_signed_certificate(const std::string& cert_file, const std::string& key_file,
                                   const std::vector<std::string>& extra_names = {});

}  // namespace s3emu
