#!/usr/bin/env python3
"""s3emu's latency model (served on timers, not by blocking a thread), capacity model and
transport faults, seen from a plain HTTP client on 127.0.0.1.
Usage: test_models.py PATH/TO/s3emu"""
import http.client
import os
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Emulator, main  # noqa: E402

S3EMU = sys.argv[1] if len(sys.argv) > 1 else "build/bench/s3emu"


def get(port, path, timeout=30):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    c.request("GET", path)
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, body


def test_latency_is_added_without_blocking_the_thread():
    with Emulator(S3EMU, "--threads", "1", "--latency", "300ms", "--list-latency", "200ms",
                  "--seed", "bucket=lat-bucket,objects=10") as emu:
        start = time.monotonic()
        status, _ = get(emu.port, "/lat-bucket?list-type=2")
        one = time.monotonic() - start
        assert status == 200 and one >= 0.5, f"a list page took {one:.3f} s, expected >= 0.5 s"
        # Ten at once on one server thread: timers overlap, so ~0.5 s in all, not 5 s.
        results = []
        threads = [threading.Thread(target=lambda: results.append(get(emu.port, "/lat-bucket?list-type=2")))
                   for _ in range(10)]
        start = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        together = time.monotonic() - start
        assert len(results) == 10 and all(s == 200 for s, _ in results)
        assert together < 2.5, f"10 concurrent requests took {together:.2f} s: latency blocks"


def test_capacity_slowdown_mode_throttles_writes():
    import boto3
    from botocore.config import Config
    with Emulator(S3EMU, "--capacity", "2000", "--overload", "slowdown",
                  "--seed", "bucket=cap-bucket,objects=6000") as emu:
        s3 = boto3.client("s3", endpoint_url=emu.url, region_name="us-east-1",
                          aws_access_key_id="t", aws_secret_access_key="t",
                          config=Config(retries={"total_max_attempts": 1},
                                        s3={"addressing_style": "path"}))
        from botocore.exceptions import ClientError
        throttled = ok = 0
        keys = [f"prefix-0000/object-{i:09d}" for i in range(6000)]
        for i in range(0, 6000, 1000):
            try:
                s3.delete_objects(Bucket="cap-bucket",
                                  Delete={"Objects": [{"Key": k} for k in keys[i:i + 1000]]})
                ok += 1
            except ClientError as e:
                assert e.response["Error"]["Code"] == "SlowDown"
                throttled += 1
        assert ok >= 1 and throttled >= 1, (ok, throttled)
        stats = emu.stats()
        assert stats["throttles_sent"] == throttled, stats
        assert "slowdown" not in stats["faults"], "capacity refusals are not injected faults"


def test_capacity_queue_mode_slows_everyone():
    with Emulator(S3EMU, "--capacity", "1000", "--overload", "queue",
                  "--seed", "bucket=queue-bucket,objects=3000") as emu:
        body = "<Delete>" + "".join(f"<Object><Key>prefix-0000/object-{i:09d}</Key></Object>"
                                    for i in range(1000)) + "</Delete>"
        import base64
        import hashlib
        md5 = base64.b64encode(hashlib.md5(body.encode()).digest()).decode()

        def delete():
            c = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=30)
            c.request("POST", "/queue-bucket?delete", body, {"Content-MD5": md5})
            c.getresponse().read()
            c.close()
        # 1000 writes at 1000/s keep the server busy for ~0.9 s; a read sent meanwhile waits.
        writer = threading.Thread(target=delete)
        writer.start()
        time.sleep(0.1)
        start = time.monotonic()
        status, _ = get(emu.port, "/queue-bucket?list-type=2&max-keys=1")
        waited = time.monotonic() - start
        writer.join(timeout=30)
        assert status == 200 and waited >= 0.5, f"a read behind the backlog waited {waited:.3f} s"


def test_transport_faults():
    with Emulator(S3EMU, "--fault", "truncate=1", "--seed", "bucket=cut-bucket,objects=50") as emu:
        c = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=30)
        c.request("GET", "/cut-bucket?list-type=2")
        r = c.getresponse()
        try:
            r.read()
            raise AssertionError("a truncated body was read whole")
        except http.client.IncompleteRead:
            pass
        assert get(emu.port, "/_emu/stats")[0] == 200, "stats are never faulted"
    with Emulator(S3EMU, "--fault", "reset=1", "--seed", "bucket=rst-bucket,objects=5") as emu:
        s = socket.create_connection(("127.0.0.1", emu.port), timeout=30)
        s.sendall(b"GET /rst-bucket?list-type=2 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        data, reset = b"", False
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        except ConnectionResetError:
            reset = True
        s.close()
        assert reset or len(data) < 200, "the connection was reset mid-response"
    with Emulator(S3EMU, "--fault", "error-in-200=1", "--seed", "bucket=e200-bucket,objects=5") as emu:
        status, body = get(emu.port, "/e200-bucket?list-type=2")
        assert status == 200 and b"<Error><Code>InternalError</Code>" in body, body[:200]


if __name__ == "__main__":
    sys.exit(main([test_latency_is_added_without_blocking_the_thread,
                   test_capacity_slowdown_mode_throttles_writes,
                   test_capacity_queue_mode_slows_everyone, test_transport_faults]))
