// What hands out temporary credentials, on 127.0.0.1, with --session-ttl: the JSON a
// credential_process prints (GET /_emu/credentials), the container credentials endpoint
// (GET /_emu/container-credentials), EC2 instance metadata (IMDSv2), STS (AssumeRole,
// AssumeRoleWithWebIdentity) and the SSO portal's GetRoleCredentials. Every issue counts as
// the stats fault "credentials-issued".
#include "s3emu/router.hpp"

#include "protocol/uri.hpp"
#include "s3emu/router_call.hpp"

namespace s3emu {

namespace {

// A field of an application/x-www-form-urlencoded body; empty when absent.
std::string form_field(std::string_view body, std::string_view name) {
  for (std::size_t p = 0, q; p < body.size(); p = q + 1) {
    q = body.find('&', p);
    if (q == std::string_view::npos) q = body.size();
    const std::string_view field = body.substr(p, q - p);
    if (field.size() > name.size() && field.starts_with(name) && field[name.size()] == '=') {
      return s3purge::protocol::url_decode(field.substr(name.size() + 1)).value_or("");
    }
  }
  return {};
}

}  // namespace

std::optional<HttpResponse> Router::credential_route(Call& c) {
  const std::string& op = c.route.op;
  if (op == "EmuCredentials" && sessions_.enabled()) {
    stats_.fault("credentials-issued");
    return c.respond(200, SessionKeys::to_json(sessions_.issue("process")), false);
  }
  if (op == "EmuContainerCredentials" && sessions_.enabled()) {
    if (c.req.headers.get("authorization") != options_.container_token) {
      return c.respond(403, R"({"code":"AccessDenied","message":"Authorization header is missing or wrong"})", false);
    }
    stats_.fault("credentials-issued");
    return c.respond(200, SessionKeys::to_role_json(sessions_.issue("container")), false);
  }
  if (op.starts_with("Imds")) return instance_metadata(c);
  if (op.starts_with("Sts")) return sts(c);
  if (op == "SsoGetRoleCredentials") return sso_role_credentials(c);
  return std::nullopt;
}

HttpResponse Router::sts(Call& c) {
  auto sts_error = [&c](int status, std::string_view code, std::string_view message) {
    return c.respond(status, "<ErrorResponse><Error><Type>Sender</Type><Code>" + std::string(code) + "</Code><Message>" +
                                 std::string(message) + "</Message></Error><RequestId>" + c.request_id +
                                 "</RequestId></ErrorResponse>");
  };
  const std::string& body = c.req.body;
  const std::string role_arn = form_field(body, "RoleArn");
  if (!role_arn.starts_with("arn:aws:iam::") || role_arn.find(":role/") == std::string::npos) {
    return sts_error(400, "ValidationError", "RoleArn is not the ARN of a role");
  }
  if (form_field(body, "RoleSessionName").empty()) {
    return sts_error(400, "ValidationError", "RoleSessionName is required");
  }
  auto life = std::chrono::milliseconds::max();
  if (const auto d = form_field(body, "DurationSeconds"); !d.empty()) {
    const int seconds = detail::parse_int(&d, -1);
    if (seconds < 900 || seconds > 43200) {
      return sts_error(400, "ValidationError", "DurationSeconds must be between 900 and 43200");
    }
    life = std::chrono::seconds(seconds);
  }
  std::string identity;
  std::string action;
  if (c.route.op == "StsAssumeRoleWithWebIdentity") {
    action = "AssumeRoleWithWebIdentity";
    const std::string token = form_field(body, "WebIdentityToken");
    if (token.empty() || (!options_.web_identity_token.empty() && token != options_.web_identity_token)) {
      return sts_error(400, "InvalidIdentityToken", "The web identity token was not accepted");
    }
    identity = action + "|" + role_arn + "|" + token;
  } else {
    action = "AssumeRole";
    std::string caller;
    HttpResponse denied;
    if (!verify_service_signature(c, "sts", caller, denied).empty()) return denied;
    const std::string external_id = form_field(body, "ExternalId");
    if (!options_.role_external_id.empty() && external_id != options_.role_external_id) {
      return sts_error(403, "AccessDenied", "The ExternalId does not match what the role's trust policy requires");
    }
    identity = action + "|" + role_arn + "|" + external_id + "|" + caller;
  }
  stats_.fault("credentials-issued");
  return c.respond(200, SessionKeys::to_sts_xml(action, sessions_.issue(identity, life)));
}

HttpResponse Router::sso_role_credentials(Call& c) {
  const std::string token(c.req.headers.get("x-amz-sso_bearer_token"));
  if (token.empty() || (!options_.sso_token.empty() && token != options_.sso_token)) {
    HttpResponse r = c.respond(401, R"({"message":"Session token not found or invalid"})", false);
    r.headers.set("x-amzn-ErrorType", "UnauthorizedException");
    r.headers.set("Content-Type", "application/json");
    return r;
  }
  const auto* account = c.route.param("account_id");
  const auto* role = c.route.param("role_name");
  if (!account || !role || account->empty() || role->empty()) {
    HttpResponse r = c.respond(400, R"({"message":"account_id and role_name are required"})", false);
    r.headers.set("x-amzn-ErrorType", "InvalidRequestException");
    return r;
  }
  stats_.fault("credentials-issued");
  HttpResponse r = c.respond(200, SessionKeys::to_sso_json(sessions_.issue("sso|" + *account + "|" + *role)), false);
  r.headers.set("Content-Type", "application/json");
  return r;
}

HttpResponse Router::instance_metadata(Call& c) {
  const auto& op = c.route.op;
  if (op == "ImdsToken") {
    if (options_.imds_v1_only) return c.respond(403, "", false);
    if (c.req.headers.get("x-aws-ec2-metadata-token-ttl-seconds").empty()) return c.respond(400, "", false);
    return c.respond(200, std::string(kImdsToken), false);
  }
  if (!options_.imds_v1_only && c.req.headers.get("x-aws-ec2-metadata-token") != kImdsToken) {
    return c.respond(401, "", false);
  }
  if (op == "ImdsRoles") return c.respond(200, std::string(kImdsRole), false);
  if (op == "ImdsCredentials") {
    stats_.fault("credentials-issued");
    return c.respond(200, SessionKeys::to_role_json(sessions_.issue("imds")), false);
  }
  return c.respond(404, "", false);
}

}  // namespace s3emu
