// Every output of the command, taken through engine/secrets before it is written: standard
// output and error (the summary, the JSON, errors, progress), the log sinks (terminal and
// --log-file) and --failed-keys. A server or a credential endpoint that quotes a token
// back cannot have it printed.
#pragma once

#include <spdlog/common.h>

#include <string_view>

namespace s3purge::cli {

// From here on, std::cout and std::cerr write what they are given less any secret the
// process has remembered, a line (or a flush) at a time.
void redact_standard_streams();

// A sink that logs through `inner`, each message less the secrets.
spdlog::sink_ptr redacting(spdlog::sink_ptr inner);

}  // namespace s3purge::cli
