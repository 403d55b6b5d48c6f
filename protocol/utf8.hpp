// UTF-8, as S3 keys are written: the length of one well-formed character (no overlongs, no
// surrogates, at most U+10FFFF), and whether a whole text is made of them.
#pragma once

#include <cstddef>
#include <string_view>

namespace s3purge::protocol {

// The length of the well-formed UTF-8 sequence of two to four bytes that starts at
// text[i], or 0 (an ASCII byte, a stray continuation byte, a sequence cut short).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i);

// The bytes of the character at text[i]: its sequence, or 1 for ASCII and for a byte that
// starts no well-formed sequence (which then counts as a character of its own).
inline std::size_t utf8_char_length(std::string_view text, std::size_t i) {
  if (static_cast<unsigned char>(text[i]) < 0x80) return 1;
  const std::size_t n = utf8_sequence_length(text, i);
  return n == 0 ? 1 : n;
}

bool is_utf8(std::string_view text);

// The longest start of `text` that is well-formed UTF-8 without a control character (C0 or
// DEL): what a key range's cut may be, since a server takes it as a key (start-after,
// key-marker) and may echo it in XML.
std::string_view plain_utf8_prefix(std::string_view text);

}  // namespace s3purge::protocol
