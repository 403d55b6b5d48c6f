#!/usr/bin/env python3
"""Hardening, end to end, with the real s3purge against the real s3emu: hostile keys and
prefix isolation, every bad configuration (one clear line, exit 2, nothing deleted), and
SIGINT/SIGTERM at random points of a 1M-entry run followed by a re-run that finishes.
Usage: test_hardening.py PATH/TO/s3purge PATH/TO/s3emu"""
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "emu"))
from harness import Emulator, boto3_client, main, process_env, run, static_key_env  # noqa: E402

S3PURGE = sys.argv[1] if len(sys.argv) > 1 else "build/cli/s3purge"
S3EMU = sys.argv[2] if len(sys.argv) > 2 else "build/bench/s3emu"
KEY_ID = "AKIDHARDENING"
SECRET = "hardening-secret-value"
ENV = static_key_env(KEY_ID, SECRET)
VERIFY = ["--access-key", KEY_ID, "--secret-key", SECRET]


def s3purge(*args, env=None, expect=None, timeout=600):
    p = run([S3PURGE, *args], env=dict(ENV, **(env or {})), check=False, timeout=timeout)
    assert SECRET not in p.stdout + p.stderr, "the secret was printed"
    if expect is not None:
        assert p.returncode == expect, f"exit {p.returncode}, not {expect}\n{p.stdout}\n{p.stderr}"
    return p


def all_keys(s3, bucket):
    keys = set()
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket, EncodingType="url"):
        from urllib.parse import unquote
        for v in page.get("Versions", []) + page.get("DeleteMarkers", []):
            keys.add(unquote(v["Key"]))
    return keys


def test_hostile_keys_deleted_and_nothing_outside_the_prefix():
    # Control characters, &<>"', 1024-byte keys, NFC and NFD twins, .., //, a leading /,
    # ?delete, %2F: 1,400 keys of 14 families, 2 versions each.
    with Emulator(S3EMU, *VERIFY, "--seed", "bucket=hostile,objects=1400,versions=2,keys=hostile") as emu:
        s3 = boto3_client(emu.url, KEY_ID, SECRET)
        before = all_keys(s3, "hostile")
        assert len(before) == 1400, len(before)
        nfc, nfd = "caf\u00e9/", "cafe\u0301/"
        assert any(k.startswith(nfd) for k in before) and any(k.startswith(nfc) for k in before)
        for prefix in (nfc, "/leading/", "?delete&x=1/", "%2F%25/", "ctl\x01\x1f/", "//double//"):
            p = s3purge("empty", f"s3://hostile/{prefix}", "--yes", "--json", "--endpoint-url", emu.url,
                        expect=0)
            report = json.loads(p.stdout)
            named = {k for k in before if k.startswith(prefix)}
            assert report["counts"]["versions"]["deleted"] == 2 * len(named), (prefix, report["counts"])
            after = all_keys(s3, "hostile")
            assert after == before - named, f"{prefix!r}: touched {sorted(before - named - after)[:3]}"
            before = after
        assert any(k.startswith(nfd) for k in before), "the NFD twins of café/ are kept"
        p = s3purge("delete", "s3://hostile", "--yes", "--json", "--endpoint-url", emu.url, expect=0)
        report = json.loads(p.stdout)
        assert report["bucket_deleted"] and report["balanced"], report
        assert report["counts"]["versions"]["deleted"] == 2 * len(before)
        assert emu.stats()["keys_deleted"] == 2800


