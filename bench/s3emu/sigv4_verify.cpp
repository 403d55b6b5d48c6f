// SigV4 verification as S3 does it: key id, region of the bucket, payload hash, signature
// recomputed from what arrived with the protocol layer's canonicaliser.
#include "s3emu/router.hpp"

#include "protocol/crypto.hpp"
#include "protocol/endpoint.hpp"
#include "protocol/uri.hpp"
#include "protocol/xml_reader.hpp"
#include "s3emu/listing.hpp"
#include "s3emu/router_call.hpp"

namespace s3emu {

namespace proto = s3purge::protocol;
using namespace detail;

namespace {

// Authorization: AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request,
// SignedHeaders=..., Signature=...
struct AuthHeader {
  std::vector<std::string> scope;
  std::string signed_headers, signature;
};

std::optional<AuthHeader> parse_authorization(std::string_view auth) {
  auto field = [&](std::string_view name) -> std::string {
    const auto at = auth.find(name);
    if (at == std::string_view::npos) return {};
    const auto start = at + name.size();
    const auto end = auth.find(',', start);
    std::string v(auth.substr(start, end == std::string_view::npos ? auth.npos : end - start));
    while (!v.empty() && v.back() == ' ') v.pop_back();
    return v;
  };
  AuthHeader out;
  const std::string credential = field("Credential=");
  out.signed_headers = field("SignedHeaders=");
  out.signature = field("Signature=");
  for (std::size_t p = 0, q; p <= credential.size(); p = q + 1) {
    q = credential.find('/', p);
    if (q == std::string::npos) q = credential.size();
    out.scope.push_back(credential.substr(p, q - p));
  }
  if (out.scope.size() != 5 || out.signed_headers.empty() || out.signature.empty()) return std::nullopt;
  return out;
}

// Rebuilds the canonical request from what arrived: the path as sent, the query decoded
// (canonical_request encodes it again), and only the headers the client signed. Empty:
// the signature matches; otherwise what is wrong.
std::string check_signature(const EmuRequest& req, const Route& route, const AuthHeader& a,
                            const std::string& secret, const std::string& payload_hash) {
  proto::HttpRequest canonical;
  canonical.method = req.method;
  const std::string_view target = req.target;
  canonical.path = std::string(target.substr(0, target.find('?')));
  canonical.query = route.query;
  bool host_signed = false;
  for (std::size_t p = 0, q; p <= a.signed_headers.size(); p = q + 1) {
    q = a.signed_headers.find(';', p);
    if (q == std::string::npos) q = a.signed_headers.size();
    const std::string name = a.signed_headers.substr(p, q - p);
    host_signed = host_signed || name == "host";
    for (const auto& [n, v] : req.headers) {
      if (proto::iequals(n, name)) canonical.headers.add(name, v);
    }
  }
  if (!host_signed) return "The host header must be signed";
  canonical.host = std::string(req.headers.get("host"));
  const auto cr = proto::canonical_request(canonical, payload_hash);
  const proto::Signer verifier({a.scope[0], secret, ""}, a.scope[2], a.scope[3]);
  const std::string timestamp(req.headers.get("x-amz-date"));
  if (verifier.signature(timestamp, cr.text) != a.signature) {
    return "The request signature we calculated does not match the signature you provided. "
           "Check your key and signing method.";
  }
  return {};
}

}  // namespace

std::string Router::authenticate(Call& c, HttpResponse& denied) {
  if (options_.access_key.empty()) return {};
  auto deny = [&](int status, std::string_view code, std::string message,
                  std::vector<ErrorExtra> extra = {}) {
    denied = c.error(status, code, message, extra);
    return std::string(code);
  };
  const std::string_view auth = c.req.headers.get("authorization");
  if (auth.empty()) return deny(403, "AccessDenied", "Anonymous access is not allowed");
  constexpr std::string_view kAlgo = "AWS4-HMAC-SHA256 ";
  if (!auth.starts_with(kAlgo)) {
    return deny(400, "InvalidArgument", "Only AWS4-HMAC-SHA256 is supported");
  }
  const auto parsed = parse_authorization(auth);
  if (!parsed) return deny(400, "AuthorizationHeaderMalformed", "The authorization header is malformed");
  const std::vector<std::string>& scope = parsed->scope;
  if (options_.expire_session_tokens && c.req.headers.contains("x-amz-security-token")) {
    return deny(400, "ExpiredToken", "The provided token has expired.");
  }
  std::string secret = options_.secret_key;
  if (scope[0] != options_.access_key) {
    switch (sessions_.check(scope[0], c.req.headers.get("x-amz-security-token"), secret)) {
      case SessionKeys::Check::valid:
        break;
      case SessionKeys::Check::expired:
        stats_.fault("expired-token");
        return deny(400, "ExpiredToken", "The provided token has expired.");
      case SessionKeys::Check::wrong_token:
        return deny(403, "InvalidToken", "The provided token is malformed or otherwise invalid.");
      case SessionKeys::Check::unknown:
        return deny(403, "InvalidAccessKeyId",
                    "The AWS Access Key Id you provided does not exist in our records.");
    }
  }
  std::string expected_region = options_.region;
  {
    std::lock_guard lock(store_.mutex());
    if (const Bucket* b = store_.find(c.route.bucket)) expected_region = b->region;
  }
  if (scope[2] != expected_region) {
    return deny(400, "AuthorizationHeaderMalformed",
                "The authorization header is malformed; the region '" + scope[2] +
                    "' is wrong; expecting '" + expected_region + "'",
                {{"Region", expected_region}});
  }
  const std::string timestamp(c.req.headers.get("x-amz-date"));
  if (timestamp.size() != 16 || timestamp.substr(0, 8) != scope[1]) {
    return deny(403, "AccessDenied", "x-amz-date is missing or does not match the credential date");
  }
  const std::string payload_hash(c.req.headers.get("x-amz-content-sha256"));
  if (payload_hash.empty()) {
    return deny(400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256");
  }
  if (payload_hash.size() == 64 && payload_hash != proto::sha256_hex(c.req.body)) {
    return deny(400, "XAmzContentSHA256Mismatch",
                "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }

  if (const auto wrong = check_signature(c.req, c.route, *parsed, secret, payload_hash); !wrong.empty()) {
    return deny(403, wrong.starts_with("The host") ? "AccessDenied" : "SignatureDoesNotMatch", wrong);
  }
  return {};
}

std::string Router::verify_service_signature(Call& c, std::string_view service, std::string& caller,
                                             HttpResponse& denied) {
  auto deny = [&](int status, std::string_view code, std::string message) {
    denied = c.respond(status, "<ErrorResponse><Error><Type>Sender</Type><Code>" + std::string(code) + "</Code><Message>" +
                                   message + "</Message></Error><RequestId>" + c.request_id + "</RequestId></ErrorResponse>");
    return std::string(code);
  };
  const auto parsed = parse_authorization(c.req.headers.get("authorization"));
  if (!parsed || parsed->scope[3] != service) {
    return deny(400, "IncompleteSignature", "The request must be signed with SigV4 for " + std::string(service));
  }
  std::string secret = options_.secret_key;
  caller = parsed->scope[0];
  if (caller != options_.access_key) {
    switch (sessions_.check(caller, c.req.headers.get("x-amz-security-token"), secret)) {
      case SessionKeys::Check::valid: break;
      case SessionKeys::Check::expired: return deny(400, "ExpiredToken", "The security token included in the request is expired");
      case SessionKeys::Check::wrong_token: return deny(403, "InvalidClientTokenId", "The security token included in the request is invalid.");
      case SessionKeys::Check::unknown: return deny(403, "InvalidClientTokenId", "The security token included in the request is invalid.");
    }
  }
  std::string payload_hash(c.req.headers.get("x-amz-content-sha256"));
  if (payload_hash.empty()) payload_hash = proto::sha256_hex(c.req.body);
  if (const auto wrong = check_signature(c.req, c.route, *parsed, secret, payload_hash); !wrong.empty()) {
    return deny(403, "SignatureDoesNotMatch", wrong);
  }
  return {};
}

}  // namespace s3emu
