// The real process environment and file system, for resolve_config. Tests pass their own.
#pragma once

#include "protocol/config_resolver.hpp"

namespace s3purge::protocol {

EnvLookup system_env();
FileReader system_file_reader();

}  // namespace s3purge::protocol
