// The retry policy (S3Call) against a scripted server on 127.0.0.1: what is retried, how
// often, what comes back at once, and what a request that must not be repeated does.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <deque>
#include <optional>
#include <string>

#include "engine/http_connection.hpp"
#include "engine/rate_limiter.hpp"
#include "engine/s3_call.hpp"
#include "engine/credential_process.hpp"
#include "scripted_server.hpp"

namespace asio = boost::asio;
using namespace s3purge::engine;
using s3purge::protocol::client_errc;
using s3purge::protocol::Error;
using s3purge::protocol::HttpRequest;
using s3purge::protocol::HttpResponse;
using s3purge::protocol::Ok;
using s3purge::protocol::Result;
using s3purge::protocol::s3_errc;
using s3purge::testing::ScriptedServer;

namespace {

struct Policy {
  explicit Policy(std::shared_ptr<CredentialSource> source = CredentialSource::fixed({"AKIDEXAMPLE", "secret", ""}))
      : keys(std::move(source), "us-east-1") {}

  asio::io_context ioc;
  ScriptedServer server{ioc};
  HttpConnection connection{ioc.get_executor(), server.options(), nullptr};
  SigningKeys keys;
  RateLimiter limiter{ioc.get_executor(), 0, 0};
  RetryOptions retry = fast();
  Backoff backoff{retry.backoff};
  CallCounters counters;
  bool paced = false;  // the call draws on the limiter (a deletion)

  static RetryOptions fast() {
    RetryOptions r;
    r.transient_retries = 3;
    r.throttle_retries = 3;
    r.backoff.base = std::chrono::milliseconds(1);
    r.backoff.cap = std::chrono::milliseconds(5);
    r.max_retry_after = std::chrono::milliseconds(5);
    return r;
  }

  // One call with these answers; its result (bounded: a hang fails, it does not wait).
  std::optional<Result<Ok>> call(std::deque<std::string> answers, Resend resend = Resend::safe,
                                 BodyCheck check = {}) {
    server.script(std::move(answers));
    std::optional<Result<Ok>> out;
    asio::co_spawn(ioc, [&]() -> asio::awaitable<void> {
      S3Call send(connection, keys, limiter, backoff, retry, s3purge::protocol::PayloadSigning::sha256,
                  counters, "127.0.0.1");
      send.paced(paced);
      HttpRequest req;
      req.method = "GET";
      req.host = "127.0.0.1";
      req.path = "/b";
      HttpResponse resp;
      auto r = co_await send("GetBucketVersioning", req, resp, resend, std::move(check));
      out.emplace(std::move(r));
    }, asio::detached);
    while (!out && ioc.run_one_for(std::chrono::seconds(10)) > 0) {
    }
    return out;
  }
};

const std::string kOk = ScriptedServer::answer(200, "OK", "");
const std::string k500 = ScriptedServer::s3_error(500, "Internal Server Error", "InternalError");

}  // namespace

TEST(RetryPolicy, ATransientErrorIsRetried) {
  Policy p;
  auto r = p.call({k500, kOk});
  ASSERT_TRUE(r);
  EXPECT_TRUE(*r);
  EXPECT_EQ(p.server.requests(), 2);
  EXPECT_EQ(p.counters.transient_retries, 1u);
  EXPECT_EQ(p.counters.errors_by_code["InternalError"], 1u);
}

TEST(RetryPolicy, TransientErrorsStopAfterTheirBudget) {
  Policy p;
  auto r = p.call({k500, k500, k500, k500, kOk});
  ASSERT_TRUE(r);
  ASSERT_FALSE(*r);
  EXPECT_EQ(r->error().code, s3_errc::internal_error);
  EXPECT_EQ(p.server.requests(), 4);  // the first and 3 retries
}

TEST(RetryPolicy, AThrottleIsRetriedAndSlowsTheLimiter) {
  Policy p;
  p.paced = true;
  auto r = p.call({ScriptedServer::s3_error(503, "Slow Down", "SlowDown", "Retry-After: 3600\r\n"), kOk});
  ASSERT_TRUE(r);
  EXPECT_TRUE(*r);
  EXPECT_EQ(p.counters.throttle_retries, 1u);
  EXPECT_EQ(p.limiter.core().throttles(), 1u);
}

TEST(RetryPolicy, AThrottledCallThatDrawsNothingFromTheLimiterIsRetriedAndLeavesItAlone) {
  // A list request or a check: it waits and goes again; the rate of deletion stays.
  Policy p;
  auto r = p.call({ScriptedServer::s3_error(503, "Slow Down", "SlowDown"), kOk});
  ASSERT_TRUE(r);
  EXPECT_TRUE(*r);
  EXPECT_EQ(p.counters.throttle_retries, 1u);
  EXPECT_EQ(p.limiter.core().throttles(), 0u);
}

