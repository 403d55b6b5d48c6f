#include "protocol/key_list.hpp"

#include <gtest/gtest.h>

namespace {

using s3purge::protocol::parse_key_line;

TEST(KeyLine, KeyAloneOrWithAVersionId) {
  auto k = parse_key_line("a/b.txt", "");
  ASSERT_TRUE(k && *k);
  EXPECT_EQ((*k)->key, "a/b.txt");
  EXPECT_EQ((*k)->version_id, "");
  auto v = parse_key_line("a b.txt\t3HL4kqtJlcpXroDTDmJ", "logs/");
  ASSERT_TRUE(v && *v);
  EXPECT_EQ((*v)->key, "logs/a b.txt");
  EXPECT_EQ((*v)->version_id, "3HL4kqtJlcpXroDTDmJ");
}

TEST(KeyLine, BlankLinesAreSkipped) {
  auto b = parse_key_line("", "p/");
  ASSERT_TRUE(b);
  EXPECT_FALSE(*b);
}

TEST(KeyLine, RefusesWhatWouldNameTheWrongKey) {
  EXPECT_FALSE(parse_key_line("key\r", ""));
  EXPECT_FALSE(parse_key_line("key\tv1\r", ""));
  EXPECT_FALSE(parse_key_line("\tv1", ""));
  EXPECT_FALSE(parse_key_line("key\t", ""));
  EXPECT_FALSE(parse_key_line("key\tv1\tv2", ""));
  EXPECT_FALSE(parse_key_line("bad\xff", ""));
  EXPECT_FALSE(parse_key_line("over\xc0\xafong", ""));        // overlong '/'
  EXPECT_FALSE(parse_key_line("sur\xed\xa0\x80rogate", ""));  // U+D800
  EXPECT_FALSE(parse_key_line("cut\xe6\x97", ""));
  EXPECT_TRUE(parse_key_line("caf\xc3\xa9/\xf0\x9f\x98\x80", ""));
  EXPECT_FALSE(parse_key_line(std::string(1020, 'k'), "pre/x"));  // 1025 bytes with the prefix
  EXPECT_TRUE(parse_key_line(std::string(1020, 'k'), "pre/"));     // exactly 1024
  EXPECT_NE(parse_key_line("key\r", "").error().message.find("carriage return"), std::string::npos);
}

}  // namespace
