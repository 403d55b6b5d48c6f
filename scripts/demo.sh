#!/usr/bin/env bash
# The main job: install what is missing, build, then plan, empty and delete a large bucket
# on the bundled emulator: 1,000,000 keys with 2 versions each, 50,000 delete markers and
# 5,000 incomplete multipart uploads (2,055,000 entries), with progress and the summary.
# Usage: scripts/demo.sh [EXTRA s3purge delete FLAGS...]   e.g. --rate 200000, --json
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
tmp=$(mktemp -d)
build/bench/s3emu --seed bucket=demo-bucket,objects=1000000,prefixes=100,versions=2,markers=50000,uploads=5000 \
  --port-file "$tmp/port" >"$tmp/emu.log" 2>&1 &
emu=$!
trap 'kill "$emu" 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 600); do [[ -s "$tmp/port" ]] && break; sleep 0.1; done
[[ -s "$tmp/port" ]] || { echo "s3emu did not start:"; cat "$tmp/emu.log"; exit 1; }
echo "s3emu on 127.0.0.1:$(cat "$tmp/port"): $(grep seeded "$tmp/emu.log" || true)"
# s3emu accepts any credentials unless started with --access-key/--secret-key.
export AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo AWS_CONFIG_FILE=/dev/null \
  AWS_SHARED_CREDENTIALS_FILE=/dev/null
endpoint="http://127.0.0.1:$(cat "$tmp/port")"
build/cli/s3purge plan s3://demo-bucket --endpoint-url "$endpoint"
build/cli/s3purge delete s3://demo-bucket --endpoint-url "$endpoint" --expect 2055000 --yes "$@"
