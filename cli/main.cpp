// s3purge: empties and deletes S3-compatible buckets.
//
// This build carries the protocol layer only: it prints its version and its usage, and
// says plainly that the commands are not there yet rather than pretending to run them.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#include "cli/exit_codes.hpp"
#include "cli/version.hpp"

int main(int argc, char** argv) {
  using s3purge::cli::ExitCode;
  CLI::App app{
      "s3purge: empty and delete S3-compatible buckets: current objects, versions, delete "
      "markers and incomplete multipart uploads, in one command.",
      "s3purge"};
  app.set_version_flag("--version", std::string("s3purge ") + s3purge::cli::kVersion);
  app.footer(
      "Commands (plan, empty, delete, rm, abort-uploads, lifecycle) are not in this build "
      "yet.\nExit codes: 0 success; 2 usage or configuration error.");
  std::vector<std::string> rest;
  app.add_option("command", rest, "command and its arguments");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 uses codes above 100 for bad input; map them onto our own exit codes.
    const int rc = app.exit(e);
    return rc == 0 ? static_cast<int>(ExitCode::ok) : static_cast<int>(ExitCode::usage);
  }
  if (rest.empty()) {
    std::cout << app.help();
    return static_cast<int>(ExitCode::ok);
  }
  std::cerr << "s3purge: '" << rest.front()
            << "' is not available: this build has no commands yet (see s3purge --help)\n";
  return static_cast<int>(ExitCode::usage);
}
