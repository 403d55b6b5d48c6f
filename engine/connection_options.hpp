// Where and how long: the settings of every connection to the endpoint.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace s3purge::engine {

class TlsSessionCache;

struct ConnectionOptions {
  std::string host;       // resolved, and over TLS sent as SNI and verified
  std::uint16_t port = 0;
  // Connect to this address instead of resolving `host` (curl's --connect-to); TLS still
  // checks the certificate against `host`. For a virtual-hosted emulator on 127.0.0.1.
  std::string connect_address;
  bool https = true;
  // Resolve, connect and TLS handshake each get this long: a healthy endpoint answers in
  // milliseconds; 10 s tells a dead one from a slow one without stalling the run.
  std::chrono::milliseconds connect_timeout{10'000};
  // Writing a request and reading its answer each get this long (--timeout). A 1000-key
  // DeleteObjects on a loaded S3 partition can take seconds; 60 s leaves room for that.
  std::chrono::milliseconds request_timeout{60'000};
  // Answers larger than this are refused, so that no answer can make a lister hold more:
  // a page of 1000 versions whose 1024-byte keys are all percent-encoded is ~3.5 MB.
  std::uint64_t max_response_bytes = 8ull << 20;
  // Where TLS sessions are kept for resumption (the pool's); none: a full handshake each.
  TlsSessionCache* sessions = nullptr;
};

}  // namespace s3purge::engine
