#include "engine/secrets.hpp"

#include <atomic>
#include <mutex>

#include "protocol/redaction.hpp"

namespace s3purge::engine {

namespace {

std::mutex mutex;
protocol::SecretSet secrets;  // guarded by mutex
std::atomic<bool> any{false};

}  // namespace

void remember_secret(std::string_view secret) {
  const std::lock_guard lock(mutex);
  secrets.add(secret);
  any = !secrets.empty();
}

std::string redact_secrets(std::string_view text) {
  if (!any) return std::string(text);
  const std::lock_guard lock(mutex);
  return secrets.redact(text);
}

}  // namespace s3purge::engine
