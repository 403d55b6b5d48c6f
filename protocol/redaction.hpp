// Secrets taken out of text before it is shown: a server, an STS endpoint or a credential
// helper can quote back what it was sent (a session token in an error message, a token in
// a per-key error), and no output of s3purge may carry it. Pure: the set of secrets is
// given; engine/secrets keeps the ones the process holds.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace s3purge::protocol {

class SecretSet {
 public:
  // Shorter strings are no secret worth the name (test keys like "t"), and taking them out
  // of every text would mangle it.
  static constexpr std::size_t kMinLength = 8;

  // Adds a secret, and its URL-encoded forms where they differ (a token in a URL).
  void add(std::string_view secret);
  bool empty() const { return secrets_.empty(); }
  // `text` with every secret replaced by "[redacted]".
  std::string redact(std::string_view text) const;

 private:
  std::vector<std::string> secrets_;  // longest first: one that contains another goes whole
};

}  // namespace s3purge::protocol
