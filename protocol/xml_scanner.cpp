#include "protocol/xml_scanner.hpp"

#include <algorithm>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "protocol/xml_entities.hpp"

namespace s3purge::protocol {
namespace {

// Character classes, as RapidXML draws them (so both read the same names).
enum : unsigned char { kSpace = 1, kName = 2, kAttrName = 4 };

constexpr std::array<unsigned char, 256> make_classes() {
  std::array<unsigned char, 256> t{};
  for (int c = 0; c < 256; ++c) {
    const bool space = c == ' ' || c == '\t' || c == '\r' || c == '\n';
    unsigned char v = 0;
    if (space) v |= kSpace;
    if (!space && c != '/' && c != '>' && c != '?' && c != 0) v |= kName;
    if (!space && c != '/' && c != '<' && c != '>' && c != '=' && c != '?' && c != '!' && c != 0) {
      v |= kAttrName;
    }
    t[static_cast<std::size_t>(c)] = v;
  }
  return t;
}
constexpr std::array<unsigned char, 256> kClass = make_classes();

bool is(char c, unsigned char cls) { return (kClass[static_cast<unsigned char>(c)] & cls) != 0; }

// The first position at or after `from` whose character is not in `cls`, or s.size().
// A local index: a char store could alias the scanner's
// members, so a loop over `pos_` itself would store it back on every byte.
std::size_t scan_while(std::string_view s, std::size_t from, unsigned char cls) {
  const char* d = s.data();
  const std::size_t n = s.size();
  while (from < n && is(d[from], cls)) ++from;
  return from;
}

// The first position at or after `from` holding one of the bytes `Stops`, or n. Text and
// the gaps between tags are runs of up to ~70 bytes: with SSE2 (every x86-64) they are
// looked at 16 bytes at a time, the tail byte by byte. Nothing past n is read. (Element
// names, 3-12 bytes, are quicker through the class table.)
template <char... Stops>
std::size_t find_stop(const char* d, std::size_t from, std::size_t n) {
#if defined(__SSE2__)
  while (from + 16 <= n) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + from));
    __m128i hit = _mm_setzero_si128();
    ((hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8(Stops)))), ...);
    if (const int mask = _mm_movemask_epi8(hit)) {
      return from + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    }
    from += 16;
  }
#endif
  for (; from < n; ++from) {
    const char c = d[from];
    if (((c == Stops) || ...)) return from;
  }
  return n;
}

}  // namespace

bool XmlScanner::fail(std::error_code code, std::string_view what) {
  if (error_) return false;
  if (code != client_errc::truncated_response && code != client_errc::malformed_response) {
    error_ = Error(code, "XML answer " + std::string(what));
    return false;
  }
  error_ = Error(code, std::string(code == client_errc::truncated_response ? "XML answer ends early"
                                                                            : "malformed XML") +
                           " (" + std::string(what) + " at byte " + std::to_string(pos_) + " of " +
                           std::to_string(s_.size()) + ")");
  return false;
}

bool XmlScanner::fail_here(std::string_view what) {
  return fail(pos_ >= s_.size() ? client_errc::truncated_response : client_errc::malformed_response,
              what);
}

XmlScanner::Tag XmlScanner::fail_tag(std::string_view what) {
  fail_here(what);
  return Tag::failed;
}

std::string_view XmlScanner::fail_text(std::string_view what) {
  fail_here(what);
  return {};
}

void XmlScanner::skip_whitespace() { pos_ = scan_while(s_, pos_, kSpace); }

bool XmlScanner::skip_past(std::string_view terminator, std::size_t from) {
  const auto e = s_.find(terminator, from);
  if (e == s_.npos) {
    pos_ = s_.size();
    return fail_here(terminator == "-->" ? "inside a comment" : "inside markup");
  }
  pos_ = e + terminator.size();
  return true;
}

bool XmlScanner::skip_markup() {
  if (s_[pos_ + 1] == '?') return skip_past("?>", pos_ + 2);
  if (s_.compare(pos_, 4, "<!--") == 0) return skip_past("-->", pos_ + 4);
  if (s_.compare(pos_, 9, "<![CDATA[") == 0) return skip_past("]]>", pos_ + 9);
  if (s_.compare(pos_, 9, "<!DOCTYPE") == 0 && pos_ + 9 < s_.size() && is(s_[pos_ + 9], kSpace)) {
    // Skipped, internal subset and all: entities it declares are never expanded.
    std::size_t i = pos_ + 10;
    int brackets = 0;
    for (; i < s_.size(); ++i) {
      const char c = s_[i];
      if (c == '[') ++brackets;
      else if (c == ']' && brackets > 0) --brackets;
      else if (c == '>' && brackets == 0) break;
    }
    pos_ = i;
    if (i >= s_.size()) return fail_here("inside a DOCTYPE");
    ++pos_;
    return true;
  }
  return skip_past(">", pos_ + 2);  // any other <!...>
}

