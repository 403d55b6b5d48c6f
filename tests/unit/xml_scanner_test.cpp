#include "protocol/xml_scanner.hpp"

#include "protocol/xml_entities.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace s3purge::protocol;

namespace {

// Reads every child of the open element as name=text, or name{...} for `nested` names.
std::vector<std::string> fields(XmlScanner& x, std::string_view nested = "") {
  std::vector<std::string> out;
  while (x.next_child()) {
    const std::string name(x.name());
    if (name == nested) {
      std::string inner;
      for (const auto& f : fields(x)) inner += f + ";";
      out.push_back(name + "{" + inner + "}");
    } else {
      out.push_back(name + "=" + std::string(x.text()));
    }
  }
  return out;
}

Error refusal(std::string_view body, std::string_view root = "R") {
  XmlScanner x(body);
  if (x.open_root(root)) {
    x.skip();
    x.finish();
  }
  EXPECT_FALSE(x.ok()) << body.substr(0, 80);
  return x.ok() ? Error() : x.error();
}

}  // namespace

TEST(XmlScanner, ReadsElementsTextEntitiesAndCdata) {
  XmlScanner x(
      "\xEF\xBB\xBF<?xml version=\"1.0\"?><!-- c --><s3:R xmlns:s3=\"x\" a='>'><A>a&amp;b&#x41;"
      "&#66;&quot;&apos;&lt;&gt;&#x1F600;</A><s3:B>ns</s3:B><C>x<![CDATA[<raw>&amp;]]>y</C>"
      "<D/><E><F>f</F><G/>ignored text<?pi?><!-- x --></E><H a=\"1\"/></s3:R>\n<!-- end -->");
  ASSERT_TRUE(x.open_root("R")) << x.error().describe();
  EXPECT_EQ(fields(x, "E"),
            (std::vector<std::string>{"A=a&bAB\"'<>\xF0\x9F\x98\x80", "B=ns", "C=x<raw>&amp;y",
                                      "D=", "E{F=f;G=;}", "H="}));
  EXPECT_TRUE(x.finish()) << x.error().describe();
}

TEST(XmlScanner, PlainTextIsAViewOfTheBody) {
  const std::string body = "<R><K>plain key</K><L>a&amp;b</L></R>";
  XmlScanner x(body);
  ASSERT_TRUE(x.open_root("R"));
  ASSERT_TRUE(x.next_child());
  const std::string_view k = x.text();
  EXPECT_EQ(k, "plain key");
  EXPECT_TRUE(k.data() >= body.data() && k.data() < body.data() + body.size()) << "not copied";
  ASSERT_TRUE(x.next_child());
  EXPECT_EQ(x.text(), "a&b");
  EXPECT_FALSE(x.next_child());
  EXPECT_TRUE(x.finish());
}

// RapidXML drops a run of only whitespace, so the key " " read as "": a key like that is
// kept here, exactly.
TEST(XmlScanner, KeepsTextOfOnlyWhitespace) {
  XmlScanner x("<R><K> </K><L>\t\n</L><M> <!-- c --> </M></R>");
  ASSERT_TRUE(x.open_root("R"));
  EXPECT_EQ(fields(x), (std::vector<std::string>{"K= ", "L=\t\n", "M=  "}));
  EXPECT_TRUE(x.finish());
}

TEST(XmlScanner, CutShortIsToldApartFromGarbage) {
  const std::string doc = "<?xml version=\"1.0\"?><R a=\"v\"><A>t&amp;</A><![CDATA[x]]><B/></R>";
  for (std::size_t cut = 0; cut < doc.size(); ++cut) {
    const Error e = refusal(doc.substr(0, cut));
    if (cut == 0) {
      EXPECT_EQ(e.code, client_errc::empty_response);
    } else {
      EXPECT_EQ(e.code, client_errc::truncated_response) << "cut at " << cut << ": " << e.describe();
    }
  }
  const Error g = refusal("<R><A>text</B></R>");
  EXPECT_EQ(g.code, client_errc::malformed_response);
  EXPECT_NE(g.message.find("byte 10"), std::string::npos) << g.message;
  EXPECT_EQ(refusal("<R>a</R>trailing text").code, client_errc::malformed_response);
  EXPECT_EQ(refusal("text before <R/>").code, client_errc::malformed_response);
  EXPECT_EQ(refusal("<R a=b/>").code, client_errc::malformed_response);
  EXPECT_EQ(refusal("<R/ >").code, client_errc::malformed_response);
  EXPECT_EQ(refusal("< R/>").code, client_errc::malformed_response);
}

TEST(XmlScanner, NulIsMalformed) {
  EXPECT_EQ(refusal(std::string("<R>a\0b</R>", 10)).code, client_errc::malformed_response);
  EXPECT_EQ(refusal(std::string("<R a=\"\0\"/>", 10)).code, client_errc::malformed_response);
  XmlScanner x(std::string_view("<R><K>a\0</K></R>", 16));
  ASSERT_TRUE(x.open_root("R"));
  ASSERT_TRUE(x.next_child());
  EXPECT_EQ(x.text(), "");
  EXPECT_EQ(x.error().code, client_errc::malformed_response);
}

