#include "engine/credential_chain.hpp"

#include "engine/credential_endpoints.hpp"
#include "engine/credential_process.hpp"
#include "protocol/credential_endpoints.hpp"

namespace s3purge::engine {

using protocol::CredentialProvider;

namespace {

constexpr std::chrono::seconds kStsTimeout{10};
constexpr std::chrono::seconds kProcessTimeout{60};
constexpr std::chrono::seconds kContainerTimeout{2};
constexpr std::chrono::seconds kInstanceTimeout{1};

protocol::Result<FetchCredentials> base_fetcher(const protocol::CredentialPlan& plan, const protocol::EnvLookup& env) {
  switch (plan.base) {
    case CredentialProvider::explicit_flags:
    case CredentialProvider::environment:
    case CredentialProvider::shared_credentials_file:
    case CredentialProvider::config_file:
      return FetchCredentials([keys = plan.keys]() -> protocol::Result<TimedCredentials> {
        return TimedCredentials{keys, std::nullopt};
      });
    case CredentialProvider::credential_process:
      return FetchCredentials([command = plan.process, who = "profile '" + plan.profile + "'"] {
        return run_credential_process(command, who, kProcessTimeout);
      });
    case CredentialProvider::web_identity:
      return FetchCredentials([role = *plan.web_identity] {
        return fetch_web_identity_credentials(role, kStsTimeout);
      });
    case CredentialProvider::sso:
      return FetchCredentials([role = *plan.sso] { return fetch_sso_credentials(role, kStsTimeout); });
    case CredentialProvider::container: {
      auto at = protocol::container_credentials_endpoint(env);
      if (!at) return std::move(at).error();
      if (!*at) return protocol::Error(protocol::client_errc::missing_credentials, "no container credentials endpoint is set");
      return FetchCredentials([at = **at] { return fetch_container_credentials(at, kContainerTimeout); });
    }
    case CredentialProvider::instance_metadata: {
      auto at = protocol::instance_metadata_endpoint(env);
      if (!at) return std::move(at).error();
      if (!*at) return protocol::Error(protocol::client_errc::missing_credentials, "instance metadata is disabled");
      return FetchCredentials([at = **at, v1 = plan.imds_v1_allowed] {
        return fetch_instance_credentials(at, kInstanceTimeout, v1);
      });
    }
  }
  return protocol::Error(protocol::client_errc::missing_credentials, "unknown credential provider");
}

}  // namespace

protocol::Result<FetchCredentials> credential_fetcher(const protocol::CredentialPlan& plan,
                                                      const protocol::EnvLookup& env) {
  auto fetch = base_fetcher(plan, env);
  if (!fetch) return fetch;
  FetchCredentials chain = std::move(*fetch);
  for (const auto& step : plan.roles) {
    chain = [inner = std::move(chain), step]() -> protocol::Result<TimedCredentials> {
      auto caller = inner();
      if (!caller) return caller;
      return fetch_assumed_role_credentials(step, caller->credentials, kStsTimeout);
    };
  }
  return chain;
}

protocol::Result<OpenedCredentials> open_credentials(const protocol::CredentialPlan& plan,
                                                     const protocol::EnvLookup& env) {
  if (!plan.fetched()) return OpenedCredentials{CredentialSource::fixed(plan.keys), plan.keys, std::nullopt};
  auto fetch = credential_fetcher(plan, env);
  if (!fetch) return std::move(fetch).error();
  auto first = (*fetch)();
  if (!first) {
    // An endpoint is the last place looked: its failure is "no credentials", and where.
    protocol::Error e = std::move(first).error();
    if (!plan.looked_in.empty()) e.message = plan.looked_in + ", " + e.message;
    return e;
  }
  protocol::Credentials keys = first->credentials;
  const auto expiration = first->expiration;
  return OpenedCredentials{CredentialSource::renewing(std::move(*fetch), std::move(*first)), std::move(keys),
                           expiration};
}

}  // namespace s3purge::engine
