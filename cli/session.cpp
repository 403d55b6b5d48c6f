#include "cli/session.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <iostream>

#include "cli/selection_flags.hpp"
#include "engine/credential_chain.hpp"
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

}  // namespace

protocol::Result<Session> open_session(const Flags& f) {
  auto config = protocol::resolve_config(f.config, protocol::system_env(),
                                         protocol::system_file_reader());
  if (!config) return std::move(config).error();
  Session s{std::move(*config), nullptr, nullptr, std::nullopt};
  auto opened = engine::open_credentials(s.config.credential_plan, protocol::system_env());
  if (!opened) return std::move(opened).error();
  s.config.credentials = opened->first;
  s.credentials = std::move(opened->source);
  s.credentials_expire = opened->expiration;
  const auto& cfg = s.config;  // every command says, with -v, what it talks to and signs with
  spdlog::info("endpoint {} ({}), region {} ({}), credentials {} from provider {}: {}", cfg.endpoint.url(),
               cfg.endpoint_source, cfg.region, cfg.region_source, cfg.credentials.redacted_id(),
               cfg.credential_plan.method(), cfg.credentials_source);
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
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count();
  auto selection = selection_of(f, now);
  if (!selection) return std::move(selection).error();
  engine::PurgeOptions o;
  o.selection = std::move(*selection);
  o.objects = o.selection.takes_entries();
  o.uploads = o.selection.takes_uploads();
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
  o.pace_ranges = f.pacing == "ranges";
  // auto: CRC32C where the endpoint is AWS's (its SDKs' default, with hardware CRC), and
  // Content-MD5, which every S3 clone takes, elsewhere; a refusal switches to Content-MD5.
  o.checksum_fallback = f.checksum == "auto";
  if (o.checksum_fallback) {
    const bool aws = !s.config.custom_endpoint || s.config.endpoint.is_aws();
    o.checksum = aws ? protocol::ChecksumAlgorithm::crc32c : protocol::ChecksumAlgorithm::md5;
  } else {
    o.checksum = protocol::parse_checksum_algorithm(f.checksum).value_or(protocol::ChecksumAlgorithm::md5);
  }
  o.request_options.requester_pays = f.request_payer;
  o.request_options.expected_bucket_owner = f.expected_bucket_owner;
  o.connection.request_timeout =
      std::chrono::milliseconds(static_cast<std::int64_t>(f.timeout_seconds * 1000));
  o.connection.connect_address = f.connect_to;
  o.connection.connect_timeout = std::min(o.connection.connect_timeout, o.connection.request_timeout);
  return o;
}

}  // namespace s3purge::cli
