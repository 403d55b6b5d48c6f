// AWS Signature Version 4 header signing for S3. Pure: the clock is passed in.
//
// S3 rules differ from other services in two ways that matter here: the canonical URI is
// the path exactly as sent (keys are encoded once, '/' kept, no normalisation of "." or
// "//"), and the payload hash is sent in x-amz-content-sha256 and may be UNSIGNED-PAYLOAD.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>

#include "protocol/credentials.hpp"
#include "protocol/http_message.hpp"

namespace s3purge::protocol {

enum class PayloadSigning {
  sha256,            // hash the body: needed on plain http, where nothing else protects it
  unsigned_payload,  // "UNSIGNED-PAYLOAD": TLS protects the body, Content-MD5 checks it
};

inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

// "20261123T141500Z"
std::string amz_timestamp(std::chrono::system_clock::time_point t);

struct CanonicalRequest {
  std::string text;            // the canonical request itself
  std::string signed_headers;  // "host;x-amz-content-sha256;x-amz-date"
};

// Every header of the request except the hop-by-hop ones (and user-agent, as botocore),
// plus host. The payload hash is taken as given.
CanonicalRequest canonical_request(const HttpRequest& req, std::string_view payload_hash);

class Signer {
 public:
  Signer(Credentials credentials, std::string region, std::string service = "s3");

  // Sets x-amz-date, x-amz-content-sha256, x-amz-security-token (when a token is present)
  // and Authorization. Signing again (a retry) replaces them.
  void sign(HttpRequest& req, std::chrono::system_clock::time_point now,
            PayloadSigning mode) const;

  // The hex signature of a canonical request at `timestamp` ("20261123T141500Z"), with this
  // signer's key, region and service: what sign() puts in Authorization, and what a server
  // recomputes to verify one.
  std::string signature(std::string_view timestamp, std::string_view canonical_request_text) const;
  // "20261123/us-east-1/s3/aws4_request"
  std::string scope(std::string_view date) const;

  const std::string& region() const { return region_; }
  const Credentials& credentials() const { return credentials_; }

 private:
  // kSigning = HMAC chain over date, region, service, "aws4_request": four HMACs that
  // change once a day, so they are cached per day (the region is fixed per signer).
  std::string signing_key(std::string_view date) const;

  Credentials credentials_;
  std::string region_;
  std::string service_;
  mutable std::mutex cache_mutex_;
  mutable std::string cached_date_;
  mutable std::string cached_key_;
};

}  // namespace s3purge::protocol
