#include "protocol/delete_requests.hpp"

#include <gtest/gtest.h>

#include "protocol/crypto.hpp"
#include "protocol/xml_reader.hpp"

using namespace s3purge::protocol;

namespace {

RequestContext ctx(AddressingStyle style = AddressingStyle::path) {
  auto ep = parse_endpoint("http://127.0.0.1:9000");
  return RequestContext{"bucket", *resolve_bucket_address(*ep, "bucket", style), {}};
}

}  // namespace

TEST(DeleteObjects, BodyHeadersAndTarget) {
  std::vector<ObjectId> ids = {{"a&b<c>", ""}, {"caf\xc3\xa9\nx", "v+1/="}};
  auto r = build_delete_objects(ctx(), ids, {});
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->method, "POST");
  EXPECT_EQ(r->target(), "/bucket?delete");
  EXPECT_EQ(r->host, "127.0.0.1:9000");
  EXPECT_EQ(r->headers.get("content-md5"), content_md5(r->body));
  EXPECT_EQ(r->headers.get("content-type"), "application/xml");
  EXPECT_FALSE(r->headers.contains("x-amz-bypass-governance-retention"));

  auto doc = XmlDocument::parse(r->body);
  ASSERT_TRUE(doc);
  const XmlNode root = doc->root();
  EXPECT_EQ(root.name(), "Delete");
  EXPECT_EQ(root.child_text("Quiet"), "true");
  std::vector<std::pair<std::string, std::string>> parsed;
  for (const XmlNode o : root) {
    if (o.name() == "Object") parsed.emplace_back(o.child_text("Key"), o.child_text("VersionId"));
  }
  ASSERT_EQ(parsed.size(), 2u);
  EXPECT_EQ(parsed[0], std::make_pair(std::string("a&b<c>"), std::string()));
  EXPECT_EQ(parsed[1], std::make_pair(std::string("caf\xc3\xa9\nx"), std::string("v+1/=")));
}

TEST(DeleteObjects, OptionsBecomeHeaders) {
  RequestContext c = ctx(AddressingStyle::path);
  c.options.requester_pays = true;
  c.options.expected_bucket_owner = "111122223333";
  auto r = build_delete_objects(c, std::vector<ObjectId>{{"k", ""}}, {false, true, "SERIAL 123456"});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->headers.get("x-amz-bypass-governance-retention"), "true");
  EXPECT_EQ(r->headers.get("x-amz-request-payer"), "requester");
  EXPECT_EQ(r->headers.get("x-amz-expected-bucket-owner"), "111122223333");
  EXPECT_EQ(r->headers.get("x-amz-mfa"), "SERIAL 123456");
  EXPECT_EQ(r->body.find("<Quiet>"), std::string::npos);
}

TEST(DeleteObjects, Limits) {
  std::vector<ObjectId> ids(1001, ObjectId{"k", ""});
  auto r = build_delete_objects(ctx(), ids, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, client_errc::too_many_keys);
  ids.resize(1000);
  EXPECT_TRUE(build_delete_objects(ctx(), ids, {}));
  EXPECT_EQ(build_delete_objects(ctx(), std::vector<ObjectId>{}, {}).error().code,
            client_errc::invalid_key);
  EXPECT_EQ(build_delete_objects(ctx(), std::vector<ObjectId>{{"", ""}}, {}).error().code,
            client_errc::invalid_key);
}

TEST(DeleteObjects, KeysXmlCannotCarryAreNamedByIndex) {
  std::vector<ObjectId> ids = {{"fine", ""}, {"bad\x01key", ""}};
  auto r = build_delete_objects(ctx(), ids, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, client_errc::key_not_xml_safe);
  EXPECT_NE(r.error().message.find("index 1"), std::string::npos);
}

TEST(DeleteObjects, ReusesTheBodyBuffer) {
  std::string buffer;
  buffer.reserve(128 * 1024);
  const char* storage = buffer.data();
  std::vector<ObjectId> ids(1000, ObjectId{"prefix/some-key-name", "version"});
  auto r = build_delete_objects(ctx(), ids, {}, std::move(buffer));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body.data(), storage) << "no fresh allocation for the ~70 KB body";
}

TEST(DeleteObject, KeyTravelsUrlEncodedInThePath) {
  auto r = build_delete_object(ctx(), {"dir/ctl\x01 x+y", "3/L4+kq="}, {});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->method, "DELETE");
  EXPECT_EQ(r->target(), "/bucket/dir/ctl%01%20x%2By?versionId=3%2FL4%2Bkq%3D");
  auto v = build_delete_object(ctx(AddressingStyle::path), {"/lead//x/../y", ""}, {true, true, ""});
  EXPECT_EQ(v->target(), "/bucket//lead//x/../y") << "S3 paths are not normalised";
  EXPECT_EQ(v->headers.get("x-amz-bypass-governance-retention"), "true");
  EXPECT_FALSE(build_delete_object(ctx(), {"", ""}, {}));
}

TEST(AbortMultipartUpload, Target) {
  auto r = build_abort_multipart_upload(ctx(), "big file.bin", "2~ID+/=");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->method, "DELETE");
  EXPECT_EQ(r->target(), "/bucket/big%20file.bin?uploadId=2~ID%2B%2F%3D");
  EXPECT_FALSE(build_abort_multipart_upload(ctx(), "k", ""));
  EXPECT_FALSE(build_abort_multipart_upload(ctx(), "", "u"));
}
