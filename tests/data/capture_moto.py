#!/usr/bin/env python3
"""Captures real S3 answers from moto_server into tests/data/moto/*.xml, for the parser
tests. Run by hand when the fixtures need refreshing:
    python3 tests/data/capture_moto.py
It starts moto_server on 127.0.0.1 (a free port), builds a versioned bucket with hostile
keys, delete markers, incomplete uploads and lifecycle rules, and saves each raw body."""
import os
import socket
import subprocess
import sys
import time
import urllib.request

import boto3
from botocore.config import Config

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "moto")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    port = free_port()
    server = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=1)
                break
            except Exception:
                time.sleep(0.1)
        s3 = boto3.client("s3", endpoint_url=base, region_name="us-east-1",
                          aws_access_key_id="test", aws_secret_access_key="test",
                          config=Config(s3={"addressing_style": "path"}))
        s3.create_bucket(Bucket="fixtures")
        s3.put_bucket_versioning(Bucket="fixtures",
                                 VersioningConfiguration={"Status": "Enabled"})
        keys = ["plain.txt", "dir/with space.txt", "a&b<c>d\"e'f", "caf\u00e9/\u65e5\u672c.txt",
                "plus+equals=tilde~percent%", "dir/nested/deep.bin"]
        for k in keys:
            s3.put_object(Bucket="fixtures", Key=k, Body=b"v1")
            s3.put_object(Bucket="fixtures", Key=k, Body=b"version-two")
        s3.delete_object(Bucket="fixtures", Key="plain.txt")  # a delete marker on top
        s3.create_multipart_upload(Bucket="fixtures", Key="big upload.bin")
        s3.create_multipart_upload(Bucket="fixtures", Key="big upload.bin")
        s3.put_bucket_lifecycle_configuration(Bucket="fixtures", LifecycleConfiguration={
            "Rules": [{"ID": "expire-all", "Status": "Enabled", "Filter": {"Prefix": ""},
                       "Expiration": {"Days": 1},
                       "NoncurrentVersionExpiration": {"NoncurrentDays": 1},
                       "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 2}}]})

        def save(name, path, method="GET", data=None, headers=None):
            req = urllib.request.Request(base + path, method=method, data=data,
                                         headers=headers or {})
            try:
                body = urllib.request.urlopen(req).read()
            except urllib.error.HTTPError as e:
                body = e.read()
            with open(os.path.join(OUT, name), "wb") as f:
                f.write(body)

        save("list_objects_v2_page1.xml", "/fixtures?list-type=2&max-keys=2&encoding-type=url")
        save("list_objects_v2_all.xml", "/fixtures?list-type=2&encoding-type=url")
        save("list_objects_v2_delimiter.xml", "/fixtures?list-type=2&delimiter=/")
        save("list_versions_page1.xml", "/fixtures?versions&max-keys=3&encoding-type=url")
        save("list_versions_all.xml", "/fixtures?versions&encoding-type=url")
        save("list_uploads.xml", "/fixtures?uploads")
        save("versioning_enabled.xml", "/fixtures?versioning")
        save("location.xml", "/fixtures?location")
        save("lifecycle.xml", "/fixtures?lifecycle")
        save("error_no_such_bucket.xml", "/no-such-bucket?list-type=2")
        save("error_replication_not_found.xml", "/fixtures?replication")
        save("error_object_lock_not_found.xml", "/fixtures?object-lock")
        save("error_bucket_not_empty.xml", "/fixtures", method="DELETE")
        # DeleteObjects through boto3, keeping the raw answer.
        raw = {}
        s3.meta.events.register("after-call.s3.DeleteObjects",
                                lambda http_response, **_: raw.update(body=http_response.content))
        s3.delete_objects(Bucket="fixtures", Delete={"Objects": [
            {"Key": "dir/with space.txt"}, {"Key": "a&b<c>d\"e'f"}]})
        with open(os.path.join(OUT, "delete_result_markers.xml"), "wb") as f:
            f.write(raw["body"])
        s3.create_bucket(Bucket="plain")
        save("versioning_never.xml", "/plain?versioning")
        print(f"saved {len(os.listdir(OUT))} fixtures to {OUT}")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
