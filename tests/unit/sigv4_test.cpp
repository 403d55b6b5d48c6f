// SigV4 against the worked examples of the AWS S3 documentation ("Signature Calculations
// for the Authorization Header: Transferring Payload in a Single Chunk"). The byte-for-byte
// comparison with botocore over every operation is tests/botocore/compare_sigv4.py.
#include "protocol/sigv4.hpp"

#include <gtest/gtest.h>

#include "protocol/crypto.hpp"

using namespace s3purge::protocol;

namespace {

const Credentials kDocCreds{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""};
// 20130524T000000Z
const auto kDocTime = std::chrono::system_clock::time_point(std::chrono::seconds(1369353600));

HttpRequest doc_request(std::string method, std::string path) {
  HttpRequest r;
  r.method = std::move(method);
  r.host = "examplebucket.s3.amazonaws.com";
  r.path = std::move(path);
  return r;
}

std::string signature_of(const HttpRequest& r) {
  const std::string auth(r.headers.get("authorization"));
  return auth.substr(auth.find("Signature=") + 10);
}

}  // namespace

TEST(SigV4, AwsDocGetObjectWithRange) {
  HttpRequest r = doc_request("GET", "/test.txt");
  r.headers.set("Range", "bytes=0-9");
  Signer(kDocCreds, "us-east-1").sign(r, kDocTime, PayloadSigning::sha256);
  EXPECT_EQ(r.headers.get("x-amz-date"), "20130524T000000Z");
  EXPECT_EQ(r.headers.get("x-amz-content-sha256"), kEmptySha256);
  EXPECT_EQ(r.headers.get("authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4, AwsDocGetBucketLifecycle) {
  HttpRequest r = doc_request("GET", "/");
  r.query.push_back({"lifecycle", ""});
  Signer(kDocCreds, "us-east-1").sign(r, kDocTime, PayloadSigning::sha256);
  EXPECT_EQ(signature_of(r), "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
}

TEST(SigV4, AwsDocListObjectsSortsQuery) {
  HttpRequest r = doc_request("GET", "/");
  r.query.push_back({"max-keys", "2"});
  r.query.push_back({"prefix", "J"});
  Signer(kDocCreds, "us-east-1").sign(r, kDocTime, PayloadSigning::sha256);
  EXPECT_EQ(signature_of(r), "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

TEST(SigV4, CanonicalRequestShape) {
  HttpRequest r = doc_request("GET", "/a%20b");
  r.query.push_back({"versions", ""});
  r.query.push_back({"key-marker", "x y"});
  r.headers.set("X-Amz-Date", "20130524T000000Z");
  r.headers.set("x-amz-meta-spaces", "  a   b  ");
  r.headers.set("User-Agent", "not signed");
  const CanonicalRequest c = canonical_request(r, "UNSIGNED-PAYLOAD");
  EXPECT_EQ(c.text,
            "GET\n/a%20b\nkey-marker=x%20y&versions=\n"
            "host:examplebucket.s3.amazonaws.com\nx-amz-date:20130524T000000Z\n"
            "x-amz-meta-spaces:a b\n\nhost;x-amz-date;x-amz-meta-spaces\nUNSIGNED-PAYLOAD");
  EXPECT_EQ(c.signed_headers, "host;x-amz-date;x-amz-meta-spaces");
}

TEST(SigV4, SessionTokenIsSignedAndResigningReplacesHeaders) {
  Credentials temp = kDocCreds;
  temp.session_token = "token+/=";
  Signer signer(temp, "eu-west-1");
  HttpRequest r = doc_request("DELETE", "/k");
  signer.sign(r, kDocTime, PayloadSigning::unsigned_payload);
  EXPECT_EQ(r.headers.get("x-amz-security-token"), "token+/=");
  EXPECT_NE(std::string(r.headers.get("authorization")).find("x-amz-security-token"),
            std::string::npos);
  EXPECT_EQ(r.headers.get("x-amz-content-sha256"), "UNSIGNED-PAYLOAD");
  const std::string first(r.headers.get("authorization"));
  signer.sign(r, kDocTime + std::chrono::hours(30), PayloadSigning::unsigned_payload);
  int auth_fields = 0;
  for (const auto& h : r.headers) auth_fields += iequals(h.first, "authorization") ? 1 : 0;
  EXPECT_EQ(auth_fields, 1);
  EXPECT_NE(first, r.headers.get("authorization"));
  EXPECT_NE(std::string(r.headers.get("authorization")).find("/20130525/eu-west-1/"),
            std::string::npos);
}

TEST(SigV4, SignedPayloadHashesBody) {
  HttpRequest r = doc_request("PUT", "/test$file.text");
  r.body = "Welcome to Amazon S3.";
  Signer(kDocCreds, "us-east-1").sign(r, kDocTime, PayloadSigning::sha256);
  EXPECT_EQ(r.headers.get("x-amz-content-sha256"),
            "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
}

TEST(SigV4, TimestampFormat) {
  EXPECT_EQ(amz_timestamp(kDocTime + std::chrono::seconds(3723)), "20130524T010203Z");
}

TEST(Credentials, RedactedIdHidesAllButFour) {
  const Credentials c{"AKIAIOSFODNN7EXAMPLE", "secret", "token"};
  EXPECT_EQ(c.redacted_id(), "****MPLE");
  EXPECT_EQ((Credentials{"short", "s", ""}.redacted_id()), "****");
}