TEST(XmlScanner, DepthIsBoundedWithoutRecursion) {
  std::string deep;
  for (int i = 0; i < 200000; ++i) deep += "<R>";
  EXPECT_EQ(refusal(deep).code, client_errc::xml_too_deep);

  std::string ok;
  for (std::size_t i = 0; i < kMaxXmlDepth; ++i) ok += "<a>";
  for (std::size_t i = 0; i < kMaxXmlDepth; ++i) ok += "</a>";
  XmlScanner x(ok);
  ASSERT_TRUE(x.open_root("a"));
  x.skip();
  EXPECT_TRUE(x.finish()) << x.error().describe();
  EXPECT_EQ(refusal("<R>" + ok + "</R>").code, client_errc::xml_too_deep);
}

TEST(XmlScanner, MarkupHidesTagsFromTheScan) {
  std::string s = "<R>";
  for (int i = 0; i < 1000; ++i) s += "<x a=\"<b>\" b='/>'/><!-- <c> --><![CDATA[<d>]]><?p <e>?>";
  s += "</R>";
  XmlScanner x(s);
  ASSERT_TRUE(x.open_root("R"));
  int n = 0;
  while (x.next_child()) {
    ++n;
    x.skip();
  }
  EXPECT_EQ(n, 1000);
  EXPECT_TRUE(x.finish()) << x.error().describe();
}

TEST(XmlScanner, DeclaredEntitiesAreNotExpanded) {
  XmlScanner x(
      "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
      "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
      "<lolz>&lol2;&amp</lolz>");
  ASSERT_TRUE(x.open_root("lolz")) << x.error().describe();
  EXPECT_EQ(x.text(), "&lol2;&amp") << "unknown entities stay as sent: no billion laughs";
  EXPECT_TRUE(x.finish());
}

TEST(XmlScanner, CharacterReferencesMustBeUnicodeScalarsInTheirBase) {
  for (const char* bad : {"<R>&#;</R>", "<R>&#x;</R>", "<R>&#1a;</R>", "<R>&#65</R>",
                          "<R>&#x110000;</R>", "<R>&#99999999999999999999;</R>"}) {
    XmlScanner x(bad);
    ASSERT_TRUE(x.open_root("R"));
    EXPECT_EQ(x.text(), "") << bad;
    ASSERT_FALSE(x.ok()) << bad;
    EXPECT_EQ(x.error().code, client_errc::malformed_response) << bad;
  }
  XmlScanner x("<R>&#0;&#x10FFFF;&#9;</R>");
  ASSERT_TRUE(x.open_root("R"));
  EXPECT_EQ(x.text(), std::string("\0\xF4\x8F\xBF\xBF\t", 6));
}

TEST(XmlEntities, ABadReferenceIsPointedAtAndWhatCameBeforeIsKept) {
  std::string out = "x";
  EXPECT_EQ(decode_xml_entities(out, "a&amp;b&c&#x41;&#66;"), std::nullopt);
  EXPECT_EQ(out, "xa&b&cAB");
  out.clear();
  EXPECT_EQ(decode_xml_entities(out, "ok&lt;&#65&gt;"), std::optional<std::size_t>(6));
  EXPECT_EQ(out, "ok<");
}

TEST(XmlScanner, AnElementWhereTextIsExpectedIsMalformed) {
  XmlScanner x("<R><Key>a<b/>c</Key></R>");
  ASSERT_TRUE(x.open_root("R"));
  ASSERT_TRUE(x.next_child());
  EXPECT_EQ(x.text(), "");
  ASSERT_FALSE(x.ok());
  EXPECT_EQ(x.error().code, client_errc::malformed_response);
  EXPECT_NE(x.error().message.find("inside <Key>"), std::string::npos) << x.error().message;
}

TEST(XmlScanner, AnotherRootIsMalformedUnlessItIsAlsoCutOrTooDeep) {
  XmlScanner x("<Error><Code>SlowDown</Code></Error>");
  EXPECT_FALSE(x.open_root("ListBucketResult"));
  EXPECT_EQ(x.error().code, client_errc::malformed_response);
  EXPECT_NE(x.error().message.find("expected <ListBucketResult>, got <Error>"), std::string::npos);
  EXPECT_EQ(refusal("<Error><Code>Slow", "ListBucketResult").code,
            client_errc::truncated_response);
  EXPECT_EQ(refusal("", "R").code, client_errc::empty_response);
  EXPECT_EQ(refusal(" \r\n", "R").code, client_errc::empty_response);
  EXPECT_EQ(refusal("<?xml version=\"1.0\"?>", "R").code, client_errc::truncated_response);
  std::string big(kMaxXmlBytes + 1, ' ');
  big[0] = '<';
  EXPECT_EQ(refusal(big).code, client_errc::response_too_large);
}

TEST(XmlScanner, MoreElementsAfterTheRootAreReadPast) {
  XmlScanner x("<R><A>a</A></R><!-- c --><S><T/></S> <?p?>");
  ASSERT_TRUE(x.open_root("R"));
  EXPECT_EQ(fields(x), (std::vector<std::string>{"A=a"}));
  EXPECT_TRUE(x.finish()) << x.error().describe();
  EXPECT_EQ(refusal("<R/><S>").code, client_errc::truncated_response);
}
