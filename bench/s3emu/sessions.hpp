// Temporary credentials, as STS or a role's credential endpoints issue them: a key id, a
// secret and a session token that s3emu's SigV4 check accepts until they expire, and
// refuses after (400 ExpiredToken), as S3 does. Issued by GET /_emu/credentials in the
// JSON a credential_process prints, for tests of credentials renewed during a run.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace s3emu {

class SessionKeys {
 public:
  struct Issued {
    std::string access_key, secret_key, token;
    std::chrono::system_clock::time_point expires;
  };
  enum class Check { unknown, valid, expired, wrong_token };

  explicit SessionKeys(std::chrono::milliseconds ttl) : ttl_(ttl) {}
  bool enabled() const { return ttl_.count() > 0; }

  Issued issue();
  // Whether `access_key` is an issued key, and with `token` still valid; its secret in `secret`.
  Check check(const std::string& access_key, std::string_view token, std::string& secret) const;
  // {"Version":1,"AccessKeyId":...,"Expiration":"...Z"}: what a credential_process prints.
  static std::string to_json(const Issued& issued);
  // {"Code":"Success","AccessKeyId":...,"Token":...,"Expiration":...}: what the container
  // credentials endpoint and instance metadata serve.
  static std::string to_role_json(const Issued& issued);
  // STS's AssumeRoleWithWebIdentityResponse.
  static std::string to_sts_xml(const Issued& issued);

 private:
  std::chrono::milliseconds ttl_;
  mutable std::mutex mutex_;
  std::uint64_t issued_ = 0;
  std::unordered_map<std::string, Issued> keys_;
};

}  // namespace s3emu
