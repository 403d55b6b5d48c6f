// The command line: every command, its flags in groups (target, speed, safety, output),
// each with its allowed values. One definition serves the parser, --help, the man page
// and the shell completions (cli/help_export.hpp).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli/flags.hpp"

namespace CLI {
class App;
}

namespace s3purge::cli {

enum class Command { plan, empty, delete_bucket, rm, abort_uploads, lifecycle, credentials, completion };

// Where the parser writes what it read.
struct CommandLineValues {
  Flags plan, empty, delete_bucket, rm, abort_uploads, lifecycle, credentials;
  std::vector<std::string> plan_targets, empty_targets, delete_targets, abort_targets, rm_keys;
  std::string rm_target, lifecycle_action, lifecycle_target, completion_shell;
};

// Option groups as --help shows them; an option in no group is a test hook, not shown.
inline constexpr const char* kGroupTarget = "Target";
inline constexpr const char* kGroupSpeed = "Speed";
inline constexpr const char* kGroupSelection = "Selection";
inline constexpr const char* kGroupSafety = "Safety";
inline constexpr const char* kGroupOutput = "Output";

// The parser, bound to `values` (which must outlive it).
std::unique_ptr<CLI::App> make_command_line(CommandLineValues& values);

// The command parsed, and its flags; call after a successful parse.
Command parsed_command(const CLI::App& app);
const Flags& parsed_flags(Command command, const CommandLineValues& values);

}  // namespace s3purge::cli
