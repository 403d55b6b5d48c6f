#include "protocol/http_message.hpp"

#include <algorithm>

#include "protocol/uri.hpp"

namespace s3purge::protocol {

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

void Headers::set(std::string_view name, std::string_view value) {
  for (auto& f : fields_) {
    if (iequals(f.first, name)) {
      f.second.assign(value);
      return;
    }
  }
  add(name, value);
}

void Headers::add(std::string_view name, std::string_view value) {
  fields_.emplace_back(std::string(name), std::string(value));
}

void Headers::erase(std::string_view name) {
  std::erase_if(fields_, [&](const Field& f) { return iequals(f.first, name); });
}

const std::string* Headers::find(std::string_view name) const {
  for (const auto& f : fields_) {
    if (iequals(f.first, name)) return &f.second;
  }
  return nullptr;
}

std::string_view Headers::get(std::string_view name) const {
  const auto* v = find(name);
  return v ? std::string_view(*v) : std::string_view();
}

std::string HttpRequest::target() const {
  std::string out = path;
  char sep = '?';
  for (const auto& q : query) {
    out.push_back(sep);
    sep = '&';
    uri_encode_append(out, q.name, false);
    if (!q.value.empty()) {
      out.push_back('=');
      uri_encode_append(out, q.value, false);
    }
  }
  return out;
}

}  // namespace s3purge::protocol
