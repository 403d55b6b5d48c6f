// Which provider supplies the credentials, in botocore's order, and how to obtain them:
// a plan, not the credentials themselves (fetching them is I/O, done by
// engine/credential_chain). Pure: environment and files are passed in.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "protocol/config_file.hpp"
#include "protocol/config_inputs.hpp"
#include "protocol/credentials.hpp"
#include "protocol/error.hpp"
#include "protocol/sso.hpp"
#include "protocol/sts.hpp"

namespace s3purge::protocol {

// The provider that supplies the first credentials of a plan. Its name is botocore's
// `method` for the same provider, so that a comparison needs no table.
enum class CredentialProvider {
  explicit_flags,           // "explicit": --access-key-id/--secret-access-key
  environment,              // "env"
  web_identity,             // "assume-role-with-web-identity"
  sso,                      // "sso"
  shared_credentials_file,  // "shared-credentials-file"
  credential_process,       // "custom-process"
  config_file,              // "config-file"
  container,                // "container-role"
  instance_metadata,        // "iam-role"
};
std::string_view method_name(CredentialProvider p);

struct CredentialPlan {
  CredentialProvider base = CredentialProvider::environment;
  Credentials keys;                          // the static providers' keys
  std::string process;                       // credential_process's command
  std::optional<WebIdentityRole> web_identity;
  std::optional<SsoRole> sso;
  // Roles assumed one after the other (STS AssumeRole), each with the credentials the
  // step before it produced: role_arn + source_profile, chained, or credential_source.
  std::vector<AssumeRoleStep> roles;
  // Instance metadata may fall back to IMDSv1 where IMDSv2 tokens are refused: not with
  // AWS_EC2_METADATA_V1_DISABLED=true or the profile's ec2_metadata_v1_disabled = true.
  bool imds_v1_allowed = true;
  std::string profile;   // whose settings chose the plan
  std::string source;    // in words, for -v and errors: "role arn:... from profile 'a'..."
  std::string looked_in; // where else the chain looked, when the base is an endpoint

  // botocore's method for the whole plan: "assume-role" when a role is assumed.
  std::string method() const;
  bool fetched() const { return !roles.empty() || (base != CredentialProvider::explicit_flags &&
                                                     base != CredentialProvider::environment &&
                                                     base != CredentialProvider::shared_credentials_file &&
                                                     base != CredentialProvider::config_file); }
};

struct ChainInput {
  const ConfigFlags* flags = nullptr;
  const EnvLookup* env = nullptr;
  std::string profile;
  bool explicit_profile = false;  // --profile: the environment's keys and role are not used
  const ConfigFile* config = nullptr;       // null: absent
  const ConfigFile* credentials = nullptr;  // null: absent
  std::string config_path, credentials_path;
  std::string region;  // for the regional STS endpoint
};

// Flags; environment; role_arn (source_profile / credential_source); web identity; SSO;
// the shared credentials file; credential_process; the config file's keys; the
// container's role; the instance's role. A provider that is configured but broken (a
// partial key pair, a role without a source, a loop of source profiles, mfa_serial) is an
// error naming the setting, not a fall through to the next provider.
Result<CredentialPlan> resolve_credentials(const ChainInput& in);

}  // namespace s3purge::protocol
