#include "protocol/error.hpp"

namespace s3purge::protocol {

std::string Error::describe() const {
  std::string out;
  out += s3_code.empty() ? code.message() : s3_code;
  if (http_status != 0) out += " (HTTP " + std::to_string(http_status) + ")";
  if (!message.empty()) out += ": " + message;
  if (!region.empty()) {
    out += "; the bucket is in region " + region + " (use --region " + region + ")";
  } else if (!endpoint.empty()) {
    out += "; S3 says to use endpoint " + endpoint;
  }
  if (!request_id.empty()) out += " [request id " + request_id;
  if (!host_id.empty()) out += (request_id.empty() ? " [host id " : ", host id ") + host_id;
  if (!request_id.empty() || !host_id.empty()) out += "]";
  return out;
}

}  // namespace s3purge::protocol
