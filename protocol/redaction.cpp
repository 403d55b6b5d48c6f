#include "protocol/redaction.hpp"

#include <algorithm>

#include "protocol/uri.hpp"

namespace s3purge::protocol {

void SecretSet::add(std::string_view secret) {
  if (secret.size() < kMinLength) return;
  for (std::string form : {std::string(secret), uri_encode(secret, false), uri_encode(secret, true)}) {
    if (std::find(secrets_.begin(), secrets_.end(), form) != secrets_.end()) continue;
    secrets_.push_back(std::move(form));
  }
  std::stable_sort(secrets_.begin(), secrets_.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::string SecretSet::redact(std::string_view text) const {
  std::string out(text);
  for (const auto& s : secrets_) {
    for (auto at = out.find(s); at != std::string::npos; at = out.find(s, at + 10)) {
      out.replace(at, s.size(), "[redacted]");
    }
  }
  return out;
}

}  // namespace s3purge::protocol
