#include "protocol/bucket_responses.hpp"

#include <gtest/gtest.h>

#include "test_data.hpp"

using namespace s3purge::protocol;
using s3purge::test::fixture;

TEST(BucketLocation, EmptyMeansUsEast1AndEuMeansEuWest1) {
  EXPECT_EQ(*parse_bucket_location(fixture("moto/location.xml")), "us-east-1");
  EXPECT_EQ(*parse_bucket_location("<LocationConstraint>EU</LocationConstraint>"), "eu-west-1");
  EXPECT_EQ(*parse_bucket_location(
                "<LocationConstraint xmlns=\"x\">ap-south-1</LocationConstraint>"),
            "ap-south-1");
  EXPECT_FALSE(parse_bucket_location("<Other/>"));
}

TEST(BucketVersioning, States) {
  EXPECT_EQ(parse_bucket_versioning(fixture("moto/versioning_enabled.xml"))->status,
            VersioningStatus::enabled);
  auto never = parse_bucket_versioning(fixture("moto/versioning_never.xml"));
  ASSERT_TRUE(never) << never.error().describe();
  EXPECT_EQ(never->status, VersioningStatus::never_enabled);
  auto s3_never = parse_bucket_versioning(
      "<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>");
  ASSERT_TRUE(s3_never);
  EXPECT_EQ(s3_never->status, VersioningStatus::never_enabled);
  // s3rver answers ?versioning with a listing: another operation's document, not a damaged one.
  EXPECT_EQ(parse_bucket_versioning("<ListBucketResult><Name>b</Name></ListBucketResult>").error().code,
            client_errc::wrong_document);
  EXPECT_EQ(parse_bucket_versioning("<VersioningConfiguration><Status>Ena").error().code,
            client_errc::truncated_response);
  auto s = parse_bucket_versioning(
      "<VersioningConfiguration><Status>Suspended</Status><MfaDelete>Enabled</MfaDelete>"
      "</VersioningConfiguration>");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->status, VersioningStatus::suspended);
  EXPECT_TRUE(s->mfa_delete);
  EXPECT_EQ(parse_bucket_versioning("<VersioningConfiguration><Status>Maybe</Status>"
                                    "</VersioningConfiguration>").error().code,
            client_errc::malformed_response);
}

TEST(ObjectLock, ConfigurationWithDefaultRetention) {
  auto c = parse_object_lock_configuration(
      "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule>"
      "<DefaultRetention><Mode>COMPLIANCE</Mode><Days>30</Days></DefaultRetention></Rule>"
      "</ObjectLockConfiguration>");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->enabled);
  EXPECT_EQ(c->default_mode, "COMPLIANCE");
  EXPECT_EQ(c->default_days, 30u);
  auto bare = parse_object_lock_configuration(
      "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled>"
      "</ObjectLockConfiguration>");
  ASSERT_TRUE(bare);
  EXPECT_TRUE(bare->default_mode.empty());
  EXPECT_FALSE(parse_object_lock_configuration(
      "<ObjectLockConfiguration><Rule><DefaultRetention><Days>x</Days></DefaultRetention>"
      "</Rule></ObjectLockConfiguration>"));
}

TEST(Replication, Rules) {
  auto c = parse_replication_configuration(
      "<ReplicationConfiguration><Role>arn:aws:iam::1:role/r</Role><Rule><ID>r1</ID>"
      "<Status>Enabled</Status><DeleteMarkerReplication><Status>Enabled</Status>"
      "</DeleteMarkerReplication><Destination><Bucket>arn:aws:s3:::dst</Bucket></Destination>"
      "</Rule></ReplicationConfiguration>");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->role, "arn:aws:iam::1:role/r");
  ASSERT_EQ(c->rules.size(), 1u);
  EXPECT_TRUE(c->rules[0].enabled);
  EXPECT_TRUE(c->rules[0].replicates_delete_markers);
  EXPECT_EQ(c->rules[0].destination_bucket, "arn:aws:s3:::dst");
}
