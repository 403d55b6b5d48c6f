// Where requests go: the endpoint URL, the addressing style, and the bucket name rules.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "protocol/error.hpp"

namespace s3purge::protocol {

struct Endpoint {
  bool https = true;
  std::string host;        // a name, an IPv4 address, or an IPv6 address without brackets
  std::uint16_t port = 0;  // always set: 443/80 when the URL names none
  bool explicit_port = false;

  bool host_is_ip() const;
  bool host_is_loopback_name() const;  // "localhost" or a name under ".localhost"
  bool is_aws() const;                 // *.amazonaws.com(.cn)
  // The Host header for `host` at this endpoint's port: the port only when not default.
  std::string host_header(std::string_view host_name) const;
  std::string url() const;  // for messages: "https://s3.us-east-1.amazonaws.com"
};

// "https://host[:port][/]"; a path beyond "/" is refused, as are user info and query.
Result<Endpoint> parse_endpoint(std::string_view url);

// The AWS endpoint of a region: https://s3.REGION.amazonaws.com (.com.cn in China).
Endpoint aws_endpoint(std::string_view region);

enum class AddressingStyle { automatic, path, virtual_hosted };
Result<AddressingStyle> parse_addressing_style(std::string_view text);
std::string_view to_string(AddressingStyle style);

// S3's rules for new buckets: 3-63 of [a-z0-9.-], starting and ending with a letter or
// digit, no "..", ".-" or "-.", not an IPv4 address, not a reserved prefix or suffix.
bool is_dns_compatible_bucket(std::string_view bucket);
// Accepts any name S3 has ever allowed (legacy us-east-1 names have capitals and '_'),
// refusing only what cannot be a bucket in a URL: empty, too long, '/', control bytes.
Result<Ok> validate_bucket_name(std::string_view bucket);

// How one bucket is reached.
struct BucketAddress {
  bool https = true;
  std::string connect_host;  // the name to resolve and, over TLS, to verify (SNI)
  std::uint16_t port = 0;
  std::string host_header;   // Host: bucket.endpoint[:port] or endpoint[:port]
  std::string path_prefix;   // "/bucket" for path style, "" for virtual-hosted
  AddressingStyle style = AddressingStyle::path;  // the style chosen, never automatic

  // The request path of an object key: path_prefix + "/" + key encoded once, '/' kept.
  std::string object_path(std::string_view key) const;
  // The request path of the bucket itself: "/bucket" or "/".
  std::string bucket_path() const;
};

// `automatic` picks virtual-hosted style for DNS-compatible names, like the AWS CLI, but
// path style where virtual hosts cannot work: an IP or localhost endpoint, a name that is
// not DNS-compatible, or a dotted name over https (the wildcard certificate cannot match).
Result<BucketAddress> resolve_bucket_address(const Endpoint& endpoint, std::string_view bucket,
                                             AddressingStyle style);

}  // namespace s3purge::protocol
