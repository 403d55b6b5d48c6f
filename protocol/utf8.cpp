#include "protocol/utf8.hpp"

namespace s3purge::protocol {

std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto b = [&](std::size_t j) { return static_cast<unsigned char>(text[j]); };
  const unsigned char lead = b(i);
  std::size_t n = 0;
  unsigned min = 0;
  unsigned cp = 0;
  if (lead >= 0xc2 && lead <= 0xdf) {
    n = 2, min = 0x80, cp = lead & 0x1fu;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    n = 3, min = 0x800, cp = lead & 0x0fu;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    n = 4, min = 0x10000, cp = lead & 0x07u;
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  for (std::size_t j = 1; j < n; ++j) {
    if ((b(i + j) & 0xc0u) != 0x80u) return 0;
    cp = (cp << 6) | (b(i + j) & 0x3fu);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n;
}

std::string_view plain_utf8_prefix(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) break;
    const std::size_t n = c < 0x80 ? 1 : utf8_sequence_length(text, i);
    if (n == 0) break;
    i += n;
  }
  return text.substr(0, i);
}

bool is_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    const std::size_t n = utf8_sequence_length(text, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

}  // namespace s3purge::protocol
