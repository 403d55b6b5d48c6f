// s3purge: empties and deletes S3-compatible buckets: current objects, versions, delete
// markers and incomplete multipart uploads, in one command.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/exit_codes.hpp"
#include "cli/flags.hpp"
#include "cli/lifecycle_command.hpp"
#include "cli/logging.hpp"
#include "cli/plan_command.hpp"
#include "cli/purge_command.hpp"
#include "cli/signal_exit.hpp"
#include "cli/version.hpp"

namespace {

using s3purge::cli::Flags;

// Where to connect and as whom, and what to print: every command has these.
void add_connection_flags(CLI::App* cmd, Flags& f) {
  cmd->add_option("--endpoint-url", f.config.endpoint_url,
                  "S3 endpoint (default: AWS, from the region; also AWS_ENDPOINT_URL_S3)");
  cmd->add_option("--region", f.config.region, "region requests are signed for (default: AWS_REGION, "
                                               "the profile's, us-east-1)");
  cmd->add_option("--profile", f.config.profile, "profile of the shared config and credentials files");
  cmd->add_option("--addressing-style", f.config.addressing_style,
                  "auto (virtual-hosted where the name allows), path or virtual")
      ->check(CLI::IsMember({"auto", "path", "virtual"}));
  cmd->add_option("--ca-bundle", f.config.ca_bundle, "PEM file of CA certificates to trust");
  cmd->add_flag("--no-verify-ssl", f.no_verify_ssl, "do not check the server's certificate");
  cmd->add_option("--timeout", f.timeout_seconds,
                  "seconds for writing a request or reading its answer (a loaded S3 partition can "
                  "take seconds on a 1000-key DeleteObjects)")->capture_default_str();
  cmd->add_option("--max-retries", f.max_retries,
                  "retries of a request failing with 5xx, resets or timeouts (throttles get 30 more, "
                  "each paced)")->capture_default_str();
  cmd->add_option("--retry-time", f.retry_seconds,
                  "seconds one request is retried at most, waits included (a server's Retry-After is "
                  "obeyed up to 20 s); then what it carried is reported failed")->capture_default_str();
  cmd->add_flag("--request-payer", f.request_payer, "x-amz-request-payer: requester");
  cmd->add_option("--expected-bucket-owner", f.expected_bucket_owner,
                  "the 12-digit account that must own the bucket: every request carries it, and S3 "
                  "refuses (403) a bucket of another account")
      ->check(CLI::Validator(
          [](std::string& v) {
            return v.size() == 12 && v.find_first_not_of("0123456789") == std::string::npos
                       ? std::string()
                       : std::string("an AWS account id is 12 digits");
          },
          "ACCOUNT"));
  cmd->add_flag("--json", f.json, "print the result as JSON (one document per bucket, one per line)");
  cmd->add_flag("-q,--quiet", f.quiet, "print errors only");
  cmd->add_flag("-v,--verbose", f.verbose, "more on stderr: -v settings and passes, -vv every retry");
  cmd->add_option("--log-file", f.log_file, "write a debug log here (no secrets at any level)");
  cmd->add_option("--connect-to", f.connect_to,
                  "connect to this address instead of resolving the endpoint (virtual-hosted tests "
                  "on 127.0.0.1)");
}

// How hard the engine pushes: the commands that list or delete.
void add_engine_flags(CLI::App* cmd, Flags& f) {
  cmd->add_option("--concurrency", f.concurrency,
                  "DeleteObjects in flight, each on its own connection (16 keep an S3 partition near "
                  "its 3,500 writes/s even at 4 s per batch)")->capture_default_str();
  cmd->add_option("--listers", f.listers,
                  "list requests in flight, over key ranges split as they go (default: one per four "
                  "of --concurrency, doubled up to 64 while the deleters wait for keys and this "
                  "process for the network, not for a core, as on S3 at 20-100 ms a page; a number "
                  "fixes it)");
  cmd->add_option("--shard", f.shard,
                  "I/N: only the I-th of N fixed key ranges (0 <= I < N <= 1000), so N machines "
                  "share a bucket; with delete, the last shard to finish deletes the bucket");
  cmd->add_option("--rate", f.rate,
                  "ceiling in objects/s for deletes and aborts, so other clients of the bucket are "
                  "not starved; 0: no ceiling, throttles still slow it down")->capture_default_str();
  cmd->add_option("--burst", f.burst, "objects allowed at once above the rate (default max(1000, rate/20))");
  cmd->add_option("--batch-size", f.batch_size, "keys per DeleteObjects (S3's maximum is 1000)")
      ->capture_default_str();
  cmd->add_option("--queue-depth", f.queue_depth,
                  "batches buffered between listing and deleting, or two per lister where that is more "
                  "(up to 128; 32 x 1000 keys: memory stays flat)")
      ->capture_default_str();
  cmd->add_flag("--no-progress", f.no_progress, "no status area or progress lines");
  cmd->add_option("--expect", f.expect,
                  "entries a `plan` counted: percentage and ETA before the listing ends");
}

void add_destructive_flags(CLI::App* cmd, Flags& f) {
  cmd->add_flag("--dry-run", f.dry_run, "list and count, delete nothing");
  cmd->add_option("--state-file", f.state_file,
                  "record the key ranges emptied here; a re-run with the same file skips them "
                  "(after an interruption, or per shard)");
  cmd->add_flag("--yes", f.yes, "do not ask for confirmation (required without a terminal)");
  cmd->add_option("--failed-keys", f.failed_keys,
                  "write each permanent failure as a JSON line: key, version_id, code, message, request_id");
  cmd->add_flag("--bypass-governance-retention", f.bypass_governance,
                "delete governance-mode locked versions (needs s3:BypassGovernanceRetention)");
}

}  // namespace

