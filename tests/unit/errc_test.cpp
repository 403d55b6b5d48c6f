#include "protocol/errc.hpp"

#include <gtest/gtest.h>

using namespace s3purge::protocol;

TEST(Errc, CodeStringsMapToEnums) {
  EXPECT_EQ(s3_errc_from_code("SlowDown"), s3_errc::slow_down);
  EXPECT_EQ(s3_errc_from_code("NoSuchBucket"), s3_errc::no_such_bucket);
  EXPECT_EQ(s3_errc_from_code("ThrottlingException"), s3_errc::throttling);
  EXPECT_EQ(s3_errc_from_code("SomethingNew"), s3_errc::other);
  EXPECT_EQ(s3_errc_from_code("slowdown"), s3_errc::other) << "codes are case-sensitive";
}

TEST(Errc, Predicates) {
  EXPECT_TRUE(is_throttle(s3_errc::slow_down));
  EXPECT_TRUE(is_throttle(s3_errc::throttling));
  EXPECT_FALSE(is_throttle(s3_errc::internal_error));
  EXPECT_TRUE(is_retryable(s3_errc::slow_down));
  EXPECT_TRUE(is_retryable(s3_errc::internal_error));
  EXPECT_TRUE(is_retryable(s3_errc::service_unavailable));
  EXPECT_TRUE(is_retryable(client_errc::truncated_response));
  EXPECT_FALSE(is_retryable(s3_errc::access_denied));
  EXPECT_FALSE(is_retryable(s3_errc::no_such_bucket));
  EXPECT_TRUE(is_fatal(s3_errc::no_such_bucket));
  EXPECT_TRUE(is_fatal(s3_errc::invalid_access_key_id));
  EXPECT_TRUE(is_fatal(s3_errc::signature_does_not_match));
  EXPECT_TRUE(is_fatal(s3_errc::authorization_header_malformed));
  EXPECT_TRUE(is_fatal(s3_errc::permanent_redirect));
  EXPECT_TRUE(is_fatal(client_errc::missing_credentials));
  EXPECT_FALSE(is_fatal(s3_errc::access_denied)) << "per-key AccessDenied is reported, not fatal";
  EXPECT_FALSE(is_fatal(s3_errc::slow_down));
  EXPECT_FALSE(is_fatal(std::make_error_code(std::errc::connection_reset)));
  EXPECT_FALSE(is_retryable(std::make_error_code(std::errc::connection_reset)))
      << "transport errors are the engine's to classify";
}

TEST(Errc, NoCodeIsBothRetryableAndFatal) {
  for (int v = 1; v <= static_cast<int>(s3_errc::x_amz_content_sha256_mismatch); ++v) {
    const std::error_code ec = make_error_code(static_cast<s3_errc>(v));
    EXPECT_FALSE(is_retryable(ec) && is_fatal(ec)) << ec.message();
    EXPECT_FALSE(ec.message().empty());
  }
  for (int v = 1; v <= static_cast<int>(client_errc::endpoint_timed_out); ++v) {
    const std::error_code ec = make_error_code(static_cast<client_errc>(v));
    EXPECT_FALSE(is_retryable(ec) && is_fatal(ec)) << ec.message();
  }
}

TEST(Errc, StatusFallback) {
  EXPECT_EQ(s3_errc_from_status(503), s3_errc::slow_down);
  EXPECT_EQ(s3_errc_from_status(500), s3_errc::internal_error);
  EXPECT_EQ(s3_errc_from_status(404), s3_errc::not_found);
  EXPECT_EQ(s3_errc_from_status(301), s3_errc::permanent_redirect);
  EXPECT_EQ(s3_errc_from_status(418), s3_errc::other);
}

TEST(Errc, RefusalsAreWhatNoRetryChanges) {
  for (const auto e : {s3_errc::access_denied, s3_errc::not_implemented, s3_errc::method_not_allowed}) {
    EXPECT_TRUE(is_refusal(make_error_code(e))) << make_error_code(e).message();
    EXPECT_FALSE(is_retryable(make_error_code(e)));
    EXPECT_FALSE(is_fatal(make_error_code(e)));
  }
  EXPECT_TRUE(is_refusal(make_error_code(client_errc::wrong_document)));
  EXPECT_FALSE(is_retryable(make_error_code(client_errc::wrong_document)));
  for (const auto e : {s3_errc::no_such_bucket, s3_errc::invalid_access_key_id, s3_errc::slow_down,
                       s3_errc::internal_error}) {
    EXPECT_FALSE(is_refusal(make_error_code(e))) << make_error_code(e).message();
  }
  EXPECT_FALSE(is_refusal(make_error_code(client_errc::malformed_response)));
}
