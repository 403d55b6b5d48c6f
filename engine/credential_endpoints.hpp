// Role credentials from the endpoints that serve them: the container credentials endpoint
// (ECS task roles, EKS Pod Identity), EC2 instance metadata (IMDSv2: a session token
// first, then the role, then its credentials), STS and the SSO portal. Each
// call blocks (it runs its own event loop), for CredentialSource's thread and the first
// fetch of a run.
#pragma once

#include <chrono>

#include "engine/credential_source.hpp"
#include "protocol/credential_endpoints.hpp"
#include "protocol/sso.hpp"
#include "protocol/sts.hpp"

namespace s3purge::engine {

// Each request gets `timeout` (connect, write, read); an answer that is not the role's
// credentials is an error saying which endpoint gave it.
protocol::Result<TimedCredentials> fetch_container_credentials(const protocol::ContainerCredentialsEndpoint& at,
                                                               std::chrono::milliseconds timeout);
// IMDSv2; where instance metadata refuses session tokens (403, 404, 405) or does not answer
// the token request in time, IMDSv1 (no token) when `allow_v1`, as botocore.
protocol::Result<TimedCredentials> fetch_instance_credentials(const protocol::Endpoint& at,
                                                              std::chrono::milliseconds timeout, bool allow_v1);
// STS AssumeRoleWithWebIdentity with the token file's current token.
protocol::Result<TimedCredentials> fetch_web_identity_credentials(const protocol::WebIdentityRole& role,
                                                                  std::chrono::milliseconds timeout);
// STS AssumeRole, signed with `caller` (the credentials of the step before).
protocol::Result<TimedCredentials> fetch_assumed_role_credentials(const protocol::AssumeRoleStep& step,
                                                                  const protocol::Credentials& caller,
                                                                  std::chrono::milliseconds timeout);
// The portal's GetRoleCredentials with the token `aws sso login` cached; a missing or
// expired token is an error that says to run `aws sso login`.
protocol::Result<TimedCredentials> fetch_sso_credentials(const protocol::SsoRole& role,
                                                         std::chrono::milliseconds timeout);

// {"AccessKeyId", "SecretAccessKey", "Token", "Expiration"} (and "Code": "Success" from IMDS).
protocol::Result<TimedCredentials> parse_role_credentials(std::string_view body, const std::string& where);

}  // namespace s3purge::engine
