#!/usr/bin/env python3
"""Each command touches only what it names, judged by the server's census (boto3): rm the
keys it is given (no upload aborted), abort-uploads only uploads, empty --only a part only
that part, a prefix only what lies under it. On s3emu, and rm on moto_server too.
Usage: test_only_what_was_asked.py PATH/TO/s3purge PATH/TO/s3emu"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "emu"))
from harness import Emulator, Moto, boto3_client, main, run, static_key_env  # noqa: E402

S3PURGE = sys.argv[1] if len(sys.argv) > 1 else "build/cli/s3purge"
S3EMU = sys.argv[2] if len(sys.argv) > 2 else "build/bench/s3emu"
KEY, SECRET = "AKIDASKED", "only-what-was-asked"
ENV = static_key_env(KEY, SECRET)


def s3purge(url, *args, expect=0):
    p = run([S3PURGE, *args, "--endpoint-url", url], env=ENV, check=False, timeout=300)
    assert p.returncode == expect, f"{args}: exit {p.returncode}, not {expect}\n{p.stdout}\n{p.stderr}"
    return p


def census(s3, bucket):
    """(versions and markers as (key, id), uploads as (key, id)), as boto3 lists them."""
    entries, uploads = set(), set()
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        for e in page.get("Versions", []) + page.get("DeleteMarkers", []):
            entries.add((e["Key"], e["VersionId"]))
    for page in s3.get_paginator("list_multipart_uploads").paginate(Bucket=bucket):
        for u in page.get("Uploads", []):
            uploads.add((u["Key"], u["UploadId"]))
    return entries, uploads


def test_rm_removes_the_keys_it_names_and_aborts_no_upload():
    with Emulator(S3EMU, "--access-key", KEY, "--secret-key", SECRET,
                  "--seed", "bucket=rmt,objects=100,uploads=5") as emu:
        s3 = boto3_client(emu.url, KEY, SECRET)
        entries, uploads = census(s3, "rmt")
        assert len(entries) == 100 and len(uploads) == 5, (len(entries), len(uploads))
        named = sorted(entries)[0][0]
        p = s3purge(emu.url, "rm", "s3://rmt", named, "--yes", "--no-progress")
        assert "requested" in p.stdout and "listed" not in p.stdout, "rm lists nothing: " + p.stdout
        after, uploads_after = census(s3, "rmt")
        assert uploads_after == uploads, f"rm aborted {len(uploads - uploads_after)} uploads nobody named"
        assert entries - after == {e for e in entries if e[0] == named} and after <= entries, "rm: one key"
        # A key that does not exist: requested, and S3 answers it deleted; never "listed".
        r = json.loads(s3purge(emu.url, "rm", "s3://rmt", "no-such-key", "--yes", "--json").stdout)
        assert r["counts"]["objects"]["requested"] == 1 and "listed" not in r["counts"]["objects"], r["counts"]
        assert census(s3, "rmt") == (after, uploads)


def test_rm_on_moto_leaves_an_upload_in_progress():
    with Moto() as moto:
        s3 = boto3_client(moto.url, "t", "t")
        s3.create_bucket(Bucket="rmb")
        s3.put_object(Bucket="rmb", Key="docs/f1", Body=b"1")
        s3.put_object(Bucket="rmb", Key="docs/f2", Body=b"2")
        upload = s3.create_multipart_upload(Bucket="rmb", Key="videos/big.mp4")["UploadId"]
        p = run([S3PURGE, "rm", "s3://rmb", "docs/f1", "--yes", "--endpoint-url", moto.url],
                env=dict(ENV, AWS_ACCESS_KEY_ID="t", AWS_SECRET_ACCESS_KEY="t"), check=False, timeout=120)
        assert p.returncode == 0, (p.returncode, p.stdout, p.stderr)
        entries, uploads = census(s3, "rmb")
        assert uploads == {("videos/big.mp4", upload)}, uploads
        assert {k for k, _ in entries} == {"docs/f2"}, entries


def test_each_part_and_prefix_takes_only_itself():
    seed = "objects=60,prefixes=3,versions=2,markers=10,uploads=6"
    with Emulator(S3EMU, "--access-key", KEY, "--secret-key", SECRET, "--seed", f"bucket=ups,{seed}",
                  "--seed", f"bucket=cur,{seed}", "--seed", f"bucket=pre,{seed}") as emu:
        s3 = boto3_client(emu.url, KEY, SECRET)
        entries, uploads = census(s3, "ups")
        s3purge(emu.url, "abort-uploads", "s3://ups", "--yes")
        assert census(s3, "ups") == (entries, set()), "abort-uploads touched an entry"
        entries, uploads = census(s3, "cur")
        s3purge(emu.url, "empty", "s3://cur", "--only", "uploads", "--yes")
        assert census(s3, "cur") == (entries, set()), "--only uploads touched an entry"
        s3purge(emu.url, "empty", "s3://cur", "--only", "noncurrent,markers", "--yes", "--allow-resurface")
        after, _ = census(s3, "cur")
        assert after and after < entries, "--only noncurrent,markers took nothing, or added"
        latest = set()
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket="cur"):
            latest |= {o["Key"] for o in page.get("Contents", [])}
        assert {k for k, _ in after} <= latest | {k for k, _ in entries}, after
        entries, uploads = census(s3, "pre")
        s3purge(emu.url, "empty", "s3://pre/prefix-0001/", "--yes")
        after, uploads_after = census(s3, "pre")
        assert after == {e for e in entries if not e[0].startswith("prefix-0001/")}, "outside the prefix"
        assert uploads_after == {u for u in uploads if not u[0].startswith("prefix-0001/")}, uploads_after


if __name__ == "__main__":
    sys.exit(main([test_rm_removes_the_keys_it_names_and_aborts_no_upload,
                   test_rm_on_moto_leaves_an_upload_in_progress,
                   test_each_part_and_prefix_takes_only_itself]))
