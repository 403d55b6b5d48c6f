// Reading typed fields out of XML elements, with errors that name the field.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/error.hpp"
#include "protocol/xml_reader.hpp"

namespace s3purge::protocol {

// Parses `body`, which must have this root element: any other document (an <Error> that
// slipped through, another operation's answer) is malformed for this operation.
Result<XmlDocument> parse_document(std::string_view body, std::string_view root_name);

// "true"/"false", and a non-negative integer, from an element's text; `field` names the
// element in errors.
Result<bool> bool_text(std::string_view field, std::string_view text);
Result<std::uint64_t> uint_text(std::string_view field, std::string_view text);
// Decodes `key` in place when `url_encoded` and it holds '%' or '+'.
Result<Ok> decode_key(std::string_view field, std::string& key, bool url_encoded);

// The same for the first child called `name`.
// "true"/"false" (absent: `fallback`).
Result<bool> bool_field(const XmlNode& parent, std::string_view name, bool fallback);
// A non-negative integer (absent: `fallback`).
Result<std::uint64_t> uint_field(const XmlNode& parent, std::string_view name,
                                 std::uint64_t fallback);

Error malformed(std::string what);

}  // namespace s3purge::protocol
