#!/usr/bin/env python3
"""The real s3purge binary, command by command, against the real s3emu: plan, empty with a
sibling prefix, delete of several buckets, rm, abort-uploads, lifecycle, the terminal
confirmation and status area, exit code 4, and no secret in any output or log.
Usage: test_commands.py PATH/TO/s3purge PATH/TO/s3emu"""
import json
import os
import pty
import select
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "emu"))
from harness import Emulator, boto3_client, main, process_env, run, static_key_env  # noqa: E402

S3PURGE = sys.argv[1] if len(sys.argv) > 1 else "build/cli/s3purge"
S3EMU = sys.argv[2] if len(sys.argv) > 2 else "build/bench/s3emu"
SECRET = "sup3r-s3cret-value"
TOKEN = "FQoGZXIvYXdzE-session-token-value"
ENV = static_key_env("AKIDE2ECOMMANDS", SECRET)
VERIFY = ["--access-key", "AKIDE2ECOMMANDS", "--secret-key", SECRET]


def s3purge(emu_url, *args, env=None, input=None, expect=None):
    p = run([S3PURGE, *args, "--endpoint-url", emu_url], env=dict(ENV, **(env or {})),
            check=False, timeout=600, input=input)
    for secret in (SECRET, TOKEN):
        assert secret not in p.stdout + p.stderr, "a secret was printed"
    if expect is not None:
        assert p.returncode == expect, f"exit {p.returncode}, not {expect}\n{p.stdout}\n{p.stderr}"
    return p


