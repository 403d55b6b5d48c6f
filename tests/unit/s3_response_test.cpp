#include "protocol/s3_response.hpp"

#include <gtest/gtest.h>

#include "test_data.hpp"

using namespace s3purge::protocol;
using s3purge::test::fixture;

namespace {

HttpResponse response(int status, std::string body = {}) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

}  // namespace

TEST(S3Response, SuccessIsNotAnError) {
  EXPECT_FALSE(error_from_response(response(200, "<DeleteResult/>")));
  EXPECT_FALSE(error_from_response(response(204)));
}

TEST(S3Response, ErrorBodyInside200) {
  auto e = error_from_response(response(
      200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code>"
           "<Message>Please reduce your request rate.</Message><RequestId>RID</RequestId>"
           "<HostId>HID</HostId></Error>"));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, s3_errc::slow_down);
  EXPECT_EQ(e->http_status, 200);
  EXPECT_EQ(e->request_id, "RID");
  EXPECT_EQ(e->host_id, "HID");
  EXPECT_TRUE(is_throttle(e->code));
}

TEST(S3Response, TruncatedErrorBodyInside200IsRetryable) {
  auto e = error_from_response(response(200, "<Error><Code>InternalErr"));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, client_errc::truncated_response);
  EXPECT_TRUE(is_retryable(e->code));
}

TEST(S3Response, MotoErrors) {
  auto e = error_from_response(response(404, fixture("moto/error_no_such_bucket.xml")));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, s3_errc::no_such_bucket);
  EXPECT_TRUE(is_fatal(e->code));
  EXPECT_FALSE(e->request_id.empty());
  EXPECT_NE(e->describe().find("NoSuchBucket (HTTP 404): The specified bucket does not exist"),
            std::string::npos);
  e = error_from_response(response(409, fixture("moto/error_bucket_not_empty.xml")));
  EXPECT_EQ(e->code, s3_errc::bucket_not_empty);
  e = error_from_response(response(404, fixture("moto/error_object_lock_not_found.xml")));
  EXPECT_EQ(e->code, s3_errc::object_lock_configuration_not_found);
  e = error_from_response(response(404, fixture("moto/error_replication_not_found.xml")));
  EXPECT_EQ(e->code, s3_errc::replication_configuration_not_found);
}

TEST(S3Response, WrongRegionNamesTheRightOne) {
  auto e = error_from_response(response(
      400, "<Error><Code>AuthorizationHeaderMalformed</Code><Message>The authorization header "
           "is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'</Message>"
           "<Region>eu-west-1</Region><RequestId>R</RequestId><HostId>H</HostId></Error>"));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, s3_errc::authorization_header_malformed);
  EXPECT_EQ(e->region, "eu-west-1");
  EXPECT_NE(e->describe().find("--region eu-west-1"), std::string::npos);

  HttpResponse redirect = response(
      301, "<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to "
           "access must be addressed using the specified endpoint.</Message>"
           "<Endpoint>b.s3.eu-central-1.amazonaws.com</Endpoint><Bucket>b</Bucket></Error>");
  redirect.headers.set("x-amz-bucket-region", "eu-central-1");
  e = error_from_response(redirect);
  EXPECT_EQ(e->code, s3_errc::permanent_redirect);
  EXPECT_EQ(e->region, "eu-central-1");
  EXPECT_EQ(e->endpoint, "b.s3.eu-central-1.amazonaws.com");
  EXPECT_TRUE(is_fatal(e->code));
}

TEST(S3Response, HeadAnswersWithoutBody) {
  HttpResponse h = response(301);
  h.headers.set("x-amz-bucket-region", "ap-south-1");
  h.headers.set("x-amz-request-id", "RID");
  auto e = error_from_response(h);
  EXPECT_EQ(e->code, s3_errc::permanent_redirect);
  EXPECT_EQ(e->region, "ap-south-1");
  EXPECT_EQ(e->request_id, "RID");
  EXPECT_EQ(error_from_response(response(404))->code, s3_errc::not_found);
  EXPECT_EQ(error_from_response(response(403))->code, s3_errc::access_denied);
}

TEST(S3Response, ProxyPagesAndOddStatuses) {
  auto e = error_from_response(response(502, "<html><body>Bad Gateway\x01</body></html>"));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, s3_errc::service_unavailable);
  EXPECT_TRUE(is_retryable(e->code));
  EXPECT_NE(e->message.find("Bad Gateway"), std::string::npos);
  EXPECT_EQ(e->message.find('\x01'), std::string::npos) << "excerpts are printable";
  e = error_from_response(response(418, "teapot"));
  EXPECT_EQ(e->code, client_errc::unexpected_status);
  e = error_from_response(response(503, "<Error><Code>SlowDown</Code>"));
  EXPECT_EQ(e->code, s3_errc::slow_down) << "a cut error body still classifies by status";
}

TEST(S3Response, RetryAfter) {
  HttpResponse r = response(503, "<Error><Code>SlowDown</Code></Error>");
  r.headers.set("Retry-After", "7");
  EXPECT_EQ(error_from_response(r)->retry_after_s, 7);
  r.headers.set("Retry-After", "Wed, 21 Oct 2026 07:28:00 GMT");
  EXPECT_EQ(error_from_response(r)->retry_after_s, 0);
}
