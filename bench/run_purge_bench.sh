#!/usr/bin/env bash
# The engine's figures on this machine: entries/s, client CPU per entry, peak RSS, for
# 100k, 1M and 3M objects, and 1M keys x 2 versions + 100k markers + 10k uploads.
# s3emu runs in its own process (one thread); both share the machine's cores.
# Usage: bench/run_purge_bench.sh   (after scripts/setup.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
pid=""
trap '[[ -n "$pid" ]] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
for spec in "objects=100000,prefixes=100" "objects=1000000,prefixes=100" \
            "objects=3000000,prefixes=100" \
            "objects=1000000,prefixes=100,versions=2,markers=100000,uploads=10000"; do
  rm -f "$tmp/port"
  build/bench/s3emu --threads 1 --seed "bucket=bench,$spec" --port-file "$tmp/port" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 600); do [[ -s "$tmp/port" ]] && break; sleep 0.1; done
  echo "== $spec"
  build/bench/purge_bench --port "$(cat "$tmp/port")" --bucket bench --delete-bucket
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
done
