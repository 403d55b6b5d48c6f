"""bench/peers' outputs: results.json, a Markdown table (results.md) and a bar chart of
keys/s (results.svg, with gnuplot where it is installed)."""
import json
import os
import shutil
import subprocess


def per_key(row):
    """CPU per deleted key, or a dash for a tool that deleted nothing."""
    return "—" if row.get("cpu_us_per_key") is None else row["cpu_us_per_key"]


def write_outputs(rows, out_dir, machine):
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "results.json"), "w") as f:
        json.dump({"machine": machine, "rows": rows}, f, indent=1)
    md = [f"Machine: {machine}", "",
          "| scenario | tool | wall s | keys/s | CPU µs/key | peak RSS MiB | requests | emulator CPU s | bucket deleted | % of capacity |",
          "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if r["scenario"] not in ("A", "A-TLS", "B", "C", "P1", "P2", "P3"):
            continue
        if "skipped" in r:
            md.append(f"| {r['scenario']} | {r['tool']} | skipped: {r['skipped']} | | | | | | | |")
        else:
            pct = f"{r['of_capacity_pct']}%" if "of_capacity_pct" in r else ""
            if "slowed_per_1000" in r:
                pct += (f" ({r['slowed_per_1000']} keys refused and {r['answers_slowed_per_1000']} throttle answers"
                        " per 1,000 keys)")
            if r.get("per_second_after_split_pct"):
                pct += f"; each second after the first split: {r['per_second_after_split_pct']}%"
            deleted = "yes" if r["bucket_deleted"] else "NO"
            if "stopped_at_s" in r:
                deleted += f" (stopped at {r['stopped_at_s']} s: {r['keys_deleted']:,} of {r['entries']:,} deleted)"
            md.append(f"| {r['scenario']} | {r['tool']} | {r['wall_s']} | {r['entries_per_s']:,} | "
                      f"{per_key(r)} | {r['peak_rss_mib']} | {r['requests']:,} | {r['emulator_cpu_s']} | "
                      f"{deleted} | {pct} |")
    for r in rows:
        if r["scenario"] == "D":
            md.append(f"\nD: probe PUT/GET at 50/s, capacity {r['capacity']:,} writes/s, {r['phase']}: "
                      f"p50 {r['probe_p50_ms']} ms, p99 {r['probe_p99_ms']} ms (median of p99s "
                      f"{', '.join(str(x) for x in r['runs_p99_ms'])})")
        if r["scenario"] == "E":
            md.append(f"\nE: s3purge at {r['objects']:,} objects: peak RSS {r['peak_rss_mib']} MiB "
                      f"({r['wall_s']} s, {r.get('listers_peak')} listers at most; largest of "
                      f"{', '.join(str(x) for x in r.get('runs_peak_rss_mib', []))} MiB with "
                      f"{', '.join(str(x) for x in r.get('runs_listers_peak', []))} listers)")
        if r["scenario"] == "F":
            md.append(f"\nF: --rate 20000: mean {r['mean_after_first_s']:,}/s after the first second "
                      f"({r['error_pct']:+}%), highest second {r['max_second_pct']}% of the ceiling")
    with open(os.path.join(out_dir, "results.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    # keys/s per tool and scenario, log scale, with gnuplot.
    data = os.path.join(out_dir, "plot.dat")
    bars = [r for r in rows if r["scenario"] in "ABC" and "skipped" not in r]
    with open(data, "w") as f:
        for r in bars:
            f.write(f"\"{r['scenario']}: {r['tool']}\" {max(r['entries_per_s'], 1)}\n")
    gp = shutil.which("gnuplot")
    if gp and bars:
        script = (f"set terminal svg size 900,{120 + 28 * len(bars)}; set output '{out_dir}/results.svg';"
                  "set style fill solid; set logscale x; set xlabel 'keys deleted per second (log)';"
                  "set yrange [-1:*]; set ytics nomirror; unset key;"
                  f"plot '{data}' using 2:0:(1):2:($0-0.4):($0+0.4):ytic(1) with boxxyerrorbars")
        subprocess.run([gp, "-e", script], check=False)
    elif not gp:
        print("  plot: skipped: gnuplot not on PATH", flush=True)