TEST(RetryPolicy, APermanentErrorComesBackAtOnce) {
  Policy p;
  auto r = p.call({ScriptedServer::s3_error(403, "Forbidden", "AccessDenied"), kOk});
  ASSERT_TRUE(r);
  ASSERT_FALSE(*r);
  EXPECT_EQ(r->error().code, s3_errc::access_denied);
  EXPECT_EQ(p.server.requests(), 1);
}

TEST(RetryPolicy, ARequestThatMustNotRepeatIsNotResentAfterA500) {
  Policy p;
  auto r = p.call({k500, kOk}, Resend::only_if_not_carried_out);
  ASSERT_TRUE(r);
  ASSERT_FALSE(*r);
  EXPECT_EQ(r->error().code, client_errc::outcome_unknown);
  EXPECT_EQ(p.server.requests(), 1);
}

TEST(RetryPolicy, ARequestThatMustNotRepeatIsResentAfterAThrottle) {
  Policy p;
  auto r = p.call({ScriptedServer::s3_error(503, "Slow Down", "SlowDown"), kOk}, Resend::only_if_not_carried_out);
  ASSERT_TRUE(r);
  EXPECT_TRUE(*r);
  EXPECT_EQ(p.server.requests(), 2);
}

TEST(RetryPolicy, An200ThatDoesNotParseIsAskedAgain) {
  Policy p;
  int reads = 0;
  auto r = p.call({ScriptedServer::answer(200, "OK", "<Versioning"), ScriptedServer::answer(200, "OK", "good")},
                  Resend::safe, [&](HttpResponse& answer) -> Result<Ok> {
                    ++reads;
                    if (answer.body == "good") return Ok{};
                    return Error(client_errc::truncated_response, "cut short");
                  });
  ASSERT_TRUE(r);
  EXPECT_TRUE(*r);
  EXPECT_EQ(reads, 2);
  EXPECT_EQ(p.counters.transient_retries, 1u);
  EXPECT_EQ(p.counters.errors_by_code[std::error_code(client_errc::truncated_response).message()], 1u);
}

TEST(RetryPolicy, An200ThatCannotBeUnderstoodComesBackAtOnce) {
  Policy p;
  auto r = p.call({ScriptedServer::answer(200, "OK", "x"), kOk}, Resend::safe,
                  [](HttpResponse&) -> Result<Ok> { return Error(client_errc::inconsistent_listing, "no marker"); });
  ASSERT_TRUE(r);
  ASSERT_FALSE(*r);
  EXPECT_EQ(r->error().code, client_errc::inconsistent_listing);
  EXPECT_EQ(p.server.requests(), 1);
}

TEST(RetryPolicy, An200ThatDoesNotParseIsNotRepeatedWhenItMustNotBe) {
  Policy p;
  auto r = p.call({ScriptedServer::answer(200, "OK", "<Dele"), kOk}, Resend::only_if_not_carried_out,
                  [](HttpResponse&) -> Result<Ok> { return Error(client_errc::truncated_response, "cut short"); });
  ASSERT_TRUE(r);
  ASSERT_FALSE(*r);
  EXPECT_EQ(r->error().code, client_errc::outcome_unknown);
  EXPECT_EQ(p.server.requests(), 1);
}

namespace {

const std::string kExpired = ScriptedServer::s3_error(400, "Bad Request", "ExpiredToken");

// Credentials whose every fetch returns a new key id, counted.
std::shared_ptr<CredentialSource> counting_source(std::atomic<int>& fetches) {
  return CredentialSource::renewing(
      [&fetches]() -> Result<TimedCredentials> {
        const int n = ++fetches;
        return TimedCredentials{{"AKIDRENEWED" + std::to_string(n), "secret", "token"},
                                std::chrono::system_clock::now() + std::chrono::hours(1)};
      },
      TimedCredentials{{"AKIDFIRST", "secret", "token"}, std::chrono::system_clock::now() + std::chrono::hours(1)});
}

}  // namespace

TEST(RetryPolicy, AnExpiredTokenRenewsTheCredentialsOnceAndSendsAgain) {
  std::atomic<int> fetches{0};
  Policy p(counting_source(fetches));
  // A request that must not be repeated is still sent again: a refused one was not carried out.
  auto r = p.call({kExpired, kOk}, Resend::only_if_not_carried_out);
  ASSERT_TRUE(r);
  EXPECT_TRUE(*r) << r->error().describe();
  EXPECT_EQ(fetches.load(), 1);
  EXPECT_EQ(p.server.requests(), 2);
  EXPECT_EQ(p.counters.credential_renewals, 1u);
  EXPECT_EQ(p.keys.current().signer->credentials().access_key_id, "AKIDRENEWED1");
  // Refused again with the new credentials: not renewed in a loop.
  r = p.call({kExpired, kExpired, kOk});
  ASSERT_TRUE(r);
  ASSERT_FALSE(*r);
  EXPECT_EQ(r->error().s3_code, "ExpiredToken");
  EXPECT_EQ(fetches.load(), 2);
}

