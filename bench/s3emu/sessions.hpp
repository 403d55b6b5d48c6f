// Temporary credentials, as STS or a role's credential endpoints issue them: a key id, a
// secret and a session token that s3emu's SigV4 check accepts until they expire, and
// refuses after (400 ExpiredToken), as S3 does. Issued by GET /_emu/credentials in the
// JSON a credential_process prints, and by the credential endpoints of credential_routes.cpp.
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

  // `stable`: the same identity always gets the same keys, expiring `ttl` after the server
  // started, so that two clients resolving the same role can be compared key for key.
  SessionKeys(std::chrono::milliseconds ttl, bool stable)
      : ttl_(ttl), stable_(stable), started_(std::chrono::system_clock::now()) {}
  bool enabled() const { return ttl_.count() > 0; }

  // `identity` is who asked for what ("AssumeRole|ROLE|EXTERNAL ID|CALLER KEY"); the keys
  // are derived from it. `life` shortens the session below the ttl (STS DurationSeconds).
  Issued issue(std::string_view identity, std::chrono::milliseconds life = std::chrono::milliseconds::max());
  // Whether `access_key` is an issued key, and with `token` still valid; its secret in `secret`.
  Check check(const std::string& access_key, std::string_view token, std::string& secret) const;
  // {"Version":1,"AccessKeyId":...,"Expiration":"...Z"}: what a credential_process prints.
  static std::string to_json(const Issued& issued);
  // {"Code":"Success","AccessKeyId":...,"Token":...,"Expiration":...}: what the container
  // credentials endpoint and instance metadata serve.
  static std::string to_role_json(const Issued& issued);
  // The SSO portal's {"roleCredentials": {..., "expiration": MILLISECONDS}}.
  static std::string to_sso_json(const Issued& issued);
  // STS's ACTIONResponse (AssumeRole, AssumeRoleWithWebIdentity).
  static std::string to_sts_xml(std::string_view action, const Issued& issued);

 private:
  std::chrono::milliseconds ttl_;
  bool stable_;
  std::chrono::system_clock::time_point started_;
  mutable std::mutex mutex_;
  std::uint64_t issued_ = 0;
  std::unordered_map<std::string, Issued> keys_;
};

}  // namespace s3emu
