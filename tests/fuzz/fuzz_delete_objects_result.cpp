// libFuzzer: parse_delete_objects_result on arbitrary bytes must return a value or an Error, never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocol/bucket_responses.hpp"
#include "protocol/delete_result.hpp"
#include "protocol/lifecycle.hpp"
#include "protocol/list_responses.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto r = s3purge::protocol::parse_delete_objects_result(body);
  if (!r) (void)r.error().describe();
  return 0;
}
