#include "engine/credential_endpoints.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/json.hpp>

#include <fstream>
#include <sstream>

#include "engine/http_connection.hpp"
#include "engine/secrets.hpp"
#include "engine/tls_context.hpp"
#include "engine/transport_error.hpp"
#include "protocol/sigv4.hpp"
#include "protocol/time_text.hpp"

namespace s3purge::engine {

namespace asio = boost::asio;
using protocol::Error;
using protocol::client_errc;

namespace {

Error refused(const std::string& where, const std::string& why) {
  return Error(client_errc::missing_credentials, where + ": " + why);
}

// One request, its own event loop: answered, or the transport error in words.
protocol::Result<protocol::HttpResponse> exchange_once(const protocol::Endpoint& at, protocol::HttpRequest request,
                                                       std::chrono::milliseconds timeout) {
  asio::io_context ioc;
  ConnectionOptions o;
  o.host = at.host;
  o.port = at.port;
  o.https = at.https;
  o.connect_timeout = timeout;
  o.request_timeout = timeout;
  o.max_response_bytes = 64 * 1024;
  std::shared_ptr<asio::ssl::context> tls;
  if (at.https) {
    auto made = make_tls_context({});  // the system's trust store
    if (!made) return std::move(made).error();
    tls = *made;
  }
  HttpConnection connection(ioc.get_executor(), o, tls.get());
  request.host = at.host_header(at.host);
  protocol::HttpResponse response;
  boost::system::error_code ec;
  asio::co_spawn(ioc, [&]() -> asio::awaitable<void> {
    ec = co_await connection.exchange(request, response, false);
  }, asio::detached);
  ioc.run();
  if (ec) {
    const auto code = ec == boost::beast::error::timeout ? client_errc::endpoint_timed_out : client_errc::connection_failed;
    return Error(code, describe_transport_error(ec, at.url()));
  }
  return response;
}

std::string read_token_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

protocol::Result<TimedCredentials> sts_answer(std::string_view action, const protocol::HttpResponse& response,
                                              const std::string& where) {
  auto parsed = protocol::parse_sts_credentials(action, response.status, response.body);
  if (!parsed) return refused(where, parsed.error().message);
  TimedCredentials out{parsed->credentials, std::nullopt};
  const auto when = protocol::parse_iso8601(parsed->expiration);
  if (!when) return refused(where, "STS's Expiration '" + parsed->expiration + "' is not an ISO 8601 date");
  out.expiration = *when;
  return out;
}

}  // namespace

protocol::Result<TimedCredentials> parse_role_credentials(std::string_view body, const std::string& where) {
  boost::system::error_code ec;
  const auto doc = boost::json::parse(body, ec);
  if (ec || !doc.is_object()) return refused(where, "the answer is not a JSON object");
  const auto& o = doc.as_object();
  auto text = [&](const char* name) -> std::string {
    const auto* v = o.if_contains(name);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  if (const auto code = text("Code"); !code.empty() && code != "Success") {
    return refused(where, "the answer's Code is " + code + ": " + text("Message"));
  }
  TimedCredentials out;
  out.credentials = {text("AccessKeyId"), text("SecretAccessKey"), text("Token")};
  if (!out.credentials.complete()) return refused(where, "the answer has no AccessKeyId or SecretAccessKey");
  if (const auto e = text("Expiration"); !e.empty()) {
    const auto when = protocol::parse_iso8601(e);
    if (!when) return refused(where, "the answer's Expiration '" + e + "' is not an ISO 8601 date");
    out.expiration = *when;
  }
  return out;
}

protocol::Result<TimedCredentials> fetch_container_credentials(const protocol::ContainerCredentialsEndpoint& at,
                                                               std::chrono::milliseconds timeout) {
  const std::string where = "container credentials " + at.url;
  protocol::HttpRequest request;
  request.method = "GET";
  request.path = at.path;
  request.headers.set("Accept", "application/json");
  std::string token = at.authorization;
  if (!at.authorization_file.empty()) {
    token = read_token_file(at.authorization_file);
    if (token.empty()) return refused(where, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE " + at.authorization_file + " is empty or unreadable");
  }
  if (!token.empty()) request.headers.set("Authorization", token);
  remember_secret(token);
  auto response = exchange_once(at.endpoint, std::move(request), timeout);
  if (!response) return refused(where, response.error().message);
  if (response->status != 200) return refused(where, "HTTP " + std::to_string(response->status));
  return parse_role_credentials(response->body, where);
}

protocol::Result<TimedCredentials> fetch_instance_credentials(const protocol::Endpoint& at,
                                                              std::chrono::milliseconds timeout, bool allow_v1) {
  const std::string where = "instance metadata " + at.url();
  protocol::HttpRequest put;
  put.method = "PUT";
  put.path = "/latest/api/token";
  put.headers.set("X-aws-ec2-metadata-token-ttl-seconds", "21600");
  auto token = exchange_once(at, std::move(put), timeout);
  std::string session;  // empty: IMDSv1
  const bool timed_out = !token && token.error().code == client_errc::endpoint_timed_out;
  const bool v2_refused = token && (token->status == 403 || token->status == 404 || token->status == 405);
  if (timed_out || v2_refused) {
    if (!allow_v1) {
      return refused(where, std::string(timed_out ? "the IMDSv2 session token request timed out"
                                                  : "IMDSv2 session tokens are refused (HTTP " + std::to_string(token->status) + ")") +
                                ", and IMDSv1 is disabled (AWS_EC2_METADATA_V1_DISABLED / ec2_metadata_v1_disabled)");
    }
  } else if (!token) {
    return refused(where, token.error().message + " (not on EC2, or IMDS unreachable)");
  } else if (token->status != 200 || token->body.empty()) {
    return refused(where, "the IMDSv2 session token was refused (HTTP " + std::to_string(token->status) + ")");
  } else {
    session = token->body;
    remember_secret(session);
  }
  auto get = [&](const std::string& path) {
    protocol::HttpRequest r;
    r.method = "GET";
    r.path = path;
    if (!session.empty()) r.headers.set("X-aws-ec2-metadata-token", session);
    return exchange_once(at, std::move(r), timeout);
  };
  constexpr std::string_view kRoles = "/latest/meta-data/iam/security-credentials/";
  auto roles = get(std::string(kRoles));
  if (!roles) return refused(where, roles.error().message);
  if (roles->status != 200) return refused(where, "no role is attached to the instance (HTTP " + std::to_string(roles->status) + ")");
  const std::string role = roles->body.substr(0, roles->body.find('\n'));
  if (role.empty() || role.find('/') != std::string::npos) return refused(where, "no role is attached to the instance");
  auto creds = get(std::string(kRoles) + role);
  if (!creds) return refused(where, creds.error().message);
  if (creds->status != 200) return refused(where, "the role's credentials: HTTP " + std::to_string(creds->status));
  return parse_role_credentials(creds->body, where + " role " + role);
}

protocol::Result<TimedCredentials> fetch_web_identity_credentials(const protocol::WebIdentityRole& role,
                                                                  std::chrono::milliseconds timeout) {
  const std::string where = "web identity " + role.role_arn + " via " + role.sts_url;
  std::ifstream probe(role.token_file);
  if (!probe) return refused(where, "the token file " + role.token_file + " cannot be read");
  const std::string token = read_token_file(role.token_file);
  if (token.empty()) return refused(where, "the token file " + role.token_file + " is empty");
  remember_secret(token);
  auto sts = protocol::parse_endpoint(role.sts_url);
  if (!sts) return refused(where, sts.error().message);
  auto response = exchange_once(*sts, protocol::assume_role_with_web_identity_request(role, token), timeout);
  if (!response) return refused(where, response.error().message);
  return sts_answer("AssumeRoleWithWebIdentity", *response, where);
}

protocol::Result<TimedCredentials> fetch_assumed_role_credentials(const protocol::AssumeRoleStep& step,
                                                                  const protocol::Credentials& caller,
                                                                  std::chrono::milliseconds timeout) {
  const std::string where = "role " + step.role_arn + " of profile '" + step.profile + "' via " + step.sts_url;
  auto sts = protocol::parse_endpoint(step.sts_url);
  if (!sts) return refused(where, sts.error().message);
  remember_secret(caller.secret_access_key);
  remember_secret(caller.session_token);
  protocol::HttpRequest request = protocol::assume_role_request(step);
  request.host = sts->host_header(sts->host);
  protocol::Signer(caller, step.sts_region, "sts").sign(request, std::chrono::system_clock::now(),
                                                       protocol::PayloadSigning::sha256);
  auto response = exchange_once(*sts, std::move(request), timeout);
  if (!response) return refused(where, response.error().message);
  return sts_answer("AssumeRole", *response, where);
}

protocol::Result<TimedCredentials> fetch_sso_credentials(const protocol::SsoRole& role,
                                                         std::chrono::milliseconds timeout) {
  const std::string where = "IAM Identity Center role " + role.role_name + " of account " + role.account_id;
  const std::string login = "; run: aws sso login --profile " + role.profile;
  std::ifstream probe(role.cache_file);
  if (!probe) return refused(where, "no cached sign-in (" + role.cache_file + ")" + login);
  boost::system::error_code ec;
  const auto doc = boost::json::parse(read_token_file(role.cache_file), ec);
  const auto* o = !ec && doc.is_object() ? &doc.as_object() : nullptr;
  auto text = [&](const char* name) -> std::string {
    const auto* v = o ? o->if_contains(name) : nullptr;
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  const std::string token = text("accessToken");
  remember_secret(token);
  std::string expires = text("expiresAt");
  if (expires.ends_with("UTC")) expires = expires.substr(0, expires.size() - 3) + "Z";
  const auto expires_at = protocol::parse_iso8601(expires);
  if (token.empty() || !expires_at) return refused(where, "the cached sign-in " + role.cache_file + " is unreadable" + login);
  if (*expires_at <= std::chrono::system_clock::now()) {
    return refused(where, "the sign-in expired at " + expires + login);
  }
  auto portal = protocol::parse_endpoint(role.portal_url);
  if (!portal) return refused(where, portal.error().message);
  auto response = exchange_once(*portal, protocol::get_role_credentials_request(role, token), timeout);
  if (!response) return refused(where, response.error().message);
  if (response->status == 401 || response->status == 403) {
    return refused(where, "the portal refused the cached sign-in (HTTP " + std::to_string(response->status) + ")" + login);
  }
  if (response->status != 200) return refused(where, "the portal answered HTTP " + std::to_string(response->status));
  const auto answer = boost::json::parse(response->body, ec);
  const auto* creds = !ec && answer.is_object() ? answer.as_object().if_contains("roleCredentials") : nullptr;
  if (!creds || !creds->is_object()) return refused(where, "the portal's answer has no roleCredentials");
  const auto& c = creds->as_object();
  auto field = [&](const char* name) -> std::string {
    const auto* v = c.if_contains(name);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  TimedCredentials out;
  out.credentials = {field("accessKeyId"), field("secretAccessKey"), field("sessionToken")};
  const auto* expiration = c.if_contains("expiration");
  if (!out.credentials.complete() || !expiration || !expiration->is_int64()) {
    return refused(where, "the portal's roleCredentials lack a key, a secret or an expiration");
  }
  // Milliseconds since 1970; what the clock cannot hold (past 2262, or negative) is no date.
  const std::int64_t ms = expiration->as_int64();
  if (ms < 0 || ms > std::int64_t{9'000'000'000'000}) {
    return refused(where, "the portal's expiration " + std::to_string(ms) + " is not a date");
  }
  out.expiration = std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
  return out;
}

}  // namespace s3purge::engine
