#include "protocol/delete_result.hpp"

#include <gtest/gtest.h>

#include "test_data.hpp"

using namespace s3purge::protocol;

TEST(DeleteResult, MotoMarkersCreated) {
  auto r = parse_delete_objects_result(s3purge::test::fixture("moto/delete_result_markers.xml"));
  ASSERT_TRUE(r) << r.error().describe();
  ASSERT_EQ(r->deleted.size(), 2u);
  EXPECT_TRUE(r->errors.empty());
  EXPECT_EQ(r->deleted[1].key, "a&b<c>d\"e'f");
  EXPECT_TRUE(r->deleted[0].delete_marker);
  EXPECT_FALSE(r->deleted[0].delete_marker_version_id.empty());
}

TEST(DeleteResult, AwsDocMixedResultsArePerKeyAndClassified) {
  auto r = parse_delete_objects_result(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
      "<DeleteResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<Deleted><Key>sample1.txt</Key></Deleted>"
      "<Error><Key>sample2.txt</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"
      "<Error><Key>busy.txt</Key><VersionId>v1</VersionId><Code>InternalError</Code>"
      "<Message>We encountered an internal error. Please try again.</Message></Error>"
      "<Error><Key>slow.txt</Key><Code>SlowDown</Code><Message>Reduce</Message></Error>"
      "<Error><Key>odd.txt</Key><Code>BrandNewCode</Code><Message>?</Message></Error>"
      "</DeleteResult>");
  ASSERT_TRUE(r) << r.error().describe();
  ASSERT_EQ(r->deleted.size(), 1u);
  ASSERT_EQ(r->errors.size(), 4u);
  EXPECT_EQ(r->errors[0].ec, s3_errc::access_denied);
  EXPECT_FALSE(is_retryable(r->errors[0].ec));
  EXPECT_EQ(r->errors[1].version_id, "v1");
  EXPECT_TRUE(is_retryable(r->errors[1].ec));
  EXPECT_TRUE(is_throttle(r->errors[2].ec));
  EXPECT_EQ(r->errors[3].code, "BrandNewCode");
  EXPECT_EQ(r->errors[3].ec, s3_errc::other);
}

TEST(DeleteResult, QuietEmptyResult) {
  auto r = parse_delete_objects_result("<DeleteResult xmlns=\"x\"/>");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->deleted.empty());
  EXPECT_TRUE(r->errors.empty());
}

TEST(DeleteResult, BadInput) {
  EXPECT_EQ(parse_delete_objects_result("<DeleteResult><Error><Key>k</Key></Error></DeleteResult>")
                .error().code,
            client_errc::malformed_response)
      << "a per-key error without a code cannot be classified";
  EXPECT_EQ(parse_delete_objects_result("<Error><Code>SlowDown</Code></Error>").error().code,
            client_errc::malformed_response);
  EXPECT_EQ(parse_delete_objects_result("<DeleteResult><Deleted><Key>k</Key>").error().code,
            client_errc::truncated_response);
  EXPECT_EQ(parse_delete_objects_result("").error().code, client_errc::empty_response);
}
