// Writing XML text safely: escaping, and refusing what XML 1.0 cannot carry at all.
#pragma once

#include <string>
#include <string_view>

namespace s3purge::protocol {

// False for bytes XML 1.0 cannot carry even as character references: control characters
// other than tab, LF and CR, U+FFFE/U+FFFF, surrogates, and invalid UTF-8. A key like that
// must travel URL-encoded in a request path instead (a single DeleteObject).
bool xml_can_carry(std::string_view text) noexcept;

// Appends `text` escaped for element content. &<>"' become entities and tab, LF and CR
// become character references, so no parser's line-end normalisation can alter a key.
// The caller checks xml_can_carry first.
void append_xml_escaped(std::string& out, std::string_view text);

}  // namespace s3purge::protocol
