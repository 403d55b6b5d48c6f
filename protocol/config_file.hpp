// The AWS shared config and credentials file format: INI sections, `key = value`, and
// nested blocks (`s3 =` followed by indented `key = value` lines), parsed as botocore does.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "protocol/error.hpp"

namespace s3purge::protocol {

struct ConfigSection {
  std::map<std::string, std::string> values;                         // keys lower-cased
  std::map<std::string, std::map<std::string, std::string>> nested;  // "s3" -> {...}

  const std::string* value(std::string_view key) const;
  const std::string* nested_value(std::string_view block, std::string_view key) const;
};

struct ConfigFile {
  std::map<std::string, ConfigSection> sections;  // by exact section name
  const ConfigSection* section(std::string_view name) const;
};

// `origin` names the file in error messages.
Result<ConfigFile> parse_config_file(std::string_view text, std::string_view origin);

}  // namespace s3purge::protocol
