// The retry policy (S3Call) against a scripted server on 127.0.0.1: what is retried, how
// often, what comes back at once, and what a request that must not be repeated does.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <deque>
#include <optional>
#include <string>

#include "engine/http_connection.hpp"
#include "engine/rate_limiter.hpp"
#include "engine/s3_call.hpp"
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
  asio::io_context ioc;
  ScriptedServer server{ioc};
  HttpConnection connection{ioc.get_executor(), server.options(), nullptr};
  s3purge::protocol::Signer signer{{"AKIDEXAMPLE", "secret", ""}, "us-east-1"};
  RateLimiter limiter{ioc.get_executor(), 0, 0};
  RetryOptions retry = fast();
  Backoff backoff{retry.backoff};
  CallCounters counters;

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
      S3Call send(connection, signer, limiter, backoff, retry, s3purge::protocol::PayloadSigning::sha256,
                  counters, "127.0.0.1");
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
  auto r = p.call({ScriptedServer::s3_error(503, "Slow Down", "SlowDown", "Retry-After: 3600\r\n"), kOk});
  ASSERT_TRUE(r);
  EXPECT_TRUE(*r);
  EXPECT_EQ(p.counters.throttle_retries, 1u);
  EXPECT_EQ(p.limiter.core().throttles(), 1u);
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
