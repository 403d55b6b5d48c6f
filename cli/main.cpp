// s3purge: empties and deletes S3-compatible buckets: current objects, versions, delete
// markers and incomplete multipart uploads, in one command.
#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>

#include "cli/command_line.hpp"
#include "cli/credentials_command.hpp"
#include "cli/exit_codes.hpp"
#include "cli/help_export.hpp"
#include "cli/lifecycle_command.hpp"
#include "cli/logging.hpp"
#include "cli/plan_command.hpp"
#include "cli/purge_command.hpp"
#include "cli/redacting_output.hpp"
#include "cli/signal_exit.hpp"
#include "cli/usage_errors.hpp"
#include "cli/version.hpp"

namespace {

using s3purge::cli::ExitCode;

int code(ExitCode c) { return static_cast<int>(c); }

// For the build: `s3purge --write-docs DIR` writes the man page and the completions there.
int write_docs(const CLI::App& app, const std::string& dir) {
  const std::pair<const char*, const char*> files[] = {
      {"s3purge.1", "man"}, {"s3purge.bash", "bash"}, {"_s3purge", "zsh"}, {"s3purge.fish", "fish"}};
  for (const auto& [name, what] : files) {
    std::ofstream out(dir + "/" + name, std::ios::trunc);
    if (std::string_view(what) == "man") s3purge::cli::write_man_page(out, app, s3purge::cli::kVersion);
    else s3purge::cli::write_completion(out, app, what);
    if (!out.flush()) {
      std::cerr << "s3purge: error: cannot write " << dir << "/" << name << "\n";
      return code(ExitCode::usage);
    }
  }
  return code(ExitCode::ok);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace s3purge::cli;
  exit_on_signal_outside_loops();
  redact_standard_streams();
  CommandLineValues values;
  auto app = make_command_line(values);
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 2 && args[0] == "--write-docs") return write_docs(*app, args[1]);
  if (auto unknown = unknown_words(*app, args)) {
    std::cerr << "s3purge: error: " << *unknown << "\n";
    return code(ExitCode::usage);
  }
  try {
    app->parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app->exit(e);  // --help, --version
    std::cerr << usage_line(*app, e) << "\n";
    return code(ExitCode::usage);
  }
  const Command command = parsed_command(*app);
  if (command == Command::completion) {
    write_completion(std::cout, *app, values.completion_shell);
    return code(ExitCode::ok);
  }
  const Flags& f = parsed_flags(command, values);
  if (auto ok = setup_logging(f.verbose, f.quiet, f.log_file); !ok) {
    std::cerr << "s3purge: error: " << ok.error().message << "\n";
    return code(ExitCode::usage);
  }
  try {
    switch (command) {
      case Command::plan: return run_plan(values.plan_targets, f);
      case Command::empty: return run_purge(PurgeCommand::empty, values.empty_targets, {}, f);
      case Command::delete_bucket: return run_purge(PurgeCommand::delete_bucket, values.delete_targets, {}, f);
      case Command::rm: return run_purge(PurgeCommand::rm, {values.rm_target}, values.rm_keys, f);
      case Command::abort_uploads: return run_purge(PurgeCommand::abort_uploads, values.abort_targets, {}, f);
      case Command::credentials: return run_credentials(f);
      default: return run_lifecycle(values.lifecycle_action, values.lifecycle_target, f);
    }
  } catch (const std::exception& e) {
    std::cerr << "s3purge: internal error: " << e.what() << "\n";
    return code(ExitCode::usage);
  }
}
