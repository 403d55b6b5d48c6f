#include "protocol/sts.hpp"

#include "protocol/uri.hpp"
#include "protocol/xml_reader.hpp"

namespace s3purge::protocol {

namespace {

HttpRequest form_post(std::string body) {
  HttpRequest r;
  r.method = "POST";
  r.path = "/";
  r.headers.set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  r.body = std::move(body);
  return r;
}

}  // namespace

HttpRequest assume_role_with_web_identity_request(const WebIdentityRole& role, std::string_view token) {
  return form_post("Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=" + uri_encode(role.role_arn, false) +
                   "&RoleSessionName=" + uri_encode(role.session_name, false) +
                   "&WebIdentityToken=" + uri_encode(token, false));
}

HttpRequest assume_role_request(const AssumeRoleStep& step) {
  std::string body = "Action=AssumeRole&Version=2011-06-15&RoleArn=" + uri_encode(step.role_arn, false) +
                     "&RoleSessionName=" + uri_encode(step.session_name, false);
  if (!step.external_id.empty()) body += "&ExternalId=" + uri_encode(step.external_id, false);
  if (step.duration_seconds > 0) body += "&DurationSeconds=" + std::to_string(step.duration_seconds);
  return form_post(std::move(body));
}

Result<StsCredentials> parse_sts_credentials(std::string_view action, int status, std::string_view body) {
  auto doc = XmlDocument::parse(body);
  if (status != 200) {
    Error e(client_errc::missing_credentials, "STS answered HTTP " + std::to_string(status));
    if (doc) {
      const XmlNode error = doc->root().child("Error");
      if (error) {
        e.s3_code = error.child_text("Code");
        e.message = "STS refused " + std::string(action) + ": " + e.s3_code + ": " + error.child_text("Message");
      }
    }
    return e;
  }
  if (!doc) return std::move(doc).error();
  const std::string result = std::string(action) + "Result";
  const XmlNode creds = doc->root().child(result).child("Credentials");
  StsCredentials out;
  out.credentials = {creds.child_text("AccessKeyId"), creds.child_text("SecretAccessKey"),
                     creds.child_text("SessionToken")};
  out.expiration = creds.child_text("Expiration");
  if (!out.credentials.complete() || out.expiration.empty()) {
    return Error(client_errc::wrong_document, "STS's " + std::string(action) + " answer has no Credentials");
  }
  return out;
}

}  // namespace s3purge::protocol
