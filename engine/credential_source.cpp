#include "engine/credential_source.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>

#include "engine/secrets.hpp"

namespace s3purge::engine {

namespace asio = boost::asio;
using Clock = std::chrono::system_clock;

std::shared_ptr<CredentialSource> CredentialSource::fixed(protocol::Credentials credentials) {
  return std::make_shared<CredentialSource>(nullptr, TimedCredentials{std::move(credentials), std::nullopt});
}

std::shared_ptr<CredentialSource> CredentialSource::renewing(FetchCredentials fetch, TimedCredentials first) {
  return std::make_shared<CredentialSource>(std::move(fetch), std::move(first));
}

Clock::time_point CredentialSource::renew_at(Clock::time_point fetched, Clock::time_point expiration) {
  const auto life = expiration > fetched ? expiration - fetched : Clock::duration::zero();
  const auto window = std::min<Clock::duration>(life / 4, std::chrono::minutes(15));
  return expiration - window;
}

struct CredentialSource::State {
  explicit State(FetchCredentials f) : fetch(std::move(f)) {}

  void install(TimedCredentials fresh);  // with mutex held
  static void run(const std::shared_ptr<State>& self);

  const FetchCredentials fetch;
  std::mutex mutex;
  std::condition_variable wake;
  std::shared_ptr<const protocol::Credentials> credentials;
  std::uint64_t generation = 0;
  std::optional<Clock::time_point> expiration;
  Clock::time_point renew_at;
  bool urgent = false;
  bool fetching = false;
  bool stopping = false;
  std::uint64_t renewals = 0, failures = 0, fetches = 0;
};

CredentialSource::CredentialSource(FetchCredentials fetch, TimedCredentials first)
    : state_(std::make_shared<State>(std::move(fetch))) {
  state_->install(std::move(first));
  if (state_->fetch) thread_ = std::thread([state = state_] { State::run(state); });
}

CredentialSource::~CredentialSource() {
  bool fetching = false;
  {
    const std::lock_guard lock(state_->mutex);
    state_->stopping = true;
    fetching = state_->fetching;
  }
  state_->wake.notify_all();
  if (!thread_.joinable()) return;
  // A fetch under way ends by its own deadline; the thread holds the state until then.
  if (fetching) {
    thread_.detach();
  } else {
    thread_.join();
  }
}

void CredentialSource::State::install(TimedCredentials fresh) {
  remember_secret(fresh.credentials.secret_access_key);
  remember_secret(fresh.credentials.session_token);
  credentials = std::make_shared<const protocol::Credentials>(std::move(fresh.credentials));
  ++generation;
  expiration = fresh.expiration;
  const auto now = Clock::now();
  // Credentials that come already expired, or nearly, are not asked for again at once.
  renew_at = expiration ? std::max(CredentialSource::renew_at(now, *expiration), now + std::chrono::seconds(1))
                        : Clock::time_point::max();
}

CredentialSource::Snapshot CredentialSource::current() const {
  const std::lock_guard lock(state_->mutex);
  return {state_->credentials, state_->generation};
}

bool CredentialSource::renewable() const { return static_cast<bool>(state_->fetch); }

std::uint64_t CredentialSource::renewals() const {
  const std::lock_guard lock(state_->mutex);
  return state_->renewals;
}

std::uint64_t CredentialSource::failed_fetches() const {
  const std::lock_guard lock(state_->mutex);
  return state_->failures;
}

void CredentialSource::State::run(const std::shared_ptr<State>& self) {
  State& s = *self;
  std::unique_lock lock(s.mutex);
  while (!s.stopping) {
    if (!s.urgent) {
      if (s.renew_at == Clock::time_point::max()) {
        s.wake.wait(lock, [&] { return s.stopping || s.urgent; });
      } else {
        s.wake.wait_until(lock, s.renew_at, [&] { return s.stopping || s.urgent; });
      }
      if (s.stopping) break;
      if (!s.urgent && Clock::now() < s.renew_at) continue;
    }
    const bool asked = s.urgent;
    s.urgent = false;
    s.fetching = true;
    lock.unlock();
    auto fetched = s.fetch();
    lock.lock();
    s.fetching = false;
    ++s.fetches;
    if (s.stopping) break;  // nobody is left to use them
    if (fetched) {
      s.install(std::move(fetched).value());
      ++s.renewals;
      spdlog::debug("credentials renewed{} ({}), {}", asked ? " after an expired token" : "",
                    s.credentials->redacted_id(),
                    s.expiration ? "valid for " + std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                                                     *s.expiration - Clock::now())
                                                                     .count()) +
                                       " s"
                                 : std::string("without expiry"));
    } else {
      ++s.failures;
      spdlog::warn("renewing the credentials failed: {}", fetched.error().describe());
      // Again soon, while the current ones may still be good.
      const auto left = s.expiration ? *s.expiration - Clock::now() : Clock::duration::zero();
      s.renew_at = Clock::now() + std::clamp<Clock::duration>(left / 4, std::chrono::seconds(1),
                                                               std::chrono::seconds(30));
    }
    s.wake.notify_all();
  }
}

asio::awaitable<bool> CredentialSource::renew(std::uint64_t generation) {
  State& s = *state_;
  if (!s.fetch) co_return false;
  std::uint64_t fetches_before = 0;
  {
    const std::lock_guard lock(s.mutex);
    if (s.generation > generation) co_return true;
    fetches_before = s.fetches;
    if (!s.fetching) s.urgent = true;  // one under way serves this caller too
  }
  s.wake.notify_all();
  asio::steady_timer timer(co_await asio::this_coro::executor);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    {
      const std::lock_guard lock(s.mutex);
      if (s.generation > generation) co_return true;
      if (s.fetches > fetches_before && !s.urgent) co_return false;  // that fetch failed
    }
    timer.expires_after(std::chrono::milliseconds(10));
    co_await timer.async_wait(asio::use_awaitable);
  }
  co_return false;
}

SigningKeys::SigningKeys(std::shared_ptr<CredentialSource> source, std::string region)
    : source_(std::move(source)), region_(std::move(region)) {}

SigningKeys::Current SigningKeys::current() {
  const auto snap = source_->current();
  const std::lock_guard lock(mutex_);
  if (!signer_.signer || signer_.generation != snap.generation) {
    signer_ = {std::make_shared<const protocol::Signer>(*snap.credentials, region_), snap.generation};
  }
  return signer_;
}

}  // namespace s3purge::engine