bool XmlScanner::open_element() {
  const std::size_t start = ++pos_;
  pos_ = scan_while(s_, pos_, kName);
  const std::string_view qname = s_.substr(start, pos_ - start);
  if (pos_ >= s_.size()) return fail_here("inside a start tag");
  if (qname.empty()) return fail_here("expected an element name");
  for (;;) {
    skip_whitespace();
    if (pos_ >= s_.size()) return fail_here("inside a start tag");
    const char c = s_[pos_];
    if (c == '>') {
      ++pos_;
      if (depth_ == kMaxXmlDepth) {
        return fail(client_errc::xml_too_deep,
                    "nests more than " + std::to_string(kMaxXmlDepth) + " levels deep");
      }
      open_[depth_++] = qname;
      empty_ = false;
      break;
    }
    if (c == '/') {
      if (pos_ + 1 >= s_.size()) {
        pos_ = s_.size();
        return fail_here("inside a start tag");
      }
      if (s_[pos_ + 1] != '>') return fail_here("expected /> ");
      pos_ += 2;
      empty_ = true;
      break;
    }
    // An attribute: name = "value". Values are not read, so not decoded.
    const std::size_t a = pos_;
    pos_ = scan_while(s_, pos_, kAttrName);
    if (pos_ == a) return fail_here("expected an attribute or >");
    skip_whitespace();
    if (pos_ >= s_.size() || s_[pos_] != '=') return fail_here("expected = after an attribute name");
    ++pos_;
    skip_whitespace();
    if (pos_ >= s_.size() || (s_[pos_] != '"' && s_[pos_] != '\'')) {
      return fail_here("expected a quoted attribute value");
    }
    const auto close = s_.find(s_[pos_], pos_ + 1);
    const auto nul = s_.find('\0', pos_ + 1);
    if (nul < close) {
      pos_ = nul;
      return fail_here("NUL in an attribute value");
    }
    if (close == s_.npos) {
      pos_ = s_.size();
      return fail_here("inside an attribute value");
    }
    pos_ = close + 1;
  }
  name_ = local_name(qname);
  return true;
}

bool XmlScanner::close_element() {
  const std::size_t tag = pos_;
  pos_ += 2;
  // The name can only be that of the element open now: compare it in place rather than
  // scan it first (end tags are half of all tags).
  const std::string_view open = depth_ ? open_[depth_ - 1] : std::string_view();
  const std::size_t end = pos_ + open.size();
  if (depth_ && end < s_.size() && same(open, s_.substr(pos_, open.size())) &&
      !is(s_[end], kName)) {
    pos_ = end;
  } else {
    pos_ = scan_while(s_, pos_, kName);
    if (pos_ < s_.size()) {
      pos_ = tag;
      const auto name_end = scan_while(s_, tag + 2, kName);
      return fail_here("</" + std::string(s_.substr(tag + 2, std::min<std::size_t>(name_end - tag - 2, 64))) +
                       "> does not close <" + std::string(open.substr(0, 64)) + ">");
    }
  }
  skip_whitespace();
  if (pos_ >= s_.size()) return fail_here("inside an end tag");
  if (s_[pos_] != '>') return fail_here("expected > to end an end tag");
  ++pos_;
  --depth_;
  return true;
}

XmlScanner::Tag XmlScanner::advance() {
  for (;;) {
    pos_ = find_stop<'<', '\0'>(s_.data(), pos_, s_.size());  // text between elements is not read
    if (pos_ < s_.size() && s_[pos_] == '\0') return fail_tag("NUL in text");
    if (pos_ + 1 >= s_.size()) {
      pos_ = s_.size();
      return fail_tag(depth_ ? "inside an element" : "before the root element");
    }
    const char next = s_[pos_ + 1];
    if (next == '/') return close_element() ? Tag::closed : Tag::failed;
    if (next == '?' || next == '!') {
      if (!skip_markup()) return Tag::failed;
      continue;
    }
    return open_element() ? Tag::opened : Tag::failed;
  }
}

