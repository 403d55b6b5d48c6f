#include "protocol/endpoint.hpp"

#include <charconv>

#include "protocol/uri.hpp"

namespace s3purge::protocol {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool is_ipv4(std::string_view s) {
  int parts = 0;
  std::size_t i = 0;
  while (i <= s.size()) {
    const std::size_t dot = s.find('.', i);
    const std::string_view part = s.substr(i, dot == std::string_view::npos ? s.npos : dot - i);
    if (part.empty() || part.size() > 3) return false;
    int v = 0;
    for (const char c : part) {
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    if (v > 255) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    i = dot + 1;
  }
  return parts == 4;
}

bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '.' || c == '_';
}

// The URL as it may be shown: user information (a password, often) is never echoed.
std::string shown(std::string_view url) {
  const std::size_t scheme = url.find("://");
  const std::size_t from = scheme == url.npos ? 0 : scheme + 3;
  const std::size_t end = url.find_first_of("/?#", from);
  const std::size_t at = url.substr(0, end).rfind('@');
  if (at == url.npos || at < from) return std::string(url);
  return std::string(url.substr(0, from)) + "***@" + std::string(url.substr(at + 1));
}

Error endpoint_error(std::string_view url, std::string_view why) {
  return Error(client_errc::invalid_endpoint,
               "endpoint URL '" + shown(url) + "': " + std::string(why));
}

}  // namespace

bool Endpoint::host_is_ip() const { return is_ipv4(host) || host.find(':') != host.npos; }

bool Endpoint::host_is_loopback_name() const {
  return host == "localhost" || ends_with(host, ".localhost");
}

bool Endpoint::is_aws() const {
  return ends_with(host, ".amazonaws.com") || ends_with(host, ".amazonaws.com.cn");
}

std::string Endpoint::host_header(std::string_view host_name) const {
  std::string out;
  const bool ipv6 = host_name.find(':') != host_name.npos;
  if (ipv6) out += '[';
  out += host_name;
  if (ipv6) out += ']';
  const bool default_port = (https && port == 443) || (!https && port == 80);
  if (!default_port) out += ":" + std::to_string(port);
  return out;
}

std::string Endpoint::url() const {
  return std::string(https ? "https://" : "http://") + host_header(host);
}

Result<Endpoint> parse_endpoint(std::string_view url) {
  Endpoint ep;
  std::string_view rest;
  if (url.starts_with("https://")) {
    ep.https = true;
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    ep.https = false;
    rest = url.substr(7);
  } else {
    return endpoint_error(url, "must start with http:// or https://");
  }
  const std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos && rest.substr(slash) != "/") {
    return endpoint_error(url, "a path after the host is not supported");
  }
  if (authority.find('@') != authority.npos) {
    return endpoint_error(url, "user information in the URL is not supported");
  }
  if (authority.find_first_of("?#") != authority.npos) {
    return endpoint_error(url, "a query or fragment is not supported");
  }
  std::string_view host = authority;
  std::string_view port;
  if (authority.starts_with('[')) {
    const std::size_t close = authority.find(']');
    if (close == authority.npos) return endpoint_error(url, "unterminated IPv6 address");
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return endpoint_error(url, "junk after IPv6 address");
      port = after.substr(1);
    }
    for (const char c : host) {
      const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
                      (c >= 'A' && c <= 'F') || c == ':' || c == '.';
      if (!ok) return endpoint_error(url, "invalid IPv6 address");
    }
  } else {
    const std::size_t colon = authority.rfind(':');
    if (colon != authority.npos) {
      host = authority.substr(0, colon);
      port = authority.substr(colon + 1);
    }
    for (const char c : host) {
      if (!is_host_char(c)) return endpoint_error(url, "invalid character in host name");
    }
  }
  if (host.empty()) return endpoint_error(url, "no host");
  ep.host.assign(host);
  for (auto& c : ep.host) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  ep.port = ep.https ? 443 : 80;
  if (!port.empty()) {
    unsigned value = 0;
    const auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || ptr != port.data() + port.size() || value == 0 || value > 65535) {
      return endpoint_error(url, "invalid port");
    }
    ep.port = static_cast<std::uint16_t>(value);
    ep.explicit_port = true;
  } else if (authority.ends_with(':')) {
    return endpoint_error(url, "empty port");
  }
  return ep;
}

