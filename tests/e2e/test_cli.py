#!/usr/bin/env python3
"""The real s3purge binary against the real s3emu (and moto_server): exit codes, refusals,
the JSON report, object lock failures, credentials never printed, Ctrl-C.
Usage: test_cli.py PATH/TO/s3purge PATH/TO/s3emu"""
import json
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "emu"))
from harness import Emulator, Moto, main, process_env, run, static_key_env  # noqa: E402

S3PURGE = sys.argv[1] if len(sys.argv) > 1 else "build/cli/s3purge"
S3EMU = sys.argv[2] if len(sys.argv) > 2 else "build/bench/s3emu"
SECRET = "sup3r-s3cret-value"
ENV = static_key_env("AKIDE2E", SECRET)
VERIFY = ["--access-key", "AKIDE2E", "--secret-key", SECRET]


def purge(emu_url, *args, check=False, env=None):
    p = run([S3PURGE, *args, "--endpoint-url", emu_url], env=dict(ENV, **(env or {})),
            check=False, timeout=600)
    assert SECRET not in p.stdout + p.stderr, "the secret key was printed"
    if check:
        assert p.returncode == 0, f"exit {p.returncode}\n{p.stdout}\n{p.stderr}"
    return p


def test_delete_versioned_bucket_with_uploads():
    with Emulator(S3EMU, *VERIFY, "--seed",
                  "bucket=e2e-bucket,objects=20000,prefixes=7,versions=2,markers=500,uploads=50") as emu:
        p = purge(emu.url, "delete", "s3://e2e-bucket", "--yes", "--json", check=True)
        report = json.loads(p.stdout)
        assert report["bucket_deleted"] and report["balanced"], report
        assert report["counts"]["versions"]["deleted"] == 40000
        assert report["counts"]["delete_markers"]["deleted"] == 500
        assert report["counts"]["uploads"]["deleted"] == 50
        assert "e2e-bucket" not in emu.stats()["buckets"]
        assert emu.stats()["keys_deleted"] == 40500


def test_refuses_without_yes_and_without_a_terminal():
    with Emulator(S3EMU, "--seed", "bucket=keep-me,objects=100") as emu:
        p = purge(emu.url, "delete", "s3://keep-me")
        assert p.returncode == 2 and "--yes" in p.stderr, p.stderr
        assert emu.stats()["buckets"]["keep-me"]["keys"] == 100


def test_dry_run_counts_and_deletes_nothing():
    with Emulator(S3EMU, "--seed", "bucket=dry-run,objects=3000,versions=2,uploads=4") as emu:
        p = purge(emu.url, "delete", "s3://dry-run", "--dry-run", "--json", check=True)
        report = json.loads(p.stdout)
        assert report["counts"]["versions"]["skipped"] == 6000, report["counts"]
        assert report["counts"]["uploads"]["skipped"] == 4
        assert not report["bucket_deleted"]
        assert emu.stats()["keys_deleted"] == 0


def test_prefix_empty_keeps_the_rest_and_delete_refuses_a_prefix():
    with Emulator(S3EMU, "--seed", "bucket=prefixed,objects=5000,prefixes=5") as emu:
        p = purge(emu.url, "delete", "s3://prefixed/prefix-0001/", "--yes")
        assert p.returncode == 2 and "empty" in p.stderr, p.stderr
        purge(emu.url, "empty", "s3://prefixed/prefix-0001/", "--yes", "-q", check=True)
        assert emu.stats()["buckets"]["prefixed"]["keys"] == 4000


def test_locked_versions_exit_1_with_codes():
    import tempfile
    with Emulator(S3EMU, "--seed", "bucket=locked,objects=400,versions=2,lock=compliance,locked=5") as emu, \
            tempfile.TemporaryDirectory() as d:
        failed = os.path.join(d, "failed.jsonl")
        p = purge(emu.url, "delete", "s3://locked", "--yes", "--json", "--failed-keys", failed)
        assert p.returncode == 1, (p.returncode, p.stderr)
        report = json.loads(p.stdout)
        assert len(report["failures"]) == 10
        assert {f["code"] for f in report["failures"]} == {"AccessDenied"}
        assert report["remaining"] == 10 and not report["bucket_deleted"]
        lines = [json.loads(line) for line in open(failed)]
        assert len(lines) == 10, lines
        for line in lines:
            assert line["bucket"] == "locked" and line["code"] == "AccessDenied"
            assert line["key"].startswith("prefix-0000/") and line["version_id"] and line["request_id"]
        p = purge(emu.url, "delete", "s3://locked", "--yes", "--failed-keys", "/nonexistent/dir/f")
        assert p.returncode == 2 and "--failed-keys" in p.stderr, p.stderr


