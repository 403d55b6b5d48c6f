// libFuzzer: the SigV4 canonicaliser and signer on arbitrary requests, plus the invariants
// of the encoders they rely on: decoding an encoding gives the input back, and an encoded
// path contains only unreserved characters, '%' and '/'.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "protocol/sigv4.hpp"
#include "protocol/uri.hpp"

namespace {

// Splits the input into fields at 0xff bytes.
std::string_view next_field(std::string_view& in) {
  const auto cut = in.find('\xff');
  std::string_view f = in.substr(0, cut);
  in = cut == std::string_view::npos ? std::string_view() : in.substr(cut + 1);
  return f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace s3purge::protocol;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::string_view key = next_field(in);

  const std::string encoded = uri_encode(key, true);
  for (const char c : encoded) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == '~' || c == '%' || c == '/';
    if (!ok) std::abort();
  }
  const auto back = url_decode(uri_encode(key, false));
  if (!back || *back != key) std::abort();
  (void)url_decode(key);

  HttpRequest r;
  r.method = "GET";
  r.host = "bucket.s3.amazonaws.com";
  r.path = "/" + encoded;
  while (!in.empty()) {
    const std::string_view name = next_field(in);
    const std::string_view value = next_field(in);
    if (name.size() % 2 == 0) {
      r.query.push_back({std::string(name), std::string(value)});
    } else {
      r.headers.add(name, value);
    }
  }
  const CanonicalRequest c = canonical_request(r, "UNSIGNED-PAYLOAD");
  if (c.signed_headers.find("host") == std::string::npos) std::abort();
  static const Signer signer(Credentials{"AKID", "secret", "token"}, "us-east-1");
  signer.sign(r, std::chrono::system_clock::time_point(std::chrono::seconds(1795437296)),
              PayloadSigning::unsigned_payload);
  return 0;
}
