#include "cli/command_line.hpp"

#include <CLI/CLI.hpp>

#include "cli/flag_checks.hpp"
#include "cli/selection_flags.hpp"
#include "cli/version.hpp"

namespace s3purge::cli {

namespace {

// Which flags a command takes: --help shows only those, and any other is an error.
struct Applies {
  bool lists = false;      // walks the bucket: --listers
  bool shards = false;     // over fixed key ranges: --shard
  bool deletes = false;    // --dry-run, --yes, --failed-keys
  bool batches = false;    // DeleteObjects: --batch-size, --queue-depth
  bool progress = false;   // --no-progress
  bool resumable = false;  // --state-file, --expect
  bool versions = false;   // --bypass-governance-retention
};


void add_target_flags(CLI::App* cmd, Flags& f) {
  cmd->option_defaults()->group(kGroupTarget);
  cmd->add_option("--endpoint-url", f.config.endpoint_url,
                  "S3 endpoint (default: AWS, from the region; also AWS_ENDPOINT_URL_S3)");
  cmd->add_option("--region", f.config.region, "region requests are signed for (default: AWS_REGION, "
                                               "the profile's, us-east-1)");
  cmd->add_option("--profile", f.config.profile, "profile of the shared config and credentials files");
  cmd->add_option("--access-key-id", f.config.access_key_id,
                  "access key id, with --secret-access-key (they win over every profile and the environment; "
                  "a command line is visible to the machine's other users, so prefer a profile or AWS_ACCESS_KEY_ID)")
      ->type_name("ID");
  cmd->add_option("--secret-access-key", f.config.secret_access_key, "secret access key, with --access-key-id")
      ->type_name("SECRET");
  cmd->add_option("--session-token", f.config.session_token, "session token of temporary keys")->type_name("TOKEN");
  cmd->add_option("--addressing-style", f.config.addressing_style,
                  "auto (virtual-hosted where the name allows), path or virtual")
      ->check(CLI::IsMember({"auto", "path", "virtual"}));
  cmd->add_option("--ca-bundle", f.config.ca_bundle, "PEM file of CA certificates to trust")->type_name("FILE");
  cmd->add_flag("--no-verify-ssl", f.no_verify_ssl, "do not check the server's certificate");
  cmd->add_flag("--request-payer", f.request_payer, "x-amz-request-payer: requester");
  cmd->add_option("--expected-bucket-owner", f.expected_bucket_owner,
                  "the 12-digit account that must own the bucket: every request carries it, and S3 "
                  "refuses (403) a bucket of another account")
      ->check(CLI::Validator(
          [](std::string& v) {
            return v.size() == 12 && v.find_first_not_of("0123456789") == std::string::npos
                       ? std::string()
                       : "'" + v + "' is not an AWS account id (12 digits)";
          },
          "", ""))
      ->type_name("ACCOUNT");
  // A test hook: no group, so --help leaves it out.
  cmd->add_option("--connect-to", f.connect_to,
                  "connect to this address instead of resolving the endpoint")->group("");
}

void add_speed_flags(CLI::App* cmd, Flags& f, const Applies& a) {
  cmd->option_defaults()->group(kGroupSpeed);
  if (a.deletes || a.lists) {
    cmd->add_option("--concurrency", f.concurrency,
                    "requests that delete, in flight, each on its own connection (16 keep an S3 "
                    "partition near its 3,500 writes/s even at 4 s per batch)")
        ->check(number_in(1, 1024, true, ""))->capture_default_str();
  }
  if (a.lists) {
    cmd->add_option("--listers", f.listers,
                    "list requests in flight, over key ranges split as they go (default 0: one per "
                    "four of --concurrency, doubled up to 64 while the deleters wait for keys; a "
                    "number fixes it)")
        ->check(number_in(0, 256, true, "0: chosen as the run goes"));
  }
  if (a.shards) {
    cmd->add_option("--shard", f.shard,
                    "I/N: only the I-th of N fixed key ranges (0 <= I < N <= 1000), so N machines "
                    "share a bucket; with delete, the last shard to finish deletes the bucket")
        ->type_name("I/N");
  }
  if (a.deletes || a.lists) {
    cmd->add_option("--rate", f.rate,
                    "ceiling in objects/s for deletes and aborts, so other clients of the bucket are "
                    "not starved; 0: no ceiling, throttles still slow it down")
        ->check(number_in(0, 1e308, false, "0: no ceiling"))->capture_default_str();
    cmd->add_option("--burst", f.burst, "objects allowed at once above the rate (default max(1000, rate/20))")
        ->check(number_in(0, 1e308, false, ""));
  }
  if (a.batches && a.deletes) {
    cmd->add_option("--pacing", f.pacing,
                    "how throttles slow the run: ranges (the keys of each first character after the "
                    "prefix on their own, as S3 throttles per partition of the key space) or global "
                    "(one rate for the run)")
        ->check(CLI::IsMember({"ranges", "global"}))->capture_default_str();
  }
  if (a.batches) {
    cmd->add_option("--batch-size", f.batch_size, "keys per DeleteObjects (S3's maximum is 1000)")
        ->check(number_in(1, 1000, true, "S3 takes at most 1000 keys per DeleteObjects"))->capture_default_str();
  }
  if (a.batches && a.deletes) {
    cmd->add_option("--checksum", f.checksum,
                    "DeleteObjects' integrity header: auto (CRC32C on AWS, Content-MD5 elsewhere, and "
                    "Content-MD5 once a server refuses a CRC), md5, crc32, crc32c or crc64nvme")
        ->check(CLI::IsMember({"auto", "md5", "crc32", "crc32c", "crc64nvme"}))->capture_default_str();
    cmd->add_option("--queue-depth", f.queue_depth,
                    "batches buffered between listing and deleting, or two per lister where that is "
                    "more (32 x 1000 keys: memory stays flat)")
        ->check(number_in(1, 1024, true, ""))->capture_default_str();
  }
  cmd->add_option("--timeout", f.timeout_seconds,
                  "seconds for connecting, writing a request or reading its answer (a loaded S3 "
                  "partition can take seconds on a 1000-key DeleteObjects)")
      ->check(number_in(0, 3600, false, "seconds", true))->capture_default_str();
  cmd->add_option("--max-retries", f.max_retries,
                  "retries of a request failing with 5xx, resets or timeouts (throttles get 30 more, "
                  "each paced)")
      ->check(number_in(0, 100, true, ""))->capture_default_str();
  cmd->add_option("--retry-time", f.retry_seconds,
                  "seconds one request is retried at most, waits included (a server's Retry-After is "
                  "obeyed up to 20 s); then what it carried is reported failed")
      ->check(number_in(0, 86400, false, "seconds", true))->capture_default_str();
}

void add_safety_flags(CLI::App* cmd, Flags& f, const Applies& a) {
  cmd->option_defaults()->group(kGroupSafety);
  if (!a.deletes) return;
  cmd->add_flag("--dry-run", f.dry_run, "list and count, delete nothing");
  cmd->add_flag("--yes", f.yes, "do not ask for confirmation (required without a terminal)");
  if (a.resumable) {
    cmd->add_option("--state-file", f.state_file,
                    "record the key ranges emptied here; a re-run with the same file skips them "
                    "(after an interruption, or per shard)")->type_name("FILE");
  }
  if (a.versions) {
    cmd->add_flag("--bypass-governance-retention", f.bypass_governance,
                  "delete governance-mode locked versions (needs s3:BypassGovernanceRetention)");
  }
}

void add_output_flags(CLI::App* cmd, Flags& f, const Applies& a) {
  cmd->option_defaults()->group(kGroupOutput);
  cmd->add_flag("--json", f.json, "print the result as JSON (one document per bucket, one per line)");
  auto* quiet = cmd->add_flag("-q,--quiet", f.quiet, "print errors only");
  auto* verbose = cmd->add_flag("-v,--verbose", f.verbose,
                                "more on stderr: -v settings and passes, -vv every retry");
  quiet->excludes(verbose);
  cmd->add_option("--log-file", f.log_file, "write a debug log here (no secrets at any level)")->type_name("FILE");
  if (a.progress) cmd->add_flag("--no-progress", f.no_progress, "no status area or progress lines");
  if (a.resumable) {
    cmd->add_option("--expect", f.expect, "entries a `plan` counted: percentage and ETA before the listing ends");
  }
  if (a.deletes) {
    cmd->add_option("--failed-keys", f.failed_keys,
                    "write each permanent failure as a JSON line: key, version_id, code, message, request_id")
        ->type_name("FILE");
  }
}

void add_flags(CLI::App* cmd, Flags& f, const Applies& a) {
  add_target_flags(cmd, f);
  add_speed_flags(cmd, f, a);
  add_safety_flags(cmd, f, a);
  add_output_flags(cmd, f, a);
}

}  // namespace

std::unique_ptr<CLI::App> make_command_line(CommandLineValues& v) {
  auto app = std::make_unique<CLI::App>(
      "s3purge: empty and delete S3-compatible buckets: current objects, versions, delete "
      "markers and incomplete multipart uploads, in one command.",
      "s3purge");
  app->set_version_flag("--version", std::string("s3purge ") + kVersion);
  app->require_subcommand(1);
  app->footer(
      "Examples:\n"
      "  s3purge plan s3://old-logs\n"
      "  s3purge delete s3://old-logs --yes\n"
      "  s3purge empty s3://data/tmp/ --rate 2000\n"
      "  s3purge delete s3://my-bucket --endpoint-url https://cwobject.com --addressing-style "
      "virtual --profile cw\n"
      "Run `s3purge COMMAND --help` for each command's flags and examples.\n"
      "Exit codes: 0 done; 1 some items failed; 2 usage or configuration error; 3 interrupted; "
      "4 not empty after the final verification.");

  auto* plan = app->add_subcommand("plan", "read-only: what stands between the bucket and its deletion, "
                                           "and how long a purge would take");
  plan->add_option("targets", v.plan_targets, "s3://BUCKET[/PREFIX] ...")->required();
  add_flags(plan, v.plan, {.lists = true, .shards = true, .batches = true, .progress = true});
  add_selection_flags(plan, v.plan, true);
  plan->add_option("--prices", v.plan.prices,
                   "a file of prices (storage per GB-month by class, requests per 1,000; docs/selection.md): "
                   "the plan then says what the run costs")
      ->group(kGroupOutput)->type_name("FILE")->check(CLI::ExistingFile);
  plan->footer("Examples:\n  s3purge plan s3://big-bucket\n  s3purge plan s3://big-bucket --json --concurrency 32 --rate 5000");

  const Applies purging{.lists = true, .shards = true, .deletes = true, .batches = true, .progress = true,
                        .resumable = true, .versions = true};
  auto* empty = app->add_subcommand("empty", "remove current objects, versions, delete markers and "
                                             "incomplete uploads; keep the bucket");
  empty->add_option("targets", v.empty_targets, "s3://BUCKET[/PREFIX] ...")->required();
  add_flags(empty, v.empty, purging);
  add_selection_flags(empty, v.empty, true);
  empty->footer("Examples:\n  s3purge empty s3://data/tmp/ --yes\n  s3purge empty s3://shared-bucket --rate 1000 --concurrency 4\n"
                "  s3purge empty s3://huge --listers 32 --state-file huge.state --yes");

  auto* del = app->add_subcommand("delete", "empty each bucket, then delete it and check it is gone")->alias("rb");
  del->add_option("targets", v.delete_targets, "s3://BUCKET ...");
  del->add_option("--buckets-from", v.delete_bucket.buckets_from,
                  "more buckets, one per line (names or s3:// URLs; # comments)")
      ->group(kGroupTarget)->type_name("FILE");
  add_flags(del, v.delete_bucket, purging);
  del->footer("Examples:\n  s3purge delete s3://old-logs --yes\n  s3purge rb --buckets-from buckets.txt --yes --json\n"
              "  s3purge delete s3://huge --shard $JOB_COMPLETION_INDEX/8 --yes   # on each of 8 machines");

  auto* rm = app->add_subcommand("rm", "delete the keys named, or listed with --keys-from");
  rm->add_option("target", v.rm_target, "s3://BUCKET[/PREFIX]: keys are relative to the prefix")->required();
  rm->add_option("keys", v.rm_keys, "keys to delete");
  rm->add_option("--keys-from", v.rm.keys_from,
                 "a file (or - for standard input) of lines KEY or KEY<TAB>VERSION_ID")
      ->group(kGroupTarget)->type_name("FILE");
  add_flags(rm, v.rm, {.deletes = true, .batches = true, .progress = true, .versions = true});
  rm->footer("Examples:\n  s3purge rm s3://bucket/logs/ 2024-01-01.gz 2024-01-02.gz --yes\n"
             "  aws s3api list-object-versions ... | jq -r '...' | s3purge rm s3://bucket --keys-from - --yes");

  auto* abort = app->add_subcommand("abort-uploads", "abort incomplete multipart uploads");
  abort->add_option("targets", v.abort_targets, "s3://BUCKET[/PREFIX] ...")->required();
  add_flags(abort, v.abort_uploads, {.lists = true, .deletes = true, .progress = true, .resumable = true});
  add_selection_flags(abort, v.abort_uploads, false);
  abort->footer("Examples:\n  s3purge abort-uploads s3://bucket --older-than 7d --yes");

  auto* lifecycle = app->add_subcommand(
      "lifecycle", "show, install or remove a rule that lets S3 expire everything (or only abort "
                   "incomplete uploads) after N days: no client needed");
  lifecycle->add_option("action", v.lifecycle_action, "show, install or remove")
      ->required()->check(CLI::IsMember({"show", "install", "remove"}));
  lifecycle->add_option("target", v.lifecycle_target, "s3://BUCKET[/PREFIX]")->required();
  lifecycle->add_option("--days", v.lifecycle.days, "install: expire after this many days")
      ->group(kGroupSafety)->check(number_in(1, 36500, true, "days"))->capture_default_str();
  lifecycle->add_flag("--uploads-only", v.lifecycle.uploads_only, "install: only abort incomplete uploads")
      ->group(kGroupSafety);
  lifecycle->add_flag("--replace-rules", v.lifecycle.replace_rules,
                      "install: replace lifecycle rules s3purge did not write")->group(kGroupSafety);
  lifecycle->add_flag("--dry-run", v.lifecycle.dry_run, "show what would change")->group(kGroupSafety);
  lifecycle->add_flag("--yes", v.lifecycle.yes, "do not ask for confirmation")->group(kGroupSafety);
  add_target_flags(lifecycle, v.lifecycle);
  {
    Applies none;
    add_speed_flags(lifecycle, v.lifecycle, none);
    add_output_flags(lifecycle, v.lifecycle, none);
  }
  lifecycle->footer("Examples:\n  s3purge lifecycle show s3://bucket\n"
                    "  s3purge lifecycle install s3://huge-bucket --days 1 --yes\n"
                    "  s3purge lifecycle install s3://bucket --uploads-only --days 7\n"
                    "  s3purge lifecycle remove s3://bucket");

  auto* credentials = app->add_subcommand(
      "credentials", "show the credentials a run would sign with: which provider supplied them, from where, "
                     "their key id (redacted) and when they expire; never the secret");
  add_target_flags(credentials, v.credentials);
  add_output_flags(credentials, v.credentials, Applies{});
  credentials->footer("Examples:\n  s3purge credentials --profile job -v\n  s3purge credentials --json");

  auto* completion = app->add_subcommand("completion", "print the shell completion script: bash, zsh or fish");
  completion->add_option("shell", v.completion_shell, "bash, zsh or fish")
      ->required()->check(CLI::IsMember({"bash", "zsh", "fish"}));
  completion->footer("Examples:\n  source <(s3purge completion bash)\n"
                     "  s3purge completion fish > ~/.config/fish/completions/s3purge.fish");
  return app;
}

Command parsed_command(const CLI::App& app) {
  const auto* sub = app.get_subcommands().front();
  const std::string& name = sub->get_name();
  if (name == "plan") return Command::plan;
  if (name == "empty") return Command::empty;
  if (name == "delete") return Command::delete_bucket;
  if (name == "rm") return Command::rm;
  if (name == "abort-uploads") return Command::abort_uploads;
  if (name == "lifecycle") return Command::lifecycle;
  if (name == "credentials") return Command::credentials;
  return Command::completion;
}

const Flags& parsed_flags(Command command, const CommandLineValues& v) {
  switch (command) {
    case Command::plan: return v.plan;
    case Command::empty: return v.empty;
    case Command::delete_bucket: return v.delete_bucket;
    case Command::rm: return v.rm;
    case Command::abort_uploads: return v.abort_uploads;
    case Command::credentials: return v.credentials;
    default: return v.lifecycle;
  }
}

}  // namespace s3purge::cli
