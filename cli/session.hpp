// What every command needs before its first request: the resolved configuration (flags,
// environment, profiles), TLS, and the engine options for one target.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "cli/flags.hpp"
#include "cli/target.hpp"
#include "engine/credential_source.hpp"
#include "engine/purge_options.hpp"
#include "protocol/config_resolver.hpp"

namespace boost::asio::ssl {
class context;
}

namespace s3purge::cli {

struct Session {
  protocol::ResolvedConfig config;
  std::shared_ptr<boost::asio::ssl::context> tls;  // null for plain-http endpoints
  // What every request signs with: static keys, or a credential_process run again before
  // its credentials expire.
  std::shared_ptr<engine::CredentialSource> credentials;
  // When the first credentials expire; none for static keys.
  std::optional<std::chrono::system_clock::time_point> credentials_expire;
};

// Warnings (plain http, --no-verify-ssl) go to stderr unless --quiet. Credentials that are
// fetched (a role, a process, SSO) are fetched here a first time: their failure is the session's.
protocol::Result<Session> open_session(const Flags& flags);
// Refuses a malformed --shard.
protocol::Result<engine::PurgeOptions> purge_options(const Session& session, const Target& target,
                                                     const Flags& flags);

}  // namespace s3purge::cli
