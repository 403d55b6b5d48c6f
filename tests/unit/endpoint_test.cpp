#include "protocol/endpoint.hpp"

#include <gtest/gtest.h>

using namespace s3purge::protocol;

TEST(Endpoint, ParsesSchemesHostsAndPorts) {
  auto e = parse_endpoint("https://cwobject.com");
  ASSERT_TRUE(e);
  EXPECT_TRUE(e->https);
  EXPECT_EQ(e->host, "cwobject.com");
  EXPECT_EQ(e->port, 443);
  EXPECT_FALSE(e->explicit_port);

  e = parse_endpoint("http://cwlota.com/");
  ASSERT_TRUE(e);
  EXPECT_FALSE(e->https);
  EXPECT_EQ(e->port, 80);

  e = parse_endpoint("http://127.0.0.1:9000");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->port, 9000);
  EXPECT_TRUE(e->host_is_ip());
  EXPECT_EQ(e->host_header(e->host), "127.0.0.1:9000");

  e = parse_endpoint("http://[::1]:9000");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->host, "::1");
  EXPECT_TRUE(e->host_is_ip());
  EXPECT_EQ(e->host_header(e->host), "[::1]:9000");

  e = parse_endpoint("https://S3.Example.COM:443");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->host, "s3.example.com");
  EXPECT_EQ(e->host_header(e->host), "s3.example.com") << "default port is not written";
}

TEST(Endpoint, RefusesWhatItCannotServe) {
  for (const char* bad : {"s3.amazonaws.com", "ftp://x", "https://", "https://host:0",
                          "https://host:70000", "https://host:abc", "https://host/path",
                          "https://ho st", "http://[::1", "https://host:"}) {
    auto e = parse_endpoint(bad);
    ASSERT_FALSE(e) << bad;
    EXPECT_EQ(e.error().code, client_errc::invalid_endpoint);
    EXPECT_NE(e.error().message.find(bad), std::string::npos) << "the message names the URL";
  }
}

TEST(Endpoint, UserInformationIsRefusedAndNeverEchoed) {
  for (const char* bad : {"https://user@host", "https://AKIDEXAMPLE:s3cr3t-Pa55@host:9000",
                          "http://me:pw@[::1]:9000/", "https://a:b@c@host"}) {
    auto e = parse_endpoint(bad);
    ASSERT_FALSE(e) << bad;
    const std::string& m = e.error().message;
    EXPECT_EQ(m.find("s3cr3t"), std::string::npos) << m;
    EXPECT_EQ(m.find("user@"), std::string::npos) << m;
    EXPECT_EQ(m.find("pw@"), std::string::npos) << m;
    EXPECT_EQ(m.find("a:b"), std::string::npos) << m;
    EXPECT_NE(m.find("***@"), std::string::npos) << m;
    EXPECT_NE(m.find("user information"), std::string::npos) << m;
  }
}

TEST(Endpoint, AwsRegionalEndpoints) {
  EXPECT_EQ(aws_endpoint("eu-central-1").url(), "https://s3.eu-central-1.amazonaws.com");
  EXPECT_EQ(aws_endpoint("cn-north-1").host, "s3.cn-north-1.amazonaws.com.cn");
  EXPECT_TRUE(aws_endpoint("us-east-1").is_aws());
  EXPECT_TRUE(parse_endpoint("http://localhost:9000")->host_is_loopback_name());
}

TEST(BucketName, DnsCompatibility) {
  EXPECT_TRUE(is_dns_compatible_bucket("my-bucket"));
  EXPECT_TRUE(is_dns_compatible_bucket("a.b.c"));
  EXPECT_TRUE(is_dns_compatible_bucket("abc"));
  EXPECT_FALSE(is_dns_compatible_bucket("ab"));
  EXPECT_FALSE(is_dns_compatible_bucket(std::string(64, 'a')));
  EXPECT_FALSE(is_dns_compatible_bucket("My-Bucket"));
  EXPECT_FALSE(is_dns_compatible_bucket("my_bucket"));
  EXPECT_FALSE(is_dns_compatible_bucket("-bucket"));
  EXPECT_FALSE(is_dns_compatible_bucket("bucket-"));
  EXPECT_FALSE(is_dns_compatible_bucket("a..b"));
  EXPECT_FALSE(is_dns_compatible_bucket("a.-b"));
  EXPECT_FALSE(is_dns_compatible_bucket("192.168.5.4"));
  EXPECT_FALSE(is_dns_compatible_bucket("xn--bucket"));
  EXPECT_FALSE(is_dns_compatible_bucket("bucket-s3alias"));
}

