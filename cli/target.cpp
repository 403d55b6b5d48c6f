#include "cli/target.hpp"

#include "protocol/endpoint.hpp"

namespace s3purge::cli {

protocol::Result<Target> parse_target(std::string_view text) {
  auto bad = [&](std::string why) {
    return protocol::Error(protocol::client_errc::invalid_bucket_name,
                           "'" + std::string(text) + "': " + why);
  };
  if (!text.starts_with("s3://")) return bad("targets are written s3://BUCKET or s3://BUCKET/PREFIX");
  std::string_view rest = text.substr(5);
  const auto slash = rest.find('/');
  Target t;
  t.bucket = std::string(rest.substr(0, slash));
  if (slash != std::string_view::npos) t.prefix = std::string(rest.substr(slash + 1));
  if (auto ok = protocol::validate_bucket_name(t.bucket); !ok) return std::move(ok).error();
  return t;
}

}  // namespace s3purge::cli
