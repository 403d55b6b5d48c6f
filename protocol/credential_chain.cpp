#include "protocol/credential_chain.hpp"

#include <algorithm>
#include <charconv>

#include "protocol/credential_endpoints.hpp"

namespace s3purge::protocol {

std::string_view method_name(CredentialProvider p) {
  switch (p) {
    case CredentialProvider::explicit_flags: return "explicit";
    case CredentialProvider::environment: return "env";
    case CredentialProvider::web_identity: return "assume-role-with-web-identity";
    case CredentialProvider::sso: return "sso";
    case CredentialProvider::shared_credentials_file: return "shared-credentials-file";
    case CredentialProvider::credential_process: return "custom-process";
    case CredentialProvider::config_file: return "config-file";
    case CredentialProvider::container: return "container-role";
    case CredentialProvider::instance_metadata: return "iam-role";
  }
  return "unknown";
}

std::string CredentialPlan::method() const {
  return roles.empty() ? std::string(method_name(base)) : "assume-role";
}

namespace {

constexpr std::string_view kSessionName = "s3purge-session";

Error config_error(std::string message) { return Error(client_errc::invalid_config, std::move(message)); }

class Chain {
 public:
  explicit Chain(const ChainInput& in) : in_(in) {}

  // nullopt: the provider is not configured; an error: configured, but wrongly.
  using Found = std::optional<Result<CredentialPlan>>;

  Result<CredentialPlan> resolve() {
    if (non_empty(in_.flags->session_token) && !non_empty(in_.flags->access_key_id) &&
        !non_empty(in_.flags->secret_access_key)) {
      return Error(client_errc::partial_credentials, "--session-token needs --access-key-id and --secret-access-key");
    }
    Found found = from_pair(in_.flags->access_key_id, in_.flags->secret_access_key, in_.flags->session_token,
                            "--access-key-id", "--secret-access-key", "the command line",
                            CredentialProvider::explicit_flags);
    if (!found && !in_.explicit_profile) found = from_environment();
    std::vector<std::string> visited{in_.profile};
    if (!found) found = from_assume_role(in_.profile, visited);
    if (!found) found = profile_providers(in_.profile, !in_.explicit_profile);
    if (found) return std::move(*found);
    return from_role_endpoints();
  }

 private:
  std::optional<std::string> env(std::string_view name) const { return non_empty((*in_.env)(name)); }

  std::string config_section_name(const std::string& profile) const {
    return profile == "default" ? "default" : "profile " + profile;
  }
  const ConfigSection* config_section(const std::string& profile) const {
    if (!in_.config) return nullptr;
    const auto* s = in_.config->section(config_section_name(profile));
    if (!s && profile == "default") s = in_.config->section("profile default");
    return s;
  }
  const ConfigSection* credentials_section(const std::string& profile) const {
    return in_.credentials ? in_.credentials->section(profile) : nullptr;
  }
  bool exists(const std::string& profile) const {
    return config_section(profile) || credentials_section(profile);
  }
  // A setting of the profile as botocore merges the files: the credentials file wins.
  std::optional<std::string> setting(const std::string& profile, std::string_view key) const {
    if (const auto* s = credentials_section(profile)) {
      if (const auto* v = s->value(key)) return non_empty(*v);
    }
    if (const auto* s = config_section(profile)) {
      if (const auto* v = s->value(key)) return non_empty(*v);
    }
    return std::nullopt;
  }
  bool has(const std::string& profile, std::string_view key) const {
    const auto* c = credentials_section(profile);
    const auto* f = config_section(profile);
    return (c && c->value(key)) || (f && f->value(key));
  }
  std::string where(const std::string& profile) const {
    return in_.config_path + " [" + config_section_name(profile) + "]";
  }
  std::string expand_home(const std::string& path) const { return protocol::expand_home(path, *in_.env); }

  Found from_pair(std::optional<std::string> id, std::optional<std::string> secret, std::optional<std::string> token,
                  std::string_view id_name, std::string_view secret_name, std::string source,
                  CredentialProvider provider) const {
    id = non_empty(std::move(id));
    secret = non_empty(std::move(secret));
    if (!id && !secret) return std::nullopt;
    if (!id || !secret) {
      return Result<CredentialPlan>(Error(client_errc::partial_credentials,
                                          source + " has " + std::string(id ? id_name : secret_name) + " but not " +
                                              std::string(id ? secret_name : id_name)));
    }
    CredentialPlan plan;
    plan.base = provider;
    plan.keys = Credentials{*id, *secret, non_empty(std::move(token)).value_or("")};
    plan.source = std::move(source);
    return Result<CredentialPlan>(std::move(plan));
  }

