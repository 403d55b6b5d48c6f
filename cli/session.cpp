#include "cli/session.hpp"

#include <algorithm>
#include <charconv>
#include <iostream>

#include "engine/credential_endpoints.hpp"
#include "engine/credential_process.hpp"
#include "engine/key_range.hpp"
#include "engine/tls_context.hpp"
#include "protocol/system_environment.hpp"

namespace s3purge::cli {

namespace {

bool is_loopback(const std::string& host) {
  return host == "localhost" || host.ends_with(".localhost") || host.starts_with("127.") ||
         host == "::1";
}

// "I/N" with 0 <= I < N <= kMaxShards.
protocol::Result<std::pair<int, int>> parse_shard(const std::string& text) {
  const auto bad = [&] {
    return protocol::Error(protocol::client_errc::invalid_config,
                           "--shard '" + text + "': write it I/N, with 0 <= I < N <= " +
                               std::to_string(engine::kMaxShards) + " (e.g. 0/4)");
  };
  const auto slash = text.find('/');
  if (slash == std::string::npos) return bad();
  int i = -1, n = -1;
  const char* mid = text.data() + slash;
  const auto a = std::from_chars(text.data(), mid, i);
  const auto b = std::from_chars(mid + 1, text.data() + text.size(), n);
  if (a.ec != std::errc() || a.ptr != mid || b.ec != std::errc() || b.ptr != text.data() + text.size() ||
      slash == 0 || i < 0 || n < 1 || i >= n || n > engine::kMaxShards) {
    return bad();
  }
  return std::pair{i, n};
}

// The fetch of a role's credentials: STS for a web identity (10 s), the container
// endpoint (2 s) or instance metadata (1 s), the last two botocore's timeouts.
protocol::Result<engine::FetchCredentials> role_credentials(const protocol::ResolvedConfig& c) {
  const auto env = protocol::system_env();
  if (c.role_endpoint == protocol::ResolvedConfig::RoleEndpoint::web_identity) {
    return engine::FetchCredentials([role = *c.web_identity] {
      return engine::fetch_web_identity_credentials(role, std::chrono::seconds(10));
    });
  }
  if (c.role_endpoint == protocol::ResolvedConfig::RoleEndpoint::container) {
    auto at = protocol::container_credentials_endpoint(env);
    if (!at) return std::move(at).error();
    return engine::FetchCredentials([at = **at] {
      return engine::fetch_container_credentials(at, std::chrono::seconds(2));
    });
  }
  auto at = protocol::instance_metadata_endpoint(env);
  if (!at) return std::move(at).error();
  return engine::FetchCredentials([at = **at] {
    return engine::fetch_instance_credentials(at, std::chrono::seconds(1));
  });
}

}  // namespace

protocol::Result<Session> open_session(const Flags& f) {
  auto config = protocol::resolve_config(f.config, protocol::system_env(),
                                         protocol::system_file_reader());
  if (!config) return std::move(config).error();
  Session s{std::move(*config), nullptr, nullptr};
  if (!s.config.credential_process.empty()) {
    // As the AWS CLI: the command's own time, but not forever (a deadline on everything).
    static constexpr std::chrono::seconds kProcessTimeout{60};
    const std::string who = "profile '" + s.config.profile + "'";
    auto fetch = [command = s.config.credential_process, who] {
      return engine::run_credential_process(command, who, kProcessTimeout);
    };
    auto first = fetch();
    if (!first) return std::move(first).error();
    s.config.credentials = first->credentials;
    s.credentials = engine::CredentialSource::renewing(std::move(fetch), std::move(*first));
  } else if (s.config.role_endpoint != protocol::ResolvedConfig::RoleEndpoint::none) {
    auto fetch = role_credentials(s.config);
    if (!fetch) return std::move(fetch).error();
    auto first = (*fetch)();
    if (!first) {
      // Instance metadata is the last place looked: its failure is "no credentials".
      protocol::Error e = std::move(first).error();
      if (!s.config.looked_in.empty()) e.message = s.config.looked_in + ", " + e.message;
      return e;
    }
    s.config.credentials = first->credentials;
    s.credentials = engine::CredentialSource::renewing(std::move(*fetch), std::move(*first));
  } else {
    s.credentials = engine::CredentialSource::fixed(s.config.credentials);
  }
  const auto& endpoint = s.config.endpoint;
  if (!endpoint.https && !is_loopback(endpoint.host) && !f.quiet) {
    std::cerr << "s3purge: warning: " << endpoint.url()
              << " is plain http: requests are signed but not encrypted\n";
  }
  if (endpoint.https) {
    auto ctx = engine::make_tls_context({s.config.ca_bundle, !f.no_verify_ssl});
    if (!ctx) return std::move(ctx).error();
    s.tls = *ctx;
    if (f.no_verify_ssl && !f.quiet) {
      std::cerr << "s3purge: warning: --no-verify-ssl: the server's certificate is not checked\n";
    }
  }
  return s;
}

protocol::Result<engine::PurgeOptions> purge_options(const Session& s, const Target& target,
                                                     const Flags& f) {
  // The numbers were checked by the parser (cli/command_line.cpp).
  std::vector<engine::KeyRange> ranges;
  if (!f.shard.empty()) {
    auto shard = parse_shard(f.shard);
    if (!shard) return std::move(shard).error();
    ranges = engine::shard_ranges(target.prefix, shard->first, shard->second);
  }
  auto address = protocol::resolve_bucket_address(s.config.endpoint, target.bucket,
                                                  s.config.addressing_style);
  if (!address) return std::move(address).error();
  engine::PurgeOptions o;
  o.bucket = target.bucket;
  o.prefix = target.prefix;
  o.credentials = s.credentials;
  o.address = *address;
  o.concurrency = f.concurrency;
  o.listers = f.listers;
  o.ranges = std::move(ranges);
  o.rate = f.rate;
  o.burst = f.burst;
  o.batch_size = f.batch_size;
  o.queue_depth = f.queue_depth;
  o.retry.transient_retries = static_cast<unsigned>(f.max_retries);
  o.retry.budget = std::chrono::milliseconds(static_cast<std::int64_t>(f.retry_seconds * 1000));
  o.dry_run = f.dry_run;
  o.bypass_governance = f.bypass_governance;
  o.request_options.requester_pays = f.request_payer;
  o.request_options.expected_bucket_owner = f.expected_bucket_owner;
  o.connection.request_timeout =
      std::chrono::milliseconds(static_cast<std::int64_t>(f.timeout_seconds * 1000));
  o.connection.connect_address = f.connect_to;
  o.connection.connect_timeout = std::min(o.connection.connect_timeout, o.connection.request_timeout);
  return o;
}

}  // namespace s3purge::cli
