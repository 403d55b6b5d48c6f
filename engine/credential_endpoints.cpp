#include "engine/credential_endpoints.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/json.hpp>

#include <fstream>
#include <sstream>

#include "engine/http_connection.hpp"
#include "engine/tls_context.hpp"
#include "engine/transport_error.hpp"
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
  if (ec) return Error(client_errc::connection_failed, describe_transport_error(ec, at.url()));
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
  auto response = exchange_once(at.endpoint, std::move(request), timeout);
  if (!response) return refused(where, response.error().message);
  if (response->status != 200) return refused(where, "HTTP " + std::to_string(response->status));
  return parse_role_credentials(response->body, where);
}

protocol::Result<TimedCredentials> fetch_instance_credentials(const protocol::Endpoint& at,
                                                              std::chrono::milliseconds timeout) {
  const std::string where = "instance metadata " + at.url();
  protocol::HttpRequest put;
  put.method = "PUT";
  put.path = "/latest/api/token";
  put.headers.set("X-aws-ec2-metadata-token-ttl-seconds", "21600");
  auto token = exchange_once(at, std::move(put), timeout);
  if (!token) return refused(where, token.error().message + " (not on EC2, or IMDS unreachable)");
  if (token->status != 200 || token->body.empty()) {
    return refused(where, "the IMDSv2 session token was refused (HTTP " + std::to_string(token->status) + ")");
  }
  auto get = [&](const std::string& path) {
    protocol::HttpRequest r;
    r.method = "GET";
    r.path = path;
    r.headers.set("X-aws-ec2-metadata-token", token->body);
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
  auto sts = protocol::parse_endpoint(role.sts_url);
  if (!sts) return refused(where, sts.error().message);
  auto response = exchange_once(*sts, protocol::assume_role_with_web_identity_request(role, token), timeout);
  if (!response) return refused(where, response.error().message);
  auto parsed = protocol::parse_assume_role_with_web_identity(response->status, response->body);
  if (!parsed) return refused(where, parsed.error().message);
  TimedCredentials out{parsed->credentials, std::nullopt};
  const auto when = protocol::parse_iso8601(parsed->expiration);
  if (!when) return refused(where, "STS's Expiration '" + parsed->expiration + "' is not an ISO 8601 date");
  out.expiration = *when;
  return out;
}

}  // namespace s3purge::engine
