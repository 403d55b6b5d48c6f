#include "protocol/xml_writer.hpp"

#include <array>
#include <cstdint>

namespace s3purge::protocol {

namespace {

// Length of the valid UTF-8 sequence at p (lead byte >= 0x80) that XML 1.0 can carry, or 0:
// overlong forms, surrogates, code points past U+10FFFF and U+FFFE/U+FFFF are refused.
std::size_t xml_utf8_length(const unsigned char* p, std::size_t left) noexcept {
  const unsigned char c = p[0];
  std::uint32_t cp = 0;
  std::size_t extra = 0;
  if ((c & 0xE0) == 0xC0) {
    cp = c & 0x1F, extra = 1;
  } else if ((c & 0xF0) == 0xE0) {
    cp = c & 0x0F, extra = 2;
  } else if ((c & 0xF8) == 0xF0) {
    cp = c & 0x07, extra = 3;
  } else {
    return 0;
  }
  if (left <= extra) return 0;
  for (std::size_t i = 1; i <= extra; ++i) {
    if ((p[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (p[i] & 0x3F);
  }
  if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000)) {
    return 0;
  }
  if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF || cp == 0xFFFE || cp == 0xFFFF) return 0;
  return extra + 1;
}

// The replacement for a byte below 0x80 that needs one, "" for a byte that is fine as it
// is, nullptr for a byte XML cannot carry at all.
const char* ascii_replacement(unsigned char c) noexcept {
  switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&apos;";
    case '\t': return "&#9;";
    case '\n': return "&#10;";
    case '\r': return "&#13;";
    default: return c < 0x20 ? nullptr : "";
  }
}

}  // namespace

bool xml_can_carry(std::string_view text) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    if (p[i] >= 0x20 && p[i] < 0x80) {  // printable ASCII, as most keys are throughout
      ++i;
    } else if (p[i] < 0x80) {
      if (ascii_replacement(p[i]) == nullptr) return false;
      ++i;
    } else {
      const std::size_t len = xml_utf8_length(p + i, n - i);
      if (len == 0) return false;
      i += len;
    }
  }
  return true;
}

bool append_xml_escaped(std::string& out, std::string_view text) {
  // Which bytes may be copied as they are: printable ASCII other than &<>"'.
  static constexpr auto kPlain = [] {
    std::array<bool, 256> t{};
    for (int c = 0x20; c < 0x80; ++c) t[c] = true;
    for (const char c : {'&', '<', '>', '"', '\''}) t[static_cast<unsigned char>(c)] = false;
    return t;
  }();
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t run = 0;  // start of the bytes not yet appended
  std::size_t i = 0;
  while (i < n) {
    while (i < n && kPlain[p[i]]) ++i;
    if (i == n) break;
    const unsigned char c = p[i];
    if (c >= 0x80) {
      const std::size_t len = xml_utf8_length(p + i, n - i);
      if (len == 0) return false;
      i += len;
      continue;
    }
    const char* rep = ascii_replacement(c);
    if (rep == nullptr) return false;
    out.append(text.data() + run, i - run);
    out.append(rep);
    run = ++i;
  }
  out.append(text.data() + run, n - run);
  return true;
}

}  // namespace s3purge::protocol
