// Resolves credentials, region, endpoint, addressing style and CA bundle the way the AWS
// CLI does, from flags, environment variables and the shared config and credentials files.
// The environment and the file system are passed in, so tests can drive every path.
#pragma once

#include <string>

#include "protocol/config_inputs.hpp"
#include "protocol/credential_chain.hpp"
#include "protocol/credentials.hpp"
#include "protocol/endpoint.hpp"
#include "protocol/error.hpp"

namespace s3purge::protocol {

struct ResolvedConfig {
  std::string profile;              // the profile whose settings applied ("default")
  // How the credentials are obtained (engine/credential_chain fetches them); `credentials`
  // holds them once fetched, and at once for the static providers.
  CredentialPlan credential_plan;
  Credentials credentials;
  std::string credentials_source;   // "the environment", "shared credentials file PATH [NAME]"...
  std::string region;
  std::string region_source;
  Endpoint endpoint;
  bool custom_endpoint = false;     // false: the AWS endpoint of `region`
  std::string endpoint_source;
  AddressingStyle addressing_style = AddressingStyle::automatic;
  std::string ca_bundle;            // empty: the system store
};

// Precedence, as the AWS CLI documents it:
//  credentials: protocol/credential_chain, with the shared credentials file from
//    AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials, the config file from AWS_CONFIG_FILE
//    or ~/.aws/config.
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
