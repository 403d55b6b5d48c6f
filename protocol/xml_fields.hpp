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

// The value of one element: "true"/"false"; a non-negative integer; a key, URL-decoded when
// `url_encoded` (the answer's EncodingType is url).
Result<bool> bool_value(const XmlNode& node);
Result<std::uint64_t> uint_value(const XmlNode& node);
Result<std::string> key_value(const XmlNode& node, bool url_encoded);

// The same for the first child called `name`.
// "true"/"false" (absent: `fallback`).
Result<bool> bool_field(const XmlNode& parent, std::string_view name, bool fallback);
// A non-negative integer (absent: `fallback`).
Result<std::uint64_t> uint_field(const XmlNode& parent, std::string_view name,
                                 std::uint64_t fallback);
// The text of a child, URL-decoded when `url_encoded` (the answer's EncodingType is url).
Result<std::string> key_field(const XmlNode& parent, std::string_view name, bool url_encoded);

Error malformed(std::string what);

}  // namespace s3purge::protocol
