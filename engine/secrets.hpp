// The secrets this process holds (secret keys, session tokens, web identity, IMDS,
// container and SSO tokens), remembered where they are read or received, so that every
// output (the terminal, the JSON, --log-file, --failed-keys) can take them out of text that
// came from outside (protocol/redaction). Thread-safe: credentials are renewed on a thread
// of their own.
#pragma once

#include <string>
#include <string_view>

namespace s3purge::engine {

void remember_secret(std::string_view secret);
// `text` with every secret remembered so far replaced by "[redacted]".
std::string redact_secrets(std::string_view text);

}  // namespace s3purge::engine
