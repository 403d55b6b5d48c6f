// libFuzzer: endpoint URLs and bucket names from arbitrary text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocol/endpoint.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace s3purge::protocol;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const auto split = in.find(' ');
  auto ep = parse_endpoint(in.substr(0, split));
  if (!ep || split == std::string_view::npos) return 0;
  for (auto style : {AddressingStyle::automatic, AddressingStyle::path,
                     AddressingStyle::virtual_hosted}) {
    auto a = resolve_bucket_address(*ep, in.substr(split + 1), style);
    if (a) (void)a->object_path(in);
  }
  return 0;
}
