#include "protocol/printable.hpp"

#include <gtest/gtest.h>

#include "protocol/s3_response.hpp"

using namespace s3purge::protocol;

TEST(Printable, ControlSequencesAreEscaped) {
  EXPECT_EQ(printable("ok\x1b]0;owned\x07\rFAKE"), "ok\\x1b]0;owned\\x07\\x0dFAKE");
  EXPECT_EQ(printable("tab\there\x7f"), "tab\\x09here\\x7f");
}

TEST(Printable, Utf8StaysAndC1AndBrokenBytesAreEscaped) {
  EXPECT_EQ(printable("caf\xc3\xa9 \xe2\x82\xac"), "caf\xc3\xa9 \xe2\x82\xac");
  EXPECT_EQ(printable("\xc2\x9b" "2J"), "\\xc2\\x9b2J");  // U+009B: a CSI
  EXPECT_EQ(printable("\x9b\xff"), "\\x9b\\xff");
  EXPECT_EQ(printable("\xe2\x82"), "\\xe2\\x82");  // cut short
}

TEST(Printable, ServerErrorsAreMadePrintableWhenRead) {
  HttpResponse r;
  r.status = 403;
  r.headers.add("x-amz-request-id", "id\x1b[2J");
  r.body = "<Error><Code>Access\x1b[31mDenied</Code><Message>\x1b[2K\rFAKE: bucket deleted</Message></Error>";
  const Error e = parse_error_response(r);
  EXPECT_EQ(e.message.find('\x1b'), std::string::npos) << e.message;
  EXPECT_EQ(e.message.find('\r'), std::string::npos);
  EXPECT_EQ(e.s3_code.find('\x1b'), std::string::npos);
  EXPECT_EQ(e.request_id.find('\x1b'), std::string::npos);
  EXPECT_EQ(e.describe().find('\x1b'), std::string::npos);
}

TEST(Printable, RetryAfterIsReadWithoutOverflow) {
  HttpResponse r;
  r.status = 503;
  r.headers.add("retry-after", "99999999999999999999");
  EXPECT_EQ(parse_error_response(r).retry_after_s, 86'400);
  HttpResponse h;
  h.status = 503;
  h.headers.add("retry-after", "3600");
  EXPECT_EQ(parse_error_response(h).retry_after_s, 3600);
}