bool XmlScanner::open_root(std::string_view root_name) {
  if (s_.find_first_not_of(" \t\r\n") == s_.npos) {
    error_ = Error(client_errc::empty_response, "expected an XML document, got an empty body");
    return false;
  }
  if (s_.size() > kMaxXmlBytes) {
    return fail(client_errc::response_too_large,
                "of " + std::to_string(s_.size()) + " bytes exceeds the limit of " +
                    std::to_string(kMaxXmlBytes));
  }
  if (s_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
  switch (top_level("before the root element")) {
    case Tag::failed: return false;
    case Tag::closed: return fail_here("before the root element");  // the body ended
    case Tag::opened: break;
  }
  if (same(name_, root_name)) return true;
  // Read on: a document that is also cut short or too deep is that first.
  const std::string got(name_.substr(0, 64));
  skip();
  if (!finish()) return false;
  pos_ = 0;
  return fail(client_errc::malformed_response,
              "expected <" + std::string(root_name) + ">, got <" + got + ">");
}

bool XmlScanner::next_child() {
  if (error_) return false;
  if (empty_) {
    empty_ = false;
    return false;
  }
  return advance() == Tag::opened;
}

void XmlScanner::skip() {
  if (error_) return;
  if (empty_) {
    empty_ = false;
    return;
  }
  const std::size_t target = depth_ - 1;
  while (depth_ > target) {
    if (advance() == Tag::failed) return;
    empty_ = false;  // <x/> inside: nothing more to skip
  }
}

bool XmlScanner::decode_into(std::string& out, std::string_view raw) {
  const auto bad = decode_xml_entities(out, raw);
  if (!bad) return true;
  pos_ = static_cast<std::size_t>(raw.data() - s_.data()) + *bad;
  return fail(client_errc::malformed_response, "bad character reference");
}

std::string_view XmlScanner::text() {
  if (error_) return {};
  if (empty_) {
    empty_ = false;
    return {};
  }
  // Most fields are one run of plain text: that is returned as a view of the body.
  std::string_view plain;
  bool buffered = false;
  auto add = [&](std::string_view raw, bool entities) {
    if (raw.empty()) return true;
    if (!entities && !buffered && plain.empty()) {
      plain = raw;
      return true;
    }
    if (!buffered) {
      text_.assign(plain);
      buffered = true;
    }
    if (!entities) {
      text_.append(raw);
      return true;
    }
    return decode_into(text_, raw);
  };
  for (;;) {
    const std::size_t start = pos_;
    bool entities = false;
    for (;;) {
      pos_ = find_stop<'<', '&', '\0'>(s_.data(), pos_, s_.size());
      if (pos_ >= s_.size() || s_[pos_] != '&') break;
      entities = true;
      ++pos_;
    }
    if (pos_ < s_.size() && s_[pos_] == '\0') return fail_text("NUL in text");
    if (!add(s_.substr(start, pos_ - start), entities)) return {};
    if (pos_ + 1 >= s_.size()) {
      pos_ = s_.size();
      return fail_text("inside <" + std::string(name_.substr(0, 64)) + ">");
    }
    const char next = s_[pos_ + 1];
    if (next == '/') {
      if (!close_element()) return {};
      return buffered ? std::string_view(text_) : plain;
    }
    if (s_.compare(pos_, 9, "<![CDATA[") == 0) {
      const auto end = s_.find("]]>", pos_ + 9);
      if (end == s_.npos) {
        pos_ = s_.size();
        return fail_text("inside CDATA");
      }
      add(s_.substr(pos_ + 9, end - pos_ - 9), false);
      pos_ = end + 3;
      continue;
    }
    if (next == '?' || next == '!') {
      if (!skip_markup()) return {};
      continue;
    }
    return fail_text("an element inside <" + std::string(name_.substr(0, 64)) +
                     ">, which holds text");
  }
}

XmlScanner::Tag XmlScanner::top_level(std::string_view where) {
  for (;;) {
    skip_whitespace();
    if (pos_ >= s_.size()) return Tag::closed;
    if (s_[pos_] != '<') return fail_tag("expected < " + std::string(where));
    if (pos_ + 1 >= s_.size()) {
      pos_ = s_.size();
      return fail_tag(where);
    }
    const char next = s_[pos_ + 1];
    if (next == '?' || next == '!') {
      if (!skip_markup()) return Tag::failed;
      continue;
    }
    if (next == '/') return fail_tag("expected an element name");
    return open_element() ? Tag::opened : Tag::failed;
  }
}

bool XmlScanner::finish() {
  if (error_) return false;
  if (depth_ != 0) return fail(client_errc::malformed_response, "the root element was not read to its end");
  for (;;) {
    switch (top_level("after the root element")) {
      case Tag::failed: return false;
      case Tag::closed: return true;  // the body ended
      case Tag::opened: skip(); break;
    }
    if (error_) return false;
  }
}

}  // namespace s3purge::protocol
