// s3purge: empties and deletes S3-compatible buckets: current objects, versions, delete
// markers and incomplete multipart uploads, in one command.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/exit_codes.hpp"
#include "cli/purge_command.hpp"
#include "cli/version.hpp"

namespace {

using s3purge::cli::PurgeFlags;

void add_purge_flags(CLI::App* cmd, PurgeFlags& f, std::vector<std::string>& targets) {
  cmd->add_option("targets", targets, "s3://BUCKET or s3://BUCKET/PREFIX")->required();
  auto opt = [&](const char* name, auto& value, const char* help) {
    return cmd->add_option(name, value, help);
  };
  opt("--endpoint-url", f.config.endpoint_url, "S3 endpoint (default: AWS, from the region)");
  opt("--region", f.config.region, "region requests are signed for");
  opt("--profile", f.config.profile, "profile of the shared config and credentials files");
  opt("--addressing-style", f.config.addressing_style, "auto, path or virtual")
      ->check(CLI::IsMember({"auto", "path", "virtual"}));
  opt("--ca-bundle", f.config.ca_bundle, "PEM file of CA certificates to trust");
  cmd->add_flag("--no-verify-ssl", f.no_verify_ssl, "do not check the server's certificate");
  opt("--concurrency", f.concurrency,
      "DeleteObjects in flight (default 16: near S3's 3,500 writes/s per prefix even at 4 s "
      "per batch)")->capture_default_str();
  opt("--rate", f.rate, "ceiling in objects/s for deletes and aborts; 0: adaptive only")
      ->capture_default_str();
  opt("--burst", f.burst, "objects allowed at once above the rate (default max(1000, rate/20))");
  opt("--batch-size", f.batch_size, "keys per DeleteObjects (S3's maximum is 1000)")
      ->capture_default_str();
  opt("--queue-depth", f.queue_depth,
      "batches buffered between listing and deleting (memory stays flat)")->capture_default_str();
  opt("--max-retries", f.max_retries, "retries of a failing request (throttles allow more)")
      ->capture_default_str();
  opt("--timeout", f.timeout_seconds, "seconds for writing a request or reading its answer")
      ->capture_default_str();
  cmd->add_flag("--dry-run", f.dry_run, "list and count, delete nothing");
  cmd->add_flag("--yes", f.yes, "do not ask for confirmation (required without a terminal)");
  cmd->add_flag("--json", f.json, "print the report as one JSON document");
  cmd->add_flag("-q,--quiet", f.quiet, "print errors only");
  cmd->add_flag("--no-progress", f.no_progress, "no progress lines");
  opt("--failed-keys", f.failed_keys,
      "write each permanent failure as a JSON line: key, version_id, code, message, request_id");
  cmd->add_flag("--bypass-governance-retention", f.bypass_governance,
                "delete governance-mode locked versions (needs the permission)");
  cmd->add_flag("--request-payer", f.request_payer, "x-amz-request-payer: requester");
  opt("--connect-to", f.connect_to, "connect to this address instead of resolving the endpoint "
                                    "(virtual-hosted tests on 127.0.0.1)");
}

}  // namespace

int main(int argc, char** argv) {
  using s3purge::cli::ExitCode;
  CLI::App app{
      "s3purge: empty and delete S3-compatible buckets: current objects, versions, delete "
      "markers and incomplete multipart uploads, in one command.",
      "s3purge"};
  app.set_version_flag("--version", std::string("s3purge ") + s3purge::cli::kVersion);
  app.require_subcommand(1);
  app.footer(
      "Examples:\n"
      "  s3purge delete s3://old-logs --yes\n"
      "  s3purge empty s3://data/tmp/ --rate 2000\n"
      "  s3purge delete s3://my-bucket --endpoint-url https://cwobject.com --addressing-style "
      "virtual --profile cw\n"
      "Exit codes: 0 done; 1 some items failed; 2 usage or configuration error; 3 interrupted; "
      "4 not empty after the final verification.");

  PurgeFlags empty_flags, delete_flags;
  std::vector<std::string> empty_targets, delete_targets;
  auto* empty = app.add_subcommand(
      "empty", "remove current objects, versions, delete markers and incomplete uploads; keep "
               "the bucket");
  add_purge_flags(empty, empty_flags, empty_targets);
  auto* del = app.add_subcommand("delete", "empty the bucket, then delete it")->alias("rb");
  add_purge_flags(del, delete_flags, delete_targets);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 uses codes above 100 for bad input; map them onto our own exit codes.
    const int rc = app.exit(e);
    return rc == 0 ? static_cast<int>(ExitCode::ok) : static_cast<int>(ExitCode::usage);
  }
  try {
    if (empty->parsed()) return s3purge::cli::run_purge(empty_targets, false, empty_flags);
    return s3purge::cli::run_purge(delete_targets, true, delete_flags);
  } catch (const std::exception& e) {
    std::cerr << "s3purge: internal error: " << e.what() << "\n";
    return static_cast<int>(ExitCode::usage);
  }
}
