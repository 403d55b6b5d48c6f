#include "protocol/credentials.hpp"

namespace s3purge::protocol {

std::string Credentials::redacted_id() const {
  constexpr std::size_t kShown = 4;
  if (access_key_id.size() <= kShown * 2) return "****";
  return "****" + access_key_id.substr(access_key_id.size() - kShown);
}

}  // namespace s3purge::protocol
