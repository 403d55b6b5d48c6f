// Where the log goes: stderr at warnings (errors only with -q; info with -v, every request
// and retry with -vv), and with --log-file a debug log in a file. No message at any level
// carries a secret key, session token or signature: the engine logs operations, codes and
// redacted key ids, never headers.
#pragma once

#include <string>

#include "protocol/error.hpp"

namespace s3purge::cli {

protocol::Result<protocol::Ok> setup_logging(int verbose, bool quiet, const std::string& log_file);

}  // namespace s3purge::cli
