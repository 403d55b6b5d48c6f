#include "protocol/delete_requests.hpp"

#include <gtest/gtest.h>

#include "protocol/checksums.hpp"
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

TEST(DeleteObjects, FlexibleChecksumsInPlaceOfContentMd5) {
  std::vector<ObjectId> ids = {{"a", ""}, {"b", "v1"}};
  DeleteOptions o;
  o.checksum = ChecksumAlgorithm::crc32c;
  auto r = build_delete_objects(ctx(), ids, o);
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_FALSE(r->headers.contains("content-md5"));
  EXPECT_EQ(r->headers.get("x-amz-checksum-crc32c"), checksum_value(ChecksumAlgorithm::crc32c, r->body));
  EXPECT_EQ(r->headers.get("x-amz-sdk-checksum-algorithm"), "CRC32C");
  o.checksum = ChecksumAlgorithm::crc64nvme;
  r = build_delete_objects(ctx(), ids, o);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->headers.get("x-amz-sdk-checksum-algorithm"), "CRC64NVME");
  // The catalogue's check values, as the headers carry them.
  EXPECT_EQ(crc32("123456789"), 0xCBF43926u);
  EXPECT_EQ(crc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(crc64nvme("123456789"), 0xAE8B14860A799888ull);
  EXPECT_EQ(checksum_value(ChecksumAlgorithm::crc32c, "123456789"), "4waSgw==");
  // Continued over pieces, the same as whole.
  EXPECT_EQ(crc32c("56789", crc32c("1234")), crc32c("123456789"));
  EXPECT_EQ(crc64nvme("56789", crc64nvme("1234")), crc64nvme("123456789"));
  EXPECT_EQ(parse_checksum_algorithm("crc32c"), ChecksumAlgorithm::crc32c);
  EXPECT_FALSE(parse_checksum_algorithm("sha1"));
}

TEST(DeleteObjects, RefusalsOfAChecksumAreToldApart) {
  auto error = [](std::string code, std::string message) {
    Error e(s3_errc::other, std::move(message));
    e.s3_code = std::move(code);
    return e;
  };
  EXPECT_TRUE(refuses_checksum(error("MissingContentMD5", "")));
  EXPECT_TRUE(refuses_checksum(error("InvalidRequest", "Missing required header for this request: Content-Md5.")));
  EXPECT_TRUE(refuses_checksum(error("NotImplemented", "x-amz-checksum-crc32c is not implemented")));
  EXPECT_TRUE(refuses_checksum(error("InvalidArgument", "Unsupported checksum algorithm")));
  EXPECT_FALSE(refuses_checksum(error("NotImplemented", "A header you provided implies functionality that is not implemented")));
  EXPECT_FALSE(refuses_checksum(error("AccessDenied", "checksum")));
  EXPECT_FALSE(refuses_checksum(error("InvalidRequest", "Missing required header: x-amz-mfa")));
}
