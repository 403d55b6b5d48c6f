// libFuzzer: classifying an arbitrary answer (status from the first byte, body the rest)
// must never crash, and must always say success or give a classified error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "protocol/s3_response.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static constexpr int kStatuses[] = {200, 204, 301, 400, 403, 404, 409, 500, 503, 429};
  s3purge::protocol::HttpResponse r;
  r.status = kStatuses[data[0] % 10];
  r.body.assign(reinterpret_cast<const char*>(data) + 1, size - 1);
  r.headers.set("Retry-After", r.body.substr(0, 4));
  auto e = s3purge::protocol::error_from_response(r);
  if (r.status >= 300 && !e) std::abort();
  if (e && !e->code) std::abort();
  if (e) (void)e->describe();
  return 0;
}
