#include "protocol/config_resolver.hpp"

#include "protocol/config_file.hpp"
#include "protocol/credential_endpoints.hpp"
#include "protocol/sts.hpp"

namespace s3purge::protocol {
namespace {

std::optional<std::string> non_empty(std::optional<std::string> v) {
  if (v && v->empty()) return std::nullopt;
  return v;
}

std::string expand_home(const std::string& path, const EnvLookup& env) {
  if (path == "~" || path.starts_with("~/")) {
    const auto home = non_empty(env("HOME"));
    if (home) return *home + path.substr(1);
  }
  return path;
}

struct LoadedFile {
  std::string path;
  std::optional<ConfigFile> file;  // nullopt: the file does not exist
};

Result<LoadedFile> load(const std::string& path, const FileReader& read_file) {
  LoadedFile out{path, std::nullopt};
  const auto text = read_file(path);
  if (!text) return out;
  auto parsed = parse_config_file(*text, path);
  if (!parsed) return std::move(parsed).error();
  out.file = std::move(parsed).value();
  return out;
}

// Settings that mean credentials come from a provider we do not implement.
constexpr std::string_view kUnsupportedProviders[] = {
    "role_arn", "sso_session", "sso_start_url"};

}  // namespace

Result<ResolvedConfig> resolve_config(const ConfigFlags& flags, const EnvLookup& env,
                                      const FileReader& read_file) {
  ResolvedConfig out;

  // Which profile, and was it named explicitly (then a missing one is an error).
  bool profile_named = true;
  std::string profile_source;
  if (auto p = non_empty(flags.profile)) {
    out.profile = *p;
    profile_source = "--profile";
  } else if (auto ep = non_empty(env("AWS_PROFILE"))) {
    out.profile = *ep;
    profile_source = "AWS_PROFILE";
  } else if (auto dp = non_empty(env("AWS_DEFAULT_PROFILE"))) {
    out.profile = *dp;
    profile_source = "AWS_DEFAULT_PROFILE";
  } else {
    out.profile = "default";
    profile_named = false;
  }

  const std::string config_path =
      expand_home(non_empty(env("AWS_CONFIG_FILE")).value_or("~/.aws/config"), env);
  const std::string credentials_path = expand_home(
      non_empty(env("AWS_SHARED_CREDENTIALS_FILE")).value_or("~/.aws/credentials"), env);
  auto config = load(config_path, read_file);
  if (!config) return std::move(config).error();
  auto creds_file = load(credentials_path, read_file);
  if (!creds_file) return std::move(creds_file).error();

  const std::string config_section_name =
      out.profile == "default" ? "default" : "profile " + out.profile;
  const ConfigSection* profile_cfg = nullptr;
  if (config->file) {
    profile_cfg = config->file->section(config_section_name);
    if (!profile_cfg && out.profile == "default") {
      profile_cfg = config->file->section("profile default");
    }
  }
  const ConfigSection* profile_creds =
      creds_file->file ? creds_file->file->section(out.profile) : nullptr;

  if (profile_named && !profile_cfg && !profile_creds) {
    return Error(client_errc::profile_not_found,
                 "profile '" + out.profile + "' (from " + profile_source + ") is not in " +
                     credentials_path + " [" + out.profile + "] nor in " + config_path + " [" +
                     config_section_name + "]");
  }

  auto profile_value = [&](std::string_view key) -> std::optional<std::string> {
    if (profile_cfg) {
      if (const auto* v = profile_cfg->value(key); v && !v->empty()) return *v;
    }
    return std::nullopt;
  };

  // Credentials.
  auto take_pair = [&](std::optional<std::string> id, std::optional<std::string> secret,
                       std::optional<std::string> token, std::string_view id_name,
                       std::string_view secret_name,
                       std::string source) -> std::optional<Result<Ok>> {
    id = non_empty(std::move(id));
    secret = non_empty(std::move(secret));
    if (!id && !secret) return std::nullopt;
    if (!id || !secret) {
      return Result<Ok>(Error(
          client_errc::partial_credentials,
          source + " has " + std::string(id ? id_name : secret_name) + " but not " +
              std::string(id ? secret_name : id_name)));
    }
    out.credentials = Credentials{*id, *secret, non_empty(std::move(token)).value_or("")};
    out.credentials_source = std::move(source);
    return Result<Ok>(Ok{});
  };

  std::optional<Result<Ok>> found =
      take_pair(flags.access_key_id, flags.secret_access_key, flags.session_token,
                "--access-key-id", "--secret-access-key", "the command line");
  if (!found && !non_empty(flags.profile)) {
    // An explicit --profile negates the environment's keys, as in botocore.
    auto token = non_empty(env("AWS_SESSION_TOKEN"));
    if (!token) token = non_empty(env("AWS_SECURITY_TOKEN"));
    found = take_pair(env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"), token,
                      "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "the environment");
  }
  auto from_section = [&](const ConfigSection* s, const std::string& where) {
    auto get = [&](std::string_view k) -> std::optional<std::string> {
      const auto* v = s->value(k);
      return v ? std::optional<std::string>(*v) : std::nullopt;
    };
    return take_pair(get("aws_access_key_id"), get("aws_secret_access_key"),
                     get("aws_session_token"), "aws_access_key_id", "aws_secret_access_key",
                     where);
  };
  // After the environment's keys, as botocore: a web identity role (EKS IRSA), from the
  // profile's role_arn + web_identity_token_file or AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE.
  if (!found) {
    const bool in_profile = profile_value("web_identity_token_file").has_value();
    auto token_file = in_profile ? profile_value("web_identity_token_file") : non_empty(env("AWS_WEB_IDENTITY_TOKEN_FILE"));
    auto role_arn = in_profile ? profile_value("role_arn") : non_empty(env("AWS_ROLE_ARN"));
    if (token_file && !role_arn) {
      return Error(client_errc::partial_credentials,
                   std::string(in_profile ? "the profile's web_identity_token_file" : "AWS_WEB_IDENTITY_TOKEN_FILE") +
                       " is set but not " + (in_profile ? "its role_arn" : "AWS_ROLE_ARN"));
    }
    if (token_file) {
      WebIdentityRole role;
      role.role_arn = *role_arn;
      role.token_file = expand_home(*token_file, env);
      role.session_name = (in_profile ? profile_value("role_session_name") : non_empty(env("AWS_ROLE_SESSION_NAME")))
                              .value_or("s3purge-session");
      out.web_identity = std::move(role);
      out.role_endpoint = ResolvedConfig::RoleEndpoint::web_identity;
      out.credentials_source = "web identity " + out.web_identity->role_arn + " (" +
                               (in_profile ? config_path + " [" + config_section_name + "]" : std::string("environment")) + ")";
      found = Result<Ok>(Ok{});
    }
  }
  if (!found && profile_creds) {
    found = from_section(profile_creds,
                         "shared credentials file " + credentials_path + " [" + out.profile + "]");
  }
  if (!found && profile_cfg) {
    if (const auto* process = profile_cfg->value("credential_process"); process && !process->empty()) {
      out.credential_process = *process;
      out.credentials_source = "credential_process of " + config_path + " [" + config_section_name + "]";
      found = Result<Ok>(Ok{});
    }
  }
  if (!found && profile_cfg) {
    found = from_section(profile_cfg,
                         "config file " + config_path + " [" + config_section_name + "]");
  }
  if (found && !*found) return std::move(*found).error();
  if (!found) {
    if (profile_cfg) {
      for (const auto key : kUnsupportedProviders) {
        if (profile_cfg->value(key)) {
          return Error(client_errc::missing_credentials,
                       "profile '" + out.profile + "' gets credentials through " +
                           std::string(key) +
                           ", which s3purge does not support; export them first, e.g. "
                           "eval \"$(aws configure export-credentials --profile " +
                           out.profile + " --format env)\"");
        }
      }
    }
    std::string looked = "no credentials found; looked in: ";
    if (!non_empty(flags.profile)) looked += "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ";
    looked += credentials_path + (creds_file->file ? "" : " (absent)") + " [" + out.profile +
              "], " + config_path + (config->file ? "" : " (absent)") + " [" +
              config_section_name + "]";
    // Last, as in botocore: the container's role, then the instance's.
    auto container = container_credentials_endpoint(env);
    if (!container) return std::move(container).error();
    auto instance = instance_metadata_endpoint(env);
    if (!instance) return std::move(instance).error();
    if (*container) {
      out.role_endpoint = ResolvedConfig::RoleEndpoint::container;
      out.credentials_source = "container credentials " + (*container)->url;
    } else if (*instance) {
      out.role_endpoint = ResolvedConfig::RoleEndpoint::instance_metadata;
      out.credentials_source = "instance metadata " + (*instance)->url();
    } else {
      return Error(client_errc::missing_credentials, looked + ", instance metadata (AWS_EC2_METADATA_DISABLED)");
    }
    out.looked_in = looked;
  }

  // Region.
  if (auto r = non_empty(flags.region)) {
    out.region = *r, out.region_source = "--region";
  } else if (auto er = non_empty(env("AWS_REGION"))) {
    out.region = *er, out.region_source = "AWS_REGION";
  } else if (auto dr = non_empty(env("AWS_DEFAULT_REGION"))) {
    out.region = *dr, out.region_source = "AWS_DEFAULT_REGION";
  } else if (auto pr = profile_value("region")) {
    out.region = *pr, out.region_source = config_path + " [" + config_section_name + "]";
  } else {
    out.region = "us-east-1", out.region_source = "default";
  }

  // STS, for a web identity role: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, the regional
  // endpoint (AWS_STS_REGIONAL_ENDPOINTS=legacy: the global one).
  if (out.web_identity) {
    const auto ignore = non_empty(env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"));
    const bool configured = !(ignore && (*ignore == "true" || *ignore == "TRUE" || *ignore == "True"));
    if (auto sts = configured ? non_empty(env("AWS_ENDPOINT_URL_STS")) : std::nullopt) {
      out.web_identity->sts_url = *sts;
    } else if (auto global = configured ? non_empty(env("AWS_ENDPOINT_URL")) : std::nullopt) {
      out.web_identity->sts_url = *global;
    } else if (non_empty(env("AWS_STS_REGIONAL_ENDPOINTS")).value_or(profile_value("sts_regional_endpoints").value_or("regional")) == "legacy") {
      out.web_identity->sts_url = "https://sts.amazonaws.com";
    } else {
      out.web_identity->sts_url = "https://sts." + out.region + ".amazonaws.com";
    }
  }

  // Endpoint.
  std::optional<std::string> endpoint_url;
  if (auto e = non_empty(flags.endpoint_url)) {
    endpoint_url = *e, out.endpoint_source = "--endpoint-url";
  } else {
    const auto ignore = non_empty(env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"));
    const bool use_configured = !(ignore && (*ignore == "true" || *ignore == "TRUE" ||
                                             *ignore == "True"));
    if (use_configured) {
      const std::string where = config_path + " [" + config_section_name + "]";
      if (auto s3e = non_empty(env("AWS_ENDPOINT_URL_S3"))) {
        endpoint_url = *s3e, out.endpoint_source = "AWS_ENDPOINT_URL_S3";
      } else if (auto ge = non_empty(env("AWS_ENDPOINT_URL"))) {
        endpoint_url = *ge, out.endpoint_source = "AWS_ENDPOINT_URL";
      } else if (const auto* n = profile_cfg ? profile_cfg->nested_value("s3", "endpoint_url")
                                             : nullptr;
                 n && !n->empty()) {
        endpoint_url = *n, out.endpoint_source = where + " s3.endpoint_url";
      } else if (auto services = profile_value("services");
                 services && config->file &&
                 config->file->section("services " + *services) &&
                 config->file->section("services " + *services)
                     ->nested_value("s3", "endpoint_url")) {
        endpoint_url = *config->file->section("services " + *services)
                            ->nested_value("s3", "endpoint_url");
        out.endpoint_source = config_path + " [services " + *services + "] s3.endpoint_url";
      } else if (auto pe = profile_value("endpoint_url")) {
        endpoint_url = *pe, out.endpoint_source = where + " endpoint_url";
      }
    }
  }
  if (endpoint_url) {
    auto ep = parse_endpoint(*endpoint_url);
    if (!ep) {
      Error e = std::move(ep).error();
      e.message += " (from " + out.endpoint_source + ")";
      return e;
    }
    out.endpoint = *ep;
    out.custom_endpoint = true;
  } else {
    out.endpoint = aws_endpoint(out.region);
    out.endpoint_source = "AWS endpoint of region " + out.region;
  }

  // Addressing style.
  std::optional<std::string> style_text = non_empty(flags.addressing_style);
  if (!style_text && profile_cfg) {
    if (const auto* s = profile_cfg->nested_value("s3", "addressing_style"); s && !s->empty()) {
      style_text = *s;
    }
  }
  if (style_text) {
    auto style = parse_addressing_style(*style_text);
    if (!style) return std::move(style).error();
    out.addressing_style = *style;
  }

  // CA bundle.
  if (auto c = non_empty(flags.ca_bundle)) {
    out.ca_bundle = expand_home(*c, env);
  } else if (auto ec = non_empty(env("AWS_CA_BUNDLE"))) {
    out.ca_bundle = expand_home(*ec, env);
  } else if (auto pc = profile_value("ca_bundle")) {
    out.ca_bundle = expand_home(*pc, env);
  }
  return out;
}

}  // namespace s3purge::protocol