TEST(BucketName, Validation) {
  EXPECT_TRUE(validate_bucket_name("Legacy_Bucket"));
  EXPECT_FALSE(validate_bucket_name(""));
  EXPECT_FALSE(validate_bucket_name("a/b"));
  EXPECT_FALSE(validate_bucket_name("a b"));
  EXPECT_FALSE(validate_bucket_name("a\nb"));
  EXPECT_FALSE(validate_bucket_name(std::string(256, 'a')));
  EXPECT_EQ(validate_bucket_name("a/b").error().code, client_errc::invalid_bucket_name);
}

TEST(Addressing, AutoPicksVirtualOnAwsAndPathOnIpOrLocalhost) {
  auto aws = aws_endpoint("us-east-1");
  auto a = resolve_bucket_address(aws, "my-bucket", AddressingStyle::automatic);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->style, AddressingStyle::virtual_hosted);
  EXPECT_EQ(a->host_header, "my-bucket.s3.us-east-1.amazonaws.com");
  EXPECT_EQ(a->connect_host, "my-bucket.s3.us-east-1.amazonaws.com");
  EXPECT_EQ(a->object_path("dir/a b"), "/dir/a%20b");
  EXPECT_EQ(a->bucket_path(), "/");

  auto local = *parse_endpoint("http://127.0.0.1:9000");
  a = resolve_bucket_address(local, "my-bucket", AddressingStyle::automatic);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->style, AddressingStyle::path);
  EXPECT_EQ(a->host_header, "127.0.0.1:9000");
  EXPECT_EQ(a->object_path("k"), "/my-bucket/k");
  EXPECT_EQ(a->bucket_path(), "/my-bucket");

  a = resolve_bucket_address(*parse_endpoint("http://localhost:9000"), "b-1",
                             AddressingStyle::automatic);
  EXPECT_EQ(a->style, AddressingStyle::path);
}

TEST(Addressing, AutoFallsBackToPathWhereVirtualCannotWork) {
  auto aws = aws_endpoint("us-east-1");
  auto a = resolve_bucket_address(aws, "my.dotted.bucket", AddressingStyle::automatic);
  EXPECT_EQ(a->style, AddressingStyle::path) << "wildcard certificates do not cover dots";
  a = resolve_bucket_address(aws, "Legacy_Bucket", AddressingStyle::automatic);
  EXPECT_EQ(a->style, AddressingStyle::path);
  a = resolve_bucket_address(*parse_endpoint("http://minio.lan:9000"), "my.dotted.bucket",
                             AddressingStyle::automatic);
  EXPECT_EQ(a->style, AddressingStyle::virtual_hosted) << "no certificate over plain http";
}

TEST(Addressing, ExplicitStyles) {
  auto cw = *parse_endpoint("https://cwobject.com");
  auto a = resolve_bucket_address(cw, "my-bucket", AddressingStyle::virtual_hosted);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host_header, "my-bucket.cwobject.com");
  a = resolve_bucket_address(cw, "my-bucket", AddressingStyle::path);
  EXPECT_EQ(a->host_header, "cwobject.com");
  EXPECT_EQ(a->object_path("/lead"), "/my-bucket//lead");

  auto bad = resolve_bucket_address(cw, "Legacy_Bucket", AddressingStyle::virtual_hosted);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("--addressing-style path"), std::string::npos);
  bad = resolve_bucket_address(*parse_endpoint("http://10.0.0.1"), "ok-bucket",
                               AddressingStyle::virtual_hosted);
  ASSERT_FALSE(bad);
  EXPECT_FALSE(resolve_bucket_address(cw, "", AddressingStyle::path));
}

TEST(Addressing, ParseStyle) {
  EXPECT_EQ(*parse_addressing_style("virtual"), AddressingStyle::virtual_hosted);
  EXPECT_EQ(*parse_addressing_style("path"), AddressingStyle::path);
  EXPECT_EQ(*parse_addressing_style("auto"), AddressingStyle::automatic);
  EXPECT_FALSE(parse_addressing_style("Virtual"));
}
