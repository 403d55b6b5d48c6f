#include "protocol/xml_reader.hpp"

namespace s3purge::protocol {

namespace {

// Upper bound on element nesting, scanning the way RapidXML will: comments, CDATA,
// processing instructions and declarations do not nest; quoted attribute values are
// skipped; "<x/>" opens nothing. Stops early once past the limit.
std::size_t nesting_depth(std::string_view s, std::size_t limit) {
  std::size_t depth = 0, max_depth = 0;
  std::size_t i = 0;
  auto skip_past = [&](std::string_view terminator) {
    const auto e = s.find(terminator, i);
    i = e == s.npos ? s.size() : e + terminator.size();
  };
  const std::size_t size = s.size();
  while (i < size) {
    // Tags are a few bytes apart in S3 answers: a plain loop beats a memchr call per tag.
    while (i < size && s[i] != '<') ++i;
    if (i + 1 >= size) break;
    const char n = s[i + 1];
    if (n == '/') {
      if (depth > 0) --depth;
      skip_past(">");
    } else if (n == '?') {
      skip_past("?>");
    } else if (s.compare(i, 4, "<!--") == 0) {
      skip_past("-->");
    } else if (s.compare(i, 9, "<![CDATA[") == 0) {
      skip_past("]]>");
    } else if (n == '!') {
      ++i;  // DOCTYPE and friends: any '<' inside them is counted, which only over-estimates
    } else {
      char quote = 0;
      std::size_t j = i + 1;
      for (; j < s.size(); ++j) {
        const char c = s[j];
        if (quote) {
          if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == '>') {
          break;
        }
      }
      const bool self_closing = j < s.size() && j > i + 1 && s[j - 1] == '/';
      if (!self_closing) {
        ++depth;
        if (depth > max_depth) max_depth = depth;
        if (max_depth > limit) return max_depth;
      }
      i = j < s.size() ? j + 1 : s.size();
    }
  }
  return max_depth;
}

}  // namespace

struct XmlDocument::Impl {
  std::vector<char> buffer;  // RapidXML parses in place and keeps pointers into it
  rapidxml::xml_document<char> doc;
};

namespace {

// Parsed documents are recycled per thread: a list page is ~400 KB, and a fresh buffer of
// that size comes from mmap and costs a page fault per 4 KB on every parse (measured here:
// the same parse took 0.6 to 5.9 ms depending on where the allocator put it).
class DocumentPool {
 public:
  // Buffers above this are given back to the allocator: memory stays flat after one
  // pathological answer.
  static constexpr std::size_t kMaxKeptBuffer = 8 * 1024 * 1024;
  static constexpr std::size_t kMaxKept = 4;

  std::unique_ptr<XmlDocument::Impl> take() {
    if (free_.empty()) return std::make_unique<XmlDocument::Impl>();
    auto impl = std::move(free_.back());
    free_.pop_back();
    return impl;
  }
  void give(XmlDocument::Impl* impl) {
    std::unique_ptr<XmlDocument::Impl> owned(impl);
    owned->doc.clear();
    if (owned->buffer.capacity() > kMaxKeptBuffer) std::vector<char>().swap(owned->buffer);
    if (free_.size() < kMaxKept) free_.push_back(std::move(owned));
  }

 private:
  std::vector<std::unique_ptr<XmlDocument::Impl>> free_;
};

DocumentPool& pool() {
  thread_local DocumentPool p;
  return p;
}

}  // namespace

std::string_view XmlNode::name() const {
  if (!node_) return {};
  return local_name(std::string_view(node_->name(), node_->name_size()));
}

std::string XmlNode::text() const {
  std::string out;
  if (!node_) return out;
  for (auto* c = node_->first_node(); c; c = c->next_sibling()) {
    if (c->type() == rapidxml::node_data || c->type() == rapidxml::node_cdata) {
      out.append(c->value(), c->value_size());
    }
  }
  return out;
}

XmlNode XmlNode::child(std::string_view wanted) const {
  if (!node_) return XmlNode();
  for (auto* c = node_->first_node(); c; c = c->next_sibling()) {
    if (c->type() == rapidxml::node_element &&
        local_name(std::string_view(c->name(), c->name_size())) == wanted) {
      return XmlNode(c);
    }
  }
  return XmlNode();
}

std::string XmlNode::child_text(std::string_view wanted) const {
  return child(wanted).text();
}

XmlNode::iterator& XmlNode::iterator::operator++() {
  do {
    n_ = n_->next_sibling();
  } while (n_ && n_->type() != rapidxml::node_element);
  return *this;
}

XmlNode::iterator XmlNode::begin() const {
  if (!node_) return end();
  auto* c = node_->first_node();
  while (c && c->type() != rapidxml::node_element) c = c->next_sibling();
  return iterator(c);
}

Result<XmlDocument> XmlDocument::parse(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == body.npos) {
    return Error(client_errc::empty_response, "expected an XML document, got an empty body");
  }
  if (body.size() > kMaxXmlBytes) {
    return Error(client_errc::response_too_large,
                 "XML answer of " + std::to_string(body.size()) + " bytes exceeds the limit of " +
                     std::to_string(kMaxXmlBytes));
  }
  if (nesting_depth(body, kMaxXmlDepth) > kMaxXmlDepth) {
    return Error(client_errc::xml_too_deep, "XML answer nests more than " +
                                                std::to_string(kMaxXmlDepth) + " levels deep");
  }
  XmlDocument d;
  d.impl_ = std::shared_ptr<Impl>(pool().take().release(), [](Impl* i) { pool().give(i); });
  auto& buf = d.impl_->buffer;
  buf.assign(body.begin(), body.end());
  buf.push_back('\0');
  try {
    d.impl_->doc.parse<rapidxml::parse_validate_closing_tags>(buf.data());
  } catch (const rapidxml::parse_error& e) {
    // RapidXML stops at the terminator when the text ends early: that is a truncation.
    const char* where = e.where<char>();
    const bool at_end = where >= buf.data() + body.size();
    const auto offset = static_cast<std::size_t>(where - buf.data());
    return Error(at_end ? client_errc::truncated_response : client_errc::malformed_response,
                 std::string(at_end ? "XML answer ends early" : "malformed XML") + " (" +
                     e.what() + " at byte " + std::to_string(offset) + " of " +
                     std::to_string(body.size()) + ")");
  }
  if (!d.impl_->doc.first_node()) {
    return Error(client_errc::malformed_response, "XML answer has no root element");
  }
  return d;
}

XmlNode XmlDocument::root() const {
  auto* n = impl_->doc.first_node();
  while (n && n->type() != rapidxml::node_element) n = n->next_sibling();
  return XmlNode(n);
}

std::string_view root_element_name(std::string_view body) {
  std::size_t i = 0;
  while (i < body.size()) {
    i = body.find('<', i);
    if (i == body.npos || i + 1 >= body.size()) return {};
    const char n = body[i + 1];
    if (n == '?') {
      const auto e = body.find("?>", i);
      if (e == body.npos) return {};
      i = e + 2;
    } else if (n == '!') {
      const auto e = body.compare(i, 4, "<!--") == 0 ? body.find("-->", i) : body.find('>', i);
      if (e == body.npos) return {};
      i = e + 1;
    } else {
      const auto start = i + 1;
      auto end = body.find_first_of(" \t\r\n/>", start);
      if (end == body.npos) end = body.size();
      return local_name(body.substr(start, end - start));
    }
  }
  return {};
}

}  // namespace s3purge::protocol
