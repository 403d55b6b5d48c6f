#!/usr/bin/env python3
"""The real s3purge against servers that answer wrongly: tests/e2e/hostile_s3.py (one
misbehaviour per mode), s3emu with faults, and moto_server's object lock. Whatever the
server says, the report claims only what it can prove: nothing refused is counted deleted,
no listing loops, no wait is endless, no server text reaches the terminal raw.
Usage: test_hostile.py PATH/TO/s3purge PATH/TO/s3emu"""
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "emu"))
sys.path.insert(0, HERE)
from harness import Emulator, Moto, boto3_client, main, process_env, proc_status_kib, static_key_env  # noqa: E402
from hostile_s3 import HostileS3  # noqa: E402
from test_commands import run_on_terminal  # noqa: E402

S3PURGE = sys.argv[1] if len(sys.argv) > 1 else "build/cli/s3purge"
S3EMU = sys.argv[2] if len(sys.argv) > 2 else "build/bench/s3emu"
KEY_ID = "AKIDHOSTILE"
SECRET = "hostile-secret-value"
ENV = static_key_env(KEY_ID, SECRET)
VERIFY = ["--access-key", KEY_ID, "--secret-key", SECRET]
# Memory figures mean nothing under a sanitizer, which runs this suite again.
SANITIZED = "ASAN_OPTIONS" in os.environ or "TSAN_OPTIONS" in os.environ


class Run:
    def __init__(self, rc, out, err, seconds):
        self.returncode, self.stdout, self.stderr = rc, out, err
        self.seconds = seconds

    def json(self):
        return json.loads(self.stdout)