Endpoint aws_endpoint(std::string_view region) {
  Endpoint ep;
  ep.https = true;
  ep.port = 443;
  ep.host = "s3." + std::string(region) + ".amazonaws.com";
  if (region.starts_with("cn-")) ep.host += ".cn";
  return ep;
}

Result<AddressingStyle> parse_addressing_style(std::string_view text) {
  if (text == "auto") return AddressingStyle::automatic;
  if (text == "path") return AddressingStyle::path;
  if (text == "virtual") return AddressingStyle::virtual_hosted;
  return Error(client_errc::invalid_config, "addressing style must be auto, path or virtual, not '" +
                                                std::string(text) + "'");
}

std::string_view to_string(AddressingStyle style) {
  switch (style) {
    case AddressingStyle::automatic: return "auto";
    case AddressingStyle::path: return "path";
    case AddressingStyle::virtual_hosted: return "virtual";
  }
  return "auto";
}

bool is_dns_compatible_bucket(std::string_view b) {
  if (b.size() < 3 || b.size() > 63) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(b.front()) || !alnum(b.back())) return false;
  for (const char c : b) {
    if (!alnum(c) && c != '-' && c != '.') return false;
  }
  if (b.find("..") != b.npos || b.find(".-") != b.npos || b.find("-.") != b.npos) return false;
  if (is_ipv4(b)) return false;
  if (b.starts_with("xn--") || b.starts_with("sthree-") || b.ends_with("-s3alias") ||
      b.ends_with("--ol-s3")) {
    return false;
  }
  return true;
}

Result<Ok> validate_bucket_name(std::string_view bucket) {
  auto bad = [&](std::string_view why) {
    return Error(client_errc::invalid_bucket_name,
                 "bucket name '" + std::string(bucket) + "' " + std::string(why));
  };
  if (bucket.empty()) return bad("is empty");
  if (bucket.size() > 255) return bad("is longer than 255 characters");
  for (const char c : bucket) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '/') return bad("contains '/'");
    if (u < 0x20 || u >= 0x7f) return bad("contains a control or non-ASCII character");
    const bool legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
    if (!legal) return bad("contains a character S3 never allowed in bucket names");
  }
  return Ok{};
}

std::string BucketAddress::object_path(std::string_view key) const {
  std::string out = path_prefix;
  out.push_back('/');
  uri_encode_append(out, key, true);
  return out;
}

std::string BucketAddress::bucket_path() const { return path_prefix.empty() ? "/" : path_prefix; }

Result<BucketAddress> resolve_bucket_address(const Endpoint& endpoint, std::string_view bucket,
                                             AddressingStyle style) {
  if (auto ok = validate_bucket_name(bucket); !ok) return std::move(ok).error();
  const bool dns_ok = is_dns_compatible_bucket(bucket);
  if (style == AddressingStyle::automatic) {
    const bool virtual_possible = dns_ok && !endpoint.host_is_ip() &&
                                  !endpoint.host_is_loopback_name() &&
                                  !(endpoint.https && bucket.find('.') != bucket.npos);
    style = virtual_possible ? AddressingStyle::virtual_hosted : AddressingStyle::path;
  }
  if (style == AddressingStyle::virtual_hosted) {
    if (!dns_ok) {
      return Error(client_errc::invalid_bucket_name,
                   "bucket name '" + std::string(bucket) +
                       "' is not DNS-compatible, so it cannot be addressed virtual-hosted; use "
                       "--addressing-style path");
    }
    if (endpoint.host_is_ip()) {
      return Error(client_errc::invalid_config,
                   "virtual-hosted addressing needs a host name, not the IP address " +
                       endpoint.host);
    }
  }

  BucketAddress a;
  a.https = endpoint.https;
  a.port = endpoint.port;
  a.style = style;
  if (style == AddressingStyle::virtual_hosted) {
    a.connect_host = std::string(bucket) + "." + endpoint.host;
    a.host_header = endpoint.host_header(a.connect_host);
  } else {
    a.connect_host = endpoint.host;
    a.host_header = endpoint.host_header(endpoint.host);
    a.path_prefix = "/" + std::string(bucket);
  }
  return a;
}

}  // namespace s3purge::protocol
