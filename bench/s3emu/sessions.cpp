#include "s3emu/sessions.hpp"

#include <cstdio>
#include <ctime>

#include "protocol/crypto.hpp"

namespace s3emu {

SessionKeys::Issued SessionKeys::issue() {
  const std::lock_guard lock(mutex_);
  const std::uint64_t n = ++issued_;
  char id[32];
  std::snprintf(id, sizeof id, "ASIAEMU%013llu", static_cast<unsigned long long>(n));
  Issued out{id, s3purge::protocol::sha256_hex("secret " + std::string(id)).substr(0, 40),
             "emu-session-" + s3purge::protocol::sha256_hex("token " + std::string(id)),
             std::chrono::system_clock::now() + ttl_};
  keys_[out.access_key] = out;
  return out;
}

SessionKeys::Check SessionKeys::check(const std::string& access_key, std::string_view token,
                                      std::string& secret) const {
  const std::lock_guard lock(mutex_);
  const auto it = keys_.find(access_key);
  if (it == keys_.end()) return Check::unknown;
  if (token != it->second.token) return Check::wrong_token;
  if (std::chrono::system_clock::now() >= it->second.expires) return Check::expired;
  secret = it->second.secret_key;
  return Check::valid;
}

namespace {

std::string iso8601(std::chrono::system_clock::time_point at) {
  const std::time_t t = std::chrono::system_clock::to_time_t(at);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return when;
}

}  // namespace

std::string SessionKeys::to_json(const Issued& issued) {
  return std::string("{\"Version\":1,\"AccessKeyId\":\"") + issued.access_key + "\",\"SecretAccessKey\":\"" +
         issued.secret_key + "\",\"SessionToken\":\"" + issued.token + "\",\"Expiration\":\"" +
         iso8601(issued.expires) + "\"}";
}

std::string SessionKeys::to_sts_xml(const Issued& issued) {
  return "<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
         "<AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>" + issued.access_key +
         "</AccessKeyId><SecretAccessKey>" + issued.secret_key + "</SecretAccessKey><SessionToken>" + issued.token +
         "</SessionToken><Expiration>" + iso8601(issued.expires) +
         "</Expiration></Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>";
}

std::string SessionKeys::to_role_json(const Issued& issued) {
  return std::string("{\"Code\":\"Success\",\"Type\":\"AWS-HMAC\",\"AccessKeyId\":\"") + issued.access_key +
         "\",\"SecretAccessKey\":\"" + issued.secret_key + "\",\"Token\":\"" + issued.token +
         "\",\"Expiration\":\"" + iso8601(issued.expires) + "\"}";
}

}  // namespace s3emu
