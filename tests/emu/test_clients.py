#!/usr/bin/env python3
"""Real S3 clients against the real s3emu binary: the AWS CLI v2, s3cmd, rclone and boto3
list, write, delete and remove buckets; TLS with a self-signed certificate; SigV4
verification; faults that clients retry. Usage: test_clients.py PATH/TO/s3emu"""
import hashlib
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Emulator, Missing, main, need, run  # noqa: E402

S3EMU = sys.argv[1] if len(sys.argv) > 1 else "build/bench/s3emu"
CREDS = {"AWS_ACCESS_KEY_ID": "AKIDEMU", "AWS_SECRET_ACCESS_KEY": "emu-secret",
         "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": None, "AWS_PROFILE": None,
         "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"}
VERIFY = ["--access-key", "AKIDEMU", "--secret-key", "emu-secret"]


def aws_cli():
    # The Debian AWS CLI v2; the image's pyenv may shadow `aws` with another one.
    if os.path.exists("/usr/bin/aws"):
        return "/usr/bin/aws"
    raise Missing("the AWS CLI v2 (/usr/bin/aws, Debian package awscli) is not installed")


def boto3_client(url, **kw):
    try:
        import boto3
        from botocore.config import Config
    except ImportError as e:
        raise Missing(f"boto3 is not importable: {e}")
    cfg = kw.pop("config", None) or Config(s3={"addressing_style": "path"},
                                           retries={"max_attempts": 10, "mode": "standard"})
    return boto3.client("s3", endpoint_url=url, aws_access_key_id=kw.pop("key", "AKIDEMU"),
                        aws_secret_access_key=kw.pop("secret", "emu-secret"),
                        region_name=kw.pop("region", "us-east-1"), config=cfg, **kw)


def test_aws_cli_list_copy_delete_rb():
    aws = aws_cli()
    with Emulator(S3EMU, *VERIFY, "--seed", "bucket=cli-bucket,objects=2500,prefixes=5") as emu:
        ep = ["--endpoint-url", emu.url]
        out = run([aws, *ep, "s3", "ls", "s3://cli-bucket/", "--recursive"], env=CREDS).stdout
        assert len(out.strip().splitlines()) == 2500, "the CLI pages through 2500 keys"
        data = os.urandom(9 * 1024 * 1024)  # above the CLI's 8 MiB multipart threshold
        with tempfile.TemporaryDirectory() as d:
            src, dst = os.path.join(d, "src.bin"), os.path.join(d, "dst.bin")
            open(src, "wb").write(data)
            run([aws, *ep, "s3", "cp", src, "s3://cli-bucket/dir/big file+1.bin"], env=CREDS)
            run([aws, *ep, "s3", "cp", "s3://cli-bucket/dir/big file+1.bin", dst], env=CREDS)
            assert hashlib.sha256(open(dst, "rb").read()).digest() == hashlib.sha256(data).digest()
        rb = run([aws, *ep, "s3", "rb", "s3://cli-bucket"], env=CREDS, check=False)
        assert rb.returncode != 0 and "BucketNotEmpty" in rb.stderr, rb.stderr
        run([aws, *ep, "s3", "rb", "s3://cli-bucket", "--force"], env=CREDS, timeout=300)
        assert "cli-bucket" not in emu.stats()["buckets"]
        assert emu.stats()["keys_deleted"] == 2501


def test_aws_cli_versions_and_uploads():
    aws = aws_cli()
    with Emulator(S3EMU, "--seed",
                  "bucket=ver-bucket,objects=20,versions=2,markers=5,uploads=3") as emu:
        ep = ["--endpoint-url", emu.url]
        import json
        v = json.loads(run([aws, *ep, "s3api", "list-object-versions", "--bucket", "ver-bucket"],
                           env=CREDS).stdout)
        assert len(v["Versions"]) == 40 and len(v["DeleteMarkers"]) == 5
        u = json.loads(run([aws, *ep, "s3api", "list-multipart-uploads", "--bucket", "ver-bucket"],
                           env=CREDS).stdout)
        assert len(u["Uploads"]) == 3
        rb = run([aws, *ep, "s3", "rb", "s3://ver-bucket", "--force"], env=CREDS, check=False)
        assert rb.returncode != 0, "rb --force cannot empty a versioned bucket (REFERENCE.md)"


