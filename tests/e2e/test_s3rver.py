#!/usr/bin/env python3
"""The real s3purge against s3rver 3.7.1 (npm, tests/s3rver/, installed by scripts/setup.sh),
a server that implements less than S3: it answers ?versioning with a listing document,
ListObjectVersions with 405 MethodNotAllowed and ListMultipartUploads with 501. s3purge
must empty and delete its buckets all the same, saying what it could not check. The end
state is checked with boto3. s3rver makes ListObjectsV2 continuation tokens with a cipher
OpenSSL 3 keeps in its legacy provider: without NODE_OPTIONS=--openssl-legacy-provider
every truncated ListObjectsV2 page is a 500 InternalError (ERR_OSSL_EVP_UNSUPPORTED) on
Node.js 17 and later, so it runs with that option. Its filesystem store also fails a
DeleteObjects of several keys of one folder ("a/1", "a/2": 500 InternalError, ENOENT from
the folder removed by the deletion of another key of the same request, after deleting
them), and with versioning unknown such a 500 cannot be retried safely: the keys here are
not in folders, which it deletes correctly. Last, it echoes StartAfter into its answer
without encoding it, so a key range cut at a point with bytes XML cannot carry (listers
cut ranges anywhere in the key space) makes the answer invalid XML, which s3purge
refuses: the runs here use one lister (--listers 1), which never cuts.
Usage: test_s3rver.py PATH/TO/s3purge"""
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "emu"))
from harness import Missing, boto3_client, free_port, main, process_env, static_key_env  # noqa: E402

S3PURGE = sys.argv[1] if len(sys.argv) > 1 else "build/cli/s3purge"
S3RVER = os.path.join(HERE, "..", "s3rver", "node_modules", ".bin", "s3rver")
KEY = "S3RVER"  # s3rver's own credentials
ENV = static_key_env(KEY, KEY)
KEYS = 3000


class S3rver:
    """s3rver on 127.0.0.1 with a scratch directory and one bucket; stopped on exit."""

    def __init__(self, bucket):
        if not os.access(S3RVER, os.X_OK):
            raise Missing(f"{S3RVER} is missing: run scripts/setup.sh (npm ci --prefix tests/s3rver)")
        if not shutil.which("node"):
            raise Missing("node is not on PATH")
        self.dir = tempfile.mkdtemp(prefix="s3rver-")
        self.port = free_port()
        self.log = open(os.path.join(self.dir, "log"), "w+")
        env = dict(os.environ, NODE_OPTIONS="--openssl-legacy-provider")
        self.proc = subprocess.Popen([S3RVER, "-d", os.path.join(self.dir, "data"), "-a", "127.0.0.1",
                                      "-p", str(self.port), "-s", "--configure-bucket", bucket],
                                     stdout=self.log, stderr=self.log, env=env)
        self.url = f"http://127.0.0.1:{self.port}"
        self.s3 = boto3_client(self.url, KEY, KEY)
        deadline = time.time() + 30
        while True:
            try:
                self.s3.head_bucket(Bucket=bucket)
                break
            except Exception:
                if time.time() > deadline or self.proc.poll() is not None:
                    self.stop()
                    raise AssertionError("s3rver did not start")
                time.sleep(0.2)

    def stop(self):
        self.proc.kill()
        self.proc.wait()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def fill(self, bucket, n):
        def put(i):
            self.s3.put_object(Bucket=bucket, Key=f"part-{i % 7}-{i:05d}", Body=b"x")
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            list(pool.map(put, range(n)))
        assert self.s3.list_objects_v2(Bucket=bucket, MaxKeys=1).get("KeyCount") == 1


def s3purge(server, *args, expect=None):
    p = subprocess.run([S3PURGE, *args, "--listers", "1", "--endpoint-url", server.url], env=process_env(ENV),
                       stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)
    if expect is not None:
        assert p.returncode == expect, f"exit {p.returncode}, not {expect}\n{p.stdout}\n{p.stderr}"
    return p


def test_empty_on_s3rver_deletes_every_key_and_says_what_it_could_not_check():
    with S3rver("srv-empty") as server:
        server.fill("srv-empty", KEYS)
        p = s3purge(server, "empty", "s3://srv-empty", "--yes", expect=0)
        assert "3,000" in p.stdout, p.stdout
        for line in ("not checked: versioning (the answer is another operation's document)",
                     "not checked: versions (MethodNotAllowed)", "not checked: uploads (NotImplemented)"):
            assert line in p.stdout, p.stdout
        assert server.s3.list_objects_v2(Bucket="srv-empty").get("KeyCount") == 0


def test_delete_on_s3rver_deletes_the_bucket():
    with S3rver("srv-delete") as server:
        server.fill("srv-delete", KEYS)
        p = s3purge(server, "delete", "s3://srv-delete", "--yes", "--json", expect=0)
        r = json.loads(p.stdout)
        assert r["bucket_deleted"] and r["counts"]["objects"]["deleted"] == KEYS, r
        assert r["versioning"] == "unknown", r
        names = [b["Name"] for b in server.s3.list_buckets()["Buckets"]]
        assert "srv-delete" not in names, names


if __name__ == "__main__":
    sys.exit(main([
        test_empty_on_s3rver_deletes_every_key_and_says_what_it_could_not_check,
        test_delete_on_s3rver_deletes_the_bucket,
    ]))
