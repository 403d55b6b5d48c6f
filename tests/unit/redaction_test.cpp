// Secrets taken out of text: every occurrence, URL-encoded forms too, the longest first,
// and nothing of a string too short to be a secret.
#include "protocol/redaction.hpp"

#include <gtest/gtest.h>

using s3purge::protocol::SecretSet;

TEST(SecretSet, EveryOccurrenceAndItsUrlEncodedFormsGo) {
  SecretSet s;
  s.add("AbC/def+ghi=");
  EXPECT_EQ(s.redact("token AbC/def+ghi= and AbC/def+ghi= again"), "token [redacted] and [redacted] again");
  EXPECT_EQ(s.redact("in a URL: x?t=AbC%2Fdef%2Bghi%3D&y"), "in a URL: x?t=[redacted]&y");
  EXPECT_EQ(s.redact("kept slash: AbC/def%2Bghi%3D"), "kept slash: [redacted]");
  EXPECT_EQ(s.redact("nothing here"), "nothing here");
}

TEST(SecretSet, TheLongestGoesFirstAndShortStringsAreNoSecrets) {
  SecretSet s;
  s.add("12345678");
  s.add("12345678-and-more");
  EXPECT_EQ(s.redact("a 12345678-and-more b 12345678"), "a [redacted] b [redacted]");
  SecretSet tiny;
  tiny.add("t");
  tiny.add("");
  EXPECT_TRUE(tiny.empty());
  EXPECT_EQ(tiny.redact("the test"), "the test");
}

TEST(SecretSet, ASecretThatContainsTheMarkerDoesNotLoop) {
  SecretSet s;
  s.add("[redacted][redacted]");
  EXPECT_EQ(s.redact("x[redacted][redacted]y"), "x[redacted]y");
}
