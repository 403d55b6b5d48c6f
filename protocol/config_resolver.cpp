#include "protocol/config_resolver.hpp"

#include "protocol/config_file.hpp"

namespace s3purge::protocol {
std::string expand_home(const std::string& path, const EnvLookup& env) {
  if (path == "~" || path.starts_with("~/")) {
    const auto home = non_empty(env("HOME"));
    if (home) return *home + path.substr(1);
  }
  return path;
}

namespace {

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

  // Credentials, after the region (a role's regional STS endpoint depends on it).
  ChainInput chain;
  chain.flags = &flags;
  chain.env = &env;
  chain.profile = out.profile;
  chain.explicit_profile = non_empty(flags.profile).has_value();
  chain.config = config->file ? &*config->file : nullptr;
  chain.credentials = creds_file->file ? &*creds_file->file : nullptr;
  chain.config_path = config_path;
  chain.credentials_path = credentials_path;
  chain.region = out.region;
  auto plan = resolve_credentials(chain);
  if (!plan) return std::move(plan).error();
  out.credential_plan = std::move(*plan);
  out.credentials = out.credential_plan.keys;
  out.credentials_source = out.credential_plan.source;

  // Endpoint.
  std::optional<std::string> endpoint_url;
  if (auto e = non_empty(flags.endpoint_url)) {
    endpoint_url = *e, out.endpoint_source = "--endpoint-url";
  } else {
    const bool use_configured = !is_true(non_empty(env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")));
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
