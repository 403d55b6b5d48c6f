// credential_process, as the AWS CLI runs it: a command of the profile whose standard
// output is one JSON document, {"Version": 1, "AccessKeyId", "SecretAccessKey",
// "SessionToken", "Expiration"}; credentials with an Expiration are fetched again by
// running it again before then.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "engine/credential_source.hpp"
#include "protocol/error.hpp"

namespace s3purge::engine {

// The process's output, read; `who` names the profile in errors.
protocol::Result<TimedCredentials> parse_process_credentials(std::string_view output, const std::string& who);

// Runs `command` with /bin/sh -c, its standard error passed through, and reads its
// standard output (at most 64 KiB). Exceeding `timeout` kills it; exiting non-zero or
// printing what parse_process_credentials refuses is an error naming `who`.
protocol::Result<TimedCredentials> run_credential_process(const std::string& command, const std::string& who,
                                                          std::chrono::milliseconds timeout);

}  // namespace s3purge::engine
