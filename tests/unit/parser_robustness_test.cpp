// Every parser, on the same hostile inputs: each must return an Error (never crash, never
// hang, never take a broken document for a valid one) with a code that says what is wrong.
#include <gtest/gtest.h>

#include <functional>

#include "protocol/bucket_responses.hpp"
#include "protocol/delete_result.hpp"
#include "protocol/lifecycle.hpp"
#include "protocol/list_responses.hpp"
#include "test_data.hpp"

using namespace s3purge::protocol;

namespace {

struct Parser {
  const char* name;
  const char* fixture;  // a real answer for this parser
  std::function<std::optional<Error>(std::string_view)> parse;
};

template <class F>
std::function<std::optional<Error>(std::string_view)> wrap(F f) {
  return [f](std::string_view body) -> std::optional<Error> {
    auto r = f(body);
    if (r) return std::nullopt;
    return std::move(r).error();
  };
}

std::vector<Parser> parsers() {
  return {
      {"ListObjectsV2", "moto/list_objects_v2_all.xml", wrap(parse_list_objects_v2)},
      {"ListObjectVersions", "moto/list_versions_all.xml", wrap(parse_list_object_versions)},
      {"ListMultipartUploads", "moto/list_uploads.xml", wrap(parse_list_multipart_uploads)},
      {"DeleteObjects", "moto/delete_result_markers.xml", wrap(parse_delete_objects_result)},
      {"GetBucketLifecycle", "moto/lifecycle.xml", wrap(parse_lifecycle_configuration)},
      {"GetBucketVersioning", "moto/versioning_enabled.xml", wrap(parse_bucket_versioning)},
      {"GetBucketLocation", "moto/location.xml", wrap(parse_bucket_location)},
  };
}

}  // namespace

TEST(ParserRobustness, RealAnswerParses) {
  for (const auto& p : parsers()) {
    const auto e = p.parse(s3purge::test::fixture(p.fixture));
    EXPECT_FALSE(e) << p.name << ": " << e->describe();
  }
}

TEST(ParserRobustness, EveryTruncationIsAnError) {
  for (const auto& p : parsers()) {
    const std::string body = s3purge::test::fixture(p.fixture);
    const std::size_t end = body.rfind('>') + 1;
    for (std::size_t cut = 0; cut < end; ++cut) {
      const auto e = p.parse(std::string_view(body.data(), cut));
      ASSERT_TRUE(e) << p.name << " cut at " << cut << " of " << end << " parsed as complete";
    }
  }
}

TEST(ParserRobustness, EmptyMalformedHugeAndHostile) {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "<a>";
  const std::string huge_garbage(10 * 1024 * 1024, 'x');
  std::string huge_text = "<Root>" + std::string(10 * 1024 * 1024, 'x') + "</Root>";
  const std::vector<std::pair<std::string, std::error_code>> inputs = {
      {"", client_errc::empty_response},
      {"\n\n", client_errc::empty_response},
      {"<html><body>Service Unavailable</body></html>", client_errc::malformed_response},
      {"<Root><A></B></Root>", client_errc::malformed_response},
      {"plain text", client_errc::malformed_response},
      {"<Error><Code>SlowDown</Code></Error>", client_errc::malformed_response},
      {deep, client_errc::xml_too_deep},
      {huge_garbage, client_errc::malformed_response},
      {huge_text, client_errc::malformed_response},
      {std::string("<Root>\0</Root>", 14), client_errc::malformed_response},
  };
  for (const auto& p : parsers()) {
    for (const auto& [input, expected] : inputs) {
      const auto e = p.parse(input);
      ASSERT_TRUE(e) << p.name << " accepted " << input.substr(0, 40);
      EXPECT_EQ(e->code, expected) << p.name << " on " << input.substr(0, 40) << ": "
                                   << e->describe();
      EXPECT_FALSE(e->message.empty());
    }
  }
}
