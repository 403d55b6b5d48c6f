#include "protocol/xml_fields.hpp"

#include <charconv>

#include "protocol/uri.hpp"

namespace s3purge::protocol {

Error malformed(std::string what) { return Error(client_errc::malformed_response, std::move(what)); }

Result<XmlDocument> parse_document(std::string_view body, std::string_view root_name) {
  auto doc = XmlDocument::parse(body);
  if (!doc) return doc;
  const std::string_view name = doc->root().name();
  if (name != root_name) {
    return malformed("expected <" + std::string(root_name) + ">, got <" + std::string(name) + ">");
  }
  return doc;
}

Result<bool> bool_field(const XmlNode& parent, std::string_view name, bool fallback) {
  const XmlNode n = parent.child(name);
  if (!n) return fallback;
  const std::string t = n.text();
  if (t == "true") return true;
  if (t == "false") return false;
  return malformed("<" + std::string(name) + "> is '" + t.substr(0, 32) + "', not true or false");
}

Result<std::uint64_t> uint_field(const XmlNode& parent, std::string_view name,
                                 std::uint64_t fallback) {
  const XmlNode n = parent.child(name);
  if (!n) return fallback;
  const std::string t = n.text();
  std::uint64_t v = 0;
  const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc() || ptr != t.data() + t.size()) {
    return malformed("<" + std::string(name) + "> is '" + t.substr(0, 32) +
                     "', not a non-negative integer");
  }
  return v;
}

Result<std::string> key_field(const XmlNode& parent, std::string_view name, bool url_encoded) {
  std::string t = parent.child_text(name);
  if (!url_encoded) return t;
  auto decoded = url_decode(t);
  if (!decoded) {
    return malformed("<" + std::string(name) + "> is not valid URL encoding: '" + t.substr(0, 64) +
                     "'");
  }
  return std::move(*decoded);
}

}  // namespace s3purge::protocol
