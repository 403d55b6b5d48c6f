// IAM Identity Center (SSO) role credentials, as the AWS CLI gets them: the access token
// `aws sso login` cached under ~/.aws/sso/cache, then the portal's GetRoleCredentials.
// Pure: engine/credential_endpoints reads the cache and sends the request.
#pragma once

#include <string>

#include "protocol/http_message.hpp"

namespace s3purge::protocol {

struct SsoRole {
  std::string session_name;  // sso_session; empty for a legacy profile (sso_start_url)
  std::string start_url;
  std::string region;        // sso_region
  std::string account_id;
  std::string role_name;
  std::string cache_file;    // ~/.aws/sso/cache/SHA1(session name, or start URL).json
  std::string portal_url;    // https://portal.sso.REGION.amazonaws.com, AWS_ENDPOINT_URL_SSO...
  std::string profile;       // for messages
};

// The file name `aws sso login` caches the token under, without the directory.
std::string sso_cache_file_name(const SsoRole& role);

// GET /federation/credentials?account_id=...&role_name=... with the bearer token; not signed.
HttpRequest get_role_credentials_request(const SsoRole& role, const std::string& access_token);

}  // namespace s3purge::protocol
