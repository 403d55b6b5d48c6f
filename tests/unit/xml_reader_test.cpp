#include "protocol/xml_reader.hpp"

#include <gtest/gtest.h>

using namespace s3purge::protocol;

TEST(XmlReader, ReadsElementsTextAndEntities) {
  auto d = XmlDocument::parse(
      "<?xml version=\"1.0\"?><!-- c --><R xmlns=\"x\"><A>a&amp;b&#x41;&#66;</A>"
      "<s3:B>ns</s3:B><C><![CDATA[<raw>]]></C><D/><A>second</A></R>");
  ASSERT_TRUE(d) << d.error().describe();
  const XmlNode r = d->root();
  EXPECT_EQ(r.name(), "R");
  EXPECT_EQ(r.child_text("A"), "a&bAB");
  EXPECT_EQ(r.child_text("B"), "ns") << "prefixes are dropped";
  EXPECT_EQ(r.child_text("C"), "<raw>");
  EXPECT_TRUE(r.has_child("D"));
  EXPECT_EQ(r.child_text("D"), "");
  EXPECT_FALSE(r.has_child("E"));
  int n = 0;
  for (const XmlNode c : r) n += c.name() == "A" ? 1 : 0;
  EXPECT_EQ(n, 2);
}

TEST(XmlReader, KeepsWhitespaceAndControlReferences) {
  auto d = XmlDocument::parse("<K>  two  spaces &#9;&#10;&#13;&#1; </K>");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->root().text(), "  two  spaces \t\n\r\x01 ");
}

TEST(XmlReader, EmptyBodies) {
  for (const char* body : {"", "   \r\n"}) {
    auto d = XmlDocument::parse(body);
    ASSERT_FALSE(d);
    EXPECT_EQ(d.error().code, client_errc::empty_response);
  }
}

TEST(XmlReader, TruncationIsToldApartFromGarbage) {
  auto t = XmlDocument::parse("<R><A>text</A><B>cut sh");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, client_errc::truncated_response);
  auto g = XmlDocument::parse("<R><A>text</B></R>");
  ASSERT_FALSE(g);
  EXPECT_EQ(g.error().code, client_errc::malformed_response);
  auto h = XmlDocument::parse("<html><body>502 Bad Gateway</body>");
  ASSERT_FALSE(h);
  EXPECT_NE(h.error().message.find("byte"), std::string::npos) << "says where";
}

TEST(XmlReader, EmbeddedNulIsMalformedNotTruncated) {
  const std::string body("<R>a\0b</R>", 10);
  auto d = XmlDocument::parse(body);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, client_errc::malformed_response);
}

TEST(XmlReader, DeepNestingIsRefusedBeforeRapidXmlRecurses) {
  std::string deep;
  for (int i = 0; i < 200000; ++i) deep += "<a>";
  auto d = XmlDocument::parse(deep);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, client_errc::xml_too_deep);

  std::string ok;
  for (int i = 0; i < 60; ++i) ok += "<a>";
  for (int i = 0; i < 60; ++i) ok += "</a>";
  EXPECT_TRUE(XmlDocument::parse(ok));
}

TEST(XmlReader, NestingScanIsNotFooledByQuotesCommentsOrSelfClosing) {
  std::string s = "<r>";
  for (int i = 0; i < 1000; ++i) s += "<x a=\"<b>\"/><!-- <c> --><![CDATA[<d>]]>";
  s += "</r>";
  EXPECT_TRUE(XmlDocument::parse(s));
}

TEST(XmlReader, EntityDeclarationsAreNotExpanded) {
  const char* lol =
      "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
      "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
      "<lolz>&lol2;</lolz>";
  auto d = XmlDocument::parse(lol);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->root().text(), "&lol2;") << "unknown entities stay literal: no billion laughs";
}

TEST(XmlReader, TooLargeIsRefused) {
  std::string big(kMaxXmlBytes + 1, ' ');
  big[0] = '<';
  auto d = XmlDocument::parse(big);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, client_errc::response_too_large);
}

TEST(XmlReader, RootElementNameWithoutParsing) {
  EXPECT_EQ(root_element_name("<?xml version=\"1.0\"?>\n<Error><Code>X</Code></Error>"), "Error");
  EXPECT_EQ(root_element_name("<!-- c --><DeleteResult xmlns=\"x\">"), "DeleteResult");
  EXPECT_EQ(root_element_name("<Error/>"), "Error");
  EXPECT_EQ(root_element_name("  <s3:Error>"), "Error");
  EXPECT_EQ(root_element_name(""), "");
  EXPECT_EQ(root_element_name("not xml"), "");
  EXPECT_EQ(root_element_name("<?xml unterminated"), "");
}
