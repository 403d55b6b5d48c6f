// STS, for the roles a run takes: AssumeRoleWithWebIdentity, as EKS's IAM roles for
// service accounts use it (not signed: the token is the proof), and AssumeRole, signed
// with the credentials of the step before it (role_arn with source_profile or
// credential_source). Pure: engine/credential_endpoints sends them.
#pragma once

#include <string>
#include <string_view>

#include "protocol/credentials.hpp"
#include "protocol/error.hpp"
#include "protocol/http_message.hpp"

namespace s3purge::protocol {

struct WebIdentityRole {
  std::string role_arn;
  std::string token_file;    // read before each request: the kubelet rotates it
  std::string session_name;  // AWS_ROLE_SESSION_NAME, or "s3purge-session"
  std::string sts_url;       // "https://sts.eu-west-1.amazonaws.com", AWS_ENDPOINT_URL_STS...
};

// One role_arn of a profile: the role, as whom, and where to ask.
struct AssumeRoleStep {
  std::string role_arn;
  std::string session_name;  // role_session_name, or "s3purge-session"
  std::string external_id;   // empty: not sent
  int duration_seconds = 0;  // 0: STS's default (an hour)
  std::string sts_url;
  std::string sts_region;    // the signing region
  std::string profile;       // whose role_arn it is, for messages
};

// POST / with the form body; the caller sets the host (and signs AssumeRole, service "sts").
HttpRequest assume_role_with_web_identity_request(const WebIdentityRole& role, std::string_view token);
HttpRequest assume_role_request(const AssumeRoleStep& step);

struct StsCredentials {
  Credentials credentials;
  std::string expiration;  // ISO 8601, as STS writes it
};

// A 200's <ACTIONResult><Credentials>, or STS's <ErrorResponse> as an Error whose s3_code
// is STS's code (InvalidIdentityToken, ExpiredTokenException, AccessDenied...).
// `action` is "AssumeRoleWithWebIdentity" or "AssumeRole".
Result<StsCredentials> parse_sts_credentials(std::string_view action, int status, std::string_view body);

}  // namespace s3purge::protocol
