// Reading S3's XML answers with RapidXML, safely: the input is copied and terminated,
// nesting depth and size are bounded before RapidXML (which recurses) sees it, and every
// failure is a value that says whether the body looks cut short or is simply malformed.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <rapidxml/rapidxml.hpp>

#include "protocol/error.hpp"

namespace s3purge::protocol {

// Limits on what we agree to parse. S3 documents nest about 5 deep; a list page of 1000
// keys of 1024 bytes is about 1.5 MB.
inline constexpr std::size_t kMaxXmlDepth = 64;
inline constexpr std::size_t kMaxXmlBytes = 64 * 1024 * 1024;

class XmlNode {
 public:
  XmlNode() = default;
  explicit XmlNode(const rapidxml::xml_node<char>* node) : node_(node) {}

  explicit operator bool() const { return node_ != nullptr; }
  std::string_view name() const;  // local name: any "prefix:" is dropped
  // Character data of this element (entities decoded, CDATA included), "" if none.
  std::string text() const;
  XmlNode child(std::string_view local_name) const;   // the first such child
  std::string child_text(std::string_view local_name) const;
  bool has_child(std::string_view local_name) const { return static_cast<bool>(child(local_name)); }

  // Iterates element children in document order.
  class iterator {
   public:
    explicit iterator(const rapidxml::xml_node<char>* n) : n_(n) {}
    XmlNode operator*() const { return XmlNode(n_); }
    iterator& operator++();
    bool operator!=(const iterator& o) const { return n_ != o.n_; }

   private:
    const rapidxml::xml_node<char>* n_;
  };
  iterator begin() const;
  iterator end() const { return iterator(nullptr); }

 private:
  const rapidxml::xml_node<char>* node_ = nullptr;
};

class XmlDocument {
 public:
  // Parses `body`; the document keeps its own copy. Errors: empty_response,
  // response_too_large, xml_too_deep, truncated_response, malformed_response.
  static Result<XmlDocument> parse(std::string_view body);

  XmlNode root() const;  // the first element

  struct Impl;  // opaque: the parse buffer and RapidXML's document, recycled per thread

 private:
  std::shared_ptr<Impl> impl_;
};

// `name` without any "prefix:". Names are a few bytes long: a plain loop beats a memchr call.
inline std::string_view local_name(std::string_view name) {
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (name[i] == ':') return name.substr(i + 1);
  }
  return name;
}

// The local name of the first element of `body` without parsing the rest: cheap enough to
// check every 200 answer for an <Error> document.
std::string_view root_element_name(std::string_view body);

}  // namespace s3purge::protocol
