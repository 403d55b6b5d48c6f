#include "protocol/config_file.hpp"

#include <gtest/gtest.h>

using namespace s3purge::protocol;

TEST(ConfigFile, SectionsValuesAndNestedBlocks) {
  const char* text =
      "# comment\n"
      "[default]\n"
      "region = us-west-2\n"
      "\n"
      "[profile cw]\n"
      "Region=US-EAST-04A\n"
      "endpoint_url = https://cwobject.com\n"
      "s3 =\n"
      "    addressing_style = virtual\n"
      "    endpoint_url = http://cwlota.com\n"
      "output = json\n"
      "; another comment\n"
      "[services my-services]\n"
      "s3 =\n"
      "  endpoint_url = http://127.0.0.1:9000\n";
  auto f = parse_config_file(text, "cfg");
  ASSERT_TRUE(f) << f.error().describe();
  ASSERT_TRUE(f->section("default"));
  EXPECT_EQ(*f->section("default")->value("region"), "us-west-2");
  const ConfigSection* cw = f->section("profile cw");
  ASSERT_TRUE(cw);
  EXPECT_EQ(*cw->value("region"), "US-EAST-04A") << "keys are case-insensitive";
  EXPECT_EQ(*cw->value("endpoint_url"), "https://cwobject.com");
  EXPECT_EQ(*cw->nested_value("s3", "addressing_style"), "virtual");
  EXPECT_EQ(*cw->nested_value("s3", "endpoint_url"), "http://cwlota.com");
  EXPECT_EQ(*cw->value("output"), "json") << "a nested block ends at the next key";
  EXPECT_EQ(*f->section("services my-services")->nested_value("s3", "endpoint_url"),
            "http://127.0.0.1:9000");
  EXPECT_FALSE(f->section("cw"));
}

TEST(ConfigFile, CrlfAndTabs) {
  auto f = parse_config_file("[a]\r\nk = v\r\n\tz = 1\r\n", "cfg");
  ASSERT_TRUE(f);
  EXPECT_EQ(*f->section("a")->value("k"), "v");
}

TEST(ConfigFile, ErrorsNameTheFileAndLine) {
  auto f = parse_config_file("[ok]\nx = 1\n[broken\n", "/home/u/.aws/config");
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().code, client_errc::invalid_config);
  EXPECT_NE(f.error().message.find("/home/u/.aws/config line 3"), std::string::npos);
  EXPECT_FALSE(parse_config_file("key = before section\n", "f"));
  EXPECT_FALSE(parse_config_file("[a]\nno equals sign\n", "f"));
  EXPECT_TRUE(parse_config_file("", "f"));
}
