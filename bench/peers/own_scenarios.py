"""The scenarios only s3purge runs: D (a neighbour's latency beside a purge, with and
without --rate), E (peak RSS by bucket size) and F (the --rate ceiling, second by
second)."""
import json
import subprocess
import tempfile
import time

from common import Emulator, env, timed


def memory(args):
    """Peak RSS of `s3purge delete` at each size, --repeat times; a row keeps the largest
    peak, with the listers that run had grown to (each holds a connection and a page)."""
    rows = []
    for n in (int(x) for x in args.memory_sizes.split(",")):
        runs = []
        for _ in range(args.repeat):
            with Emulator(args.s3emu, "--seed", f"bucket=mem-bucket,objects={n},prefixes=100") as emu, \
                    tempfile.TemporaryFile() as out:
                rc, wall, cpu, rss, _ = timed([args.s3purge, "delete", "s3://mem-bucket", "--yes", "--json",
                                               "--no-progress", "--endpoint-url", emu.url], 3600, stdout=out)
                out.seek(0)
                lines = out.read().decode().strip().splitlines()
                report = json.loads(lines[-1]) if lines else {}  # nothing: it failed, see "exit"
                runs.append({"scenario": "E", "tool": "s3purge", "objects": n, "exit": rc,
                             "wall_s": round(wall, 2), "peak_rss_mib": round(rss / 1024, 1),
                             "listers_peak": report.get("listers_peak"),
                             "bucket_deleted": report.get("bucket_deleted")})
        row = max(runs, key=lambda r: r["peak_rss_mib"])
        row["runs_peak_rss_mib"] = [r["peak_rss_mib"] for r in runs]
        row["runs_listers_peak"] = [r["listers_peak"] for r in runs]
        rows.append(row)
        print(f"  E s3purge {n:,} objects: {row['peak_rss_mib']} MiB peak ({row['listers_peak']} listers), "
              f"{row['wall_s']} s; runs {row['runs_peak_rss_mib']} MiB, listers {row['runs_listers_peak']}",
              flush=True)
    return rows


def probe_latencies(port, seconds, rate=50):
    """Small PUTs and GETs of one key at `rate` per second for `seconds`: latencies in ms."""
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    out, t0 = [], time.time()
    for i in range(int(seconds * rate)):
        time.sleep(max(0, t0 + i / rate - time.time()))
        method = "PUT" if i % 2 == 0 else "GET"
        start = time.time()
        conn.request(method, "/neighbour-bucket/probe", body=b"x" * 512 if method == "PUT" else None,
                     headers={"Authorization": "AWS4-HMAC-SHA256 Credential=probe/20260101/us-east-1/s3/aws4_request"})
        conn.getresponse().read()
        out.append(1000 * (time.time() - start))
    conn.close()
    return out


def percentile(xs, p):
    xs = sorted(xs)
    return round(xs[min(len(xs) - 1, int(p / 100 * len(xs)))], 2) if xs else None


def neighbours(args):
    """D: a probe client's latency with no purge, an unlimited purge, and --rate at 50% of
    the emulator's write capacity (--capacity, --overload queue). The three phases run in
    turn --repeat times; each phase keeps its run with the median p99 (a p99 of 400 probes
    on two shared cores moves from run to run)."""
    capacity = 100_000
    runs = {}
    phases = (("no purge", None), ("unlimited purge", 0), ("--rate 50% of capacity", capacity // 2))
    for _ in range(args.repeat):
        for label, rate in phases:
            with Emulator(args.s3emu, "--capacity", str(capacity), "--overload", "queue",
                          "--seed", "bucket=neighbour-bucket,objects=1", "--seed",
                          "bucket=purged-bucket,objects=2000000,prefixes=100") as emu:
                proc = None
                if rate is not None:
                    cmd = [args.s3purge, "empty", "s3://purged-bucket", "--yes", "-q", "--endpoint-url", emu.url]
                    if rate:
                        cmd += ["--rate", str(rate)]
                    proc = subprocess.Popen(cmd, env=env(), stderr=subprocess.DEVNULL)
                    time.sleep(1.0)  # let it reach its pace
                lat = probe_latencies(emu.port, 8)
                if proc:
                    proc.terminate()
                    proc.wait(timeout=30)
                row = {"scenario": "D", "tool": "s3purge", "phase": label, "capacity": capacity,
                       "probe_p50_ms": percentile(lat, 50), "probe_p99_ms": percentile(lat, 99), "probes": len(lat)}
                print(f"  D {label}: probe p50 {row['probe_p50_ms']} ms, p99 {row['probe_p99_ms']} ms", flush=True)
                runs.setdefault(label, []).append(row)
    rows = []
    for label, _ in phases:
        by_p99 = sorted(runs[label], key=lambda r: r["probe_p99_ms"])
        row = dict(by_p99[len(by_p99) // 2])
        row["runs_p99_ms"] = [r["probe_p99_ms"] for r in runs[label]]
        rows.append(row)
    return rows


def rate_accuracy(args):
    """--rate 20000 for 20 s: per-second deletions from the emulator's counter."""
    with Emulator(args.s3emu, "--seed", "bucket=rate-bucket,objects=1000000,prefixes=100") as emu:
        proc = subprocess.Popen([args.s3purge, "empty", "s3://rate-bucket", "--yes", "-q", "--rate", "20000",
                                 "--endpoint-url", emu.url], env=env())
        per_second, last = [], emu.stats()["keys_deleted"]
        t0 = time.time()
        for i in range(1, 21):
            time.sleep(max(0, t0 + i - time.time()))
            now = emu.stats()["keys_deleted"]
            per_second.append(now - last)
            last = now
        proc.terminate()
        proc.wait(timeout=30)
    steady = per_second[1:]
    mean = sum(steady) / len(steady)
    row = {"scenario": "F", "tool": "s3purge", "ceiling": 20000, "per_second": per_second,
           "mean_after_first_s": round(mean), "error_pct": round(100 * (mean - 20000) / 20000, 2),
           "max_second_pct": round(100 * max(steady) / 20000, 1)}
    print(f"  F s3purge --rate 20000: mean {row['mean_after_first_s']:,}/s ({row['error_pct']:+}%), "
          f"max second {row['max_second_pct']}%", flush=True)
    return [row]
