#!/usr/bin/env python3
"""The real s3purge with a role that allows little, and servers that implement little:
s3emu with --deny OP,... (403 AccessDenied, as an IAM policy answers) and --not-implemented
OP[=405],... (501 NotImplemented, or 405). Each check and listing the run can go without
degrades, says so, and the run goes on; the end state is checked from the emulator's census
and with boto3 where the role lets it list.
Usage: test_least_privilege.py PATH/TO/s3purge PATH/TO/s3emu"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "emu"))
from harness import Emulator, boto3_client, main, process_env, static_key_env  # noqa: E402

S3PURGE = sys.argv[1] if len(sys.argv) > 1 else "build/cli/s3purge"
S3EMU = sys.argv[2] if len(sys.argv) > 2 else "build/bench/s3emu"
KEY_ID = "AKIDLEASTPRIV"
SECRET = "least-privilege-secret"
ENV = static_key_env(KEY_ID, SECRET)
VERIFY = ["--access-key", KEY_ID, "--secret-key", SECRET]
# What a role of s3:ListBucket + s3:DeleteObject alone is refused (HeadBucket is ListBucket).
ONLY_LIST_AND_DELETE = ",".join([
    "GetBucketVersioning", "ListObjectVersions", "ListMultipartUploads", "GetObjectLockConfiguration",
    "GetBucketReplication", "GetBucketLifecycleConfiguration", "GetBucketLocation",
    "AbortMultipartUpload", "DeleteBucket"])


def emulator(seed, *args):
    return Emulator(S3EMU, *VERIFY, "--seed", seed, *args)


def s3purge(emu, *args, expect=None, timeout=300):
    p = subprocess.run([S3PURGE, *args, "--endpoint-url", emu.url], env=process_env(ENV),
                       stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout)
    assert SECRET not in p.stdout + p.stderr, "the secret was printed"
    if expect is not None:
        assert p.returncode == expect, f"exit {p.returncode}, not {expect}\n{p.stdout}\n{p.stderr}"
    return p


def census(emu, bucket):
    return emu.stats()["buckets"].get(bucket)


def test_list_and_delete_alone_empty_a_bucket_and_say_what_was_not_checked():
    with emulator("bucket=lp-bucket,objects=100000,prefixes=100", "--deny", ONLY_LIST_AND_DELETE) as emu:
        p = s3purge(emu, "empty", "s3://lp-bucket", "--yes", expect=0)
        assert census(emu, "lp-bucket")["keys"] == 0, census(emu, "lp-bucket")
        assert "100,000" in p.stdout, p.stdout
        for line in ("not checked: versioning (AccessDenied, needs s3:GetBucketVersioning)",
                     "not checked: versions (AccessDenied, needs s3:ListBucketVersions)",
                     "not checked: uploads (AccessDenied, needs s3:ListBucketMultipartUploads)"):
            assert line in p.stdout, p.stdout
        s3 = boto3_client(emu.url, KEY_ID, SECRET)
        assert s3.list_objects_v2(Bucket="lp-bucket").get("KeyCount") == 0


def test_list_delete_and_deletebucket_delete_the_bucket():
    deny = ONLY_LIST_AND_DELETE.replace(",DeleteBucket", "")
    with emulator("bucket=lpd-bucket,objects=20000", "--deny", deny) as emu:
        p = s3purge(emu, "delete", "s3://lpd-bucket", "--yes", "--json", expect=0)
        r = json.loads(p.stdout)
        assert r["bucket_deleted"] and r["counts"]["objects"]["deleted"] == 20000, r
        assert r["not_checked"] == {"versioning": "AccessDenied", "versions": "AccessDenied",
                                    "uploads": "AccessDenied"}, r["not_checked"]
        assert census(emu, "lpd-bucket") is None


def test_unknown_versioning_lists_versions_and_empties_a_versioned_bucket():
    for how in (["--deny", "GetBucketVersioning"], ["--not-implemented", "GetBucketVersioning"]):
        with emulator("bucket=uv-bucket,objects=3000,versions=2,markers=500,uploads=5,versioning=enabled",
                      *how) as emu:
            p = s3purge(emu, "delete", "s3://uv-bucket", "--yes", "--json", expect=0)
            r = json.loads(p.stdout)
            assert r["versioning"] == "unknown" and r["bucket_deleted"], r
            assert r["counts"]["versions"]["deleted"] == 6000, r["counts"]
            assert r["counts"]["delete_markers"]["deleted"] == 500, r["counts"]
            assert list(r["not_checked"]) == ["versioning"], r["not_checked"]
            assert "versioning of uv-bucket unknown" in p.stderr, p.stderr
            assert census(emu, "uv-bucket") is None


def test_uploads_not_listable_are_reported_not_checked():
    for how in (["--deny", "ListMultipartUploads"], ["--not-implemented", "ListMultipartUploads"],
                ["--not-implemented", "ListMultipartUploads=405"]):
        with emulator("bucket=up-bucket,objects=2000,uploads=5", *how) as emu:
            p = s3purge(emu, "empty", "s3://up-bucket", "--yes", "--json", expect=0)
            r = json.loads(p.stdout)
            code = {"--deny": "AccessDenied"}.get(how[0], "MethodNotAllowed" if how[1].endswith("405")
                                                   else "NotImplemented")
            assert r["not_checked"] == {"uploads": code}, r["not_checked"]
            assert r["counts"]["objects"]["deleted"] == 2000 and r["counts"]["uploads"]["listed"] == 0, r
            assert census(emu, "up-bucket") == {**census(emu, "up-bucket"), "keys": 0, "uploads": 5}
            # delete: DeleteBucket is still tried; the uploads left keep the bucket: exit 4.
            p = s3purge(emu, "delete", "s3://up-bucket", "--yes", "--json", expect=4)
            r = json.loads(p.stdout)
            assert not r["bucket_deleted"] and r["not_checked"] == {"uploads": code}, r
            assert census(emu, "up-bucket")["uploads"] == 5


def test_abort_uploads_stops_when_uploads_cannot_be_listed():
    with emulator("bucket=ab-bucket,objects=10,uploads=5", "--deny", "ListMultipartUploads") as emu:
        p = s3purge(emu, "abort-uploads", "s3://ab-bucket", "--yes", expect=2)
        assert "AccessDenied" in p.stderr, p.stderr
        assert census(emu, "ab-bucket")["uploads"] == 5


def test_denied_deletes_and_aborts_are_failures_with_their_code_not_retries():
    with emulator("bucket=dd-bucket,objects=3000,uploads=4", "--deny", "DeleteObject,AbortMultipartUpload") as emu:
        p = s3purge(emu, "empty", "s3://dd-bucket", "--yes", "--json", expect=1)
        r = json.loads(p.stdout)
        assert r["counts"]["objects"]["failed"] == 3000 and r["counts"]["uploads"]["failed"] == 4, r["counts"]
        assert {f["code"] for f in r["failures"]} == {"AccessDenied"}, r["failures"][:3]
        assert r["retries"]["transient"] == 0 and r["retries"]["keys"] == 0, r["retries"]
        ops = emu.stats()["operations"]
        assert ops["DeleteObjects"]["count"] <= 3, ops["DeleteObjects"]
        assert census(emu, "dd-bucket")["keys"] == 3000


def test_versioned_bucket_without_its_versions_listing_stops_with_the_operation_named():
    with emulator("bucket=vd-bucket,objects=100,versions=2,versioning=enabled", "--deny", "ListObjectVersions") as emu:
        p = s3purge(emu, "empty", "s3://vd-bucket", "--yes", expect=2)
        assert "ListObjectVersions" in p.stderr and "AccessDenied" in p.stderr, p.stderr
        c = census(emu, "vd-bucket")
        assert (c["current"], c["noncurrent"], c["delete_markers"]) == (100, 100, 0), \
            f"nothing deleted, no delete marker added: {c}"


def test_plan_names_what_it_could_not_check_and_the_permissions_missing():
    with emulator("bucket=pl-bucket,objects=50,uploads=2", "--deny",
                  "GetObjectLockConfiguration,GetBucketReplication,GetBucketLifecycleConfiguration",
                  "--not-implemented", "ListMultipartUploads") as emu:
        p = s3purge(emu, "plan", "s3://pl-bucket", expect=0)
        for line in ("object lock: unknown (AccessDenied)", "replication: unknown (AccessDenied)",
                     "lifecycle: unknown (AccessDenied)", "uploads: not checked (NotImplemented)",
                     "permissions the role lacks (AccessDenied): s3:GetBucketObjectLockConfiguration "
                     "s3:GetLifecycleConfiguration s3:GetReplicationConfiguration"):
            assert line in p.stdout, p.stdout
        r = json.loads(s3purge(emu, "plan", "s3://pl-bucket", "--json", expect=0).stdout)
        assert r["missing_permissions"] == ["s3:GetBucketObjectLockConfiguration", "s3:GetLifecycleConfiguration",
                                            "s3:GetReplicationConfiguration"], r
        assert r["not_checked"]["uploads"] == "NotImplemented", r["not_checked"]
        assert r["counts"]["current_objects"]["count"] == 50, r["counts"]


def test_nothing_listable_stops_before_anything_is_deleted():
    with emulator("bucket=nl-bucket,objects=10", "--deny",
                  "GetBucketVersioning,ListObjectVersions,ListObjectsV2,ListMultipartUploads") as emu:
        p = s3purge(emu, "empty", "s3://nl-bucket", "--yes", expect=2)
        assert "AccessDenied" in p.stderr, p.stderr
        assert census(emu, "nl-bucket")["keys"] == 10


if __name__ == "__main__":
    sys.exit(main([
        test_list_and_delete_alone_empty_a_bucket_and_say_what_was_not_checked,
        test_list_delete_and_deletebucket_delete_the_bucket,
        test_unknown_versioning_lists_versions_and_empties_a_versioned_bucket,
        test_uploads_not_listable_are_reported_not_checked,
        test_abort_uploads_stops_when_uploads_cannot_be_listed,
        test_denied_deletes_and_aborts_are_failures_with_their_code_not_retries,
        test_versioned_bucket_without_its_versions_listing_stops_with_the_operation_named,
        test_plan_names_what_it_could_not_check_and_the_permissions_missing,
        test_nothing_listable_stops_before_anything_is_deleted,
    ]))
