#!/usr/bin/env python3
"""Listing that scales: entries/s of `s3purge empty` against the number of listers, on the
WAN model (every request 20 ms, every list page 100 ms more, 100 us per deleted key), for a bucket whose keys share
one hot prefix and for one whose keys spread over many prefixes. The delete side's capacity
is measured on the same emulator with `s3purge rm --keys-from` (the same keys, no listing).
Writes bench/listers/results/{results.json,results.md,results.svg}.

Goals (issue 7): >= 10x the single-stream rate, and >= 90% of the delete side's capacity.
Listers 0 is the default: concurrency / 4, doubled while the deleters wait for keys.
Usage: bench/listers/run.py [--objects 1000000] [--listers 1,2,4,8,16,32,64,0] [--concurrency 16]"""
import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "emu"))
from harness import Emulator  # noqa: E402

# The environment and timing helpers of the peers benchmark, shared.
_spec = importlib.util.spec_from_file_location("peers_run", os.path.join(ROOT, "bench", "peers", "run.py"))
peers_run = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(peers_run)

# Every request 20 ms; a list page 100 ms more; a DeleteObjects 100 us more per key (0.1 s
# for 1000 keys, as S3 takes): the delete side's capacity is then about
# concurrency x 1000 / 0.12 s, and one list stream about 1000 / 0.12 s.
WAN = ["--latency", "20ms", "--list-latency", "100ms", "--per-key-latency", "100us"]
LAYOUTS = {"one hot prefix": "prefixes=1", "many prefixes": "prefixes=1000"}


def purge_rate(args, layout, listers):
    """entries/s of one `empty`, with the emulator's list requests."""
    seed = f"bucket=sweep,objects={args.objects},{LAYOUTS[layout]}"
    with Emulator(args.s3emu, *WAN, "--seed", seed) as emu:
        p = subprocess.run([args.s3purge, "empty", "s3://sweep", "--yes", "--json", "--no-progress",
                            "--listers", str(listers), "--concurrency", str(args.concurrency),
                            "--endpoint-url", emu.url], env=peers_run.env(), capture_output=True,
                           text=True, timeout=args.timeout)
        if p.returncode != 0:
            raise SystemExit(f"s3purge exited {p.returncode}: {p.stderr}")
        report = json.loads(p.stdout)
        stats = emu.stats()
        assert stats["keys_deleted"] == args.objects and stats["deletes_without_effect"] == 0, stats
        pages = stats["operations"].get("ListObjectsV2", {}).get("count", 0)
        return {"layout": layout, "listers": listers, "entries_per_s": round(report["entries_per_second"]),
                "wall_s": round(report["elapsed_seconds"], 2), "list_requests": pages,
                "ranges": report["ranges_listed"], "listers_peak": report["listers_peak"]}


def delete_capacity(args, layout):
    """entries/s of `rm --keys-from` the same keys: deleting alone, nothing listed."""
    prefixes = int(LAYOUTS[layout].split("=")[1])
    return peers_run.delete_capacity(args.s3purge, args.s3emu, args.objects, prefixes, WAN,
                                     args.concurrency, args.timeout)


def write_outputs(rows, capacity, args, out_dir, machine):
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "results.json"), "w") as f:
        json.dump({"machine": machine, "objects": args.objects, "concurrency": args.concurrency,
                   "emulator": WAN, "delete_capacity": capacity, "rows": rows}, f, indent=1)
    md = [f"Machine: {machine}. {args.objects:,} objects, --concurrency {args.concurrency}, "
          f"s3emu {' '.join(WAN)}.", "",
          "| layout | listers | entries/s | × one lister | % of delete capacity | list requests | ranges |",
          "|---|---|---|---|---|---|---|"]
    for r in rows:
        listers = r["listers"] or f"default ({args.concurrency // 4}, grew to {r['listers_peak']})"
        md.append(f"| {r['layout']} | {listers} | {r['entries_per_s']:,} | {r['speedup']}× | "
                  f"{r['of_capacity_pct']}% | {r['list_requests']:,} | {r['ranges']:,} |")
    md.append("")
    for layout, cap in capacity.items():
        md.append(f"Delete capacity ({layout}): {cap:,} entries/s with `rm --keys-from`, nothing listed.")
    with open(os.path.join(out_dir, "results.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    gp = shutil.which("gnuplot")
    if not gp:
        print("  plot: skipped: gnuplot not on PATH", flush=True)
        return
    plots = []
    for i, layout in enumerate(capacity):
        data = os.path.join(out_dir, f"plot{i}.dat")
        with open(data, "w") as f:
            for r in rows:
                if r["layout"] == layout and r["listers"]:
                    f.write(f"{r['listers']} {r['entries_per_s']}\n")
        plots.append(f"'{data}' using 1:2 with linespoints title '{layout}'")
        for r in rows:
            if r["layout"] == layout and not r["listers"]:
                plots.append(f"{r['entries_per_s']} with lines dashtype 3 title 'default listers, {layout}'")
        plots.append(f"{capacity[layout]} with lines dashtype 2 title 'delete capacity, {layout}'")
    script = (f"set terminal svg size 800,480; set output '{out_dir}/results.svg';"
              "set logscale x 2; set xlabel 'listers'; set ylabel 'entries deleted per second';"
              "set key left top; set yrange [0:*];"
              f"plot {', '.join(plots)}")
    subprocess.run([gp, "-e", script], check=False)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--objects", type=int, default=1_000_000)
    ap.add_argument("--listers", default="1,2,4,8,16,32,64,0", help="0: the default (grows)")
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--s3purge", default=os.path.join(ROOT, "build/cli/s3purge"))
    ap.add_argument("--s3emu", default=os.path.join(ROOT, "build/bench/s3emu"))
    ap.add_argument("--out", default=os.path.join(HERE, "results"))
    ap.add_argument("--layouts", default=",".join(LAYOUTS), help="which of: " + ", ".join(LAYOUTS))
    ap.add_argument("--timeout", type=float, default=1800)
    args = ap.parse_args()
    machine = f"{os.cpu_count()} cores, {os.uname().release}"
    try:
        machine = f"Debian {open('/etc/debian_version').read().strip()}, " + machine
    except OSError:
        pass
    rows, capacity = [], {}
    for layout in args.layouts.split(","):
        capacity[layout] = delete_capacity(args, layout)
        print(f"{layout}: delete capacity {capacity[layout]:,} entries/s", flush=True)
        single = None
        for n in (int(x) for x in args.listers.split(",")):
            r = purge_rate(args, layout, n)
            single = single or r["entries_per_s"]
            r["speedup"] = round(r["entries_per_s"] / single, 1)
            r["of_capacity_pct"] = round(100 * r["entries_per_s"] / capacity[layout])
            print(f"  {n:>3} listers (peak {r['listers_peak']}): {r['entries_per_s']:>9,} entries/s ({r['speedup']}x, "
                  f"{r['of_capacity_pct']}% of capacity), {r['list_requests']:,} list requests, "
                  f"{r['ranges']:,} ranges", flush=True)
            rows.append(r)
    write_outputs(rows, capacity, args, args.out, machine)
    print(f"wrote {args.out}/results.json, results.md" + (", results.svg" if shutil.which("gnuplot") else ""))


if __name__ == "__main__":
    main()
