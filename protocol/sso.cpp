#include "protocol/sso.hpp"

#include "protocol/crypto.hpp"

namespace s3purge::protocol {

std::string sso_cache_file_name(const SsoRole& role) {
  return hex_lower(sha1(role.session_name.empty() ? role.start_url : role.session_name)) + ".json";
}

HttpRequest get_role_credentials_request(const SsoRole& role, const std::string& access_token) {
  HttpRequest r;
  r.method = "GET";
  r.path = "/federation/credentials";
  r.query = {{"account_id", role.account_id}, {"role_name", role.role_name}};
  r.headers.set("x-amz-sso_bearer_token", access_token);
  return r;
}

}  // namespace s3purge::protocol
