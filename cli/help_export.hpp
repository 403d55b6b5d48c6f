// The man page and the shell completions, written from the same parser that --help
// describes (cli/command_line.hpp), so no second copy of the flags can drift.
#pragma once

#include <ostream>
#include <string_view>

namespace CLI {
class App;
}

namespace s3purge::cli {

// roff for man(1): commands, their flags by group, exit codes and examples.
void write_man_page(std::ostream& out, const CLI::App& app, std::string_view version);
// shell: "bash", "zsh" or "fish". Commands, and each command's flags with their help.
void write_completion(std::ostream& out, const CLI::App& app, std::string_view shell);

}  // namespace s3purge::cli