TEST(RetryPolicy, AnExpiredTokenOfStaticKeysComesBackAtOnce) {
  Policy p;
  auto r = p.call({kExpired, kOk});
  ASSERT_TRUE(r);
  ASSERT_FALSE(*r);
  EXPECT_EQ(r->error().s3_code, "ExpiredToken");
  EXPECT_EQ(p.server.requests(), 1);
}

TEST(CredentialSource, RenewsBeforeTheExpiryOnItsOwn) {
  std::atomic<int> fetches{0};
  auto source = CredentialSource::renewing(
      [&fetches]() -> Result<TimedCredentials> {
        ++fetches;
        return TimedCredentials{{"AKIDNEXT", "secret", "token"},
                                std::chrono::system_clock::now() + std::chrono::seconds(4)};
      },
      TimedCredentials{{"AKIDFIRST", "secret", "token"}, std::chrono::system_clock::now() + std::chrono::seconds(2)});
  EXPECT_EQ(source->current().credentials->access_key_id, "AKIDFIRST");
  // A quarter of the 2 s life before the expiry: at 1.5 s.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (fetches.load() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_GE(fetches.load(), 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(source->current().credentials->access_key_id, "AKIDNEXT");
  EXPECT_GE(source->renewals(), 1u);
  const auto at = CredentialSource::renew_at(std::chrono::system_clock::time_point{},
                                             std::chrono::system_clock::time_point{} + std::chrono::hours(6));
  EXPECT_EQ(at, std::chrono::system_clock::time_point{} + std::chrono::hours(6) - std::chrono::minutes(15));
}

// The end of a run does not wait for a fetch under way (a credential_process may take a
// minute): the source goes at once, its thread finishes the fetch and drops the result.
TEST(CredentialSource, GoesWithoutWaitingForAFetchUnderWay) {
  auto started = std::make_shared<std::atomic<bool>>(false);
  auto source = CredentialSource::renewing(
      [started]() -> Result<TimedCredentials> {
        started->store(true);
        std::this_thread::sleep_for(std::chrono::seconds(3));
        return TimedCredentials{{"AKIDLATE", "secret", "token"}, std::nullopt};
      },
      TimedCredentials{{"AKIDFIRST", "secret", "token"},
                       std::chrono::system_clock::now() + std::chrono::milliseconds(1200)});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!started->load() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(started->load());
  const auto before = std::chrono::steady_clock::now();
  source.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::milliseconds(500));
}

TEST(CredentialProcess, OutputAsTheAwsCliDocumentsIt) {
  auto ok = parse_process_credentials(
      R"({"Version": 1, "AccessKeyId": "AKID", "SecretAccessKey": "s", "SessionToken": "t",
          "Expiration": "2030-01-02T03:04:05+01:00"})", "profile 'p'");
  ASSERT_TRUE(ok) << ok.error().describe();
  EXPECT_EQ(ok->credentials.session_token, "t");
  ASSERT_TRUE(ok->expiration);
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*ok->expiration), 1893549845);  // 02:04:05Z
  auto forever = parse_process_credentials(R"({"Version":1,"AccessKeyId":"A","SecretAccessKey":"s"})", "x");
  ASSERT_TRUE(forever);
  EXPECT_FALSE(forever->expiration);
  for (const char* bad : {"", "not json", "[]", R"({"Version":2,"AccessKeyId":"A","SecretAccessKey":"s"})",
                          R"({"Version":1,"AccessKeyId":"A"})",
                          R"({"Version":1,"AccessKeyId":"A","SecretAccessKey":"s","Expiration":"soon"})"}) {
    auto r = parse_process_credentials(bad, "profile 'p'");
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().message.find("credential_process of profile 'p'"), std::string::npos) << r.error().message;
  }
}

TEST(CredentialProcess, RunsTheCommandWithADeadline) {
  auto ok = run_credential_process(R"(printf '{"Version":1,"AccessKeyId":"AKIDPROC","SecretAccessKey":"s"}')", "p",
                                   std::chrono::seconds(5));
  ASSERT_TRUE(ok) << ok.error().describe();
  EXPECT_EQ(ok->credentials.access_key_id, "AKIDPROC");
  auto failed = run_credential_process("echo oops >&2; exit 3", "p", std::chrono::seconds(5));
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find("exit code 3"), std::string::npos) << failed.error().message;
  const auto started = std::chrono::steady_clock::now();
  auto slow = run_credential_process("sleep 30", "p", std::chrono::milliseconds(300));
  ASSERT_FALSE(slow);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  EXPECT_NE(slow.error().message.find("did not finish"), std::string::npos) << slow.error().message;
}
