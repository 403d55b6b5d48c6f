#include "protocol/s3_response.hpp"

#include <algorithm>
#include <charconv>

#include "protocol/printable.hpp"
#include "protocol/xml_reader.hpp"

namespace s3purge::protocol {
namespace {

// A short, printable excerpt of a non-XML body for the message (never the whole page).
std::string excerpt(std::string_view body) {
  constexpr std::size_t kMax = 120;
  std::string out;
  for (const char c : body.substr(0, kMax)) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back(u >= 0x20 && u < 0x7f ? c : ' ');
  }
  if (body.size() > kMax) out += "...";
  return out;
}

// Seconds, at most a day: what is obeyed of it is capped again where it is waited for.
int parse_retry_after(std::string_view v) {
  constexpr long long kDay = 86'400;
  long long secs = 0;
  const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), secs);
  if (ec == std::errc::result_out_of_range && ptr == v.data() + v.size()) return kDay;
  if (ec != std::errc() || ptr != v.data() + v.size() || secs < 0) return 0;
  return static_cast<int>(std::min(secs, kDay));
}

}  // namespace

Error parse_error_response(const HttpResponse& response) {
  Error e;
  e.http_status = response.status;
  // Every text of the answer is made printable: it reaches terminals and logs.
  e.request_id = printable(response.headers.get("x-amz-request-id"));
  e.host_id = printable(response.headers.get("x-amz-id-2"));
  e.region = printable(response.headers.get("x-amz-bucket-region"));
  e.retry_after_s = parse_retry_after(response.headers.get("retry-after"));

  bool have_body = false;
  if (root_element_name(response.body) == "Error") {
    auto doc = XmlDocument::parse(response.body);
    if (doc) {
      const XmlNode root = doc->root();
      have_body = true;
      e.s3_code = printable(root.child_text("Code"));
      e.message = printable(root.child_text("Message"));
      if (auto id = root.child_text("RequestId"); !id.empty()) e.request_id = printable(id);
      if (auto id = root.child_text("HostId"); !id.empty()) e.host_id = printable(id);
      if (auto r = root.child_text("Region"); !r.empty()) e.region = printable(r);
      e.endpoint = printable(root.child_text("Endpoint"));
    } else if (response.status >= 200 && response.status < 300) {
      // An <Error> document cut short inside a 200: the answer is unusable, try again.
      Error t = std::move(doc).error();
      t.http_status = response.status;
      t.request_id = e.request_id;
      t.host_id = e.host_id;
      return t;
    }
  }
  if (!e.s3_code.empty()) {
    e.code = s3_errc_from_code(e.s3_code);
  } else {
    e.code = s3_errc_from_status(response.status);
    if (!have_body) {
      e.message = "HTTP " + std::to_string(response.status) + " without an S3 error body";
      if (!response.body.empty()) e.message += ": " + excerpt(response.body);
    }
  }
  if (e.code == s3_errc::other && e.s3_code.empty()) {
    e.code = client_errc::unexpected_status;
  }
  return e;
}

std::optional<Error> error_from_response(const HttpResponse& response) {
  if (response.status >= 200 && response.status < 300) {
    if (root_element_name(response.body) != "Error") return std::nullopt;
  }
  return parse_error_response(response);
}

}  // namespace s3purge::protocol
