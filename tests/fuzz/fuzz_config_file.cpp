// libFuzzer: the shared config/credentials file parser on arbitrary text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocol/config_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto r = s3purge::protocol::parse_config_file(text, "fuzz");
  if (r) {
    for (const auto& [name, section] : r->sections) (void)section.value("region");
  }
  return 0;
}
