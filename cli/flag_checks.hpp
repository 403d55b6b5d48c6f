// Checks of flag values, applied as the command line is parsed: a bad value is a usage
// error in the tool's own words (exit 2), before any request.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace s3purge::cli {

// A number between lo and hi (inclusive; lo excluded when `above`), said in one line:
// "'abc' is not a whole number; allowed: 0 to 1000000 (meaning)".
CLI::Validator number_in(double lo, double hi, bool integer, std::string meaning, bool above = false);

}  // namespace s3purge::cli
