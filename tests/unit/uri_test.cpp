#include "protocol/uri.hpp"

#include <gtest/gtest.h>

using namespace s3purge::protocol;

TEST(UriEncode, KeepsUnreservedOnly) {
  EXPECT_EQ(uri_encode("AZaz09-_.~", false), "AZaz09-_.~");
  EXPECT_EQ(uri_encode("a b+c=d/e%f", false), "a%20b%2Bc%3Dd%2Fe%25f");
  EXPECT_EQ(uri_encode("a b/c", true), "a%20b/c");
  EXPECT_EQ(uri_encode("caf\xc3\xa9", false), "caf%C3%A9");
  EXPECT_EQ(uri_encode(std::string("\x00\x7f", 2), false), "%00%7F");
}

TEST(UrlDecode, DecodesPercentAndPlus) {
  EXPECT_EQ(url_decode("a%20b+c%2Bd"), "a b c+d");
  EXPECT_EQ(url_decode("caf%C3%A9"), "caf\xc3\xa9");
  EXPECT_EQ(url_decode("%01%0a"), std::string("\x01\n"));
  EXPECT_EQ(url_decode(""), "");
}

TEST(UrlDecode, RefusesBrokenEscapes) {
  EXPECT_FALSE(url_decode("%"));
  EXPECT_FALSE(url_decode("abc%4"));
  EXPECT_FALSE(url_decode("%zz"));
}

TEST(UrlDecode, RoundTripsEveryByte) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  EXPECT_EQ(url_decode(uri_encode(all, false)), all);
}

TEST(PercentDecode, KeepsPlus) {
  EXPECT_EQ(percent_decode("a+b%20c%2B"), "a+b c+");
  EXPECT_FALSE(percent_decode("%g0"));
}
