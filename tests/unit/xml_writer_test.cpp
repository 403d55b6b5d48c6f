#include "protocol/xml_writer.hpp"

#include <gtest/gtest.h>

#include "protocol/xml_reader.hpp"

using namespace s3purge::protocol;

TEST(XmlWriter, EscapesAndRoundTripsThroughTheParser) {
  const std::string key = "a&b<c>d\"e'f\tg\nh\ri caf\xc3\xa9 \xf0\x9f\x98\x80";
  ASSERT_TRUE(xml_can_carry(key));
  std::string doc = "<K>";
  ASSERT_TRUE(append_xml_escaped(doc, key));
  doc += "</K>";
  EXPECT_EQ(doc.find('\n'), std::string::npos) << "line ends travel as references";
  EXPECT_EQ(doc.find('\r'), std::string::npos);
  auto d = XmlDocument::parse(doc);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->root().text(), key);
}

TEST(XmlWriter, WhatXmlCannotCarry) {
  EXPECT_TRUE(xml_can_carry(""));
  EXPECT_TRUE(xml_can_carry("plain/key.txt"));
  EXPECT_TRUE(xml_can_carry("\t\n\r"));
  EXPECT_FALSE(xml_can_carry(std::string("a\0b", 3)));
  EXPECT_FALSE(xml_can_carry("\x01"));
  EXPECT_FALSE(xml_can_carry("\x1f"));
  EXPECT_FALSE(xml_can_carry("\xff"));                  // not UTF-8
  EXPECT_FALSE(xml_can_carry("\xc3"));                  // cut short
  EXPECT_FALSE(xml_can_carry("\xc0\xaf"));              // overlong '/'
  EXPECT_FALSE(xml_can_carry("\xed\xa0\x80"));          // a surrogate
  EXPECT_FALSE(xml_can_carry("\xef\xbf\xbe"));          // U+FFFE
  EXPECT_FALSE(xml_can_carry("\xef\xbf\xbf"));          // U+FFFF
  EXPECT_FALSE(xml_can_carry("\xf4\x90\x80\x80"));      // beyond U+10FFFF
  EXPECT_TRUE(xml_can_carry("\xf4\x8f\xbf\xbf"));       // U+10FFFF
  EXPECT_TRUE(xml_can_carry("\x7f"));                   // DEL is allowed in XML 1.0
}

TEST(XmlWriter, AppendRefusesWhatXmlCannotCarry) {
  for (const std::string& bad : {std::string("a\x01"), std::string("\xff"),
                                std::string("ok\xef\xbf\xbf"), std::string("x\0y", 3)}) {
    std::string out;
    EXPECT_FALSE(append_xml_escaped(out, bad)) << bad;
    EXPECT_EQ(xml_can_carry(bad), false);
  }
  std::string out = "<K>";
  ASSERT_TRUE(append_xml_escaped(out, "a&&b"));
  EXPECT_EQ(out, "<K>a&amp;&amp;b");
}