def test_s3cmd_put_list_rb():
    s3cmd = need("s3cmd")
    with Emulator(S3EMU, *VERIFY, "--seed", "bucket=s3cmd-bucket,objects=1200,prefixes=3") as emu:
        with tempfile.TemporaryDirectory() as d:
            cfg = os.path.join(d, "s3cfg")
            open(cfg, "w").write(
                f"[default]\naccess_key = AKIDEMU\nsecret_key = emu-secret\n"
                f"host_base = 127.0.0.1:{emu.port}\nhost_bucket = 127.0.0.1:{emu.port}\n"
                "use_https = False\nsignature_v2 = False\n")
            f = os.path.join(d, "h.txt")
            open(f, "w").write("hello")
            run([s3cmd, "-c", cfg, "put", f, "s3://s3cmd-bucket/new/h.txt"])
            out = run([s3cmd, "-c", cfg, "ls", "-r", "s3://s3cmd-bucket"]).stdout
            assert len(out.strip().splitlines()) == 1201
            run([s3cmd, "-c", cfg, "rb", "--recursive", "--force", "s3://s3cmd-bucket"], timeout=300)
        assert "s3cmd-bucket" not in emu.stats()["buckets"]


def test_rclone_copy_ls_purge():
    rclone = need("rclone")
    with Emulator(S3EMU, *VERIFY, "--seed", "bucket=rclone-bucket,objects=1500,prefixes=4") as emu:
        flags = ["--config", "/dev/null", "--s3-provider", "Other", "--s3-endpoint", emu.url,
                 "--s3-access-key-id", "AKIDEMU", "--s3-secret-access-key", "emu-secret",
                 "--s3-force-path-style=true"]
        # rclone's AWS SDK fails on AWS_CA_BUNDLE even for http endpoints.
        env = {"AWS_CA_BUNDLE": None}
        with tempfile.TemporaryDirectory() as d:
            f = os.path.join(d, "r.txt")
            open(f, "w").write("rclone")
            run([rclone, *flags, "copy", f, ":s3:rclone-bucket/dir/"], env=env)
        out = run([rclone, *flags, "ls", ":s3:rclone-bucket"], env=env).stdout
        assert len(out.strip().splitlines()) == 1501
        run([rclone, *flags, "purge", ":s3:rclone-bucket"], env=env, timeout=300)
        assert "rclone-bucket" not in emu.stats()["buckets"]


def test_boto3_versioned_empty_and_delete():
    with Emulator(S3EMU, *VERIFY, "--seed",
                  "bucket=boto-bucket,objects=1500,versions=2,markers=100,uploads=5") as emu:
        s3 = boto3_client(emu.url)
        s3.put_object(Bucket="boto-bucket", Key="uploaded", Body=b"v")
        items = []
        for page in s3.get_paginator("list_object_versions").paginate(Bucket="boto-bucket"):
            items += [{"Key": v["Key"], "VersionId": v["VersionId"]}
                      for v in page.get("Versions", []) + page.get("DeleteMarkers", [])]
        assert len(items) == 1500 * 2 + 100 + 1
        for i in range(0, len(items), 1000):
            r = s3.delete_objects(Bucket="boto-bucket", Delete={"Objects": items[i:i + 1000]})
            assert not r.get("Errors"), r.get("Errors")
        for page in s3.get_paginator("list_multipart_uploads").paginate(Bucket="boto-bucket"):
            for u in page.get("Uploads", []):
                s3.abort_multipart_upload(Bucket="boto-bucket", Key=u["Key"], UploadId=u["UploadId"])
        s3.delete_bucket(Bucket="boto-bucket")
        assert emu.stats()["keys_deleted"] == len(items)


