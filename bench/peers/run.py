#!/usr/bin/env python3
"""Side by side: s3purge and each available peer empty and delete identical buckets on the
bundled s3emu in the same run. Records wall time, entries/s, client CPU seconds
(user+sys of the tool and its children), peak RSS, requests the emulator served and the
CPU it spent serving them, and whether the bucket ended deleted. Writes bench/peers/results/{results.json,results.md,
results.svg}.

Scenarios (sizes scale with --scale; defaults are quick):
  A  unversioned objects, loopback, no added latency
  B  versioned keys with 2 versions and a delete marker each, plus incomplete uploads
  C  WAN model: --latency 20ms, --list-latency 100ms, per-key latency
  D  neighbours: a probe client's PUT/GET latency on an emulator with --capacity and
     --overload queue: idle, under an unlimited purge, under --rate at 50% of capacity
  E  s3purge's peak RSS at three sizes
  F  s3purge --rate 20000 for 20 s: the achieved rate per second
Peers: the seeds' boto3 procedure (python3 + boto3), AWS CLI v2 (`s3 rb --force`, which
cannot empty a versioned bucket), rclone purge, s3cmd rb --recursive, and s5cmd when
S5CMD=/path/to/s5cmd is set. A missing peer is skipped with the reason printed.
Usage: bench/peers/run.py [--scale 1.0] [--scenarios A,B,C,E,F] [--s3purge PATH] [--s3emu PATH]"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

from common import HERE, KEY, ROOT, SECRET, Emulator, env, timed
from own_scenarios import memory, neighbours, rate_accuracy
from partition_series import Sampler, after_first_split
from report import per_key, write_outputs

# The seeds' procedure, as their scripts do it: page through current objects and delete each
# page with one DeleteObjects, then versions and markers, then uploads, then the bucket.
BOTO3_SEED_PROCEDURE = r'''
import sys, boto3
url, bucket = sys.argv[1], sys.argv[2]
s3 = boto3.client("s3", endpoint_url=url)
for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
    objs = [{"Key": o["Key"]} for o in page.get("Contents", [])]
    if objs:
        s3.delete_objects(Bucket=bucket, Delete={"Objects": objs, "Quiet": True})
for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
    objs = [{"Key": v["Key"], "VersionId": v["VersionId"]}
            for v in page.get("Versions", []) + page.get("DeleteMarkers", [])]
    if objs:
        s3.delete_objects(Bucket=bucket, Delete={"Objects": objs, "Quiet": True})
for page in s3.get_paginator("list_multipart_uploads").paginate(Bucket=bucket):
    for u in page.get("Uploads", []):
        s3.abort_multipart_upload(Bucket=bucket, Key=u["Key"], UploadId=u["UploadId"])
s3.delete_bucket(Bucket=bucket)
'''


def seed_keys(objects, prefixes):
    """The keys s3emu's plain seed family makes (bench/s3emu/seed.cpp), in order."""
    made = 0
    for p in range(prefixes):
        for _ in range(objects // prefixes + (1 if p < objects % prefixes else 0)):
            yield f"prefix-{p:04d}/object-{made:09d}"
            made += 1


def delete_capacity(s3purge, s3emu, objects, prefixes, emu_flags, concurrency=16, timeout=1800):
    """What the emulator serves to a client that only deletes: entries/s of `s3purge rm
    --keys-from` the seeded keys at `concurrency`, nothing listed."""
    with tempfile.TemporaryDirectory() as tmp, Emulator(
            s3emu, *emu_flags, "--seed", f"bucket=capacity,objects={objects},prefixes={prefixes}") as emu:
        keys = os.path.join(tmp, "keys.txt")
        with open(keys, "w") as f:
            for k in seed_keys(objects, prefixes):
                f.write(k + "\n")
        p = subprocess.run([s3purge, "rm", "s3://capacity", "--keys-from", keys, "--yes", "--json",
                            "--no-progress", "--concurrency", str(concurrency), "--endpoint-url", emu.url],
                           env=env(), capture_output=True, text=True, timeout=timeout)
        assert emu.stats()["keys_deleted"] == objects, (emu.stats()["keys_deleted"], p.stderr)
        return round(json.loads(p.stdout)["entries_per_second"])


class TlsEmulator(Emulator):
    """s3emu serving TLS with a fresh self-signed certificate, which the clients trust."""

    def __init__(self, binary, *args):
        self.cert = os.path.join(tempfile.mkdtemp(prefix="s3emu-tls-"), "cert.pem")
        super().__init__(binary, "--tls-self-signed", "--tls-cert-out", self.cert, *args)

    @property
    def url(self):
        return f"https://127.0.0.1:{self.port}"

    def stats(self):
        import ssl
        import urllib.request
        ctx = ssl.create_default_context(cafile=self.cert)
        with urllib.request.urlopen(self.url + "/_emu/stats", timeout=10, context=ctx) as r:
            return json.load(r)


def peers(s3purge, emu, bucket, tmp, wan=False, partitioned=False):
    """(name, command or None, why skipped) for every tool."""
    if emu.url.startswith("https"):
        cert = getattr(emu, "cert", "")
        # Over TLS: s3purge trusting the emulator's certificate, and s5cmd beside it.
        s5 = os.environ.get("S5CMD")
        return [("s3purge", [s3purge, "delete", f"s3://{bucket}", "--yes", "-q", "--ca-bundle", str(cert),
                             "--endpoint-url", emu.url], None),
                ("s5cmd rm --all-versions", [s5, "--no-verify-ssl", "--endpoint-url", emu.url, "rm", "--all-versions",
                                             f"s3://{bucket}/*"] if s5 else None,
                 None if s5 else "S5CMD is not set (no Debian or npm package)")]
    out = [("s3purge", [s3purge, "delete", f"s3://{bucket}", "--yes", "-q", "--endpoint-url", emu.url], None)]
    if partitioned:
        # One adaptive rate for the whole run, beside the default's rate per key range.
        out.append(("s3purge --pacing global", [s3purge, "delete", f"s3://{bucket}", "--yes", "-q", "--pacing",
                                                "global", "--endpoint-url", emu.url], None))
    if wan and not partitioned:
        # Fixed at the most the default grows to: what starting there, rather than growing
        # there, gives on slow list pages (scenario C).
        out.append(("s3purge --listers 64", [s3purge, "delete", f"s3://{bucket}", "--yes", "-q", "--listers", "64",
                                             "--endpoint-url", emu.url], None))
    try:
        import boto3  # noqa: F401
        script = os.path.join(tmp, "seed_procedure.py")
        open(script, "w").write(BOTO3_SEED_PROCEDURE)
        out.append(("boto3 (seeds' procedure)", [sys.executable, script, emu.url, bucket], None))
    except ImportError as e:
        out.append(("boto3 (seeds' procedure)", None, f"boto3 is not importable: {e}"))
    aws = shutil.which("aws")
    out.append(("aws s3 rb --force", [aws, "--endpoint-url", emu.url, "s3", "rb", f"s3://{bucket}", "--force"]
                if aws else None, None if aws else "aws not on PATH"))
    rclone = shutil.which("rclone")
    out.append(("rclone purge", [rclone, "--config", "/dev/null", "--s3-provider", "Other", "--s3-endpoint",
                                 emu.url, "--s3-access-key-id", KEY, "--s3-secret-access-key", SECRET,
                                 "--s3-force-path-style=true", "purge", f":s3:{bucket}"]
                if rclone else None, None if rclone else "rclone not on PATH"))
    s3cmd = shutil.which("s3cmd")
    if s3cmd:
        cfg = os.path.join(tmp, "s3cfg")
        open(cfg, "w").write(f"[default]\naccess_key = {KEY}\nsecret_key = {SECRET}\nhost_base = 127.0.0.1:{emu.port}\n"
                             f"host_bucket = 127.0.0.1:{emu.port}\nuse_https = False\nsignature_v2 = False\n")
        out.append(("s3cmd rb --recursive", [s3cmd, "-c", cfg, "rb", "--recursive", "--force", f"s3://{bucket}"], None))
    else:
        out.append(("s3cmd rb --recursive", None, "s3cmd not on PATH"))
    s5 = os.environ.get("S5CMD")
    out.append(("s5cmd rm --all-versions", [s5, "--endpoint-url", emu.url, "rm", "--all-versions", f"s3://{bucket}/*"]
                if s5 else None, None if s5 else "S5CMD is not set (no Debian or npm package)"))
    return out


def partitioned(emu_flags):
    return any(f.startswith("--partition") for f in emu_flags)


def scenario(name, args, seed, emu_flags, entries, timeout):
    """Each tool on its own emulator seeded alike. s3purge runs --repeat times (the median
    by wall time is kept: this VM's timings vary run to run); a peer runs once, and is
    stopped after --budget seconds if it has not finished (its rate is then what it
    deleted in that time)."""
    rows = []
    # Latency flags model a WAN; faults and capacity flags do not.
    wan = any(f.endswith("latency") for f in emu_flags)
    with tempfile.TemporaryDirectory() as tmp:
        names_only = type("E", (), {"url": "https://" if name.endswith("TLS") else "", "port": 0})()
        tools = peers(args.s3purge, names_only, "x", tmp, wan, partitioned(emu_flags))
        names = [t[0] for t in tools]
        for tool_name in names:
            if args.only and tool_name.split()[0] not in args.only:
                continue
            ours = tool_name.startswith("s3purge")
            runs = []
            for _ in range(args.repeat if ours else 1):
                row = run_tool(name, args, seed, emu_flags, entries, tmp, tool_name, wan,
                               timeout if ours else min(timeout, args.budget or timeout))
                runs.append(row)
                if "skipped" in row:
                    break
            runs.sort(key=lambda r: r.get("wall_s", 0))
            row = runs[len(runs) // 2]
            if len(runs) > 1:
                row["runs_wall_s"] = [r["wall_s"] for r in runs]
            if "skipped" in row:
                print(f"  {name} {tool_name}: skipped: {row['skipped']}", flush=True)
            else:
                print(f"  {name} {tool_name}: {row['wall_s']} s, {row['entries_per_s']:,} keys/s, "
                      f"{per_key(row)} µs CPU/key, {row['peak_rss_mib']} MiB, "
                      f"emulator {row['emulator_cpu_s']} CPU s, "
                      f"deleted={row['bucket_deleted']}" + (f" (stopped at {row['stopped_at_s']} s)"
                                                          if "stopped_at_s" in row else ""), flush=True)
            rows.append(row)
    return rows


def run_tool(name, args, seed, emu_flags, entries, tmp, tool_name, wan, timeout):
    emulator = TlsEmulator if name.endswith("TLS") else Emulator
    with emulator(args.s3emu, *emu_flags, "--seed", f"bucket=peer-bucket,{seed}") as emu:
        tool = [t for t in peers(args.s3purge, emu, "peer-bucket", tmp, wan, partitioned(emu_flags))
                if t[0] == tool_name][0]
        _, cmd, why = tool
        if cmd is None:
            return {"scenario": name, "tool": tool_name, "skipped": why}
        before, emu_cpu = emu.stats()["requests"], emu.cpu_seconds()
        sampler = Sampler(emu) if partitioned(emu_flags) else None
        if sampler:
            with sampler:
                rc, wall, cpu, rss, err = timed(cmd, timeout)
        else:
            rc, wall, cpu, rss, err = timed(cmd, timeout)
        stats, emu_cpu = emu.stats(), emu.cpu_seconds() - emu_cpu
        deleted = "peer-bucket" not in stats["buckets"]
        left = stats["buckets"].get("peer-bucket", {})
        row = {"scenario": name, "tool": tool_name, "exit": rc, "wall_s": round(wall, 2),
               "entries": entries, "entries_per_s": round(stats["keys_deleted"] / wall),
               "cpu_s": round(cpu, 2), "cpu_us_per_key": round(1e6 * cpu / stats["keys_deleted"], 2) if stats["keys_deleted"] else None,
               "peak_rss_mib": round(rss / 1024, 1), "requests": stats["requests"] - before,
               "emulator_cpu_s": round(emu_cpu, 2),
               "keys_deleted": stats["keys_deleted"], "bucket_deleted": deleted,
               "keys_slowed": stats.get("keys_slowed", 0) + stats.get("throttles_sent", 0),
               # DeleteObjects answers that refused some key, or all of them (503).
               "answers_slowed": stats.get("answers_slowed", 0) + stats.get("throttles_sent", 0),
               # The most keys one partition served: at its capacity, the least time the run can take.
               "partition_keys_max": max((p["served"] for p in stats.get("partitions", {}).get("list", [])), default=0),
               "partition_splits": stats.get("partitions", {}).get("splits", 0),
               "left": {k: left.get(k) for k in ("keys", "uploads")} if left else {}}
        if sampler:
            row["per_second_after_split_pct"] = after_first_split(sampler.samples, stats["partitions"]["capacity"],
                                                                  entries)
        if wall >= timeout:
            row["stopped_at_s"] = round(timeout)
        elif rc != 0:
            row["error"] = err.decode(errors="replace").strip().splitlines()[-1:]
        return row


def partition_scenarios(args, n, wanted):
    """P1-P3: real S3's shape, s3emu's partition model (3,500 writes/s per partition):
    P1 hashed names over 16 partitions; P2 the same keys with half of them in one
    partition (as sequentially named keys are) and the rest over 15; P3 one partition that
    splits after 10 s held at capacity. Rows add the share of the partitions' capacity
    used (P1, P2: the least time the busiest partition needs at capacity over the wall
    time) and the keys refused SlowDown per 1,000 deleted."""
    rows = []
    cap = 3500
    p2_bounds = os.path.join(tempfile.gettempdir(), "s3purge-p2-bounds")
    with open(p2_bounds, "w") as f:
        f.write("\n".join(f"{0x80 + i * 0x80 // 15:02x}" for i in range(15)) + "\n")
    cases = [("P1", ["--partitions", "16"], 16), ("P2", ["--partition-bounds", p2_bounds], 16),
             ("P3", ["--partitions", "1", "--partition-split-after", "10"], None)]
    for name, flags, partitions in cases:
        if name not in wanted:
            continue
        print(f"{name}: {n:,} hashed keys, {' '.join(flags)}, {cap:,} writes/s each", flush=True)
        for r in scenario(name, args, f"objects={n},keys=hashed", flags + ["--partition-capacity", str(cap)],
                          n, args.timeout):
            if "entries_per_s" in r:
                if partitions and r.get("partition_keys_max"):
                    r["of_capacity_pct"] = round(100 * r["partition_keys_max"] / cap / r["wall_s"])
                r["slowed_per_1000"] = round(1000 * r.get("keys_slowed", 0) / max(r["keys_deleted"], 1), 1)
                r["answers_slowed_per_1000"] = round(1000 * r.get("answers_slowed", 0) / max(r["keys_deleted"], 1), 2)
            rows.append(r)
    return rows


def noise_scenarios(args, n, wanted):
    """N1-N3: s3emu refusing 1%, 5% or 20% of requests with 503 SlowDown at random,
    whatever the rate; S1: a server whose capacity steps down and back up (50,000 keys/s,
    10,000 from 2 s, 50,000 from 6 s), refusing requests whole past it. N0 is the same
    bucket with no faults: the speed N1-N3 are measured against."""
    rows = []
    seed = f"objects={n},keys=hashed"
    cases = [("N0", []), ("N1", ["--fault", "slowdown=0.01"]), ("N2", ["--fault", "slowdown=0.05"]),
             ("N3", ["--fault", "slowdown=0.20"]),
             ("S1", ["--capacity-schedule", "50000@0,10000@2,50000@6", "--overload", "slowdown"])]
    if not any(name in wanted for name, _ in cases[1:]):
        return rows
    clean = {}
    for name, flags in cases:
        if name not in wanted and name != "N0":
            continue
        print(f"{name}: {n:,} hashed keys, {' '.join(flags) or 'no faults'}", flush=True)
        for r in scenario(name, args, seed, flags, n, args.timeout):
            if name == "N0" and "entries_per_s" in r:
                clean[r["tool"]] = r["entries_per_s"]
            elif "entries_per_s" in r and clean.get(r["tool"]):
                r["of_fault_free_pct"] = round(100 * r["entries_per_s"] / clean[r["tool"]], 1)
            rows.append(r)
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=0.05, help="1.0: the issue's full sizes (1M objects)")
    ap.add_argument("--scenarios", default="A,A-TLS,B,C,D,E,F,P1,P2,P3,N1,N2,N3,S1")
    ap.add_argument("--only", default="", help="comma-separated first words of tool names (s3purge,boto3,aws,rclone,s3cmd,s5cmd)")
    ap.add_argument("--s3purge", default=os.path.join(ROOT, "build/cli/s3purge"))
    ap.add_argument("--s3emu", default=os.path.join(ROOT, "build/bench/s3emu"))
    ap.add_argument("--out", default=os.path.join(HERE, "results"))
    ap.add_argument("--timeout", type=float, default=1800)
    ap.add_argument("--budget", type=float, default=0,
                    help="seconds a peer may run before it is stopped and rated on what it deleted (0: --timeout)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each s3purge row, of D's phases (the median is kept) and of E's sizes (the largest peak)")
    ap.add_argument("--render", metavar="JSON",
                    help="run nothing: write results.{json,md,svg} to --out again from a saved results.json")
    ap.add_argument("--memory-sizes", default="100000,1000000,10000000", help="objects for scenario E")
    args = ap.parse_args()
    args.only = [x for x in args.only.split(",") if x]
    if args.render:
        with open(args.render) as f:
            saved = json.load(f)
        write_outputs(saved["rows"], args.out, saved["machine"])
        return
    n = int(1_000_000 * args.scale)
    machine = f"{os.cpu_count()} cores, {os.uname().release}"
    try:
        machine = f"Debian {open('/etc/debian_version').read().strip()}, " + machine
    except OSError:
        pass
    rows = []
    wanted = set(args.scenarios.split(","))
    if "A" in wanted:
        print(f"A: {n:,} unversioned objects", flush=True)
        rows += scenario("A", args, f"objects={n},prefixes=100", [], n, args.timeout)
    if "A-TLS" in wanted:
        print(f"A-TLS: {n:,} unversioned objects, over TLS (s3emu's self-signed certificate)", flush=True)
        rows += scenario("A-TLS", args, f"objects={n},prefixes=100", [], n, args.timeout)
    if "B" in wanted:
        m, u = n, max(n // 100, 1)
        print(f"B: {m:,} keys x 2 versions + {m:,} markers + {u:,} uploads", flush=True)
        rows += scenario("B", args, f"objects={m},prefixes=100,versions=2,markers={m},uploads={u}", [],
                         3 * m + u, args.timeout)
    if "C" in wanted:
        c = max(n, 20_000)  # at least 20 list pages: enough for parallel listing to show
        wan = ["--latency", "20ms", "--list-latency", "100ms", "--per-key-latency", "20us"]
        capacity = delete_capacity(args.s3purge, args.s3emu, c, 100, wan, timeout=args.timeout)
        print(f"C: {c:,} objects, WAN model; the emulator serves {capacity:,} deletions/s to a "
              f"client that only deletes (16 in flight)", flush=True)
        c_rows = scenario("C", args, f"objects={c},prefixes=100", wan, c, args.timeout)
        for r in c_rows:
            if "entries_per_s" in r:
                r["capacity"] = capacity
                r["of_capacity_pct"] = round(100 * r["entries_per_s"] / capacity)
        rows += c_rows
    rows += partition_scenarios(args, n, wanted)
    rows += noise_scenarios(args, max(int(200_000 * args.scale), 1000), wanted)
    if "D" in wanted:
        print("D: neighbours", flush=True)
        rows += neighbours(args)
    if "E" in wanted:
        print("E: memory", flush=True)
        rows += memory(args)
    if "F" in wanted:
        print("F: rate accuracy", flush=True)
        rows += rate_accuracy(args)
    write_outputs(rows, args.out, machine)
    print(f"wrote {args.out}/results.json, results.md" + (", results.svg" if shutil.which("gnuplot") else ""))


if __name__ == "__main__":
    main()
