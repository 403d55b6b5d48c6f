// Resolves credentials, region, endpoint, addressing style and CA bundle the way the AWS
// CLI does, from flags, environment variables and the shared config and credentials files.
// The environment and the file system are passed in, so tests can drive every path.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/credentials.hpp"
#include "protocol/endpoint.hpp"
#include "protocol/error.hpp"
#include "protocol/sts.hpp"

namespace s3purge::protocol {

using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;
using FileReader = std::function<std::optional<std::string>(const std::string& path)>;

// What the user gave on the command line; each one wins over everything else.
struct ConfigFlags {
  std::optional<std::string> profile;
  std::optional<std::string> region;
  std::optional<std::string> endpoint_url;
  std::optional<std::string> ca_bundle;
  std::optional<std::string> addressing_style;
  std::optional<std::string> access_key_id;
  std::optional<std::string> secret_access_key;
  std::optional<std::string> session_token;
};

struct ResolvedConfig {
  std::string profile;              // the profile whose settings applied ("default")
  Credentials credentials;          // empty when credential_process supplies them
  std::string credentials_source;   // "environment", "shared credentials file PATH [NAME]"...
  // The profile's credential_process command, when it supplies the credentials: the caller
  // runs it (and again before they expire).
  std::string credential_process;
  // Nothing above: the role credentials of the container (ECS, EKS Pod Identity) or of the
  // instance (IMDSv2), found by protocol/credential_endpoints; `looked_in` says where else
  // the resolver looked, for the error when that endpoint does not answer either.
  enum class RoleEndpoint { none, web_identity, container, instance_metadata };
  RoleEndpoint role_endpoint = RoleEndpoint::none;
  std::optional<WebIdentityRole> web_identity;  // with RoleEndpoint::web_identity
  std::string looked_in;
  std::string region;
  std::string region_source;
  Endpoint endpoint;
  bool custom_endpoint = false;     // false: the AWS endpoint of `region`
  std::string endpoint_source;
  AddressingStyle addressing_style = AddressingStyle::automatic;
  std::string ca_bundle;            // empty: the system store
};

// Precedence, as the AWS CLI documents it:
//  credentials: flags; AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN),
//    unless --profile was given; the shared credentials file (AWS_SHARED_CREDENTIALS_FILE,
//    ~/.aws/credentials) [NAME]; the config file's (AWS_CONFIG_FILE, ~/.aws/config)
//    credential_process of [profile NAME] or [default], then its keys.
//  profile: --profile, AWS_PROFILE, AWS_DEFAULT_PROFILE, "default".
//  region: --region, AWS_REGION, AWS_DEFAULT_REGION, the profile's region, us-east-1.
//  endpoint: --endpoint-url, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, the profile's nested
//    `s3 = endpoint_url`, its [services NAME] section's s3 endpoint_url, its endpoint_url;
//    AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true skips all but the flag.
//  addressing style: --addressing-style, the profile's `s3 = addressing_style`, auto.
//  CA bundle: --ca-bundle, AWS_CA_BUNDLE, the profile's ca_bundle.
Result<ResolvedConfig> resolve_config(const ConfigFlags& flags, const EnvLookup& env,
                                      const FileReader& read_file);

}  // namespace s3purge::protocol
