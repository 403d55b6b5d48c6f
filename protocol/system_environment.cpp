#include "protocol/system_environment.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace s3purge::protocol {

EnvLookup system_env() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

FileReader system_file_reader() {
  return [](const std::string& path) -> std::optional<std::string> {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
}

}  // namespace s3purge::protocol
