// libFuzzer, differential: XmlScanner (the list pages' reader) against RapidXML (through
// XmlDocument) on the same bytes.
// - Where RapidXML accepts, the scanner reads the same tree: the same element names in the
//   same order and, for every element without element children, the same text (up to runs
//   of only whitespace, which RapidXML drops and the scanner keeps). The scanner may refuse
//   only what it reads more strictly (xml_scanner.hpp): character references, and NUL
//   bytes, where RapidXML stops reading and takes the rest for the end of the document.
// - Where RapidXML refuses, the scanner refuses too, unless the bytes hold one of those two:
//   RapidXML trips on them in places the scanner does not read (attributes, skipped text).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "protocol/xml_reader.hpp"
#include "protocol/xml_scanner.hpp"

using namespace s3purge::protocol;

namespace {

std::string without_whitespace(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') out += c;
  }
  return out;
}

[[noreturn]] void differ(const char* what) {
  std::fprintf(stderr, "XmlScanner and RapidXML differ: %s\n", what);
  std::abort();
}

// Reads `n`, which `x` has just opened, in lockstep. false: the scanner refused.
bool walk(XmlScanner& x, const XmlNode& n) {
  if (!(n.begin() != n.end())) {
    const std::string_view t = x.text();
    if (!x.ok()) return false;
    if (without_whitespace(t) != without_whitespace(n.text())) differ("text");
    return true;
  }
  for (const XmlNode c : n) {
    if (!x.next_child()) {
      if (x.ok()) differ("the scanner saw fewer children");
      return false;
    }
    if (x.name() != c.name()) differ("element names");
    if (!walk(x, c)) return false;
  }
  if (x.next_child()) differ("the scanner saw more children");
  return x.ok();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const bool stricter = body.find("&#") != body.npos || body.find('\0') != body.npos;
  auto doc = XmlDocument::parse(body);
  XmlScanner x(body);
  if (doc) {
    const XmlNode root = doc->root();
    if (!root) return 0;  // no element at all: nothing to compare
    const bool read = x.open_root(root.name()) && walk(x, root) && x.finish();
    if (!read && !stricter) {
      std::fprintf(stderr, "%s\n", x.error().describe().c_str());
      differ("the scanner refused what RapidXML read");
    }
    return 0;
  }
  if (x.open_root(root_element_name(body))) {
    x.skip();
    if (x.finish() && !stricter) {
      std::fprintf(stderr, "RapidXML: %s\n", doc.error().describe().c_str());
      differ("the scanner read what RapidXML refused");
    }
  }
  return 0;
}
