// Where a container's or an instance's role credentials are served, as botocore finds it
// in the environment. Pure: the environment is passed in; engine/credential_endpoints
// asks them.
#pragma once

#include <optional>
#include <string>

#include "protocol/config_inputs.hpp"
#include "protocol/endpoint.hpp"
#include "protocol/error.hpp"

namespace s3purge::protocol {

// ECS task roles and EKS Pod Identity.
struct ContainerCredentialsEndpoint {
  Endpoint endpoint;
  std::string path;                // with its query, as sent
  std::string authorization;       // AWS_CONTAINER_AUTHORIZATION_TOKEN
  std::string authorization_file;  // AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: read before each fetch
  std::string url;                 // for messages
};

// AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (on http://169.254.170.2), or
// AWS_CONTAINER_CREDENTIALS_FULL_URI: https anywhere, http only to a loopback address or
// to the ECS and EKS link-local hosts (169.254.170.2, 169.254.170.23, fd00:ec2::23).
// nullopt: neither is set.
Result<std::optional<ContainerCredentialsEndpoint>> container_credentials_endpoint(const EnvLookup& env);

// EC2 instance metadata (IMDSv2): AWS_EC2_METADATA_SERVICE_ENDPOINT or
// http://169.254.169.254; nullopt when AWS_EC2_METADATA_DISABLED is true.
Result<std::optional<Endpoint>> instance_metadata_endpoint(const EnvLookup& env);

}  // namespace s3purge::protocol
