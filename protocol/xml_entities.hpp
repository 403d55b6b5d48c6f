// Decoding XML character data: the five predefined entities and numeric character
// references, read as RapidXML reads them, except that a numeric reference must be a code
// point written in its base ("&#1a;" is not 20). An '&' that starts none of them is kept
// as sent. No I/O.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace s3purge::protocol {

// Appends `raw` to `out` with its references decoded. nullopt when all of it was decoded;
// else the offset in `raw` of the '&' of the first bad numeric reference (no digits, past
// U+10FFFF, or no ';'), and `out` holds what came before it.
std::optional<std::size_t> decode_xml_entities(std::string& out, std::string_view raw);

}  // namespace s3purge::protocol
