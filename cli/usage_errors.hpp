// Usage errors in one line each, starting "s3purge: error:", naming the command, the flag
// or word at fault and what is allowed, with a "did you mean" where a known name is close.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace CLI {
class App;
class ParseError;
}  // namespace CLI

namespace s3purge::cli {

// An unknown command or a flag the command does not take, found before parsing (CLI11's
// own messages for those name neither the command nor a likely intent). nullopt: none.
std::optional<std::string> unknown_words(const CLI::App& app, const std::vector<std::string>& args);

// CLI11's error, as one line.
std::string usage_line(const CLI::App& app, const CLI::ParseError& e);

// The closest of `names` to `word` when close enough to be a typo; empty otherwise.
std::string closest(std::string_view word, const std::vector<std::string>& names);

}  // namespace s3purge::cli