def json_lines(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_plan_counts_everything_and_deletes_nothing():
    with Emulator(S3EMU, *VERIFY, "--seed", "bucket=plan-me,objects=3000,versions=2,markers=40,"
                  "uploads=6,replication=1") as emu:
        p = s3purge(emu.url, "plan", "s3://plan-me", "--json", "--rate", "500", expect=0)
        plan = json.loads(p.stdout)
        counts = plan["counts"]
        assert counts["current_objects"]["count"] == 2960, counts
        assert counts["noncurrent_versions"]["count"] == 3040, counts
        assert counts["current_objects"]["bytes"] > 0
        assert counts["delete_markers"]["count"] == 40
        assert counts["incomplete_uploads"]["count"] == 6
        assert plan["total_entries"] == 6046
        assert plan["versioning"] == "Enabled" and plan["complete"]
        assert plan["replication"]["rules"][0]["replicates_delete_markers"]
        est = plan["estimate"]
        assert est["delete_requests"] == 7 and est["abort_requests"] == 6, est
        assert abs(est["rate_limited_seconds"] - 6046 / 500) < 0.01, est
        assert est["lower_bound_seconds"] >= est["rate_limited_seconds"]
        assert est["lower_bound_seconds"] >= est["listing_seconds"] > 0
        human = s3purge(emu.url, "plan", "s3://plan-me", expect=0).stdout
        assert "noncurrent versions" in human and "deletions may replicate" in human, human
        assert "--expect 6046" in human, human
        assert emu.stats()["keys_deleted"] == 0 and emu.stats()["uploads_aborted"] == 0
        s3purge(emu.url, "plan", "s3://no-such-plan", expect=2)


def test_sibling_prefix_is_pointed_out_before_deleting():
    with Emulator(S3EMU, *VERIFY, "--seed", "bucket=siblings,objects=300,prefixes=3") as emu:
        # prefix-000 matches prefix-0000/, prefix-0001/ and prefix-0002/
        p = s3purge(emu.url, "empty", "s3://siblings/prefix-0001", "--yes", "-q", expect=0)
        assert "trailing '/'" not in p.stderr, "prefix-0001 matches only its own folder"
        p = s3purge(emu.url, "empty", "s3://siblings/prefix-000", "--dry-run", expect=0)
        assert "trailing '/'" in p.stderr and "'prefix-0000/'" in p.stderr, p.stderr
        assert emu.stats()["buckets"]["siblings"]["keys"] == 200


def test_delete_several_buckets_each_reported():
    with Emulator(S3EMU, *VERIFY, "--seed", "bucket=many-a,objects=1500", "--seed",
                  "bucket=many-b,objects=10,versions=3", "--seed", "bucket=many-c,uploads=3") as emu, \
            tempfile.TemporaryDirectory() as d:
        listing = os.path.join(d, "buckets.txt")
        with open(listing, "w") as f:
            f.write("# buckets to remove\nmany-b\n\ns3://many-c\nmissing-bucket\n")
        p = s3purge(emu.url, "delete", "s3://many-a", "--buckets-from", listing, "--yes", "--json",
                    expect=2)  # one bucket does not exist: the first problem decides
        docs = {d["bucket"]: d for d in json_lines(p.stdout)}
        assert set(docs) == {"many-a", "many-b", "many-c", "missing-bucket"}, docs.keys()
        assert docs["missing-bucket"]["error"]["code"] == "NoSuchBucket"
        assert docs["many-a"]["counts"]["objects"]["deleted"] == 1500
        assert docs["many-b"]["counts"]["versions"]["deleted"] == 30
        assert docs["many-c"]["counts"]["uploads"]["deleted"] == 3
        assert all(docs[b]["bucket_deleted"] for b in ("many-a", "many-b", "many-c"))
        assert all("HeadBucket" in docs[b]["latency"] for b in ("many-a", "many-b", "many-c")), \
            "gone is verified with HeadBucket"
        assert not emu.stats()["buckets"], emu.stats()["buckets"]
        s3purge(emu.url, "delete", "--buckets-from", os.path.join(d, "nope.txt"), "--yes", expect=2)
        s3purge(emu.url, "delete", "--yes", expect=2)  # no bucket named


def test_rm_keys_from_arguments_a_file_and_stdin():
    with Emulator(S3EMU, *VERIFY, "--seed", "bucket=rm-me,objects=3000,prefixes=3") as emu, \
            tempfile.TemporaryDirectory() as d:
        # Keys relative to the prefix, named on the command line.
        s3purge(emu.url, "rm", "s3://rm-me/prefix-0000/", "object-000000000", "object-000000003",
                "--yes", "-q", expect=0)
        assert emu.stats()["buckets"]["rm-me"]["keys"] == 2998
        # From a file, with a bad line: exit 1 and the line named.
        keys = os.path.join(d, "keys.txt")
        with open(keys, "w") as f:
            for i in range(1000, 2000):
                f.write(f"prefix-0001/object-{i:09d}\n")
            f.write("windows-line\r\n")
        failed = os.path.join(d, "failed.jsonl")
        p = s3purge(emu.url, "rm", "s3://rm-me", "--keys-from", keys, "--yes", "--json",
                    "--failed-keys", failed, expect=1)
        report = json.loads(p.stdout)
        assert report["counts"]["objects"]["deleted"] == 1000, report["counts"]
        assert report["counts"]["objects"]["failed"] == 1 and report["balanced"]
        with open(failed) as f:
            bad = json_lines(f.read())
        assert bad[0]["code"] == "InvalidKeyLine" and "line 1001" in bad[0]["message"], bad
        assert bad[0]["key"] == "windows-line\r", "the line as written, not URL-encoded: " + repr(bad[0]["key"])
        assert emu.stats()["buckets"]["rm-me"]["keys"] == 1998
        # From standard input.
        lines = "".join(f"prefix-0002/object-{i:09d}\n" for i in range(2000, 3000))
        s3purge(emu.url, "rm", "s3://rm-me", "--keys-from", "-", "--yes", "-q", input=lines, expect=0)
        assert emu.stats()["buckets"]["rm-me"]["keys"] == 998
        # Usage errors.
        s3purge(emu.url, "rm", "s3://rm-me", "--yes", expect=2)  # no keys
        s3purge(emu.url, "rm", "s3://rm-me", "k", "--keys-from", keys, "--yes", expect=2)
        s3purge(emu.url, "rm", "s3://rm-me", "--keys-from", os.path.join(d, "none"), "--yes", expect=2)
        s3purge(emu.url, "rm", "s3://rm-me", "k", expect=2)  # no terminal, no --yes
        assert emu.stats()["buckets"]["rm-me"]["keys"] == 998


def test_rm_versions_with_key_tab_version_id():
    with Emulator(S3EMU, *VERIFY, "--seed", "bucket=rm-versions,objects=20,versions=3") as emu:
        s3 = boto3_client(emu.url, ENV["AWS_ACCESS_KEY_ID"], SECRET)
        versions = s3.list_object_versions(Bucket="rm-versions")["Versions"]
        old = [v for v in versions if not v["IsLatest"]]
        lines = "".join(f"{v['Key']}\t{v['VersionId']}\n" for v in old)
        p = s3purge(emu.url, "rm", "s3://rm-versions", "--keys-from", "-", "--yes", "--json",
                    input=lines, expect=0)
        report = json.loads(p.stdout)
        assert report["counts"]["versions"]["deleted"] == 40, report["counts"]
        left = s3.list_object_versions(Bucket="rm-versions")["Versions"]
        assert len(left) == 20 and all(v["IsLatest"] for v in left)


def test_abort_uploads_older_than():
    with Emulator(S3EMU, *VERIFY, "--seed", "bucket=mpu-age,objects=5,uploads=4,old_uploads=6") as emu:
        p = s3purge(emu.url, "abort-uploads", "s3://mpu-age", "--older-than", "7d", "--yes", "--json",
                    expect=0)
        report = json.loads(p.stdout)
        assert report["counts"]["uploads"]["deleted"] == 6, report["counts"]
        assert report["kept"]["age"] == 4 and report["balanced"]
        assert report["counts"]["objects"]["listed"] == 0
        b = emu.stats()["buckets"]["mpu-age"]
        assert b["uploads"] == 4 and b["keys"] == 5, b
        s3purge(emu.url, "abort-uploads", "s3://mpu-age", "--older-than", "soon", "--yes", expect=2)
        s3purge(emu.url, "abort-uploads", "s3://mpu-age", "--yes", "-q", expect=0)
        assert emu.stats()["buckets"]["mpu-age"]["uploads"] == 0


def test_lifecycle_show_install_remove_and_refusals():
    with Emulator(S3EMU, *VERIFY, "--seed", "bucket=rules,objects=5") as emu:
        s3purge(emu.url, "lifecycle", "install", "s3://rules", "--days", "3", expect=2)  # no --yes
        p = s3purge(emu.url, "lifecycle", "install", "s3://rules", "--days", "3", "--yes", expect=0)
        assert "s3purge-expire-everything" in p.stdout and "after 3 days" in p.stdout, p.stdout
        s3 = boto3_client(emu.url, ENV["AWS_ACCESS_KEY_ID"], SECRET)
        rules = s3.get_bucket_lifecycle_configuration(Bucket="rules")["Rules"]
        by_id = {r["ID"]: r for r in rules}
        assert by_id["s3purge-expire-everything"]["Expiration"]["Days"] == 3, rules
        assert by_id["s3purge-expire-everything"]["NoncurrentVersionExpiration"]["NoncurrentDays"] == 3
        assert by_id["s3purge-expire-delete-markers"]["Expiration"]["ExpiredObjectDeleteMarker"]
        p = s3purge(emu.url, "lifecycle", "show", "s3://rules", expect=0)
        assert "2 lifecycle rule(s)" in p.stdout, p.stdout
        s3purge(emu.url, "lifecycle", "remove", "s3://rules", expect=0)
        assert "no lifecycle rules" in s3purge(emu.url, "lifecycle", "show", "s3://rules", expect=0).stdout
        # A rule s3purge did not write is never replaced silently.
        s3.put_bucket_lifecycle_configuration(Bucket="rules", LifecycleConfiguration={"Rules": [
            {"ID": "archive", "Status": "Enabled", "Filter": {"Prefix": "old/"},
             "Expiration": {"Days": 400}}]})
        p = s3purge(emu.url, "lifecycle", "install", "s3://rules", "--uploads-only", "--yes", expect=2)
        assert "archive" in p.stderr and "--replace-rules" in p.stderr, p.stderr
        assert s3.get_bucket_lifecycle_configuration(Bucket="rules")["Rules"][0]["ID"] == "archive"
        s3purge(emu.url, "lifecycle", "install", "s3://rules", "--uploads-only", "--days", "7", "--yes",
                "--replace-rules", expect=0)
        rules = s3.get_bucket_lifecycle_configuration(Bucket="rules")["Rules"]
        assert [r["ID"] for r in rules] == ["s3purge-abort-incomplete-uploads"], rules
        assert rules[0]["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"] == 7
        s3purge(emu.url, "lifecycle", "frobnicate", "s3://rules", expect=2)
        s3purge(emu.url, "lifecycle", "show", "s3://no-such-rules", expect=2)


def test_a_server_that_keeps_what_it_deleted_exits_4():
    with Emulator(S3EMU, *VERIFY, "--fault", "lost-delete=1", "--seed", "bucket=liar,objects=50") as emu:
        p = s3purge(emu.url, "delete", "s3://liar", "--yes", "--json", expect=4)
        report = json.loads(p.stdout)
        assert not report["bucket_deleted"] and report["remaining"] == 50, report
        p = s3purge(emu.url, "empty", "s3://liar", "--yes", expect=4)
        assert "still there: 50" in p.stdout, p.stdout


def test_no_secret_in_output_or_log_at_any_verbosity():
    with Emulator(S3EMU, *VERIFY, "--fault", "slowdown=0.2,internal=0.1", "--seed",
                  "bucket=secrets,objects=3000,versions=2,uploads=3") as emu, \
            tempfile.TemporaryDirectory() as d:
        log = os.path.join(d, "s3purge.log")
        # A wrong secret with a session token: signed, refused, and logged at debug.
        p = s3purge(emu.url, "delete", "s3://secrets", "--yes", "-vv", "--log-file", log,
                    env={"AWS_SESSION_TOKEN": TOKEN, "AWS_SECRET_ACCESS_KEY": SECRET + "-wrong"},
                    expect=2)
        assert "SignatureDoesNotMatch" in p.stderr, p.stderr
        # The right secret, through retries and throttles, at debug level.
        p = s3purge(emu.url, "delete", "s3://secrets", "--yes", "-vv", "--log-file", log, expect=0)
        assert "retry" in p.stderr and "pass 1" in p.stderr, p.stderr
        with open(log) as f:
            text = f.read()
        assert "throttled" in text and "bucket secrets deleted" in text, text[-2000:]
        for secret in (SECRET, TOKEN, "Signature=", "Credential=", "X-Amz-Security-Token"):
            assert secret not in text, f"{secret} in the log"
        s3purge(emu.url, "plan", "s3://x-bucket", "--log-file", "/dev/null/log", expect=2)


def test_interrupt_with_requests_stuck_past_the_grace_period():
    # Each 1000-key DeleteObjects takes 40 s; Ctrl-C at 1.5 s; the 10 s grace period ends
    # with all of them in flight: the report says so, and the process exits 3.
    with Emulator(S3EMU, *VERIFY, "--per-key-latency", "40ms", "--seed", "bucket=stuck,objects=5000") as emu:
        started = time.time()
        proc = subprocess.Popen([S3PURGE, "empty", "s3://stuck", "--yes", "--json", "--timeout", "120",
                                 "--endpoint-url", emu.url], env=process_env(ENV), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        time.sleep(1.5)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=90)
        took = time.time() - started
        assert proc.returncode == 3, (proc.returncode, err)
        assert 10 <= took < 40, f"exited after {took:.1f} s"
        assert "grace period ended" in err, err
        report = json.loads(out)
        assert report["interrupted"] and report["outcome_unknown"] == 5000, report
        assert not report["balanced"]


def run_on_terminal(args, answer, env):
    """Runs s3purge with stdin, stdout and stderr on a pseudo-terminal; types `answer` at the
    prompt, or sends SIGINT there when `answer` is None (Ctrl-C)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([S3PURGE, *args], stdin=slave, stdout=slave, stderr=slave, env=process_env(env),
                            close_fds=True)
    os.close(slave)
    out = b""
    typed = False
    deadline = time.time() + 120
    while time.time() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        if not typed and b"to continue:" in out:
            if answer is None:
                proc.send_signal(signal.SIGINT)
            else:
                os.write(master, answer.encode() + b"\n")
            typed = True
        if proc.poll() is not None and not ready:
            break
    proc.wait(timeout=30)
    os.close(master)
    return proc.returncode, out.decode(errors="replace")


def test_terminal_confirmation_and_status_area():
    # 60 list pages at 40 ms each, one lister: the 0.5 s status area is drawn several times.
    # (Slow pages make the default add listers, which listed them all in 0.5 s.)
    with Emulator(S3EMU, *VERIFY, "--list-latency", "40ms", "--seed", "bucket=tty-bucket,objects=60000") as emu:
        args = ["delete", "s3://tty-bucket", "--endpoint-url", emu.url, "--concurrency", "2", "--listers", "1"]
        rc, out = run_on_terminal(args, "wrong-name", ENV)
        assert rc == 2 and "not confirmed" in out, out
        assert emu.stats()["buckets"]["tty-bucket"]["keys"] == 60000
        # Ctrl-C at the prompt: exit 3 with a word, not death by the signal (-2).
        rc, out = run_on_terminal(args, None, ENV)
        assert rc == 3 and "s3purge: interrupted" in out, (rc, out)
        assert emu.stats()["buckets"]["tty-bucket"]["keys"] == 60000
        rc, out = run_on_terminal(args + ["--expect", "60000"], "tty-bucket", ENV)
        assert rc == 0, out
        assert "Type the bucket name" in out and "bucket deleted" in out, out
        assert "\x1b[" in out and "%" in out and "ETA" in out, "the status area was not drawn:\n" + out
        assert "tty-bucket" not in emu.stats()["buckets"]


def test_plan_next_command_repeats_the_flags_that_chose_the_target():
    # Pasted as printed, the next command must reach the same endpoint with the same
    # settings: here it is run through a shell and empties the prefix it planned.
    with Emulator(S3EMU, *VERIFY, "--seed", "bucket=next-plan,objects=400,prefixes=4") as emu:
        p = s3purge(emu.url, "plan", "s3://next-plan/prefix-0001/", "--region", "us-east-1",
                    "--addressing-style", "path", "--rate", "5000", "--concurrency", "8", "--listers", "2",
                    expect=0)
        lines = p.stdout.splitlines()
        at = next(i for i, l in enumerate(lines) if "next, with progress in percent:" in l)
        command = lines[at + 1].strip()  # on a line of its own, never cut: copied whole
        for part in ("s3purge empty s3://next-plan/prefix-0001/", "--region us-east-1",
                     "--addressing-style path", "--rate 5000", "--concurrency 8", "--listers 2",
                     f"--endpoint-url {emu.url}", "--expect 100"):
            assert part in command, command
        env = dict(ENV, PATH=os.path.dirname(os.path.abspath(S3PURGE)) + os.pathsep + os.environ["PATH"])
        done = run(["bash", "-c", command + " --yes -q"], env=env, check=False, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        assert emu.stats()["buckets"]["next-plan"]["keys"] == 300, "the planned prefix alone is emptied"


def test_buckets_from_lines_may_end_in_a_comment():
    with Emulator(S3EMU, *VERIFY, "--seed", "bucket=cmt-a,objects=20", "--seed", "bucket=cmt-b,objects=5") as emu, \
            tempfile.TemporaryDirectory() as d:
        listing = os.path.join(d, "buckets.txt")
        with open(listing, "w") as f:
            f.write("# old buckets\ncmt-a   # the first\n  s3://cmt-b\t# the second\r\n")
        p = s3purge(emu.url, "delete", "--buckets-from", listing, "--yes", "--json", expect=0)
        docs = {d["bucket"]: d for d in json_lines(p.stdout)}
        assert set(docs) == {"cmt-a", "cmt-b"}, docs.keys()
        assert all(docs[b]["bucket_deleted"] for b in docs), docs
        assert not emu.stats()["buckets"], emu.stats()["buckets"]


def test_the_report_does_not_contradict_itself():
    with Emulator(S3EMU, *VERIFY, "--seed", "bucket=rep-a,objects=10", "--seed",
                  "bucket=rep-b,objects=5,uploads=4,old_uploads=6", "--deny", "DeleteObject") as emu:
        # Per-key refusals are error answers too: errors_by_code counts them.
        r = json.loads(s3purge(emu.url, "empty", "s3://rep-a", "--yes", "--json", expect=1).stdout)
        assert r["counts"]["objects"]["failed"] == 10, r["counts"]
        assert r["errors_by_code"].get("AccessDenied") == 10, r["errors_by_code"]
        for op, l in r["latency"].items():
            assert l["p50_ms"] <= l["max_ms"] and l["p99_ms"] <= l["max_ms"], (op, l)
        # A dry run says so, in the summary and the JSON.
        p = s3purge(emu.url, "empty", "s3://rep-a", "--dry-run", expect=0)
        assert "DRY RUN: nothing was deleted" in p.stdout, p.stdout
        assert json.loads(s3purge(emu.url, "empty", "s3://rep-a", "--dry-run", "--json", expect=0).stdout)["dry_run"]
        # Uploads kept by --older-than are not "nothing left".
        p = s3purge(emu.url, "abort-uploads", "s3://rep-b", "--older-than", "7d", "--yes", expect=0)
        assert "verified: nothing left to remove but the 4 entries the selection keeps" in p.stdout, p.stdout


def test_a_governance_lock_is_named_with_the_flag_that_bypasses_it():
    with Emulator(S3EMU, *VERIFY, "--seed", "bucket=gov-lock,objects=20,versions=2,lock=governance,locked=5") as emu:
        p = s3purge(emu.url, "plan", "s3://gov-lock", expect=0)
        assert "--bypass-governance-retention" in p.stdout, p.stdout
        for command in ("empty", "delete"):
            p = s3purge(emu.url, command, "s3://gov-lock", "--dry-run", expect=0)
            assert "has object lock" in p.stderr and "--bypass-governance-retention" in p.stderr, p.stderr
        p = s3purge(emu.url, "empty", "s3://gov-lock", "--dry-run", "--bypass-governance-retention", expect=0)
        assert "has object lock" not in p.stderr, p.stderr


if __name__ == "__main__":
    sys.exit(main([test_plan_counts_everything_and_deletes_nothing,
                   test_sibling_prefix_is_pointed_out_before_deleting,
                   test_delete_several_buckets_each_reported,
                   test_plan_next_command_repeats_the_flags_that_chose_the_target,
                   test_buckets_from_lines_may_end_in_a_comment,
                   test_the_report_does_not_contradict_itself,
                   test_a_governance_lock_is_named_with_the_flag_that_bypasses_it,
                   test_rm_keys_from_arguments_a_file_and_stdin,
                   test_rm_versions_with_key_tab_version_id,
                   test_abort_uploads_older_than,
                   test_lifecycle_show_install_remove_and_refusals,
                   test_a_server_that_keeps_what_it_deleted_exits_4,
                   test_no_secret_in_output_or_log_at_any_verbosity,
                   test_interrupt_with_requests_stuck_past_the_grace_period,
                   test_terminal_confirmation_and_status_area]))
