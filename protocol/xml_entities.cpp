#include "protocol/xml_entities.hpp"

#include <utility>

namespace s3purge::protocol {
namespace {

void append_utf8(std::string& out, unsigned long code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

int digit_value(char c, int base) {
  if (c >= '0' && c <= '9') return c - '0';
  if (base == 16 && c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (base == 16 && c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::size_t> decode_xml_entities(std::string& out, std::string_view raw) {
  std::size_t i = 0;
  while (i < raw.size()) {
    const auto amp = raw.find('&', i);
    if (amp == raw.npos) {
      out.append(raw.substr(i));
      break;
    }
    out.append(raw.substr(i, amp - i));
    const std::string_view rest = raw.substr(amp + 1);
    static constexpr std::pair<std::string_view, char> kNamed[] = {
        {"amp;", '&'}, {"lt;", '<'}, {"gt;", '>'}, {"quot;", '"'}, {"apos;", '\''}};
    bool named = false;
    for (const auto& [n, c] : kNamed) {
      if (rest.substr(0, n.size()) == n) {
        out += c;
        i = amp + 1 + n.size();
        named = true;
        break;
      }
    }
    if (named) continue;
    if (rest.empty() || rest[0] != '#') {  // not a reference we know: kept as sent
      out += '&';
      i = amp + 1;
      continue;
    }
    const int base = rest.size() > 1 && rest[1] == 'x' ? 16 : 10;
    std::size_t j = base == 16 ? 2 : 1;
    unsigned long code = 0;
    const std::size_t first_digit = j;
    for (; j < rest.size(); ++j) {
      const int d = digit_value(rest[j], base);
      if (d < 0) break;
      code = code * static_cast<unsigned long>(base) + static_cast<unsigned long>(d);
      if (code > 0x10FFFF) break;
    }
    if (j == first_digit || code > 0x10FFFF || j >= rest.size() || rest[j] != ';') {
      return amp;
    }
    append_utf8(out, code);
    i = amp + 1 + j + 1;
  }
  return std::nullopt;
}

}  // namespace s3purge::protocol
