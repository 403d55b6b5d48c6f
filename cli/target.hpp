// "s3://BUCKET" or "s3://BUCKET/PREFIX", as the AWS CLI and s5cmd write them.
#pragma once

#include <string>
#include <string_view>

#include "protocol/error.hpp"

namespace s3purge::cli {

struct Target {
  std::string bucket;
  std::string prefix;  // "" for the whole bucket
};

protocol::Result<Target> parse_target(std::string_view text);

}  // namespace s3purge::cli