def test_bad_configuration_is_one_clear_line_and_exit_2():
    with Emulator(S3EMU, *VERIFY, "--expire-session-tokens", "--seed", "bucket=keep-safe,objects=200",
                  "--seed", "bucket=in-ireland,objects=10,region=eu-west-1") as emu:
        cases = [
            ({"AWS_SECRET_ACCESS_KEY": "wrong-secret"}, ["s3://keep-safe"], "SignatureDoesNotMatch"),
            ({"AWS_ACCESS_KEY_ID": "AKIDUNKNOWN"}, ["s3://keep-safe"], "InvalidAccessKeyId"),
            ({"AWS_SESSION_TOKEN": "an-expired-token"}, ["s3://keep-safe"], "ExpiredToken"),
            ({}, ["s3://in-ireland"], "eu-west-1"),  # wrong region: the right one is named
            ({}, ["s3://does-not-exist"], "NoSuchBucket"),
        ]
        for env, target, expected in cases:
            p = s3purge("delete", *target, "--yes", "--endpoint-url", emu.url, env=env, expect=2)
            errors = [line for line in p.stderr.splitlines() if "error" in line]
            assert len(errors) == 1 and expected in errors[0], (expected, p.stderr)
            assert "an-expired-token" not in p.stderr + p.stdout
        stats = emu.stats()
        assert stats["keys_deleted"] == 0 and stats["buckets"]["keep-safe"]["keys"] == 200
        # Plain http to a host that is not loopback: a warning, and it works.
        p = s3purge("plan", "s3://keep-safe", "--endpoint-url", f"http://s3.example.test:{emu.port}",
                    "--addressing-style", "path", "--connect-to", "127.0.0.1", expect=0)
        assert "plain http" in p.stderr and "not encrypted" in p.stderr, p.stderr
    # Refused connection, DNS failure.
    p = s3purge("delete", "s3://some-bucket", "--yes", "--max-retries", "1", "--endpoint-url",
                "http://127.0.0.1:1", expect=2)
    assert "connection refused" in p.stderr, p.stderr
    p = s3purge("delete", "s3://some-bucket", "--yes", "--endpoint-url",
                "http://no-such-host.invalid:9000", "--addressing-style", "path", expect=2)
    assert "DNS" in p.stderr, p.stderr
    # TLS: a certificate that does not name the host.
    with tempfile.TemporaryDirectory() as d:
        cert = os.path.join(d, "cert.pem")
        with Emulator(S3EMU, *VERIFY, "--tls-self-signed", "--tls-cert-out", cert,
                      "--seed", "bucket=tls-bucket,objects=20") as emu:
            url = f"https://127.0.0.1:{emu.port}"
            s3purge("plan", "s3://tls-bucket", "--endpoint-url", url, "--ca-bundle", cert, expect=0)
            p = s3purge("delete", "s3://tls-bucket", "--yes", "--addressing-style", "path",
                        "--endpoint-url", f"https://s3.wrong-name.test:{emu.port}",
                        "--connect-to", "127.0.0.1", "--ca-bundle", cert, expect=2)
            assert "certificate" in p.stderr, p.stderr
            p = s3purge("delete", "s3://tls-bucket", "--yes", "--endpoint-url", url, expect=2)
            assert "certificate" in p.stderr, p.stderr  # self-signed, not in the system store
            p = s3purge("plan", "s3://tls-bucket", "--endpoint-url", url, "--ca-bundle", cert, "--json",
                        expect=0)
            assert json.loads(p.stdout)["total_entries"] == 20, "nothing was deleted"


def tls_alert_server():
    """A listener that answers whatever it reads with a TLS alert record, as TLS servers
    answer a plain-HTTP request; (socket, thread)."""
    import socket
    import threading
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)

    def serve():
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            with conn:
                conn.recv(4096)
                conn.sendall(b"\x15\x03\x01\x00\x02\x02\x46")  # alert: protocol_version

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    return srv


def test_plain_http_to_a_tls_endpoint_says_https_at_once():
    with tempfile.TemporaryDirectory() as d:
        cert = os.path.join(d, "cert.pem")
        with Emulator(S3EMU, *VERIFY, "--tls-self-signed", "--tls-cert-out", cert,
                      "--seed", "bucket=tls-bucket,objects=20") as emu:
            # s3emu's TLS port closes a plain request without a byte.
            started = time.time()
            p = s3purge("plan", "s3://tls-bucket", "--endpoint-url", f"http://127.0.0.1:{emu.port}", expect=2)
            assert time.time() - started < 5 and "https://" in p.stderr, (time.time() - started, p.stderr)
            # https to a self-signed certificate: about the certificate, never about plain HTTP.
            p = s3purge("plan", "s3://tls-bucket", "--endpoint-url", f"https://127.0.0.1:{emu.port}",
                        env={"AWS_CA_BUNDLE": None}, expect=2)
            assert "certificate" in p.stderr and "http://" not in p.stderr, p.stderr
    srv = tls_alert_server()
    try:
        started = time.time()
        p = s3purge("plan", "s3://tls-bucket", "--endpoint-url", f"http://127.0.0.1:{srv.getsockname()[1]}", expect=2)
        assert time.time() - started < 5, time.time() - started
        assert "the endpoint speaks HTTPS: write it https://" in p.stderr and "retry" not in p.stderr, p.stderr
    finally:
        srv.close()


