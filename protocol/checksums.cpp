#include "protocol/checksums.hpp"

#include <array>
#include <cctype>

#include "protocol/crypto.hpp"

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace s3purge::protocol {

namespace {

// Slicing-by-8 tables for a reflected CRC of polynomial `poly`.
template <typename T>
struct Tables {
  std::array<std::array<T, 256>, 8> t{};
  explicit constexpr Tables(T poly) {
    for (unsigned i = 0; i < 256; ++i) {
      T c = static_cast<T>(i);
      for (int k = 0; k < 8; ++k) c = (c & 1) ? static_cast<T>((c >> 1) ^ poly) : static_cast<T>(c >> 1);
      t[0][i] = c;
    }
    for (unsigned i = 0; i < 256; ++i) {
      for (int s = 1; s < 8; ++s) t[s][i] = static_cast<T>((t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xff]);
    }
  }
};

template <typename T>
T reflected_crc(const Tables<T>& tables, std::string_view data, T crc) {
  const auto& t = tables.t;
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t n = data.size();
  while (n >= 8) {
    std::uint64_t word = 0;
    for (int i = 7; i >= 0; --i) word = (word << 8) | p[i];  // little-endian load
    word ^= static_cast<std::uint64_t>(crc);
    crc = static_cast<T>(t[7][word & 0xff] ^ t[6][(word >> 8) & 0xff] ^ t[5][(word >> 16) & 0xff] ^
                         t[4][(word >> 24) & 0xff] ^ t[3][(word >> 32) & 0xff] ^ t[2][(word >> 40) & 0xff] ^
                         t[1][(word >> 48) & 0xff] ^ t[0][word >> 56]);
    p += 8;
    n -= 8;
  }
  while (n--) crc = static_cast<T>((crc >> 8) ^ t[0][(crc ^ *p++) & 0xff]);
  return crc;
}

constexpr Tables<std::uint32_t> kCrc32(0xEDB88320u);
constexpr Tables<std::uint32_t> kCrc32c(0x82F63B78u);
constexpr Tables<std::uint64_t> kCrc64Nvme(0x9A6C9329AC4BC9B5ull);

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) std::uint32_t crc32c_sse42(std::string_view data, std::uint32_t crc) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t n = data.size();
  std::uint64_t c = crc;
  while (n >= 8) {
    std::uint64_t word;
    __builtin_memcpy(&word, p, 8);
    c = _mm_crc32_u64(c, word);
    p += 8;
    n -= 8;
  }
  auto c32 = static_cast<std::uint32_t>(c);
  while (n--) c32 = _mm_crc32_u8(c32, *p++);
  return c32;
}
#endif

template <typename T>
std::string big_endian_base64(T v) {
  std::array<std::uint8_t, sizeof(T)> bytes{};
  for (std::size_t i = 0; i < sizeof(T); ++i) bytes[i] = static_cast<std::uint8_t>(v >> (8 * (sizeof(T) - 1 - i)));
  return base64(bytes.data(), bytes.size());
}

}  // namespace

std::string_view checksum_name(ChecksumAlgorithm a) {
  switch (a) {
    case ChecksumAlgorithm::md5: return "md5";
    case ChecksumAlgorithm::crc32: return "crc32";
    case ChecksumAlgorithm::crc32c: return "crc32c";
    case ChecksumAlgorithm::crc64nvme: return "crc64nvme";
  }
  return "md5";
}

std::optional<ChecksumAlgorithm> parse_checksum_algorithm(std::string_view name) {
  for (const auto a : {ChecksumAlgorithm::md5, ChecksumAlgorithm::crc32, ChecksumAlgorithm::crc32c,
                       ChecksumAlgorithm::crc64nvme}) {
    if (checksum_name(a) == name) return a;
  }
  return std::nullopt;
}

std::uint32_t crc32(std::string_view data, std::uint32_t crc) {
  return ~reflected_crc(kCrc32, data, static_cast<std::uint32_t>(~crc));
}

std::uint32_t crc32c(std::string_view data, std::uint32_t crc) {
#if defined(__x86_64__)
  static const bool hardware = __builtin_cpu_supports("sse4.2");
  if (hardware) return ~crc32c_sse42(data, ~crc);
#endif
  return ~reflected_crc(kCrc32c, data, static_cast<std::uint32_t>(~crc));
}

std::uint64_t crc64nvme(std::string_view data, std::uint64_t crc) {
  return ~reflected_crc(kCrc64Nvme, data, ~crc);
}

std::string checksum_value(ChecksumAlgorithm a, std::string_view body) {
  switch (a) {
    case ChecksumAlgorithm::md5: return content_md5(body);
    case ChecksumAlgorithm::crc32: return big_endian_base64(crc32(body));
    case ChecksumAlgorithm::crc32c: return big_endian_base64(crc32c(body));
    case ChecksumAlgorithm::crc64nvme: return big_endian_base64(crc64nvme(body));
  }
  return content_md5(body);
}

void set_body_checksum(HttpRequest& r, ChecksumAlgorithm a) {
  if (a == ChecksumAlgorithm::md5) {
    r.headers.set("content-md5", content_md5(r.body));
    return;
  }
  std::string name(checksum_name(a));
  std::string upper = name;
  for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  r.headers.set("x-amz-checksum-" + name, checksum_value(a, r.body));
  r.headers.set("x-amz-sdk-checksum-algorithm", upper);
}

bool refuses_checksum(const Error& e) {
  if (e.s3_code == "MissingContentMD5") return true;
  if (e.s3_code != "InvalidRequest" && e.s3_code != "InvalidArgument" && e.s3_code != "NotImplemented") return false;
  std::string m = e.message;
  for (auto& ch : m) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return m.find("md5") != std::string::npos || m.find("checksum") != std::string::npos;
}

}  // namespace s3purge::protocol
