#include "engine/s3_call.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <spdlog/spdlog.h>

#include <mutex>

#include "engine/stop_signal.hpp"
#include "engine/transport_error.hpp"
#include "protocol/s3_response.hpp"

namespace s3purge::engine {

namespace asio = boost::asio;
using protocol::Error;
using protocol::Ok;
using protocol::Result;

namespace {

// A warning on the terminal, unless the same one was just given: the checks before a run
// go out together, and each would say the same of one unreachable endpoint.
bool is_expired_token(std::string_view code) {
  return code == "ExpiredToken" || code == "InvalidToken" || code == "TokenRefreshRequired" ||
         code == "ExpiredTokenException";
}

void say_once(const std::string& text) {
  static std::mutex mutex;
  static std::string last;
  static std::chrono::steady_clock::time_point at;
  const auto now = std::chrono::steady_clock::now();
  {
    const std::lock_guard lock(mutex);
    if (text == last && now - at < std::chrono::seconds(5)) return;
    last = text, at = now;
  }
  spdlog::warn("{}", text);
}

}  // namespace

S3Call::S3Call(HttpConnection& connection, SigningKeys& keys, RateLimiter& limiter,
               Backoff& backoff, const RetryOptions& retry, protocol::PayloadSigning payload,
               CallCounters& counters, std::string endpoint_name, StopSignal* stop)
    : connection_(connection),
      keys_(keys),
      limiter_(limiter),
      backoff_(backoff),
      retry_(retry),
      payload_(payload),
      counters_(counters),
      endpoint_name_(std::move(endpoint_name)),
      stop_(stop) {}

asio::awaitable<Result<Ok>> S3Call::operator()(const char* operation,
                                               protocol::HttpRequest& request,
                                               protocol::HttpResponse& response, Resend resend,
                                               BodyCheck check) {
  unsigned throttles = 0, transients = 0;
  LatencyHistogram& latency = counters_.latency[operation];
  const auto deadline = std::chrono::steady_clock::now() + retry_.budget;
  const bool careful = resend == Resend::only_if_not_carried_out;
  // Waits `d` before the next attempt, unless that would end past the budget.
  auto wait = [&](std::chrono::milliseconds d) -> asio::awaitable<bool> {
    if (std::chrono::steady_clock::now() + d > deadline) co_return false;
    if (stop_) co_return co_await stop_->sleep(co_await asio::this_coro::executor, d);
    asio::steady_timer timer(co_await asio::this_coro::executor, d);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    co_return true;
  };
  // Why a wait did not happen: the run stopped, or the budget would be outlasted.
  auto budget_spent = [&](Error e) {
    if (stop_ && stop_->stopped()) {
      return Error(protocol::client_errc::stopped, e.describe() + ": the run stopped before the retry");
    }
    e.message += " (retrying longer would outlast --retry-time, " +
                 std::to_string(retry_.budget.count() / 1000) + " s)";
    return e;
  };
  bool renewed = false;  // the credentials, once, after a token refused as expired
  attempts_ = 0;
  for (;;) {
    ++attempts_;
    const auto keys = keys_.current();
    keys.signer->sign(request, std::chrono::system_clock::now(), payload_);
    ++counters_.requests;
    const auto sent = std::chrono::steady_clock::now();
    last_sent_ = sent;
    const auto ec = co_await connection_.exchange(request, response, !careful);
    latency.add(std::chrono::steady_clock::now() - sent);
    if (ec) {
      // Before the first answer, a failure that suggests a wrong endpoint (refused, no
      // connection, no TLS, no answer at all) gets a few retries, each said with what to check.
      const std::string what = describe_transport_error(ec, endpoint_name_);
      const std::string hint = counters_.answers == 0 ? transport_hint(ec, connection_.failed_in(), connection_.is_tls()) : std::string();
      const bool first_contact = !hint.empty();
      const unsigned allowed = first_contact ? std::min(retry_.first_contact_retries, retry_.transient_retries)
                                             : retry_.transient_retries;
      if (careful && connection_.request_went_out()) {
        co_return Error(protocol::client_errc::outcome_unknown,
                        what + ": the answer was lost, and sending it again could repeat it");
      }
      if (classify_transport_error(ec) == TransportClass::too_large) {
        co_return Error(protocol::client_errc::response_too_large, what);
      }
      if (classify_transport_error(ec) == TransportClass::fatal || transients >= allowed) {
        co_return Error(protocol::client_errc::connection_failed,
                        what + (transients ? " after " + std::to_string(transients) + " retries" : "") +
                            (hint.empty() ? "" : ": " + hint));
      }
      ++counters_.errors_by_code["transport: " + ec.message()];
      ++counters_.transient_retries;
      const auto delay = backoff_.delay(transients);
      if (first_contact) {
        say_once(what + (hint.empty() ? "" : ": " + hint) + "; retry " + std::to_string(transients + 1) + " of " +
                 std::to_string(allowed));
      }
      spdlog::debug("{}: {}; retry {} of {} in {} ms", operation, what, transients + 1, allowed, delay.count());
      ++transients;
      if (!co_await wait(delay)) {
        co_return budget_spent(Error(protocol::client_errc::connection_failed, what));
      }
      continue;
    }
    ++counters_.answers;
    auto error = protocol::error_from_response(response);
    if (!error) {
      if (!check) co_return Ok{};
      auto read = check(response);
      if (read) co_return Ok{};
      error = std::move(read).error();
    }
    ++counters_.errors_by_code[error->s3_code.empty() ? error->code.message() : error->s3_code];
    if (!renewed && keys_.source().renewable() && is_expired_token(error->s3_code)) {
      renewed = true;
      ++counters_.credential_renewals;
      spdlog::debug("{}: {}: renewing the credentials", operation, error->describe());
      if (co_await keys_.source().renew(keys.generation)) continue;
      co_return std::move(*error);
    }
    if (protocol::is_throttle(error->code)) {
      // A throttle is refused before it is carried out: safe to send again, always.
      const auto retry_after =
          std::min<std::chrono::milliseconds>(std::chrono::seconds(error->retry_after_s), retry_.max_retry_after);
      if (paced_) limiter_.on_throttle(retry_after, lane_, sent, lane_keys_);
      if (throttles >= retry_.throttle_retries) co_return std::move(*error);
      ++counters_.throttle_retries;
      spdlog::debug("{}: throttled ({}); retry {} of {}", operation, error->s3_code, throttles + 1,
                    retry_.throttle_retries);
      if (!co_await wait(backoff_.throttle_delay(throttles++, retry_after))) co_return budget_spent(std::move(*error));
      continue;
    }
    if (protocol::is_retryable(error->code)) {
      if (careful) {
        const std::string what = error->describe();
        co_return Error(protocol::client_errc::outcome_unknown,
                        what + ": it may have been carried out, and sending it again could repeat it");
      }
      if (transients >= retry_.transient_retries) co_return std::move(*error);
      ++counters_.transient_retries;
      spdlog::debug("{}: {}; retry {} of {}", operation, error->describe(), transients + 1,
                    retry_.transient_retries);
      if (!co_await wait(backoff_.delay(transients++))) co_return budget_spent(std::move(*error));
      continue;
    }
    spdlog::debug("{}: {}", operation, error->describe());
    co_return std::move(*error);
  }
}

}  // namespace s3purge::engine