def interrupted_then_rerun(sig, delay):
    with Emulator(S3EMU, *VERIFY, "--seed",
                  "bucket=big-interrupt,objects=500000,prefixes=50,versions=2,markers=10000,uploads=2000") as emu:
        proc = subprocess.Popen([S3PURGE, "delete", "s3://big-interrupt", "--yes", "--json",
                                 "--endpoint-url", emu.url], env=process_env(ENV), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        # The delay counts from the first request, so that the signal lands in the purge
        # whatever the start-up takes (a sanitizer build under load: 0.1-0.3 s). Before it,
        # the process ends at once with exit 3 (test_commands: Ctrl-C at the prompt).
        deadline = time.time() + 60
        while (set(emu.stats()["operations"]) <= {"Stats"} and proc.poll() is None
               and time.time() < deadline):
            time.sleep(0.005)
        time.sleep(delay)
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=120)
        if proc.returncode == 0:
            return "finished before the signal"
        assert proc.returncode == 3, (proc.returncode, err)
        first = json.loads(out)
        assert first["interrupted"] and first["balanced"], first
        deleted = sum(c["deleted"] for k, c in first["counts"].items() if k != "uploads")
        stats = emu.stats()
        assert stats["keys_deleted"] == deleted, (stats["keys_deleted"], deleted)
        assert stats["uploads_aborted"] == first["counts"]["uploads"]["deleted"]
        # What the report says of the bucket is what the server holds.
        assert first["bucket_deleted"] == ("big-interrupt" not in stats["buckets"]), (first, stats["buckets"])
        if first["bucket_deleted"]:
            # The signal came after DeleteBucket went out (requests in flight finish): the
            # work was done, and there is nothing left for a re-run.
            assert deleted == 1_010_000 and stats["uploads_aborted"] == 2000, (deleted, stats)
            return "the signal came after the bucket's deletion; nothing left to re-run"
        p = s3purge("delete", "s3://big-interrupt", "--yes", "--json", "--endpoint-url", emu.url,
                    expect=0)
        second = json.loads(p.stdout)
        assert second["bucket_deleted"] and second["balanced"], second
        stats = emu.stats()
        assert stats["keys_deleted"] == 1_010_000 and stats["uploads_aborted"] == 2000, stats
        assert "big-interrupt" not in stats["buckets"]
        return f"first run deleted {deleted:,} then stopped; the second finished"


def test_sigint_and_sigterm_at_random_points_then_a_rerun_finishes():
    rng = random.Random(int(os.environ.get("S3PURGE_TEST_SEED", "0")) or None)
    for sig in (signal.SIGINT, signal.SIGTERM):
        delay = rng.uniform(0.2, 1.5)
        print(f"  {signal.Signals(sig).name} at {delay:.2f} s: {interrupted_then_rerun(sig, delay)}",
              flush=True)


def test_a_stop_whose_requests_outlast_the_grace_period_reports_what_is_known():
    # Each DeleteObjects of 1,000 keys takes 15 s: none is answered within the 10 s grace.
    with Emulator(S3EMU, *VERIFY, "--per-key-latency", "15ms", "--seed",
                  "bucket=slow-stop,objects=100000,versions=2") as emu:
        started = time.time()
        proc = subprocess.Popen([S3PURGE, "empty", "s3://slow-stop", "--yes", "--json", "--endpoint-url", emu.url],
                                env=process_env(ENV), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 60
        while emu.stats()["keys_deleted"] == 0 and time.time() < deadline:  # the first requests are in
            time.sleep(0.01)
        time.sleep(1)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
        wall = time.time() - started
        assert proc.returncode == 3 and "grace period ended" in err, (proc.returncode, err)
        r = json.loads(out)
        c = r["counts"]["versions"]
        unknown = r["outcome_unknown"]
        # The requests in flight go on at the server: wait until it has carried them out.
        for _ in range(400):
            if emu.stats()["keys_deleted"] >= unknown:
                break
            time.sleep(0.05)
        removed = emu.stats()["keys_deleted"]
        assert c["deleted"] <= removed <= c["deleted"] + unknown, (c, unknown, removed)
        assert unknown > 0 and removed == c["deleted"] + unknown, \
            f"deleted {c['deleted']} and in flight {unknown} (the keys of requests sent); the server removed {removed}"
        assert c["skipped"] == c["listed"] - c["deleted"] - c["failed"] - unknown > 0, (c, unknown)
        assert 10 <= r["elapsed_seconds"] <= wall, (r["elapsed_seconds"], wall)
        assert r["remaining"] >= c["skipped"] and r["remaining_is_lower_bound"] and not r["listing_done"], r
        assert 200_000 - removed >= r["remaining"], "remaining is what is known to be left, no more"


if __name__ == "__main__":
    sys.exit(main([test_hostile_keys_deleted_and_nothing_outside_the_prefix,
                   test_bad_configuration_is_one_clear_line_and_exit_2,
                   test_plain_http_to_a_tls_endpoint_says_https_at_once,
                   test_sigint_and_sigterm_at_random_points_then_a_rerun_finishes,
                   test_a_stop_whose_requests_outlast_the_grace_period_reports_what_is_known]))
