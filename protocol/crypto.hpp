// Hashes the protocol needs (SHA-256, HMAC-SHA256, MD5, and SHA-1 for the SSO cache's file names) and their encodings, via OpenSSL.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace s3purge::protocol {

using Sha256Digest = std::array<std::uint8_t, 32>;
using Md5Digest = std::array<std::uint8_t, 16>;
using Sha1Digest = std::array<std::uint8_t, 20>;

Sha256Digest sha256(std::string_view data);
Sha256Digest hmac_sha256(std::string_view key, std::string_view data);
Md5Digest md5(std::string_view data);
Sha1Digest sha1(std::string_view data);

std::string hex_lower(const std::uint8_t* data, std::size_t size);
template <std::size_t N>
std::string hex_lower(const std::array<std::uint8_t, N>& digest) {
  return hex_lower(digest.data(), N);
}
std::string base64(const std::uint8_t* data, std::size_t size);

inline std::string sha256_hex(std::string_view data) { return hex_lower(sha256(data)); }
// The Content-MD5 header value: base64 of the raw digest.
inline std::string content_md5(std::string_view body) {
  const auto d = md5(body);
  return base64(d.data(), d.size());
}

// SHA-256 of the empty string, the payload hash of every bodiless request.
inline constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

}  // namespace s3purge::protocol
