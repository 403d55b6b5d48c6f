#include "protocol/xml_fields.hpp"

#include <algorithm>
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

Result<bool> bool_text(std::string_view field, std::string_view t) {
  if (t == "true") return true;
  if (t == "false") return false;
  return malformed("<" + std::string(field) + "> is '" + std::string(t.substr(0, 32)) +
                   "', not true or false");
}

Result<std::uint64_t> uint_text(std::string_view field, std::string_view t) {
  std::uint64_t v = 0;
  const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc() || ptr != t.data() + t.size()) {
    return malformed("<" + std::string(field) + "> is '" + std::string(t.substr(0, 32)) +
                     "', not a non-negative integer");
  }
  return v;
}

Result<Ok> decode_key(std::string_view field, std::string& key, bool url_encoded) {
  // (find_first_of would call memchr once per character of the key.)
  const bool plain =
      std::none_of(key.begin(), key.end(), [](char c) { return c == '%' || c == '+'; });
  if (!url_encoded || plain) return Ok{};
  auto decoded = url_decode(key);
  if (!decoded) {
    return malformed("<" + std::string(field) + "> is not valid URL encoding: '" +
                     key.substr(0, 64) + "'");
  }
  key = std::move(*decoded);
  return Ok{};
}

Result<bool> bool_field(const XmlNode& parent, std::string_view name, bool fallback) {
  const XmlNode n = parent.child(name);
  return n ? bool_text(n.name(), n.text()) : Result<bool>(fallback);
}

Result<std::uint64_t> uint_field(const XmlNode& parent, std::string_view name,
                                 std::uint64_t fallback) {
  const XmlNode n = parent.child(name);
  return n ? uint_text(n.name(), n.text()) : Result<std::uint64_t>(fallback);
}

}  // namespace s3purge::protocol
