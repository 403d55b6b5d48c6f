#include "protocol/sts.hpp"

#include "protocol/uri.hpp"
#include "protocol/xml_reader.hpp"

namespace s3purge::protocol {

HttpRequest assume_role_with_web_identity_request(const WebIdentityRole& role, std::string_view token) {
  HttpRequest r;
  r.method = "POST";
  r.path = "/";
  r.headers.set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  r.body = "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=" + uri_encode(role.role_arn, false) +
           "&RoleSessionName=" + uri_encode(role.session_name, false) +
           "&WebIdentityToken=" + uri_encode(token, false);
  return r;
}

Result<StsCredentials> parse_assume_role_with_web_identity(int status, std::string_view body) {
  auto doc = XmlDocument::parse(body);
  if (status != 200) {
    Error e(client_errc::missing_credentials, "STS answered HTTP " + std::to_string(status));
    if (doc) {
      const XmlNode error = doc->root().child("Error");
      if (error) {
        e.s3_code = error.child_text("Code");
        e.message = "STS refused AssumeRoleWithWebIdentity: " + e.s3_code + ": " + error.child_text("Message");
      }
    }
    return e;
  }
  if (!doc) return std::move(doc).error();
  const XmlNode creds = doc->root().child("AssumeRoleWithWebIdentityResult").child("Credentials");
  StsCredentials out;
  out.credentials = {creds.child_text("AccessKeyId"), creds.child_text("SecretAccessKey"),
                     creds.child_text("SessionToken")};
  out.expiration = creds.child_text("Expiration");
  if (!out.credentials.complete() || out.expiration.empty()) {
    return Error(client_errc::wrong_document, "STS's AssumeRoleWithWebIdentity answer has no Credentials");
  }
  return out;
}

}  // namespace s3purge::protocol