def test_sigv4_rejects_wrong_secret_and_redirects_wrong_region():
    from botocore.exceptions import ClientError
    with Emulator(S3EMU, *VERIFY, "--seed", "bucket=sig-bucket,objects=3",
                  "--seed", "bucket=eu-bucket,objects=2,region=eu-west-1") as emu:
        try:
            boto3_client(emu.url, secret="wrong").list_objects_v2(Bucket="sig-bucket")
            raise AssertionError("a wrong secret was accepted")
        except ClientError as e:
            assert e.response["Error"]["Code"] == "SignatureDoesNotMatch"
        try:
            boto3_client(emu.url, key="AKIDOTHER").list_objects_v2(Bucket="sig-bucket")
            raise AssertionError("an unknown key id was accepted")
        except ClientError as e:
            assert e.response["Error"]["Code"] == "InvalidAccessKeyId"
        # botocore follows the <Region> of AuthorizationHeaderMalformed: proof that s3emu
        # names the region the way S3 does.
        r = boto3_client(emu.url, region="us-east-1").list_objects_v2(Bucket="eu-bucket")
        assert r["KeyCount"] == 2


def test_tls_self_signed_needs_trust():
    aws = aws_cli()
    with tempfile.TemporaryDirectory() as d:
        cert = os.path.join(d, "emu.pem")
        with Emulator(S3EMU, "--tls-self-signed", "--tls-cert-out", cert,
                      "--seed", "bucket=tls-bucket,objects=3") as emu:
            ep = ["--endpoint-url", f"https://127.0.0.1:{emu.port}"]
            env = dict(CREDS, AWS_CA_BUNDLE=None)
            bad = run([aws, *ep, "s3", "ls", "s3://tls-bucket/"], env=env, check=False)
            assert bad.returncode != 0 and "SSL" in bad.stderr, bad.stderr
            good = run([aws, *ep, "--ca-bundle", cert, "s3", "ls", "s3://tls-bucket/", "--recursive"],
                       env=env)
            assert len(good.stdout.strip().splitlines()) == 3


def test_faults_are_retried_by_clients():
    from botocore.config import Config
    with Emulator(S3EMU, "--fault", "slowdown=0.2,internal=0.1", "--fault-seed", "3",
                  "--seed", "bucket=fault-bucket,objects=3000") as emu:
        s3 = boto3_client(emu.url, config=Config(s3={"addressing_style": "path"},
                                                 retries={"max_attempts": 20, "mode": "standard"}))
        pages = s3.get_paginator("list_objects_v2").paginate(
            Bucket="fault-bucket", PaginationConfig={"PageSize": 100})
        keys = [o["Key"] for p in pages for o in p.get("Contents", [])]
        assert len(keys) == 3000
        stats = emu.stats()
        assert stats["faults"].get("slowdown", 0) > 0 and stats["throttles_sent"] > 0, stats


def test_bad_arguments_are_refused():
    for args, words in ([["--seed", "objects=5"], "bucket=NAME"],
                        [["--fault", "slowdown=2"], "probability"],
                        [["--latency", "fast"], "duration"],
                        [["--tls-self-signed"], "--tls-cert-out"],
                        [["--listen", "127.0.0.1:99999"], "port"]):
        p = run([S3EMU, *args], check=False, timeout=20)
        assert p.returncode == 2, (args, p.returncode, p.stderr)
        assert words in p.stderr, (args, p.stderr)


if __name__ == "__main__":
    sys.exit(main([test_aws_cli_list_copy_delete_rb, test_aws_cli_versions_and_uploads,
                   test_s3cmd_put_list_rb, test_rclone_copy_ls_purge,
                   test_boto3_versioned_empty_and_delete,
                   test_sigv4_rejects_wrong_secret_and_redirects_wrong_region,
                   test_tls_self_signed_needs_trust, test_faults_are_retried_by_clients,
                   test_bad_arguments_are_refused]))
