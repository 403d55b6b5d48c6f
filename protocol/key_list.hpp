// The lines of `s3purge rm --keys-from FILE`: "KEY" or "KEY<TAB>VERSION_ID", keys relative
// to the prefix of the target. Parsed here, without I/O, so that every refusal is tested.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "protocol/error.hpp"

namespace s3purge::protocol {

struct KeyLine {
  std::string key;         // the prefix prepended
  std::string version_id;  // "" for the current version
};

// nullopt for a blank line. Errors: a line ending in a carriage return (a CRLF file would
// otherwise name keys that do not exist, and S3 answers "deleted" to those), an empty key,
// a key over S3's 1024 bytes, a version id with a tab, a line that is not UTF-8.
Result<std::optional<KeyLine>> parse_key_line(std::string_view line, std::string_view prefix);

}  // namespace s3purge::protocol
