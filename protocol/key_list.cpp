#include "protocol/key_list.hpp"

namespace s3purge::protocol {

namespace {

constexpr std::size_t kMaxKeyBytes = 1024;  // S3's limit on a key, in UTF-8 bytes

// Well-formed UTF-8 (no overlongs, no surrogates, at most U+10FFFF): what S3 keys are.
bool is_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned c = p[i];
    std::size_t len = 0;
    unsigned min = 0, cp = 0;
    if (c < 0x80) { ++i; continue; }
    if ((c & 0xE0) == 0xC0) len = 2, min = 0x80, cp = c & 0x1F;
    else if ((c & 0xF0) == 0xE0) len = 3, min = 0x800, cp = c & 0x0F;
    else if ((c & 0xF8) == 0xF0) len = 4, min = 0x10000, cp = c & 0x07;
    else return false;
    if (i + len > n) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

}  // namespace

Result<std::optional<KeyLine>> parse_key_line(std::string_view line, std::string_view prefix) {
  auto bad = [](std::string why) { return Error(client_errc::invalid_key, std::move(why)); };
  if (line.empty()) return std::optional<KeyLine>();
  if (line.back() == '\r') {
    return bad("the line ends in a carriage return (a CRLF file?); convert it with dos2unix");
  }
  const auto tab = line.find('\t');
  const std::string_view key = line.substr(0, tab);
  const std::string_view version = tab == std::string_view::npos ? std::string_view() : line.substr(tab + 1);
  if (key.empty()) return bad("the key is empty");
  if (!is_utf8(line)) return bad("the line is not UTF-8 (S3 keys are UTF-8)");
  if (tab != std::string_view::npos && version.empty()) return bad("a tab but no version id after it");
  if (version.find('\t') != std::string_view::npos) return bad("more than one tab");
  if (prefix.size() + key.size() > kMaxKeyBytes) {
    return bad("the key is longer than S3's 1024 bytes");
  }
  KeyLine out;
  out.key.reserve(prefix.size() + key.size());
  out.key.append(prefix).append(key);
  out.version_id = version;
  return std::optional<KeyLine>(std::move(out));
}

}  // namespace s3purge::protocol
