#include "engine/credential_source.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>

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

CredentialSource::CredentialSource(FetchCredentials fetch, TimedCredentials first)
    : fetch_(std::move(fetch)) {
  install(std::move(first));
  if (fetch_) thread_ = std::thread([this] { run(); });
}

CredentialSource::~CredentialSource() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void CredentialSource::install(TimedCredentials fresh) {
  credentials_ = std::make_shared<const protocol::Credentials>(std::move(fresh.credentials));
  ++generation_;
  expiration_ = fresh.expiration;
  const auto now = Clock::now();
  // Credentials that come already expired, or nearly, are not asked for again at once.
  renew_at_ = expiration_ ? std::max(renew_at(now, *expiration_), now + std::chrono::seconds(1))
                          : Clock::time_point::max();
}

CredentialSource::Snapshot CredentialSource::current() const {
  const std::lock_guard lock(mutex_);
  return {credentials_, generation_};
}

std::uint64_t CredentialSource::renewals() const {
  const std::lock_guard lock(mutex_);
  return renewals_;
}

std::uint64_t CredentialSource::failed_fetches() const {
  const std::lock_guard lock(mutex_);
  return failures_;
}

void CredentialSource::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (!urgent_) {
      if (renew_at_ == Clock::time_point::max()) {
        wake_.wait(lock, [&] { return stopping_ || urgent_; });
      } else {
        wake_.wait_until(lock, renew_at_, [&] { return stopping_ || urgent_; });
      }
      if (stopping_) break;
      if (!urgent_ && Clock::now() < renew_at_) continue;
    }
    const bool asked = urgent_;
    urgent_ = false;
    fetching_ = true;
    lock.unlock();
    auto fetched = fetch_();
    lock.lock();
    fetching_ = false;
    ++fetches_;
    if (fetched) {
      install(std::move(fetched).value());
      ++renewals_;
      spdlog::debug("credentials renewed{} ({}), {}", asked ? " after an expired token" : "",
                    credentials_->redacted_id(),
                    expiration_ ? "valid for " + std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                                                    *expiration_ - Clock::now())
                                                                    .count()) +
                                      " s"
                                : std::string("without expiry"));
    } else {
      ++failures_;
      spdlog::warn("renewing the credentials failed: {}", fetched.error().describe());
      // Again soon, while the current ones may still be good.
      const auto left = expiration_ ? *expiration_ - Clock::now() : Clock::duration::zero();
      renew_at_ = Clock::now() + std::clamp<Clock::duration>(left / 4, std::chrono::seconds(1),
                                                              std::chrono::seconds(30));
    }
    wake_.notify_all();
  }
}

asio::awaitable<bool> CredentialSource::renew(std::uint64_t generation) {
  if (!fetch_) co_return false;
  std::uint64_t fetches_before = 0;
  {
    const std::lock_guard lock(mutex_);
    if (generation_ > generation) co_return true;
    fetches_before = fetches_;
    if (!fetching_) urgent_ = true;  // one under way serves this caller too
  }
  wake_.notify_all();
  asio::steady_timer timer(co_await asio::this_coro::executor);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    {
      const std::lock_guard lock(mutex_);
      if (generation_ > generation) co_return true;
      if (fetches_ > fetches_before && !urgent_) co_return false;  // that fetch failed
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
