// What every command needs before its first request: the resolved configuration (flags,
// environment, profiles), TLS, and the engine options for one target.
#pragma once

#include <memory>
#include <string>

#include "cli/flags.hpp"
#include "cli/target.hpp"
#include "engine/purge_options.hpp"
#include "protocol/config_resolver.hpp"

namespace boost::asio::ssl {
class context;
}

namespace s3purge::cli {

struct Session {
  protocol::ResolvedConfig config;
  std::shared_ptr<boost::asio::ssl::context> tls;  // null for plain-http endpoints
};

// Warnings (plain http, --no-verify-ssl) go to stderr unless --quiet.
protocol::Result<Session> open_session(const Flags& flags);
// Refuses a malformed --shard.
protocol::Result<engine::PurgeOptions> purge_options(const Session& session, const Target& target,
                                                     const Flags& flags);

}  // namespace s3purge::cli