  Found from_environment() const {
    auto token = env("AWS_SESSION_TOKEN");
    if (!token) token = env("AWS_SECURITY_TOKEN");
    return from_pair(env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"), token, "AWS_ACCESS_KEY_ID",
                     "AWS_SECRET_ACCESS_KEY", "the environment", CredentialProvider::environment);
  }

  Found from_section(const ConfigSection* s, const std::string& source, CredentialProvider provider) const {
    if (!s) return std::nullopt;
    auto get = [&](std::string_view k) -> std::optional<std::string> {
      const auto* v = s->value(k);
      return v ? std::optional<std::string>(*v) : std::nullopt;
    };
    return from_pair(get("aws_access_key_id"), get("aws_secret_access_key"), get("aws_session_token"),
                     "aws_access_key_id", "aws_secret_access_key", source, provider);
  }

  // The providers a profile itself can name, in botocore's order.
  Found profile_providers(const std::string& profile, bool use_env) const {
    if (Found f = from_web_identity(profile, use_env)) return f;
    if (Found f = from_sso(profile)) return f;
    if (Found f = from_section(credentials_section(profile),
                               "shared credentials file " + in_.credentials_path + " [" + profile + "]",
                               CredentialProvider::shared_credentials_file)) {
      return f;
    }
    if (auto process = setting(profile, "credential_process")) {
      CredentialPlan plan;
      plan.base = CredentialProvider::credential_process;
      plan.process = *process;
      plan.source = "credential_process of " + where(profile);
      return Result<CredentialPlan>(std::move(plan));
    }
    return from_section(config_section(profile), "config file " + where(profile), CredentialProvider::config_file);
  }

  Found from_web_identity(const std::string& profile, bool use_env) const {
    // Each setting from the environment first, then from the profile, as botocore.
    auto get = [&](std::string_view env_name, std::string_view key) {
      auto v = use_env ? env(env_name) : std::nullopt;
      return v ? v : setting(profile, key);
    };
    const auto token_file = get("AWS_WEB_IDENTITY_TOKEN_FILE", "web_identity_token_file");
    if (!token_file) return std::nullopt;
    const auto role_arn = get("AWS_ROLE_ARN", "role_arn");
    if (!role_arn) {
      return Result<CredentialPlan>(Error(client_errc::partial_credentials,
                                          "a web identity token file (" + *token_file +
                                              ") is set but not AWS_ROLE_ARN nor the profile's role_arn"));
    }
    CredentialPlan plan;
    plan.base = CredentialProvider::web_identity;
    WebIdentityRole role;
    role.role_arn = *role_arn;
    role.token_file = expand_home(*token_file);
    role.session_name = get("AWS_ROLE_SESSION_NAME", "role_session_name").value_or(std::string(kSessionName));
    role.sts_url = sts_url(profile);
    plan.source = "web identity " + role.role_arn + " (token " + role.token_file + ")";
    plan.web_identity = std::move(role);
    return Result<CredentialPlan>(std::move(plan));
  }

