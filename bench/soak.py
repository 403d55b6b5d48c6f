#!/usr/bin/env python3
"""Soak: s3purge delete on a versioned bucket served by s3emu with faults on every layer
(5% SlowDown, 1% resets, 1% 500s, 1% per-key errors, 1% error-in-200, 1% truncated
bodies) and slow responses. Checks that every entry was deleted and counted exactly, and
samples the client's RSS to show that memory stays flat.

--chaos adds the answers of S3 clones that a client must not take at their word, all at
once: per-key errors that name no version id (1%), DeleteObjects answers that also name a
key not sent (1%), answers that ignore Quiet and leave an entry out, kept (1%), and keys
answered deleted but kept (0.1%). The census is then the emulator's own: it removed every
entry exactly once, and the client counted as deleted what the server removed, plus at
most the entries it said it had removed and kept (deleted again by a later pass).
Usage: bench/soak.py [--objects N] [--chaos] [--s3purge PATH] [--s3emu PATH] [--latency 5ms]
Exit status 0 only when everything checks out."""
import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "emu"))
from harness import Emulator, proc_status_kib  # noqa: E402

FAULTS = "slowdown=0.05,reset=0.01,internal=0.01,key-error=0.01,error-in-200=0.01,truncate=0.01"
HOSTILE = "versionless-error=0.01,unmatched=0.01,verbose=0.01,lost-delete=0.001"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--objects", type=int, default=1_000_000)
    ap.add_argument("--s3purge", default="build/cli/s3purge")
    ap.add_argument("--s3emu", default="build/bench/s3emu")
    ap.add_argument("--latency", default="5ms", help="added to every request (slow responses)")
    ap.add_argument("--chaos", action="store_true", help="the hostile answers too (see above)")
    ap.add_argument("--no-rss-check", action="store_true",
                    help="under ASan: its quarantine holds up to 256 MB of freed memory, so RSS "
                         "grows whatever the program does; leaks are LeakSanitizer's job there")
    args = ap.parse_args()
    n = args.objects
    markers, uploads = n // 50, n // 500
    expected = 2 * n + markers
    seed = f"bucket=soak,objects={n},prefixes=100,versions=2,markers={markers},uploads={uploads}"
    env = dict(os.environ, AWS_ACCESS_KEY_ID="soak", AWS_SECRET_ACCESS_KEY="soak",
               AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null",
               AWS_REGION="us-east-1")
    for k in ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        env.pop(k, None)
    faults = FAULTS + ("," + HOSTILE if args.chaos else "")
    with Emulator(args.s3emu, "--fault", faults, "--fault-seed", "7", "--latency", args.latency,
                  "--seed", seed) as emu:
        started = time.time()
        proc = subprocess.Popen([args.s3purge, "delete", "s3://soak", "--yes", "--json",
                                 "--endpoint-url", emu.url, "--max-retries", "20"],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        samples = []

        def sample():
            while proc.poll() is None:
                r = proc_status_kib(proc.pid, "VmRSS")
                if r:
                    samples.append((time.time() - started, r))
                time.sleep(0.25)

        t = threading.Thread(target=sample)
        t.start()
        out, err = proc.communicate(timeout=3600)
        t.join()
        took = time.time() - started
        stats = emu.stats()
    problems = []
    if proc.returncode != 0:
        problems.append(f"exit {proc.returncode}: {err[-2000:]}")
    try:
        report = json.loads(out)
    except ValueError:
        report = {}
        problems.append(f"no JSON report: {out[:500]!r}")
    counts = report.get("counts", {})
    deleted = sum(c["deleted"] for k, c in counts.items() if k != "uploads")
    if report and not report.get("balanced"):
        problems.append("listed != deleted + failed + skipped")
    if report and not report.get("bucket_deleted"):
        problems.append("bucket not deleted")
    # A key the server answered deleted but kept is counted then, and again when a later
    # pass deletes it for real: the client's count may exceed the census by the lies it was
    # told (fewer where the answer carrying the lie was not believed), never by more.
    lied = stats.get("faults", {}).get("lost-delete", 0)
    if stats["keys_deleted"] != expected or not expected <= deleted <= expected + lied:
        problems.append(f"deleted {deleted} (server: {stats['keys_deleted']} removed, {lied} answered "
                        f"deleted and kept), expected {expected}")
    if stats["uploads_aborted"] != uploads:
        problems.append(f"aborted {stats['uploads_aborted']} uploads, expected {uploads}")
    rss = [r for _, r in samples]
    # Flat: the last quarter's peak within 25% (and 8 MiB) of the first quarter's.
    if len(rss) >= 8 and not args.no_rss_check:
        q = len(rss) // 4
        first, last = max(rss[:q]), max(rss[-q:])
        if last > first * 1.25 and last - first > 8192:
            problems.append(f"RSS grew: {first} KiB in the first quarter, {last} KiB in the last")
    print(json.dumps({
        "objects": n, "entries": expected + uploads, "seconds": round(took, 1),
        "entries_per_second": round((expected + uploads) / took),
        "faults": faults, "faults_drawn": stats.get("faults"), "latency": args.latency,
        "census": {"server_removed": stats["keys_deleted"], "client_deleted": deleted, "expected": expected,
                   "lies_told": stats.get("faults", {}).get("lost-delete", 0)},
        "failed": sum(c["failed"] for c in counts.values()), "passes": report.get("passes"),
        "retries": report.get("retries"), "throttles": report.get("throttles"),
        "errors_by_code": report.get("errors_by_code"),
        "rss_kib": {"samples": len(rss), "min": min(rss, default=0),
                    "median": int(statistics.median(rss)) if rss else 0, "max": max(rss, default=0)},
        "ok": not problems, "problems": problems}, indent=1))
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