def s3purge(*args, expect=None, timeout=120, stdin=None):
    """Runs s3purge; output kept as bytes decoded without newline translation (a raw CR
    must be seen), with its peak RSS from wait4."""
    started = time.time()
    proc = subprocess.Popen([S3PURGE, *args], env=process_env(ENV), stdin=stdin or subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise AssertionError(f"s3purge {' '.join(args)} still running after {timeout} s")
    r = Run(proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"),
            time.time() - started)
    assert SECRET not in r.stdout + r.stderr, "the secret was printed"
    if expect is not None:
        assert r.returncode == expect, f"exit {r.returncode}, not {expect}\n{r.stdout}\n{r.stderr}"
    return r


def hwm_kib(pid):
    """The process's peak RSS so far (VmHWM) once it runs s3purge; 0 before its exec. Not
    ru_maxrss, which keeps the forked Python's size from before the exec."""
    try:
        if os.readlink(f"/proc/{pid}/exe") != os.path.realpath(S3PURGE):
            return 0
    except OSError:
        return 0
    return proc_status_kib(pid, "VmHWM") or 0


def peak_rss_mib(*args, timeout=300):
    """Runs s3purge with its output in files; returns (rc, out, err, peak RSS in MiB)."""
    with tempfile.TemporaryFile() as o, tempfile.TemporaryFile() as e:
        proc = subprocess.Popen([S3PURGE, *args], env=process_env(ENV), stdin=subprocess.DEVNULL,
                                stdout=o, stderr=e)
        deadline = time.time() + timeout
        peak = 0
        while proc.poll() is None:
            peak = max(peak, hwm_kib(proc.pid))
            if time.time() > deadline:
                proc.kill()
                raise AssertionError(f"s3purge {' '.join(args)} still running after {timeout} s")
            time.sleep(0.005)
        o.seek(0)
        e.seek(0)
        return proc.returncode, o.read().decode(), e.read().decode(), peak / 1024


def lines_of(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


# ---- 1. refusals without version ids ---------------------------------------------------

def test_refusals_without_version_ids_are_failures_not_deletions():
    with HostileS3(["versionless-errors"], versioned=True) as s3, tempfile.TemporaryDirectory() as d:
        locked = [(f"locked/k{i}", s3.put(f"locked/k{i}")) for i in range(5)]
        for i in range(5):
            s3.put(f"free/f{i}")
        keys, failed = os.path.join(d, "keys"), os.path.join(d, "failed")
        with open(keys, "w") as f:
            f.writelines(f"{k}\t{v}\n" for k, v in locked)
        r = s3purge("rm", "s3://hostile", "--keys-from", keys, "--yes", "--json", "--failed-keys", failed,
                    "--endpoint-url", s3.url, expect=1)
        c = r.json()["counts"]["versions"]
        assert (c["deleted"], c["failed"]) == (0, 5), c
        assert [x["code"] for x in lines_of(failed)] == ["AccessDenied"] * 5
        assert s3.stats()["entries"] == 10, "nothing was deleted"
        # empty: the refused versions fail once; nothing is counted deleted that is still there.
        r = s3purge("empty", "s3://hostile/locked/", "--yes", "--json", "--failed-keys", failed,
                    "--endpoint-url", s3.url, expect=1)
        report = r.json()
        assert report["counts"]["versions"]["deleted"] == 0, report["counts"]
        assert report["counts"]["versions"]["failed"] == 5, report["counts"]
        assert len(lines_of(failed)) == 5 and report["balanced"], report
        assert s3.stats()["entries"] == 10


def test_refusals_of_locked_versions_by_moto_are_failures():
    try:
        import boto3  # noqa: F401
    except ImportError as e:
        from harness import Missing
        raise Missing(f"boto3 is not importable: {e}")
    import datetime
    with Moto() as moto, tempfile.TemporaryDirectory() as d:
        s3 = boto3_client(moto.url, KEY_ID, SECRET)
        s3.create_bucket(Bucket="locked", ObjectLockEnabledForBucket=True)
        until = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)
        lines = []
        for i in range(5):
            v = s3.put_object(Bucket="locked", Key=f"locked/k{i}", Body=b"x", ObjectLockMode="COMPLIANCE",
                              ObjectLockRetainUntilDate=until)["VersionId"]
            lines.append(f"locked/k{i}\t{v}\n")
        keys, failed = os.path.join(d, "keys"), os.path.join(d, "failed")
        with open(keys, "w") as f:
            f.writelines(lines)
        r = s3purge("rm", "s3://locked", "--keys-from", keys, "--yes", "--json", "--failed-keys", failed,
                    "--endpoint-url", moto.url, expect=1)
        c = r.json()["counts"]["versions"]
        assert (c["deleted"], c["failed"]) == (0, 5), c
        assert len(lines_of(failed)) == 5
        left = s3.list_object_versions(Bucket="locked").get("Versions", [])
        assert len(left) == 5, left


# ---- 2. NoSuchBucket from a list --------------------------------------------------------

def test_nosuchbucket_from_a_list_is_not_a_deleted_bucket():
    for command, shard in (("delete", "0/2"), ("empty", "1/2")):
        with HostileS3(["nosuchbucket-list-2"]) as s3:
            for i in range(7):
                s3.put(f"k{i:02d}")
            r = s3purge(command, "s3://hostile", "--shard", shard, "--yes", "--endpoint-url", s3.url)
            assert r.returncode not in (0, 1), (r.returncode, r.stdout, r.stderr)
            assert "bucket deleted" not in r.stdout and "nothing left" not in r.stdout, r.stdout
            assert "deleted by another shard" not in r.stdout + r.stderr
            assert s3.stats()["exists"]
            assert s3.stats()["counts"].get("HeadBucket", 0) >= 1, "the claim was checked"


# ---- 3. cursors that do not move --------------------------------------------------------

def test_a_listing_that_does_not_move_ends_with_an_error():
    cases = [(["stuck-token"], False, ["plan"]), (["stuck-token"], False, ["delete", "--yes"]),
             (["versions-marker-back"], True, ["empty", "--yes"]),
             (["uploads-repeat"], False, ["abort-uploads", "--yes"])]
    for modes, versioned, command in cases:
        with HostileS3(modes, versioned=versioned) as s3:
            for i in range(3):
                s3.put(f"k{i}")
            s3.add_upload("u0", "up0")
            r = s3purge(command[0], "s3://hostile", *command[1:], "--endpoint-url", s3.url, timeout=60)
            assert r.returncode == 2, (modes, command, r.returncode, r.stdout, r.stderr)
            assert "does not move forward" in r.stdout + r.stderr, (modes, r.stdout, r.stderr)
            lists = sum(n for op, n in s3.stats()["counts"].items() if op.startswith("List"))
            assert lists < 40, (modes, command, s3.stats()["counts"])
            assert "bucket deleted" not in r.stdout and "nothing left" not in r.stdout


# ---- 4. Retry-After ---------------------------------------------------------------------

def test_retry_after_is_obeyed_up_to_a_ceiling_then_entries_fail_as_throttled():
    with HostileS3(["slowdown-retry-after"]) as s3:
        for i in range(5):
            s3.put(f"k{i}")
        r = s3purge("empty", "s3://hostile", "--yes", "--json", "--retry-time", "5", "--endpoint-url", s3.url,
                    timeout=90)
        assert r.returncode == 1, (r.returncode, r.stderr)
        report = r.json()
        assert report["counts"]["objects"]["failed"] == 5, report["counts"]
        assert {f["code"] for f in report["failures"]} == {"SlowDown"}, report["failures"]
        assert r.seconds < 60, f"took {r.seconds:.0f} s"


# ---- 5. deletes that are not safe to repeat ---------------------------------------------

def test_lost_answers_never_add_a_second_delete_marker():
    n = 300
    with Emulator(S3EMU, *VERIFY, "--fault", "truncate=0.5,internal=0.2", "--seed",
                  f"bucket=markers,objects={n},versioning=enabled") as emu, tempfile.TemporaryDirectory() as d:
        s3 = boto3_client(emu.url, KEY_ID, SECRET)
        keys = [o["Key"] for p in s3.get_paginator("list_objects_v2").paginate(Bucket="markers")
                for o in p.get("Contents", [])]
        assert len(keys) == n
        path = os.path.join(d, "keys")
        with open(path, "w") as f:
            f.writelines(k + "\n" for k in keys)
        r = s3purge("rm", "s3://markers", "--keys-from", path, "--yes", "--json", "--batch-size", "10",
                    "--endpoint-url", emu.url)
        assert r.returncode in (0, 1), (r.returncode, r.stderr)
        report = r.json()
        c = report["counts"]["objects"]
        assert c["deleted"] + c["failed"] == n and report["balanced"], c
        assert {f["code"] for f in report["failures"]} <= {"OutcomeUnknown"}, report["failures"][:3]
        markers = {}
        for p in s3.get_paginator("list_object_versions").paginate(Bucket="markers"):
            for m in p.get("DeleteMarkers", []):
                markers[m["Key"]] = markers.get(m["Key"], 0) + 1
        assert max(markers.values(), default=0) <= 1, sorted(markers.items(), key=lambda x: -x[1])[:3]
        assert len(markers) >= c["deleted"], (len(markers), c)


# ---- 6. server text on the terminal -----------------------------------------------------

def test_server_text_never_reaches_the_terminal_raw():
    with HostileS3(["escape-text"]) as s3:
        for k in ("a", "b", "evil\x1b]0;title\x07key"):
            s3.put(k)
        runs = [(["empty", "--yes"], 1), (["empty", "--yes", "-v"], 1), (["empty", "--yes", "--json"], 1),
                (["plan"], 0), (["lifecycle", "show"], 0)]
        for extra, code in runs:
            r = s3purge(*extra[:2 if extra[0] == "lifecycle" else 1], "s3://hostile",
                        *extra[2 if extra[0] == "lifecycle" else 1:], "--endpoint-url", s3.url)
            assert r.returncode == code, (extra, r.returncode, r.stdout, r.stderr)
            for text in (r.stdout, r.stderr):
                for c in ("\x1b", "\x07", "\r"):
                    assert c not in text, (extra, c, text[:2000])
            assert "FAKE" in r.stdout + r.stderr, "the message is shown, escaped"


# ---- 7. a password in the endpoint URL --------------------------------------------------

def test_a_password_in_the_endpoint_url_is_never_echoed():
    r = s3purge("plan", "s3://b", "--endpoint-url", "https://AKIDUSER:hunter2-secret@127.0.0.1:9", expect=2)
    assert "hunter2" not in r.stdout + r.stderr and "AKIDUSER" not in r.stderr, r.stderr
    assert "user information" in r.stderr, r.stderr


# ---- 8. bounded memory --------------------------------------------------------------------

def test_a_huge_page_is_refused_and_memory_stays_bounded():
    with HostileS3(["huge-page"]) as s3:
        s3.put("k")
        rc, out, err, rss = peak_rss_mib("plan", "s3://hostile", "--endpoint-url", s3.url, "--max-retries", "1")
        assert rc == 2, (rc, err)
        assert "too large" in out + err, (out, err)
        print(f"  a 60 MB page: refused, peak RSS {rss:.1f} MiB", flush=True)
        if not SANITIZED:
            assert rss < 100, f"peak RSS {rss:.1f} MiB"


def test_many_failures_go_to_the_file_not_to_memory():
    n = 50_000
    with Emulator(S3EMU, *VERIFY, "--seed", f"bucket=locked,objects={n},lock=compliance,locked={n}") as emu, \
            tempfile.TemporaryDirectory() as d:
        failed = os.path.join(d, "failed")
        rc, out, err, rss = peak_rss_mib("empty", "s3://locked", "--yes", "--json", "--failed-keys", failed,
                                         "--endpoint-url", emu.url)
        assert rc == 1, (rc, err)
        report = json.loads(out)
        assert report["counts"]["versions"]["failed"] == n, report["counts"]
        assert len(report["failures"]) + report["failures_not_recorded"] == n
        assert sum(1 for _ in open(failed)) == n, "every failure is in the file"
        print(f"  {n:,} locked versions: peak RSS {rss:.1f} MiB", flush=True)
        if not SANITIZED:
            assert rss < 32, f"peak RSS {rss:.1f} MiB"


# ---- 9. --state-file and what was kept ------------------------------------------------------

def test_a_range_with_kept_uploads_is_not_recorded_emptied():
    with Emulator(S3EMU, *VERIFY, "--seed", "bucket=kept,objects=1,uploads=20,old_uploads=5") as emu, \
            tempfile.TemporaryDirectory() as d:
        state = os.path.join(d, "state")
        for run in range(2):
            r = s3purge("abort-uploads", "s3://kept", "--older-than", "7d", "--state-file", state, "--yes",
                        "--json", "--endpoint-url", emu.url, expect=0)
            u = r.json()["counts"]["uploads"]
            assert u["listed"] == 20 + (5 if run == 0 else 0), (run, u)
            assert u["skipped"] == 20 and u["deleted"] == (5 if run == 0 else 0), (run, u)
        assert emu.stats()["buckets"]["kept"]["uploads"] == 20


# ---- 10. rm's prefix and key ----------------------------------------------------------------

def test_rm_says_how_the_prefix_and_the_key_are_joined():
    with HostileS3([]) as s3:
        s3.put("logs2024.gz")
        s3.put("logs/2024.gz")
        rc, out = run_on_terminal(["rm", "s3://hostile/logs", "2024.gz", "--endpoint-url", s3.url], "no", ENV)
        assert rc == 2, (rc, out)
        assert "s3://hostile/logs2024.gz" in out, out
        assert "no trailing '/'" in out, out
        assert s3.stats()["entries"] == 2
        r = s3purge("rm", "s3://hostile/logs", "2024.gz", "--yes", "--endpoint-url", s3.url, expect=0)
        assert "no trailing '/'" in r.stderr and "logs2024.gz" in r.stderr, r.stderr
        assert s3.stats()["keys"] == ["logs/2024.gz"]


# ---- more: answers that describe another request, lies about the bucket ----------------------

def test_an_answer_naming_keys_not_sent_deletes_nothing():
    with HostileS3(["unmatched-errors"]) as s3:
        for i in range(20):
            s3.put(f"k{i:02d}")
        r = s3purge("empty", "s3://hostile", "--yes", "--json", "--max-retries", "1", "--endpoint-url", s3.url,
                    expect=1)
        report = r.json()
        c = report["counts"]["objects"]
        assert (c["deleted"], c["failed"]) == (0, 20), c
        assert {f["code"] for f in report["failures"]} == {"UnmatchedAnswer"}, report["failures"][:2]
        assert s3.stats()["entries"] == 20


def test_a_deletebucket_that_keeps_the_bucket_is_not_claimed():
    with HostileS3(["delete-bucket-lies"]) as s3:
        for i in range(3):
            s3.put(f"k{i}")
        r = s3purge("delete", "s3://hostile", "--yes", "--json", "--endpoint-url", s3.url, expect=4)
        report = r.json()
        assert not report["bucket_deleted"] and report["bucket_deletion_unconfirmed"], report
        r = s3purge("delete", "s3://hostile", "--yes", "--endpoint-url", s3.url, expect=4)
        assert "bucket deleted" not in r.stdout and "NOT confirmed" in r.stdout, r.stdout


def test_a_verbose_answer_that_leaves_out_an_entry_is_checked_alone():
    with HostileS3(["verbose-omits-one"], versioned=True) as s3:
        for i in range(2500):
            s3.bucket.put(f"k{i:05d}")
        r = s3purge("empty", "s3://hostile", "--yes", "--json", "--endpoint-url", s3.url, expect=0)
        report = r.json()
        assert report["counts"]["versions"]["deleted"] == 2500 and report["balanced"], report["counts"]
        assert report["passes"] == 1, "each left-out entry was deleted alone, in the same pass"
        assert s3.stats()["entries"] == 0
        # Left out of a batch and of its retry: then sent alone, once per batch.
        assert 1 <= s3.stats()["counts"]["DeleteObject"] <= 3, s3.stats()["counts"]


if __name__ == "__main__":
    sys.exit(main([
        test_refusals_without_version_ids_are_failures_not_deletions,
        test_refusals_of_locked_versions_by_moto_are_failures,
        test_nosuchbucket_from_a_list_is_not_a_deleted_bucket,
        test_a_listing_that_does_not_move_ends_with_an_error,
        test_retry_after_is_obeyed_up_to_a_ceiling_then_entries_fail_as_throttled,
        test_lost_answers_never_add_a_second_delete_marker,
        test_server_text_never_reaches_the_terminal_raw,
        test_a_password_in_the_endpoint_url_is_never_echoed,
        test_a_huge_page_is_refused_and_memory_stays_bounded,
        test_many_failures_go_to_the_file_not_to_memory,
        test_a_range_with_kept_uploads_is_not_recorded_emptied,
        test_rm_says_how_the_prefix_and_the_key_are_joined,
        test_an_answer_naming_keys_not_sent_deletes_nothing,
        test_a_deletebucket_that_keeps_the_bucket_is_not_claimed,
        test_a_verbose_answer_that_leaves_out_an_entry_is_checked_alone,
    ]))
