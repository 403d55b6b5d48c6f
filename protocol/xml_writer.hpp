// Writing XML text safely: escaping, and refusing what XML 1.0 cannot carry at all.
#pragma once

#include <string>
#include <string_view>

namespace s3purge::protocol {

// False for bytes XML 1.0 cannot carry even as character references: control characters
// other than tab, LF and CR, U+FFFE/U+FFFF, surrogates, and invalid UTF-8. A key like that
// must travel URL-encoded in a request path instead (a single DeleteObject).
bool xml_can_carry(std::string_view text) noexcept;

// Appends `text` escaped for element content: &<>"' become entities and tab, LF and CR
// become character references, so no parser's line-end normalisation can alter a key.
// Returns false, with `out` holding a partial append, when xml_can_carry(text) is false:
// checking and escaping are one pass over the text, in the hot path of every batch.
[[nodiscard]] bool append_xml_escaped(std::string& out, std::string_view text);

}  // namespace s3purge::protocol
