#!/usr/bin/env python3
"""The report counts an entry deleted once, and only where the server removed it. The real
s3purge against tests/e2e/hostile_s3.py, whose bucket is the judge: a server that lists an
entry twice, says "deleted" and keeps the entry (once, or always), or answers with a
<Deleted> that does not describe the version sent. Each case compares the report's counts
with what the server's bucket lost.
Usage: test_truthful_counts.py PATH/TO/s3purge"""
import json
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "emu"))
sys.path.insert(0, HERE)
from harness import main, run, static_key_env  # noqa: E402
from hostile_s3 import HostileS3  # noqa: E402

S3PURGE = sys.argv[1] if len(sys.argv) > 1 else "build/cli/s3purge"
ENV = static_key_env("AKIDCOUNTS", "counts-secret")


def s3purge(*args, expect=None, env=None):
    p = run([S3PURGE, *args], env=dict(ENV, **(env or {})), check=False, timeout=120)
    if expect is not None:
        assert p.returncode == expect, f"exit {p.returncode}, not {expect}\n{p.stdout}\n{p.stderr}"
    return p


def deleted(report):
    return sum(c["deleted"] for c in report["counts"].values())


def failed(report):
    return sum(c["failed"] for c in report["counts"].values())


def fill(s3, keys, versions):
    for i in range(keys):
        for _ in range(versions):
            s3.put(f"k/{i:04d}")


def test_an_entry_a_page_lists_again_is_counted_once():
    with HostileS3(["versions-repeat"], versioned=True, page=4) as s3:
        fill(s3, 5, 3)  # pages of 4 end inside keys: each next page starts with the last entry
        r = json.loads(s3purge("empty", "s3://hostile", "--yes", "--json", "--endpoint-url", s3.url,
                               expect=0).stdout)
        assert s3.stats()["entries"] == 0, s3.stats()
        assert deleted(r) == 15 and r["counts"]["versions"]["listed"] == 15, r["counts"]
        assert r["balanced"], r


def test_an_entry_the_server_kept_after_saying_deleted_is_counted_once_when_deleted_again():
    for command in ("empty", "delete"):
        with HostileS3(["lies-once"], versioned=True) as s3:
            fill(s3, 200, 2)
            r = json.loads(s3purge(command, "s3://hostile", "--yes", "--json", "--endpoint-url", s3.url,
                                   expect=0).stdout)
            assert s3.stats()["entries"] == 0 and len(s3.lied) == 20, (command, s3.stats(), len(s3.lied))
            assert deleted(r) == 400, f"{command}: {deleted(r)} counted deleted, the server lost 400"
            assert r["deletions_taken_back"] == 20 and r["balanced"], (command, r)


def test_an_entry_the_server_always_keeps_is_a_failure_not_a_deletion():
    with HostileS3(["lies-always"], versioned=True) as s3, tempfile.TemporaryDirectory() as d:
        for i in range(10):
            s3.put(f"stuck/{i}")
        fill(s3, 25, 2)
        failed_keys = os.path.join(d, "failed")
        r = json.loads(s3purge("empty", "s3://hostile", "--yes", "--json", "--failed-keys", failed_keys,
                               "--endpoint-url", s3.url, expect=1).stdout)
        assert s3.stats()["entries"] == 10, s3.stats()
        assert (deleted(r), failed(r)) == (50, 10), r["counts"]
        assert r["remaining"] == 10 and r["balanced"] and not r["empty_verified"], r
        with open(failed_keys) as f:
            codes = [json.loads(line)["code"] for line in f if line.strip()]
        assert codes == ["NotDeleted"] * 10, codes


def test_a_deleted_answer_that_does_not_describe_the_version_sent_proves_nothing():
    for mode in ("deleted-no-version", "deleted-as-marker"):
        with HostileS3([mode], versioned=True) as s3:
            fill(s3, 4, 3)
            r = json.loads(s3purge("empty", "s3://hostile", "--yes", "--json", "--endpoint-url", s3.url,
                                   expect=0).stdout)
            # Each version goes alone in the end (DELETE ?versionId, which this server does).
            assert s3.stats()["entries"] == 0, (mode, s3.stats())
            assert deleted(r) == 12, f"{mode}: {deleted(r)} counted deleted, the server lost 12"
            assert s3.counts.get("DeleteObject", 0) == 12, (mode, s3.counts)


def test_a_throttled_list_request_slows_listing_not_deleting():
    with HostileS3(["list-slowdown-once"], versioned=True, page=100) as s3:
        fill(s3, 500, 2)
        r = json.loads(s3purge("empty", "s3://hostile", "--yes", "--json", "--endpoint-url", s3.url,
                               expect=0).stdout)
        assert s3.counts.get("ListSlowDown") == 1 and s3.stats()["entries"] == 0, (s3.counts, s3.stats())
        assert r["retries"]["throttle"] == 1, r["retries"]
        assert r["throttles"] == 0, f"a list throttle slowed the deletions: {r['throttles']} throttles"


def test_the_key_ranges_listers_cut_are_sent_as_plain_utf8():
    # Folders listed by 8 listers from pages of 100: ranges are cut between keys, and each
    # cut goes to the server as a key-marker. S3 keys are UTF-8, and a server may echo them.
    with HostileS3([], versioned=True, page=100) as s3:
        for i in range(3000):
            s3.put(f"data/{i % 3:02d}/obj-{i:05d}")
        s3purge("empty", "s3://hostile", "--yes", "--json", "--listers", "8", "--endpoint-url", s3.url, expect=0)
        assert s3.stats()["entries"] == 0 and len(s3.markers) > 20, (s3.stats(), len(s3.markers))
        bad = []
        for m in s3.markers:
            try:
                text = m.decode("utf-8")
            except UnicodeDecodeError:
                bad.append(m)
                continue
            if any(ord(c) < 0x20 or ord(c) == 0x7F for c in text):
                bad.append(m)
        assert not bad, f"{len(bad)} of {len(s3.markers)} markers are not plain UTF-8: {bad[:3]}"


if __name__ == "__main__":
    sys.exit(main([test_an_entry_a_page_lists_again_is_counted_once,
                   test_an_entry_the_server_kept_after_saying_deleted_is_counted_once_when_deleted_again,
                   test_an_entry_the_server_always_keeps_is_a_failure_not_a_deletion,
                   test_a_deleted_answer_that_does_not_describe_the_version_sent_proves_nothing,
                   test_a_throttled_list_request_slows_listing_not_deleting,
                   test_the_key_ranges_listers_cut_are_sent_as_plain_utf8]))