  Found from_sso(const std::string& profile) const {
    constexpr std::string_view kVars[] = {"sso_start_url", "sso_region", "sso_role_name", "sso_account_id"};
    const bool any = std::any_of(std::begin(kVars), std::end(kVars), [&](auto k) { return has(profile, k); });
    const auto session = setting(profile, "sso_session");
    if (!any && !session) return std::nullopt;
    SsoRole role;
    role.profile = profile;
    auto value = [&](std::string_view key) -> Result<std::string> {
      auto v = setting(profile, key);
      if (session) {
        const auto* s = in_.config ? in_.config->section("sso-session " + *session) : nullptr;
        if (!s) return config_error("profile '" + profile + "' names sso_session '" + *session + "', but " +
                                    in_.config_path + " has no [sso-session " + *session + "]");
        if (const auto* sv = s->value(key); sv && !sv->empty()) {
          if (v && *v != *sv) {
            return config_error("profile '" + profile + "' and [sso-session " + *session + "] disagree on " +
                                std::string(key));
          }
          v = *sv;
        }
      }
      return v.value_or("");
    };
    std::string missing;
    for (const auto key : kVars) {
      auto v = value(key);
      if (!v) return Result<CredentialPlan>(std::move(v).error());
      if (v->empty()) missing += (missing.empty() ? "" : ", ") + std::string(key);
      if (key == "sso_start_url") role.start_url = *v;
      if (key == "sso_region") role.region = *v;
      if (key == "sso_role_name") role.role_name = *v;
      if (key == "sso_account_id") role.account_id = *v;
    }
    if (!missing.empty()) {
      return Result<CredentialPlan>(config_error("profile '" + profile +
                                                 "' is configured for IAM Identity Center (SSO) but lacks " + missing));
    }
    role.session_name = session.value_or("");
    const auto home = env("HOME").value_or("");
    role.cache_file = home + "/.aws/sso/cache/" + sso_cache_file_name(role);
    const bool configured = !is_true(env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"));
    auto portal = configured ? env("AWS_ENDPOINT_URL_SSO") : std::nullopt;
    if (!portal && configured) portal = env("AWS_ENDPOINT_URL");
    role.portal_url = portal.value_or("https://portal.sso." + role.region + ".amazonaws.com");
    CredentialPlan plan;
    plan.base = CredentialProvider::sso;
    plan.source = "IAM Identity Center role " + role.role_name + " of account " + role.account_id + " (" +
                  where(profile) + ")";
    plan.sso = std::move(role);
    return Result<CredentialPlan>(std::move(plan));
  }

  std::string sts_url(const std::string& profile) const {
    const bool configured = !is_true(env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"));
    if (auto sts = configured ? env("AWS_ENDPOINT_URL_STS") : std::nullopt) return *sts;
    if (auto global = configured ? env("AWS_ENDPOINT_URL") : std::nullopt) return *global;
    const auto mode = env("AWS_STS_REGIONAL_ENDPOINTS").value_or(setting(profile, "sts_regional_endpoints").value_or("regional"));
    if (mode == "legacy") return "https://sts.amazonaws.com";
    return "https://sts." + in_.region + ".amazonaws.com";
  }

  Found from_assume_role(const std::string& profile, std::vector<std::string>& visited) const {
    if (!has(profile, "role_arn") || has(profile, "web_identity_token_file")) return std::nullopt;
    auto fail = [](Error e) { return Found(Result<CredentialPlan>(std::move(e))); };
    const auto role_arn = setting(profile, "role_arn").value_or("");
    const auto source_profile = setting(profile, "source_profile");
    const auto credential_source = setting(profile, "credential_source");
    const std::string who = "profile '" + profile + "'";
    if (source_profile && credential_source) {
      return fail(config_error(who + " has both source_profile and credential_source; keep one"));
    }
    if (!source_profile && !credential_source) {
      return fail(Error(client_errc::partial_credentials,
                        who + " has role_arn but neither source_profile nor credential_source"));
    }
    if (const auto mfa = setting(profile, "mfa_serial")) {
      return fail(Error(client_errc::missing_credentials,
                        who + " assumes " + role_arn + " with an MFA code (mfa_serial " + *mfa +
                            "), which s3purge cannot ask for in an unattended run; export the role's credentials "
                            "first: eval \"$(aws configure export-credentials --profile " + profile + " --format env)\""));
    }
    AssumeRoleStep step;
    step.role_arn = role_arn;
    step.profile = profile;
    step.session_name = setting(profile, "role_session_name").value_or(std::string(kSessionName));
    step.external_id = setting(profile, "external_id").value_or("");
    if (const auto d = setting(profile, "duration_seconds")) {
      const auto r = std::from_chars(d->data(), d->data() + d->size(), step.duration_seconds);
      if (r.ec != std::errc() || r.ptr != d->data() + d->size() || step.duration_seconds < 900 ||
          step.duration_seconds > 43200) {
        return fail(config_error(who + ": duration_seconds '" + *d + "' is not a number of seconds from 900 to 43200"));
      }
    }
    step.sts_url = sts_url(profile);
    step.sts_region = step.sts_url == "https://sts.amazonaws.com" ? "us-east-1" : in_.region;

    Found source;
    if (credential_source) {
      const std::string& name = *credential_source;
      if (name == "Environment") {
        source = from_environment();
      } else if (name == "EcsContainer" || name == "Ec2InstanceMetadata") {
        auto r = role_endpoint(name == "EcsContainer" ? CredentialProvider::container
                                                      : CredentialProvider::instance_metadata);
        if (!r) return fail(std::move(r).error());
        if (r->has_value()) source = Result<CredentialPlan>(std::move(**r));
      } else {
        return fail(config_error(who + ": credential_source '" + name +
                                 "' is not one of Environment, Ec2InstanceMetadata, EcsContainer"));
      }
      if (!source) {
        return fail(Error(client_errc::missing_credentials,
                          who + ": credential_source " + name + " has no credentials to assume " + role_arn + " with"));
      }
    } else {
      const std::string& parent = profile;
      const std::string& next = *source_profile;
      if (!exists(next)) {
        return fail(config_error(who + " names source_profile '" + next + "', which is not in " + in_.config_path +
                                 " nor in " + in_.credentials_path));
      }
      const bool seen = std::find(visited.begin(), visited.end(), next) != visited.end();
      const bool static_keys = has(next, "aws_access_key_id") || has(next, "aws_secret_access_key") ||
                               has(next, "aws_session_token");
      if (seen && (next != parent || !static_keys)) {
        std::string loop;
        for (const auto& v : visited) loop += v + " -> ";
        return fail(config_error("the source_profile settings form a loop: " + loop + next));
      }
      visited.push_back(next);
      const bool role_of_its_own = has(next, "role_arn") && !has(next, "web_identity_token_file");
      if (static_keys || !role_of_its_own) {
        source = profile_providers(next, false);
        if (!source) {
          return fail(Error(client_errc::missing_credentials,
                            who + "'s source_profile '" + next + "' has no credentials"));
        }
      } else {
        source = from_assume_role(next, visited);
      }
    }
    if (!*source) return source;
    CredentialPlan plan = std::move(**source);
    plan.source = "role " + role_arn + " of " + who + ", with " +
                  (plan.roles.empty() ? plan.source : "the credentials of " + plan.source);
    plan.roles.push_back(std::move(step));
    return Result<CredentialPlan>(std::move(plan));
  }

  // The container's role, or the instance's; nullopt when neither is configured.
  Result<std::optional<CredentialPlan>> role_endpoint(CredentialProvider which) const {
    CredentialPlan plan;
    plan.base = which;
    if (which == CredentialProvider::container) {
      auto at = container_credentials_endpoint(*in_.env);
      if (!at) return std::move(at).error();
      if (!*at) return std::optional<CredentialPlan>();
      plan.source = "container credentials " + (*at)->url;
    } else {
      auto at = instance_metadata_endpoint(*in_.env);
      if (!at) return std::move(at).error();
      if (!*at) return std::optional<CredentialPlan>();
      plan.source = "instance metadata " + (*at)->url();
    }
    return std::optional<CredentialPlan>(std::move(plan));
  }

  Result<CredentialPlan> from_role_endpoints() const {
    std::string looked = "no credentials found; looked in: ";
    if (!in_.explicit_profile) looked += "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ";
    looked += in_.credentials_path + (in_.credentials ? "" : " (absent)") + " [" + in_.profile + "], " +
              in_.config_path + (in_.config ? "" : " (absent)") + " [" + config_section_name(in_.profile) + "]";
    for (const auto which : {CredentialProvider::container, CredentialProvider::instance_metadata}) {
      auto plan = role_endpoint(which);
      if (!plan) return std::move(plan).error();
      if (*plan) {
        (*plan)->looked_in = looked;
        return std::move(**plan);
      }
    }
    return Error(client_errc::missing_credentials, looked + ", instance metadata (AWS_EC2_METADATA_DISABLED)");
  }

  const ChainInput& in_;
};

}  // namespace

Result<CredentialPlan> resolve_credentials(const ChainInput& in) {
  auto plan = Chain(in).resolve();
  if (!plan) return plan;
  plan->profile = in.profile;
  auto v1_disabled = non_empty((*in.env)("AWS_EC2_METADATA_V1_DISABLED"));
  if (!v1_disabled && in.config) {
    const auto* s = in.config->section(in.profile == "default" ? "default" : "profile " + in.profile);
    if (const auto* v = s ? s->value("ec2_metadata_v1_disabled") : nullptr) v1_disabled = *v;
  }
  plan->imds_v1_allowed = !is_true(v1_disabled);
  return plan;
}

}  // namespace s3purge::protocol
