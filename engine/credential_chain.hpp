// The credentials a plan (protocol/credential_chain) names, fetched: the first ones now,
// and a source that fetches them again before they expire. A role assumed from another
// provider's credentials walks the whole plan again at each renewal, so that a renewed
// source (a rotated web identity token, a newer SSO sign-in) is what the role is assumed with.
#pragma once

#include <memory>

#include "engine/credential_source.hpp"
#include "protocol/config_inputs.hpp"
#include "protocol/credential_chain.hpp"

namespace s3purge::engine {

// What fetches the plan's credentials; the endpoints' timeouts are botocore's (1 s for
// instance metadata, 2 s for the container endpoint), 10 s for STS and the SSO portal,
// 60 s for a credential_process.
protocol::Result<FetchCredentials> credential_fetcher(const protocol::CredentialPlan& plan,
                                                      const protocol::EnvLookup& env);

struct OpenedCredentials {
  std::shared_ptr<CredentialSource> source;
  protocol::Credentials first;
  std::optional<std::chrono::system_clock::time_point> expiration;  // of `first`
};
// Static keys as they are; the others fetched once now (an error says where the chain
// looked when the last place, an endpoint, did not answer either).
protocol::Result<OpenedCredentials> open_credentials(const protocol::CredentialPlan& plan,
                                                     const protocol::EnvLookup& env);

}  // namespace s3purge::engine
