// Role credentials from the endpoints a container or an instance serves them on: the
// container credentials endpoint (ECS task roles, EKS Pod Identity) and EC2 instance
// metadata (IMDSv2: a session token first, then the role, then its credentials). Each
// call blocks (it runs its own event loop), for CredentialSource's thread and the first
// fetch of a run.
#pragma once

#include <chrono>

#include "engine/credential_source.hpp"
#include "protocol/credential_endpoints.hpp"
#include "protocol/sts.hpp"

namespace s3purge::engine {

// Each request gets `timeout` (connect, write, read); an answer that is not the role's
// credentials is an error saying which endpoint gave it.
protocol::Result<TimedCredentials> fetch_container_credentials(const protocol::ContainerCredentialsEndpoint& at,
                                                               std::chrono::milliseconds timeout);
protocol::Result<TimedCredentials> fetch_instance_credentials(const protocol::Endpoint& at,
                                                              std::chrono::milliseconds timeout);
// STS AssumeRoleWithWebIdentity with the token file's current token.
protocol::Result<TimedCredentials> fetch_web_identity_credentials(const protocol::WebIdentityRole& role,
                                                                  std::chrono::milliseconds timeout);

// {"AccessKeyId", "SecretAccessKey", "Token", "Expiration"} (and "Code": "Success" from IMDS).
protocol::Result<TimedCredentials> parse_role_credentials(std::string_view body, const std::string& where);

}  // namespace s3purge::engine
