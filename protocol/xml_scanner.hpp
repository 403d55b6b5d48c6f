// A pull reader for the answers that carry thousands of entries (the three listings): one
// pass over the body, no DOM, no copy, no separate depth scan. XmlDocument (RapidXML) reads
// every other answer; this one exists because a 1000-key list page is ~300 KB and building
// a DOM for it, after scanning it once for depth, cost ~40% of the client's CPU per key.
//
// It reads the same XML that XmlDocument accepts, with the same limits (kMaxXmlDepth,
// kMaxXmlBytes) and the same error codes: a document that ends early is
// truncated_response, anything else wrong is malformed_response. Where the two differ it
// is on purpose:
// - text is kept exactly as sent (RapidXML drops a run of only whitespace, so the key " "
//   read as "");
// - a field holding an element is malformed;
// - a numeric character reference must be a code point written in its base ("&#1a;" is
//   not 20);
// - a NUL byte anywhere in text is malformed (RapidXML takes it for the end of the body).
// tests/fuzz/fuzz_xml_scanner.cpp holds it to RapidXML's reading of the same bytes.
//
// Errors are sticky: once something is wrong every call returns false or "", and error()
// says what. Callers walk the tree and check ok() before trusting what they read.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/error.hpp"
#include "protocol/xml_reader.hpp"

namespace s3purge::protocol {

class XmlScanner {
 public:
  explicit XmlScanner(std::string_view body) : s_(body) {}

  // Opens the root element, which must be called `root_name` (local name). A different
  // root is malformed, unless the document is also cut short or too deep: that is said first.
  bool open_root(std::string_view root_name);

  // After an element was opened (by open_root or next_child), exactly one of these reads it:
  // - next_child(): opens its next child element and returns true, or reads its end tag
  //   and returns false. Text between children is ignored.
  // - text(): its character data with entities decoded and CDATA included, up to its end
  //   tag. Valid until the next call. An element inside it is malformed.
  // - skip(): passes over it and everything in it.
  bool next_child();
  std::string_view text();
  void skip();
  std::string_view name() const { return name_; }  // local name of the element last opened
  bool name_is(std::string_view want) const { return same(name_, want); }

  // a == b for the few bytes of an element name: a loop the compiler inlines, not a
  // memcmp call (which cost 10% of a page's parse).
  static bool same(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (a[i] != b[i]) return false;
    }
    return true;
  }

  // After the root's end tag: only whitespace, comments, processing instructions or more
  // elements may follow (RapidXML reads those too; they are not part of the answer).
  bool finish();

  bool ok() const { return !error_; }
  const Error& error() const { return *error_; }
  // The scanner's own error if it has one (it explains what came next), else `e`.
  Error error_or(Error e) const { return error_ ? *error_ : std::move(e); }

 private:
  enum class Tag { opened, closed, failed };
  Tag advance();           // to the next start tag (opened) or end tag (closed)
  // Outside the root: past whitespace, comments, PIs and DOCTYPE to the next start tag
  // (opened) or the end of the body (closed). `where` says where, in errors.
  Tag top_level(std::string_view where);
  bool open_element();     // at '<' and a name character
  bool close_element();    // at "</"
  bool skip_markup();      // at "<?" or "<!" that is not CDATA
  bool skip_past(std::string_view terminator, std::size_t from);
  bool decode_into(std::string& out, std::string_view raw);
  void skip_whitespace();
  bool fail(std::error_code code, std::string_view what);
  bool fail_here(std::string_view what);  // truncated at the end of input, malformed before
  Tag fail_tag(std::string_view what);
  std::string_view fail_text(std::string_view what);

  std::string_view s_;
  std::size_t pos_ = 0;
  std::array<std::string_view, kMaxXmlDepth> open_{};  // qualified names of open elements
  std::size_t depth_ = 0;
  std::string_view name_;
  bool empty_ = false;  // the element last opened was <x/>: it has no content to read
  std::string text_;    // decoded text when it differs from the body's bytes
  std::optional<Error> error_;
};

}  // namespace s3purge::protocol
