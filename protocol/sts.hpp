// STS AssumeRoleWithWebIdentity, as EKS's IAM roles for service accounts use it: the pod's
// token file and role ARN in, temporary credentials out. The request is not signed (the
// token is the proof). Pure: engine/credential_endpoints sends it.
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
  std::string session_name;  // AWS_ROLE_SESSION_NAME, or "s3purge-TIMESTAMP"
  std::string sts_url;       // "https://sts.eu-west-1.amazonaws.com", AWS_ENDPOINT_URL_STS...
};

// POST / with the form body; the caller sets the host.
HttpRequest assume_role_with_web_identity_request(const WebIdentityRole& role, std::string_view token);

struct StsCredentials {
  Credentials credentials;
  std::string expiration;  // ISO 8601, as STS writes it
};

// A 200's AssumeRoleWithWebIdentityResult, or STS's <ErrorResponse> as an Error whose
// s3_code is STS's code (InvalidIdentityToken, ExpiredTokenException, AccessDenied...).
Result<StsCredentials> parse_assume_role_with_web_identity(int status, std::string_view body);

}  // namespace s3purge::protocol
