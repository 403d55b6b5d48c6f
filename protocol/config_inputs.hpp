// What configuration is resolved from: the command line's settings, the environment and
// the file system, the last two passed in so that tests can drive every path.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace s3purge::protocol {

using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;
using FileReader = std::function<std::optional<std::string>(const std::string& path)>;

// What the user gave on the command line; each one wins over everything else.
struct ConfigFlags {
  std::optional<std::string> profile;
  std::optional<std::string> region;
  std::optional<std::string> endpoint_url;
  std::optional<std::string> ca_bundle;
  std::optional<std::string> addressing_style;
  std::optional<std::string> access_key_id;
  std::optional<std::string> secret_access_key;
  std::optional<std::string> session_token;
};

// A variable or setting that is set and not empty.
inline std::optional<std::string> non_empty(std::optional<std::string> v) {
  if (v && v->empty()) return std::nullopt;
  return v;
}
// "true", in any case, as botocore reads its boolean settings.
bool is_true(const std::optional<std::string>& v);
// `path` with a leading "~" read as HOME, where HOME is set and not empty.
std::string expand_home(const std::string& path, const EnvLookup& env);

}  // namespace s3purge::protocol
