#include "protocol/config_file.hpp"

#include <vector>

namespace s3purge::protocol {
namespace {

std::string_view trim(std::string_view s) {
  const auto ws = " \t\r\f\v";
  const auto b = s.find_first_not_of(ws);
  if (b == s.npos) return {};
  const auto e = s.find_last_not_of(ws);
  return s.substr(b, e - b + 1);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

bool split_assignment(std::string_view line, std::string& key, std::string& value) {
  const auto eq = line.find_first_of("=:");
  if (eq == line.npos) return false;
  key = lower(trim(line.substr(0, eq)));
  value.assign(trim(line.substr(eq + 1)));
  return !key.empty();
}

}  // namespace

const std::string* ConfigSection::value(std::string_view key) const {
  const auto it = values.find(std::string(key));
  return it == values.end() ? nullptr : &it->second;
}

const std::string* ConfigSection::nested_value(std::string_view block,
                                               std::string_view key) const {
  const auto b = nested.find(std::string(block));
  if (b == nested.end()) return nullptr;
  const auto it = b->second.find(std::string(key));
  return it == b->second.end() ? nullptr : &it->second;
}

const ConfigSection* ConfigFile::section(std::string_view name) const {
  const auto it = sections.find(std::string(name));
  return it == sections.end() ? nullptr : &it->second;
}

Result<ConfigFile> parse_config_file(std::string_view text, std::string_view origin) {
  ConfigFile file;
  ConfigSection* current = nullptr;
  std::string current_key;  // the key whose nested block indented lines continue
  std::size_t line_no = 0;

  auto fail = [&](std::string_view why) {
    return Error(client_errc::invalid_config, std::string(origin) + " line " +
                                                  std::to_string(line_no) + ": " +
                                                  std::string(why));
  };

  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t nl = text.find('\n', pos);
    std::string_view raw = text.substr(pos, nl == text.npos ? text.npos : nl - pos);
    pos = nl == text.npos ? text.size() + 1 : nl + 1;
    ++line_no;

    const std::string_view line = trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    const bool indented = raw[0] == ' ' || raw[0] == '\t';

    if (!indented && line[0] == '[') {
      if (line.back() != ']') return fail("section header without ']'");
      const std::string name(trim(line.substr(1, line.size() - 2)));
      if (name.empty()) return fail("empty section name");
      current = &file.sections[name];
      current_key.clear();
      continue;
    }
    if (current == nullptr) return fail("a setting before any [section]");

    std::string key, value;
    if (indented && !current_key.empty()) {
      // A line of the nested block opened by `current_key =` with an empty value.
      if (!split_assignment(line, key, value)) return fail("expected 'key = value'");
      current->nested[current_key][key] = value;
      continue;
    }
    if (indented) {
      // A continuation of a plain value: botocore keeps it; we have no use for it.
      continue;
    }
    if (!split_assignment(line, key, value)) return fail("expected 'key = value'");
    if (value.empty()) {
      current_key = key;  // may open a nested block
      current->nested[key];
    } else {
      current_key.clear();
    }
    current->values[key] = value;
  }
  return file;
}

}  // namespace s3purge::protocol
