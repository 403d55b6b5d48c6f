#!/usr/bin/env python3
"""Listing that scales, with the real s3purge binary against the real s3emu: parallel
listers on one hot prefix, shards run as separate processes, and --state-file resume after
an interruption, and the Kubernetes example of deploy/ run as its pods would run it.
Usage: test_listing.py PATH/TO/s3purge PATH/TO/s3emu"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "emu"))
from harness import Emulator, Missing, boto3_client, main, process_env, run, static_key_env  # noqa: E402

S3PURGE = sys.argv[1] if len(sys.argv) > 1 else "build/cli/s3purge"
S3EMU = sys.argv[2] if len(sys.argv) > 2 else "build/bench/s3emu"
KEY, SECRET = "AKIDE2ELISTING", "listing-secret"
ENV = static_key_env(KEY, SECRET)
VERIFY = ["--access-key", KEY, "--secret-key", SECRET]


def s3purge(emu, *args, expect=None):
    p = run([S3PURGE, *args, "--endpoint-url", emu.url], env=ENV, check=False, timeout=600)
    if expect is not None:
        assert p.returncode == expect, f"exit {p.returncode}, not {expect}\n{p.stdout}\n{p.stderr}"
    return p


def list_requests(emu, op):
    return emu.stats()["operations"].get(op, {}).get("count", 0)


def test_listers_split_one_hot_prefix():
    # 30,000 keys under one prefix, 100 to a page: one stream needs 300 pages in a row.
    with Emulator(S3EMU, *VERIFY, "--max-page", "100",
                  "--seed", "bucket=hot-one,objects=30000,prefixes=1",
                  "--seed", "bucket=hot-many,objects=30000,prefixes=1,versions=2,markers=300") as emu:
        one = json.loads(s3purge(emu, "empty", "s3://hot-one", "--yes", "--json", "--listers", "1",
                                 expect=0).stdout)
        # Entries and uploads, in the pass and in the check: one range each.
        assert one["ranges_listed"] == 4, one
        many = json.loads(s3purge(emu, "empty", "s3://hot-many", "--yes", "--json", "--listers", "8",
                                  expect=0).stdout)
        assert many["ranges_listed"] > 8, many
        assert many["counts"]["versions"]["deleted"] == 60000, many["counts"]
        assert many["counts"]["delete_markers"]["deleted"] == 300, many["counts"]
        stats = emu.stats()
        assert stats["keys_deleted"] == 90300 and stats["deletes_without_effect"] == 0, stats
        # Splitting costs pages that end early, not a second listing.
        pages = list_requests(emu, "ListObjectVersions")
        assert pages < 1.5 * 603, pages
        print(f"  hot prefix, 8 listers: {many['ranges_listed']} ranges, {pages} version pages "
              f"for 603 full ones", flush=True)


def test_shards_in_separate_processes_delete_every_key_once():
    # Four machines, as an Indexed Job would run them: each deletes its shard, and the last
    # to finish deletes the bucket.
    seed = "bucket=sharded,objects=40000,versions=2,markers=1000,uploads=400,keys=hashed"
    with Emulator(S3EMU, *VERIFY, "--max-page", "250", "--list-latency", "2ms", "--seed", seed) as emu:
        procs = [subprocess.Popen([S3PURGE, "delete", "s3://sharded", "--shard", f"{i}/4", "--yes",
                                   "--json", "--listers", "4", "--endpoint-url", emu.url],
                                  env=process_env(ENV), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for i in range(4)]
        reports = []
        for i, p in enumerate(procs):
            out, err = p.communicate(timeout=300)
            assert p.returncode == 0, (i, p.returncode, err)
            reports.append(json.loads(out))
        deleted = [sum(c["deleted"] for c in r["counts"].values()) for r in reports]
        assert all(n > 0 for n in deleted), deleted
        assert sum(deleted) == 80000 + 1000 + 400, deleted
        assert all(r["balanced"] for r in reports)
        assert any(r["bucket_deleted"] for r in reports), reports
        assert all(r["bucket_deleted"] or r["left_to_other_shards"] for r in reports)
        stats = emu.stats()
        assert stats["keys_deleted"] == 81000 and stats["deletes_without_effect"] == 0, stats
        assert stats["uploads_aborted"] == 400 and "sharded" not in stats["buckets"], stats
        print(f"  entries per shard: {deleted}", flush=True)


def test_state_file_resume_skips_emptied_ranges():
    seed = "bucket=resume,objects=200000,prefixes=20,uploads=50"
    with tempfile.TemporaryDirectory() as d, Emulator(S3EMU, *VERIFY, "--seed", seed) as emu:
        state = os.path.join(d, "resume.state")
        proc = subprocess.Popen([S3PURGE, "empty", "s3://resume", "--yes", "--json", "--rate", "50000",
                                 "--state-file", state, "--endpoint-url", emu.url],
                                env=process_env(ENV), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        time.sleep(1.5)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 3, (proc.returncode, err)
        first = json.loads(out)
        deleted = first["counts"]["objects"]["deleted"]
        assert 0 < deleted < 200000, deleted
        with open(state) as f:
            lines = [line.split() for line in f]
        # One line says the run began (before it deleted anything), then the ranges emptied.
        assert lines and lines[0][:3] == ["begun", "entries", "resume"], lines[:3]
        lines = lines[1:]
        assert lines and all(line[0] == "done" and line[2] == "resume" for line in lines), lines[:3]
        # A late writer puts a key back inside a range recorded as emptied.
        def bound(field):
            return None if field == "-" else bytes.fromhex(field[1:])
        done = [(bound(line[4]), bound(line[5])) for line in lines if line[1] == "entries"]
        def emptied(key):
            return any((a is None or key > a) and (t is None or key <= t) for a, t in done)
        late_key = next(k for k in (f"prefix-{i // 10000:04d}/object-{i:09d}".encode()
                                    for i in range(0, 200000, 997)) if emptied(k)).decode()
        s3 = boto3_client(emu.url, KEY, SECRET)
        s3.put_object(Bucket="resume", Key=late_key, Body=b"late")
        # A dry run with the state file does not list the emptied ranges (nor the late key)...
        left = emu.stats()["buckets"]["resume"]["keys"]
        dry = json.loads(s3purge(emu, "empty", "s3://resume", "--dry-run", "--json", "--state-file",
                                 state, expect=0).stdout)
        plain = json.loads(s3purge(emu, "empty", "s3://resume", "--dry-run", "--json", expect=0).stdout)
        assert plain["counts"]["objects"]["listed"] == left, (plain["counts"], left)
        assert dry["counts"]["objects"]["listed"] == left - 1, (dry["counts"], left)
        # ... and the real re-run finishes, the late key caught by the final check's pass.
        second = json.loads(s3purge(emu, "empty", "s3://resume", "--yes", "--json", "--state-file",
                                    state, expect=0).stdout)
        assert second["empty_verified"] and second["passes"] == 2, second
        stats = emu.stats()
        assert stats["buckets"]["resume"]["keys"] == 0, stats["buckets"]
        assert stats["keys_deleted"] == 200000 + 1, stats["keys_deleted"]
        print(f"  interrupted after {deleted:,}; {len(lines)} state lines; the re-run finished",
              flush=True)


def test_kubernetes_example_runs_against_the_emulator():
    # The Indexed Job in deploy/: its pods' arguments, as Kubernetes expands them, run as 8
    # processes side by side.
    try:
        import yaml
    except ImportError as e:
        raise Missing("python3-yaml is not installed (scripts/setup.sh installs it)") from e
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "deploy",
                        "kubernetes", "s3purge-shards.yaml")
    with open(path) as f:
        docs = list(yaml.safe_load_all(f))
    job = next(d for d in docs if d["kind"] == "Job")
    account = next(d for d in docs if d["kind"] == "ServiceAccount")
    # Credentials from the service account (IRSA or Pod Identity), not from a Secret.
    assert "eks.amazonaws.com/role-arn" in account["metadata"]["annotations"]
    spec = job["spec"]
    assert spec["template"]["spec"]["serviceAccountName"] == account["metadata"]["name"]
    assert "envFrom" not in spec["template"]["spec"]["containers"][0]
    assert spec["completionMode"] == "Indexed" and spec["completions"] == spec["parallelism"]
    container = spec["template"]["spec"]["containers"][0]
    env = {e["name"]: e["value"] for e in container["env"]}
    n = spec["completions"]
    seed = f"bucket={env['BUCKET']},objects=20000,versions=2,markers=500,uploads=100,keys=hashed"
    with Emulator(S3EMU, *VERIFY, "--seed", seed) as emu:
        procs = []
        for index in range(n):
            args = [a.replace("$(BUCKET)", env["BUCKET"]).replace("$(JOB_COMPLETION_INDEX)", str(index))
                    for a in container["args"]]
            assert f"{index}/{n}" in args, args
            procs.append(subprocess.Popen([S3PURGE, *args, "--endpoint-url", emu.url],
                                          env=process_env(dict(ENV, AWS_REGION=env["AWS_REGION"])),
                                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        reports = []
        for p in procs:
            out, err = p.communicate(timeout=300)
            assert p.returncode == 0, (p.returncode, err)
            reports.append(json.loads(out))
        assert sum(r["bucket_deleted"] for r in reports) >= 1, reports
        stats = emu.stats()
        assert stats["keys_deleted"] == 40500 and stats["deletes_without_effect"] == 0, stats
        assert env["BUCKET"] not in stats["buckets"]


def test_bad_shard_and_state_file_are_refused():
    with Emulator(S3EMU, *VERIFY, "--seed", "bucket=keep-me,objects=10") as emu:
        for bad in ("4/4", "x", "1/0", "-1/2", "1/1001", "1/2/3", "/2"):
            p = s3purge(emu, "empty", "s3://keep-me", "--yes", "--shard", bad, expect=2)
            assert "--shard" in p.stderr, p.stderr
        p = s3purge(emu, "rm", "s3://keep-me", "k", "--yes", "--shard", "0/2", expect=2)
        assert "--shard" in p.stderr, p.stderr
        with tempfile.NamedTemporaryFile("w", suffix=".state") as f:
            f.write("not a state line\n")
            f.flush()
            p = s3purge(emu, "empty", "s3://keep-me", "--yes", "--state-file", f.name, expect=2)
            assert "line 1" in p.stderr, p.stderr
        p = s3purge(emu, "empty", "s3://keep-me", "--yes", "--listers", "999", expect=2)
        assert emu.stats()["buckets"]["keep-me"]["keys"] == 10


if __name__ == "__main__":
    sys.exit(main([test_listers_split_one_hot_prefix,
                   test_shards_in_separate_processes_delete_every_key_once,
                   test_state_file_resume_skips_emptied_ranges,
                   test_kubernetes_example_runs_against_the_emulator,
                   test_bad_shard_and_state_file_are_refused]))
