#!/usr/bin/env python3
"""DeleteObjects' integrity header through the real binary and s3emu, which checks the
value it is given: each --checksum on its own; auto's choice (CRC32C where the endpoint is
AWS's, Content-MD5 elsewhere); auto's switch to Content-MD5 when a server refuses the CRC
(s3emu --refuse-checksum crc, as clones answer), with nothing failed; and a CRC chosen by
name that the server refuses, one error line with what to do, exit 2.
Usage: test_checksums.py PATH/TO/s3purge PATH/TO/s3emu"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "emu"))
from harness import Emulator, main, run, static_key_env  # noqa: E402

S3PURGE = sys.argv[1] if len(sys.argv) > 1 else "build/cli/s3purge"
S3EMU = sys.argv[2] if len(sys.argv) > 2 else "build/bench/s3emu"
KEY, SECRET = "AKIDCHECKSUM", "checksum-secret"
SEED = "bucket=checked,objects=20000,versions=2,markers=100,versioning=enabled"


def empty(emu, *flags, aws_like=False):
    """`empty` with --json; aws_like: an AWS endpoint name, connected to s3emu."""
    where = (["--endpoint-url", f"http://s3.us-east-1.amazonaws.com:{emu.port}", "--addressing-style", "path",
              "--connect-to", "127.0.0.1"] if aws_like else ["--endpoint-url", emu.url])
    return run([S3PURGE, "empty", "s3://checked", "--yes", "--json", *where, *flags],
               env=static_key_env(KEY, SECRET), check=False, timeout=120)


def report(p):
    assert p.returncode == 0, (p.returncode, p.stderr[-2000:])
    r = json.loads(p.stdout)
    assert r["balanced"] and r["empty_verified"], r
    assert sum(c["failed"] for c in r["counts"].values()) == 0, r["counts"]
    assert r["counts"]["versions"]["deleted"] == 40000, r["counts"]
    return r


def test_each_checksum_is_accepted_by_a_server_that_checks_it():
    for name in ("md5", "crc32", "crc32c", "crc64nvme"):
        with Emulator(S3EMU, "--access-key", KEY, "--secret-key", SECRET, "--seed", SEED) as emu:
            r = report(empty(emu, "--checksum", name))
            assert r["checksum"] == name and not r["checksum_refused"], r
            assert "BadDigest" not in r["errors_by_code"], r["errors_by_code"]


def test_auto_chooses_crc32c_on_aws_and_content_md5_elsewhere():
    with Emulator(S3EMU, "--access-key", KEY, "--secret-key", SECRET, "--seed", SEED) as emu:
        assert report(empty(emu))["checksum"] == "md5"
    with Emulator(S3EMU, "--access-key", KEY, "--secret-key", SECRET, "--seed", SEED) as emu:
        assert report(empty(emu, aws_like=True))["checksum"] == "crc32c"


def test_auto_switches_to_content_md5_when_the_crc_is_refused():
    with Emulator(S3EMU, "--access-key", KEY, "--secret-key", SECRET, "--refuse-checksum", "crc",
                  "--seed", SEED) as emu:
        p = empty(emu, aws_like=True)
        r = report(p)
        assert r["checksum"] == "md5" and r["checksum_refused"], r
        # Only the batches sent before the first refusal came back was refused.
        assert 1 <= r["errors_by_code"].get("InvalidRequest", 0) <= 64, r["errors_by_code"]
        assert p.stderr.count("refuses x-amz-checksum-crc32c") == 1, p.stderr


def test_a_crc_chosen_by_name_and_refused_stops_with_what_to_do():
    with Emulator(S3EMU, "--access-key", KEY, "--secret-key", SECRET, "--refuse-checksum", "crc",
                  "--seed", SEED) as emu:
        p = empty(emu, "--checksum", "crc32c")
        errors = [l for l in p.stderr.splitlines() if l.startswith("s3purge: error:")]
        assert p.returncode == 2 and len(errors) == 1, (p.returncode, p.stderr)
        assert "use --checksum md5, or auto" in errors[0], errors
        r = json.loads(p.stdout)
        assert r["balanced"] and sum(c["deleted"] for c in r["counts"].values()) == 0, r


if __name__ == "__main__":
    sys.exit(main([test_each_checksum_is_accepted_by_a_server_that_checks_it,
                   test_auto_chooses_crc32c_on_aws_and_content_md5_elsewhere,
                   test_auto_switches_to_content_md5_when_the_crc_is_refused,
                   test_a_crc_chosen_by_name_and_refused_stops_with_what_to_do]))
