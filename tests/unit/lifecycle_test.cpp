#include "protocol/lifecycle.hpp"

#include <gtest/gtest.h>

#include "test_data.hpp"

using namespace s3purge::protocol;

TEST(Lifecycle, MotoRules) {
  auto c = parse_lifecycle_configuration(s3purge::test::fixture("moto/lifecycle.xml"));
  ASSERT_TRUE(c) << c.error().describe();
  ASSERT_EQ(c->rules.size(), 1u);
  const LifecycleRule& r = c->rules[0];
  EXPECT_EQ(r.id, "expire-all");
  EXPECT_TRUE(r.enabled);
  EXPECT_EQ(r.prefix, "");
  EXPECT_EQ(r.expiration_days, 1u);
  EXPECT_EQ(r.noncurrent_expiration_days, 1u);
  EXPECT_EQ(r.abort_incomplete_upload_days, 2u);
}

TEST(Lifecycle, WriteThenReadRoundTrips) {
  LifecycleConfiguration in;
  LifecycleRule everything;
  everything.id = "s3purge-expire-all";
  everything.expiration_days = 3;
  everything.noncurrent_expiration_days = 3;
  everything.abort_incomplete_upload_days = 3;
  LifecycleRule markers;
  markers.id = "markers & uploads <only>";
  markers.prefix = "logs/";
  markers.expired_object_delete_marker = true;
  markers.abort_incomplete_upload_days = 1;
  in.rules = {everything, markers};
  auto xml = write_lifecycle_configuration(in);
  ASSERT_TRUE(xml);
  auto out = parse_lifecycle_configuration(*xml);
  ASSERT_TRUE(out) << out.error().describe();
  ASSERT_EQ(out->rules.size(), 2u);
  EXPECT_EQ(out->rules[0].expiration_days, 3u);
  EXPECT_FALSE(out->rules[0].expired_object_delete_marker);
  EXPECT_EQ(out->rules[1].id, "markers & uploads <only>");
  EXPECT_EQ(out->rules[1].prefix, "logs/");
  EXPECT_TRUE(out->rules[1].expired_object_delete_marker);
  EXPECT_FALSE(out->rules[1].expiration_days);
}

TEST(Lifecycle, LegacyPrefixAndOtherFilters) {
  auto c = parse_lifecycle_configuration(
      "<LifecycleConfiguration><Rule><ID>old</ID><Prefix>tmp/</Prefix><Status>Disabled</Status>"
      "</Rule><Rule><ID>tagged</ID><Filter><Tag><Key>a</Key><Value>b</Value></Tag></Filter>"
      "<Status>Enabled</Status></Rule></LifecycleConfiguration>");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->rules[0].prefix, "tmp/");
  EXPECT_FALSE(c->rules[0].enabled);
  EXPECT_TRUE(c->rules[1].has_other_filter);
}

TEST(Lifecycle, WriterRefusesBadRules) {
  LifecycleConfiguration c;
  c.rules.push_back(LifecycleRule{});
  EXPECT_FALSE(write_lifecycle_configuration(c));
  c.rules[0].id = "ok";
  c.rules[0].prefix = "bad\x02";
  EXPECT_FALSE(write_lifecycle_configuration(c));
}

TEST(Lifecycle, S3purgeRulesExpireEverythingInTwoRules) {
  const auto all = s3purge_lifecycle_rules("logs/", 3, false);
  ASSERT_EQ(all.rules.size(), 2u);
  EXPECT_EQ(all.rules[0].expiration_days, 3u);
  EXPECT_EQ(all.rules[0].noncurrent_expiration_days, 3u);
  EXPECT_EQ(all.rules[0].abort_incomplete_upload_days, 3u);
  EXPECT_FALSE(all.rules[0].expired_object_delete_marker);
  EXPECT_TRUE(all.rules[1].expired_object_delete_marker);
  EXPECT_FALSE(all.rules[1].expiration_days);
  for (const auto& r : all.rules) {
    EXPECT_TRUE(is_s3purge_rule(r));
    EXPECT_EQ(r.prefix, "logs/");
  }
  // What is written reads back the same.
  auto xml = write_lifecycle_configuration(all);
  ASSERT_TRUE(xml);
  auto back = parse_lifecycle_configuration(*xml);
  ASSERT_TRUE(back);
  ASSERT_EQ(back->rules.size(), 2u);
  EXPECT_TRUE(back->rules[1].expired_object_delete_marker);

  const auto uploads = s3purge_lifecycle_rules("", 7, true);
  ASSERT_EQ(uploads.rules.size(), 1u);
  EXPECT_EQ(uploads.rules[0].abort_incomplete_upload_days, 7u);
  EXPECT_FALSE(uploads.rules[0].expiration_days);
  EXPECT_FALSE(uploads.rules[0].noncurrent_expiration_days);
  LifecycleRule theirs;
  theirs.id = "archive-after-30-days";
  EXPECT_FALSE(is_s3purge_rule(theirs));
}
