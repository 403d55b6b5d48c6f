#include "protocol/credential_endpoints.hpp"

#include <algorithm>
#include <cctype>

namespace s3purge::protocol {

namespace {

std::optional<std::string> set(const EnvLookup& env, std::string_view name) { return non_empty(env(name)); }

bool loopback_or_link_local(const Endpoint& ep) {
  return ep.host.starts_with("127.") || ep.host == "::1" || ep.host == "localhost" ||
         ep.host == "169.254.170.2" || ep.host == "169.254.170.23" || ep.host == "fd00:ec2::23";
}

}  // namespace

Result<std::optional<ContainerCredentialsEndpoint>> container_credentials_endpoint(const EnvLookup& env) {
  ContainerCredentialsEndpoint out;
  if (auto relative = set(env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
    out.endpoint = *parse_endpoint("http://169.254.170.2");
    out.path = relative->starts_with('/') ? *relative : "/" + *relative;
  } else if (auto full = set(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
    const auto scheme_end = full->find("://");
    const auto slash = scheme_end == std::string::npos ? std::string::npos : full->find('/', scheme_end + 3);
    auto ep = parse_endpoint(full->substr(0, slash));
    if (!ep) {
      return Error(client_errc::invalid_config,
                   "AWS_CONTAINER_CREDENTIALS_FULL_URI '" + *full + "': " + ep.error().message);
    }
    if (!ep->https && !loopback_or_link_local(*ep)) {
      return Error(client_errc::invalid_config,
                   "AWS_CONTAINER_CREDENTIALS_FULL_URI '" + *full +
                       "': over http only a loopback address or the ECS/EKS link-local host is allowed");
    }
    out.endpoint = *ep;
    out.path = slash == std::string::npos ? "/" : full->substr(slash);
  } else {
    return std::optional<ContainerCredentialsEndpoint>();
  }
  out.url = out.endpoint.url() + out.path;
  if (auto file = set(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) out.authorization_file = *file;
  else if (auto token = set(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN")) out.authorization = *token;
  return std::optional<ContainerCredentialsEndpoint>(std::move(out));
}

Result<std::optional<Endpoint>> instance_metadata_endpoint(const EnvLookup& env) {
  if (is_true(set(env, "AWS_EC2_METADATA_DISABLED"))) return std::optional<Endpoint>();
  const std::string url = set(env, "AWS_EC2_METADATA_SERVICE_ENDPOINT").value_or("http://169.254.169.254");
  auto ep = parse_endpoint(url);
  if (!ep) {
    return Error(client_errc::invalid_config, "AWS_EC2_METADATA_SERVICE_ENDPOINT '" + url + "': " + ep.error().message);
  }
  return std::optional<Endpoint>(*ep);
}

bool is_true(const std::optional<std::string>& v) {
  if (!v) return false;
  std::string s = *v;
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s == "true";
}

}  // namespace s3purge::protocol
