// s3emu's request handling, without I/O: an HTTP request in, an HTTP response out. The
// server (server.cpp) adds sockets, TLS, the latency and capacity models and the transport
// faults around it; tests drive it directly.
#pragma once

#include <cstdint>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocol/http_message.hpp"
#include "protocol/sigv4.hpp"
#include "s3emu/partitions.hpp"
#include "s3emu/faults.hpp"
#include "s3emu/refusals.hpp"
#include "s3emu/stats.hpp"
#include "s3emu/store.hpp"

#include "s3emu/sessions.hpp"

namespace s3emu {

using s3purge::protocol::Headers;
using s3purge::protocol::HttpResponse;
using s3purge::protocol::QueryParam;

struct EmuRequest {
  std::string method;
  std::string target;  // path and query as received
  Headers headers;
  std::string body;
};

// Instance metadata's session token and role, as s3emu serves them.
inline constexpr std::string_view kImdsToken = "emu-imds-session-token";
inline constexpr std::string_view kImdsRole = "s3emu-role";

struct RouterOptions {
  std::string access_key;  // with secret_key: verify SigV4; empty: accept anything
  std::string secret_key;
  std::string region = "us-east-1";
  // Requests carrying a session token are refused with ExpiredToken, as S3 refuses
  // temporary credentials past their expiry.
  bool expire_session_tokens = false;
  // Above zero: GET /_emu/credentials issues temporary credentials valid this long
  // (sessions.hpp), accepted beside access_key until they expire.
  std::chrono::milliseconds session_ttl{0};
  // With session_ttl: the Authorization header GET /_emu/container-credentials requires
  // (empty: none), as ECS and EKS Pod Identity require theirs.
  std::string container_token;
  // With session_ttl: the WebIdentityToken STS AssumeRoleWithWebIdentity (POST /) requires
  // (empty: any).
  std::string web_identity_token;
  // With session_ttl: the ExternalId STS AssumeRole requires (empty: none).
  std::string role_external_id;
  // With session_ttl: the bearer token the SSO portal's GetRoleCredentials requires (empty: any).
  std::string sso_token;
  // With session_ttl: the same request for credentials gets the same keys (sessions.hpp).
  bool stable_credentials = false;
  // With session_ttl: instance metadata refuses session tokens (403) and answers without
  // one, as an instance that serves IMDSv1 only.
  bool imds_v1_only = false;
  // Host names under which BUCKET.NAME means virtual-hosted addressing.
  std::vector<std::string> virtual_domains = {"localhost"};
  bool delete_objects = true;  // false: POST ?delete answers 501 NotImplemented
  // "crc": DeleteObjects without Content-MD5 is refused (400 InvalidRequest naming it), as
  // clones that know no flexible checksum answer; "md5": one without x-amz-checksum-* is.
  std::string refuse_checksum;
  // Writes per second per key range (partitions.hpp); count 0 and no bounds: none.
  PartitionOptions partitions;
  Refusals refusals;           // --deny, --not-implemented
  // Entries per list page at most, whatever is asked (S3: 1000). Smaller makes a few
  // hundred keys span many pages, as millions do on S3.
  int max_page = 1000;
  // Bodies up to this size are kept and served back; larger ones keep their size only and
  // read back as 'x' bytes (benchmarks write little; clients' round trips stay exact).
  std::uint64_t max_object_bytes_kept = 16u << 20;
};

// What a request is, decided before it runs: the server needs it for the capacity and
// latency models.
struct Route {
  std::string op;              // "DeleteObjects", "ListObjectsV2", ..., "Stats"
  std::string bucket, key;
  std::vector<QueryParam> query;
  std::string error;           // non-empty: the target could not be understood
  std::uint64_t write_cost = 0;  // write operations it counts as (keys of a DeleteObjects)
  std::uint64_t keys = 0;        // keys of a DeleteObjects, for --per-key-latency
  bool is_list = false;
  bool has(std::string_view name) const;
  const std::string* param(std::string_view name) const;
};

class Router {
 public:
  Router(Store& store, Stats& stats, RouterOptions options, const FaultInjector* faults,
         std::int64_t (*clock)() = nullptr);

  Route route(const EmuRequest& request) const;
  // `request_seq` numbers requests in arrival order (request ids, fault draws); `fault` is
  // the transport-independent fault drawn for it (slowdown, internal, error-in-200).
  HttpResponse handle(const EmuRequest& request, const Route& route, std::uint64_t request_seq,
                      RequestFault fault);

 private:
  struct Call;
  HttpResponse dispatch(Call& c);
  HttpResponse bucket_op(Call& c);
  HttpResponse object_op(Call& c);
  HttpResponse delete_objects(Call& c, Bucket& b);
  std::optional<HttpResponse> check_delete_checksum(Call& c);
  std::string authenticate(Call& c, HttpResponse& denied);
  // The signature of a request for another service (STS), with an issued key or access_key;
  // the caller's key id in `caller`. Empty: verified; otherwise the refusal in `denied`.
  std::string verify_service_signature(Call& c, std::string_view service, std::string& caller,
                                       HttpResponse& denied);
  // credential_routes.cpp: what hands out temporary credentials.
  std::optional<HttpResponse> credential_route(Call& c);
  HttpResponse instance_metadata(Call& c);  // PUT api/token, the role, its credentials
  HttpResponse sts(Call& c);                // POST /: AssumeRole, AssumeRoleWithWebIdentity
  HttpResponse sso_role_credentials(Call& c);  // GET /federation/credentials

  Store& store_;
  Stats& stats_;
  RouterOptions options_;
  const FaultInjector* faults_;
  std::int64_t (*clock_)();
  SessionKeys sessions_;
  std::unique_ptr<Partitions> partitions_;  // null: no partition model
};

}  // namespace s3emu
