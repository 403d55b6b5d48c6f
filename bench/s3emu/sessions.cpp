#include "s3emu/sessions.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

#include "protocol/crypto.hpp"
#include "protocol/time_text.hpp"

namespace s3emu {

SessionKeys::Issued SessionKeys::issue(std::string_view identity, std::chrono::milliseconds life) {
  const std::lock_guard lock(mutex_);
  const std::uint64_t n = stable_ ? 0 : ++issued_;
  std::string id = "ASIAEMU" + s3purge::protocol::sha256_hex(std::string(identity) + "#" + std::to_string(n)).substr(0, 13);
  for (auto& ch : id) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  const auto ttl = std::min(ttl_, life);
  Issued out{id, s3purge::protocol::sha256_hex("secret " + id).substr(0, 40),
             "emu-session-" + s3purge::protocol::sha256_hex("token " + id),
             (stable_ ? started_ : std::chrono::system_clock::now()) + ttl};
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


std::string SessionKeys::to_json(const Issued& issued) {
  return std::string("{\"Version\":1,\"AccessKeyId\":\"") + issued.access_key + "\",\"SecretAccessKey\":\"" +
         issued.secret_key + "\",\"SessionToken\":\"" + issued.token + "\",\"Expiration\":\"" +
         s3purge::protocol::format_iso8601(issued.expires) + "\"}";
}

std::string SessionKeys::to_sts_xml(std::string_view action, const Issued& issued) {
  const std::string a(action);
  return "<" + a + "Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><" + a +
         "Result><Credentials><AccessKeyId>" + issued.access_key + "</AccessKeyId><SecretAccessKey>" +
         issued.secret_key + "</SecretAccessKey><SessionToken>" + issued.token + "</SessionToken><Expiration>" +
         s3purge::protocol::format_iso8601(issued.expires) + "</Expiration></Credentials></" + a + "Result><ResponseMetadata><RequestId>" +
         issued.access_key + "</RequestId></ResponseMetadata></" + a + "Response>";
}

std::string SessionKeys::to_sso_json(const Issued& issued) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(issued.expires.time_since_epoch()).count();
  return std::string("{\"roleCredentials\":{\"accessKeyId\":\"") + issued.access_key + "\",\"secretAccessKey\":\"" +
         issued.secret_key + "\",\"sessionToken\":\"" + issued.token + "\",\"expiration\":" + std::to_string(ms) + "}}";
}

std::string SessionKeys::to_role_json(const Issued& issued) {
  return std::string("{\"Code\":\"Success\",\"Type\":\"AWS-HMAC\",\"AccessKeyId\":\"") + issued.access_key +
         "\",\"SecretAccessKey\":\"" + issued.secret_key + "\",\"Token\":\"" + issued.token +
         "\",\"Expiration\":\"" + s3purge::protocol::format_iso8601(issued.expires) + "\"}";
}

}  // namespace s3emu
