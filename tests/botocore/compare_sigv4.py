#!/usr/bin/env python3
"""Re-signs every request that sign_vectors emits with botocore's S3SigV4Auth and compares
the Authorization and x-amz-content-sha256 headers byte for byte.

Independently of our code it also derives, the way botocore does, the request path from the
bucket and key (percent_encode(key, safe='/~')), the Host header from the endpoint, and the
canonical query from the raw parameters. It fails (never skips) when botocore is absent.
"""
import json
import subprocess
import sys

try:
    import datetime
    from unittest import mock

    import botocore.auth as botocore_auth
    from botocore.auth import S3SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.config import Config
    from botocore.credentials import Credentials
    from botocore.utils import percent_encode
except ImportError as exc:  # a missing botocore is a failure, not a skip
    print(f"FAIL: botocore is not importable from {sys.executable}: {exc}")
    sys.exit(1)

SIGNED_BY_SIGNER = {"authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token"}


def unhex(s):
    return bytes.fromhex(s)


def expected_url(v):
    scheme, rest = v["endpoint"].split("://", 1)
    host = rest.rstrip("/")
    bucket = v["bucket"]
    if v["style"] == "virtual":
        host = f"{bucket}.{host}"
        path = ""
    else:
        path = "/" + bucket
    if v["object"]:
        path += "/" + percent_encode(unhex(v["key_hex"]), safe="/~")
    elif not path:
        path = "/"
    return f"{scheme}://{host}{path}", path


def check(v):
    problems = []
    url, path = expected_url(v)
    if path != v["path"]:
        problems.append(f"path: ours {v['path']!r}, botocore-style {path!r}")
    params = [(unhex(n).decode("utf-8"), unhex(val).decode("utf-8")) for n, val in v["query"]]
    ours = {n.lower(): unhex(val).decode("utf-8") for n, val in v["headers"]}
    headers = {n: unhex(val).decode("utf-8") for n, val in v["headers"]
               if n.lower() not in SIGNED_BY_SIGNER}
    request = AWSRequest(method=v["method"], url=url, headers=headers,
                         data=unhex(v["body_hex"]), params=params)
    request.context["client_config"] = Config(
        s3={"payload_signing_enabled": not v["unsigned_payload"]})
    token = unhex(v["token_hex"]).decode("utf-8") or None
    creds = Credentials(v["access_key"], unhex(v["secret_key_hex"]).decode("utf-8"), token)
    auth = S3SigV4Auth(creds, "s3", v["region"])
    when = datetime.datetime.strptime(v["timestamp"], "%Y%m%dT%H%M%SZ")
    if hasattr(botocore_auth, "get_current_datetime"):
        patch = mock.patch.object(botocore_auth, "get_current_datetime", return_value=when)
    else:  # older botocore (Debian's python3-botocore) reads datetime.datetime.utcnow()
        fake = mock.MagicMock(wraps=datetime.datetime)
        fake.utcnow.return_value = when
        patch = mock.patch.object(botocore_auth.datetime, "datetime", fake)
    with patch:
        auth.add_auth(request)
    if botocore_auth._host_from_url(request.url) != v["host"]:
        problems.append(f"host: ours {v['host']!r}, "
                        f"botocore {botocore_auth._host_from_url(request.url)!r}")
    for name in ("Authorization", "X-Amz-Content-SHA256", "X-Amz-Date"):
        theirs = request.headers.get(name)
        if ours.get(name.lower()) != theirs:
            problems.append(f"{name}: ours {ours.get(name.lower())!r}\n      botocore {theirs!r}")
    if token and ours.get("x-amz-security-token") != token:
        problems.append("x-amz-security-token differs")
    if problems:
        problems.append("botocore canonical request:\n" + auth.canonical_request(request))
    return problems


def main():
    if len(sys.argv) != 2:
        print("usage: compare_sigv4.py PATH/TO/sign_vectors")
        return 2
    out = subprocess.run([sys.argv[1]], check=True, capture_output=True, text=True).stdout
    vectors = [json.loads(line) for line in out.splitlines() if line.strip()]
    failed = 0
    for v in vectors:
        problems = check(v)
        if problems:
            failed += 1
            print(f"MISMATCH {v['name']}:")
            for p in problems:
                print("   ", p)
    passed = len(vectors) - failed
    import botocore
    print(f"botocore {botocore.__version__}: {len(vectors)} signed requests compared")
    print(f"{passed} passed, {failed} failed")
    if len(vectors) < 30:
        print("FAIL: fewer than 30 requests compared")
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
