// The credentials every request of a process signs with. Static keys never change;
// temporary ones (credential_process, and the other providers of a role) are fetched
// again on a thread of their own before they expire, without stopping the requests in
// flight, and at once when a server refuses a token as expired. Every client of the
// process shares one source, so one renewal serves every connection.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "protocol/credentials.hpp"
#include "protocol/error.hpp"
#include "protocol/sigv4.hpp"

namespace s3purge::engine {

struct TimedCredentials {
  protocol::Credentials credentials;
  // None: they do not expire, and are never fetched again.
  std::optional<std::chrono::system_clock::time_point> expiration;
};

// Blocks (it may run a process or ask a server); called on the source's own thread.
using FetchCredentials = std::function<protocol::Result<TimedCredentials>()>;

class CredentialSource {
 public:
  struct Snapshot {
    std::shared_ptr<const protocol::Credentials> credentials;
    std::uint64_t generation = 0;  // grows with each renewal
  };

  static std::shared_ptr<CredentialSource> fixed(protocol::Credentials credentials);
  // `first` is what `fetch` returned when the run began.
  static std::shared_ptr<CredentialSource> renewing(FetchCredentials fetch, TimedCredentials first);

  CredentialSource(FetchCredentials fetch, TimedCredentials first);
  // Does not wait for a fetch under way (a process may take up to its 60 s): the thread
  // finishes it on its own and drops what it fetched.
  ~CredentialSource();
  CredentialSource(const CredentialSource&) = delete;
  CredentialSource& operator=(const CredentialSource&) = delete;

  Snapshot current() const;
  bool renewable() const;
  // After a server refused the token of `generation` as expired: newer credentials, fetched
  // now unless another caller already did. False when the fetch failed (its error is
  // logged) or took longer than 30 s.
  boost::asio::awaitable<bool> renew(std::uint64_t generation);
  // Renewals that installed new credentials, and fetches that failed.
  std::uint64_t renewals() const;
  std::uint64_t failed_fetches() const;

  // Before the expiry, the credentials are renewed when this much of their life is left:
  // a quarter of it, at most 15 minutes (botocore's advisory window), so that a slow or
  // failing fetch has time to be tried again before the old ones expire.
  static std::chrono::system_clock::time_point renew_at(std::chrono::system_clock::time_point fetched,
                                                        std::chrono::system_clock::time_point expiration);

 private:
  struct State;  // shared with the renewing thread, which may outlive the source
  std::shared_ptr<State> state_;
  std::thread thread_;
};

// A signer for the source's current credentials, made again when they change.
class SigningKeys {
 public:
  SigningKeys(std::shared_ptr<CredentialSource> source, std::string region);

  struct Current {
    std::shared_ptr<const protocol::Signer> signer;
    std::uint64_t generation = 0;
  };
  Current current();
  CredentialSource& source() { return *source_; }

 private:
  std::shared_ptr<CredentialSource> source_;
  std::string region_;
  std::mutex mutex_;
  Current signer_;
};

}  // namespace s3purge::engine