int main(int argc, char** argv) {
  using s3purge::cli::ExitCode;
  using s3purge::cli::PurgeCommand;
  s3purge::cli::exit_on_signal_outside_loops();
  CLI::App app{
      "s3purge: empty and delete S3-compatible buckets: current objects, versions, delete "
      "markers and incomplete multipart uploads, in one command.",
      "s3purge"};
  app.set_version_flag("--version", std::string("s3purge ") + s3purge::cli::kVersion);
  app.require_subcommand(1);
  app.footer(
      "Examples:\n"
      "  s3purge plan s3://old-logs\n"
      "  s3purge delete s3://old-logs --yes\n"
      "  s3purge empty s3://data/tmp/ --rate 2000\n"
      "  s3purge delete s3://my-bucket --endpoint-url https://cwobject.com --addressing-style "
      "virtual --profile cw\n"
      "Run `s3purge COMMAND --help` for each command's flags and examples.\n"
      "Exit codes: 0 done; 1 some items failed; 2 usage or configuration error; 3 interrupted; "
      "4 not empty after the final verification.");

  Flags plan_f, empty_f, delete_f, rm_f, abort_f, lifecycle_f;
  std::vector<std::string> plan_t, empty_t, delete_t, abort_t, rm_args;
  std::string rm_target, lifecycle_action, lifecycle_target;

  auto* plan = app.add_subcommand("plan", "read-only: what stands between the bucket and its deletion, "
                                          "and how long a purge would take");
  plan->add_option("targets", plan_t, "s3://BUCKET[/PREFIX] ...")->required();
  add_connection_flags(plan, plan_f);
  add_engine_flags(plan, plan_f);
  plan->footer("Examples:\n  s3purge plan s3://big-bucket\n  s3purge plan s3://big-bucket --json --concurrency 32 --rate 5000");

  auto* empty = app.add_subcommand("empty", "remove current objects, versions, delete markers and "
                                            "incomplete uploads; keep the bucket");
  empty->add_option("targets", empty_t, "s3://BUCKET[/PREFIX] ...")->required();
  add_connection_flags(empty, empty_f);
  add_engine_flags(empty, empty_f);
  add_destructive_flags(empty, empty_f);
  empty->footer("Examples:\n  s3purge empty s3://data/tmp/ --yes\n  s3purge empty s3://shared-bucket --rate 1000 --concurrency 4\n"
                "  s3purge empty s3://huge --listers 32 --state-file huge.state --yes");

  auto* del = app.add_subcommand("delete", "empty each bucket, then delete it and check it is gone")->alias("rb");
  del->add_option("targets", delete_t, "s3://BUCKET ...");
  del->add_option("--buckets-from", delete_f.buckets_from,
                  "more buckets, one per line (names or s3:// URLs; # comments)");
  add_connection_flags(del, delete_f);
  add_engine_flags(del, delete_f);
  add_destructive_flags(del, delete_f);
  del->footer("Examples:\n  s3purge delete s3://old-logs --yes\n  s3purge rb --buckets-from buckets.txt --yes --json\n"
              "  s3purge delete s3://huge --shard $JOB_COMPLETION_INDEX/8 --yes   # on each of 8 machines");

  auto* rm = app.add_subcommand("rm", "delete the keys named, or listed with --keys-from");
  rm->add_option("target", rm_target, "s3://BUCKET[/PREFIX]: keys are relative to the prefix")->required();
  rm->add_option("keys", rm_args, "keys to delete");
  rm->add_option("--keys-from", rm_f.keys_from,
                 "a file (or - for standard input) of lines KEY or KEY<TAB>VERSION_ID");
  add_connection_flags(rm, rm_f);
  add_engine_flags(rm, rm_f);
  add_destructive_flags(rm, rm_f);
  rm->footer("Examples:\n  s3purge rm s3://bucket/logs/ 2024-01-01.gz 2024-01-02.gz --yes\n"
             "  aws s3api list-object-versions ... | jq -r '...' | s3purge rm s3://bucket --keys-from - --yes");

  auto* abort = app.add_subcommand("abort-uploads", "abort incomplete multipart uploads");
  abort->add_option("targets", abort_t, "s3://BUCKET[/PREFIX] ...")->required();
  abort->add_option("--older-than", abort_f.older_than, "only uploads started longer ago: 7d, 12h, 30m");
  add_connection_flags(abort, abort_f);
  add_engine_flags(abort, abort_f);
  add_destructive_flags(abort, abort_f);
  abort->footer("Examples:\n  s3purge abort-uploads s3://bucket --older-than 7d --yes");

  auto* lifecycle = app.add_subcommand(
      "lifecycle", "show, install or remove a rule that lets S3 expire everything (or only abort "
                   "incomplete uploads) after N days: no client needed");
  lifecycle->add_option("action", lifecycle_action, "show, install or remove")
      ->required()->check(CLI::IsMember({"show", "install", "remove"}));
  lifecycle->add_option("target", lifecycle_target, "s3://BUCKET[/PREFIX]")->required();
  lifecycle->add_option("--days", lifecycle_f.days, "install: expire after this many days")->capture_default_str();
  lifecycle->add_flag("--uploads-only", lifecycle_f.uploads_only, "install: only abort incomplete uploads");
  lifecycle->add_flag("--replace-rules", lifecycle_f.replace_rules,
                      "install: replace lifecycle rules s3purge did not write");
  lifecycle->add_flag("--dry-run", lifecycle_f.dry_run, "show what would change");
  lifecycle->add_flag("--yes", lifecycle_f.yes, "do not ask for confirmation");
  add_connection_flags(lifecycle, lifecycle_f);
  lifecycle->footer("Examples:\n  s3purge lifecycle show s3://bucket\n"
                    "  s3purge lifecycle install s3://huge-bucket --days 1 --yes\n"
                    "  s3purge lifecycle install s3://bucket --uploads-only --days 7\n"
                    "  s3purge lifecycle remove s3://bucket");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 uses codes above 100 for bad input; map them onto our own exit codes.
    const int rc = app.exit(e);
    return rc == 0 ? static_cast<int>(ExitCode::ok) : static_cast<int>(ExitCode::usage);
  }
  const Flags& f = plan->parsed()      ? plan_f
                   : empty->parsed()   ? empty_f
                   : del->parsed()     ? delete_f
                   : rm->parsed()      ? rm_f
                   : abort->parsed()   ? abort_f
                                       : lifecycle_f;
  if (auto ok = s3purge::cli::setup_logging(f.verbose, f.quiet, f.log_file); !ok) {
    std::cerr << "s3purge: error: " << ok.error().message << "\n";
    return static_cast<int>(ExitCode::usage);
  }
  try {
    if (plan->parsed()) return s3purge::cli::run_plan(plan_t, f);
    if (empty->parsed()) return s3purge::cli::run_purge(PurgeCommand::empty, empty_t, {}, f);
    if (del->parsed()) return s3purge::cli::run_purge(PurgeCommand::delete_bucket, delete_t, {}, f);
    if (rm->parsed()) return s3purge::cli::run_purge(PurgeCommand::rm, {rm_target}, rm_args, f);
    if (abort->parsed()) return s3purge::cli::run_purge(PurgeCommand::abort_uploads, abort_t, {}, f);
    return s3purge::cli::run_lifecycle(lifecycle_action, lifecycle_target, f);
  } catch (const std::exception& e) {
    std::cerr << "s3purge: internal error: " << e.what() << "\n";
    return static_cast<int>(ExitCode::usage);
  }
}
