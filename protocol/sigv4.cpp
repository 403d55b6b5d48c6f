#include "protocol/sigv4.hpp"

#include <algorithm>
#include <array>
#include <ctime>

#include "protocol/crypto.hpp"
#include "protocol/uri.hpp"

namespace s3purge::protocol {
namespace {

// Headers that proxies may add, drop or rewrite: signing them would break the signature.
// Same list as botocore's SIGNED_HEADERS_BLACKLIST.
constexpr std::array<std::string_view, 11> kUnsignedHeaders{
    "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
    "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id"};

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

// SigV4 "Trimall": strip, and collapse inner runs of whitespace to one space.
std::string trim_all(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  bool pending_space = false;
  for (const char c : v) {
    const bool ws = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
    if (ws) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

}  // namespace

std::string amz_timestamp(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  std::array<char, 17> buf{};
  std::strftime(buf.data(), buf.size(), "%Y%m%dT%H%M%SZ", &tm);
  return std::string(buf.data(), 16);
}

CanonicalRequest canonical_request(const HttpRequest& req, std::string_view payload_hash) {
  // Canonical headers: lower-cased names, sorted, values trimmed, repeats joined by ','.
  std::vector<std::pair<std::string, std::string>> headers;
  headers.reserve(req.headers.size() + 1);
  bool has_host = false;
  for (const auto& [name, value] : req.headers) {
    std::string lname = to_lower(name);
    if (std::find(kUnsignedHeaders.begin(), kUnsignedHeaders.end(), lname) !=
        kUnsignedHeaders.end()) {
      continue;
    }
    has_host = has_host || lname == "host";
    headers.emplace_back(std::move(lname), trim_all(value));
  }
  if (!has_host) headers.emplace_back("host", trim_all(req.host));
  std::stable_sort(headers.begin(), headers.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });

  // Canonical query: names and values encoded, sorted by name then value.
  std::vector<std::pair<std::string, std::string>> query;
  query.reserve(req.query.size());
  for (const auto& q : req.query) {
    query.emplace_back(uri_encode(q.name, false), uri_encode(q.value, false));
  }
  std::sort(query.begin(), query.end());

  CanonicalRequest out;
  std::string& t = out.text;
  t.reserve(256 + req.path.size());
  t += req.method;
  t += '\n';
  t += req.path;
  t += '\n';
  for (std::size_t i = 0; i < query.size(); ++i) {
    if (i != 0) t += '&';
    t += query[i].first;
    t += '=';
    t += query[i].second;
  }
  t += '\n';
  for (std::size_t i = 0; i < headers.size(); ++i) {
    const bool repeat = i > 0 && headers[i - 1].first == headers[i].first;
    if (repeat) {
      t += ',';
    } else {
      if (i != 0) t += '\n';
      t += headers[i].first;
      t += ':';
      if (!out.signed_headers.empty()) out.signed_headers += ';';
      out.signed_headers += headers[i].first;
    }
    t += headers[i].second;
  }
  t += "\n\n";
  t += out.signed_headers;
  t += '\n';
  t += payload_hash;
  return out;
}

Signer::Signer(Credentials credentials, std::string region, std::string service)
    : credentials_(std::move(credentials)),
      region_(std::move(region)),
      service_(std::move(service)) {}

std::string Signer::signing_key(std::string_view date) const {
  std::lock_guard lock(cache_mutex_);
  if (cached_date_ != date) {
    auto k = hmac_sha256("AWS4" + credentials_.secret_access_key, date);
    auto as_view = [](const Sha256Digest& d) {
      return std::string_view(reinterpret_cast<const char*>(d.data()), d.size());
    };
    k = hmac_sha256(as_view(k), region_);
    k = hmac_sha256(as_view(k), service_);
    k = hmac_sha256(as_view(k), "aws4_request");
    cached_key_.assign(reinterpret_cast<const char*>(k.data()), k.size());
    cached_date_.assign(date);
  }
  return cached_key_;
}

std::string Signer::scope(std::string_view date) const {
  std::string out;
  out.reserve(64);
  out.append(date).append("/").append(region_).append("/").append(service_).append("/aws4_request");
  return out;
}

std::string Signer::signature(std::string_view timestamp,
                              std::string_view canonical_request_text) const {
  const std::string_view date = timestamp.substr(0, 8);
  std::string string_to_sign;
  string_to_sign.reserve(160);
  string_to_sign.append("AWS4-HMAC-SHA256\n")
      .append(timestamp)
      .append("\n")
      .append(scope(date))
      .append("\n")
      .append(sha256_hex(canonical_request_text));
  return hex_lower(hmac_sha256(signing_key(date), string_to_sign));
}

void Signer::sign(HttpRequest& req, std::chrono::system_clock::time_point now,
                  PayloadSigning mode) const {
  const std::string timestamp = amz_timestamp(now);
  const std::string_view date = std::string_view(timestamp).substr(0, 8);

  const std::string payload_hash = mode == PayloadSigning::unsigned_payload
                                       ? std::string(kUnsignedPayload)
                                       : (req.body.empty() ? std::string(kEmptySha256)
                                                           : sha256_hex(req.body));
  req.headers.erase("authorization");
  req.headers.set("x-amz-date", timestamp);
  req.headers.set("x-amz-content-sha256", payload_hash);
  if (!credentials_.session_token.empty()) {
    req.headers.set("x-amz-security-token", credentials_.session_token);
  } else {
    req.headers.erase("x-amz-security-token");
  }

  const CanonicalRequest canonical = canonical_request(req, payload_hash);
  const std::string sig = signature(timestamp, canonical.text);
  const std::string credential_scope = scope(date);

  std::string auth;
  auth.reserve(200);
  auth.append("AWS4-HMAC-SHA256 Credential=")
      .append(credentials_.access_key_id)
      .append("/")
      .append(credential_scope)
      .append(", SignedHeaders=")
      .append(canonical.signed_headers)
      .append(", Signature=")
      .append(sig);
  req.headers.set("authorization", auth);
}

}  // namespace s3purge::protocol
