#!/usr/bin/env bash
# What one s3emu thread serves, plain HTTP on loopback: ListObjectsV2 pages of 1000 keys/s
# and DeleteObjects keys/s, per second of the emulator's own CPU. Also seeding time and
# memory. Usage: bench/run_emu_bench.sh [OBJECTS]   (default 2,000,000; after scripts/setup.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
objects="${1:-2000000}"
emu=build/bench/s3emu
tmp=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT

"$emu" --threads 1 --seed "bucket=bench,objects=$objects,prefixes=100" --port-file "$tmp/port" \
  >"$tmp/out" 2>"$tmp/err" &
pid=$!
for _ in $(seq 600); do [[ -s "$tmp/port" ]] && break; sleep 0.1; done
[[ -s "$tmp/port" ]] || { echo "s3emu did not start"; cat "$tmp/err"; exit 1; }
port=$(cat "$tmp/port")
grep seeded "$tmp/err" || true
echo "s3emu RSS after seeding $objects objects: $(( $(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024 )) MiB"
build/bench/emu_bench --port "$port" --pid "$pid" --mode list --pages 5000 --objects "$objects"
build/bench/emu_bench --port "$port" --pid "$pid" --mode delete --objects "$objects" --prefixes 100