def test_configuration_errors_exit_2_with_a_clear_line():
    with Emulator(S3EMU, *VERIFY, "--seed", "bucket=conf-errors,objects=10") as emu:
        p = purge(emu.url, "delete", "s3://conf-errors", "--yes",
                  env={"AWS_SECRET_ACCESS_KEY": "wrong-secret"})
        assert p.returncode == 2 and "SignatureDoesNotMatch" in p.stderr, p.stderr
        p = purge(emu.url, "delete", "s3://no-such-bucket", "--yes")
        assert p.returncode == 2 and "NoSuchBucket" in p.stderr, p.stderr
        p = purge(emu.url, "delete", "conf-errors", "--yes")
        assert p.returncode == 2 and "s3://BUCKET" in p.stderr, p.stderr
        p = purge(emu.url, "delete", "s3://conf-errors", "--yes", env={"AWS_ACCESS_KEY_ID": None})
        assert p.returncode == 2 and "AWS_SECRET_ACCESS_KEY but not AWS_ACCESS_KEY_ID" in p.stderr, p.stderr
        p = run([S3PURGE, "delete", "s3://conf-errors", "--no-such-flag"], check=False)
        assert p.returncode == 2
        assert emu.stats()["buckets"]["conf-errors"]["keys"] == 10, "nothing deleted"
    p = run([S3PURGE, "delete", "s3://x-bucket", "--yes", "--max-retries", "2",
             "--endpoint-url", "http://127.0.0.1:1"],
            env=ENV, check=False, timeout=300)
    assert p.returncode == 2 and "connection refused" in p.stderr, p.stderr


def test_interrupt_reports_and_exits_3():
    # 400,000 keys at 2 batches per 50 ms take at least 5 s: an interrupt at 2.5 s lands
    # mid-run even on a loaded machine.
    with Emulator(S3EMU, "--latency", "50ms", "--seed", "bucket=slow-bucket,objects=400000") as emu:
        proc = subprocess.Popen([S3PURGE, "delete", "s3://slow-bucket", "--yes", "--json",
                                 "--concurrency", "2", "--endpoint-url", emu.url],
                                env=process_env(ENV),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(2.5)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 3, (proc.returncode, err)
        report = json.loads(out)
        assert report["interrupted"] and report["balanced"], report
        deleted = report["counts"]["objects"]["deleted"]
        assert 0 < deleted < 400000, deleted
        assert emu.stats()["keys_deleted"] == deleted, "the report tells the truth"


def test_moto_versioned_bucket_with_uploads():
    try:
        import boto3
    except ImportError as e:
        from harness import Missing
        raise Missing(f"boto3 is not importable: {e}")
    with Moto() as moto:
        s3 = boto3.client("s3", endpoint_url=moto.url, region_name="us-east-1",
                          aws_access_key_id="t", aws_secret_access_key="t")
        s3.create_bucket(Bucket="moto-bucket")
        s3.put_bucket_versioning(Bucket="moto-bucket", VersioningConfiguration={"Status": "Enabled"})
        for i in range(150):
            s3.put_object(Bucket="moto-bucket", Key=f"dir{i % 3}/k{i}", Body=b"a")
            s3.put_object(Bucket="moto-bucket", Key=f"dir{i % 3}/k{i}", Body=b"b")
        for i in range(0, 150, 10):
            s3.delete_object(Bucket="moto-bucket", Key=f"dir{i % 3}/k{i}")
        for i in range(5):
            s3.create_multipart_upload(Bucket="moto-bucket", Key=f"big{i}")
        p = purge(moto.url, "delete", "s3://moto-bucket", "--yes", "--json",
                  env={"AWS_ACCESS_KEY_ID": "t", "AWS_SECRET_ACCESS_KEY": "t"})
        assert p.returncode == 0, (p.returncode, p.stderr)
        report = json.loads(p.stdout)
        assert report["bucket_deleted"] and report["balanced"], report
        assert report["counts"]["versions"]["deleted"] == 300
        assert report["counts"]["delete_markers"]["deleted"] == 15
        names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
        assert "moto-bucket" not in names


if __name__ == "__main__":
    sys.exit(main([test_delete_versioned_bucket_with_uploads,
                   test_refuses_without_yes_and_without_a_terminal,
                   test_dry_run_counts_and_deletes_nothing,
                   test_prefix_empty_keeps_the_rest_and_delete_refuses_a_prefix,
                   test_locked_versions_exit_1_with_codes,
                   test_configuration_errors_exit_2_with_a_clear_line,
                   test_interrupt_reports_and_exits_3, test_moto_versioned_bucket_with_uploads]))
