#!/bin/bash
# One `s3purge empty` of a versioned bucket on a fresh s3emu: KEYS keys of 2 versions each
# (2 x KEYS entries, ages spread over 400 days), with the selection flags given (none: an
# unselective run). Prints entries listed and deleted, both per second, and the peak RSS.
# For comparing a selective run (e.g. --only noncurrent, which deletes half) with an
# unselective one in alternating runs.
# Usage: bench/selection_once.sh BINARY KEYS [s3purge selection flags...]
BIN=$1; N=$2; shift 2
"$(dirname "$0")/../build/bench/s3emu" --port-file /tmp/selport.$$ --access-key AK --secret-key SK \
  --seed bucket=selbucket,objects=$N,prefixes=16,versions=2,age=0d..400d > /dev/null 2>&1 &
EMU=$!
for i in $(seq 100); do [ -s /tmp/selport.$$ ] && break; sleep 0.1; done
P=$(cat /tmp/selport.$$)
/usr/bin/time -f "%M" -o /tmp/selrss.$$ timeout 600 env -i PATH=$PATH HOME=/tmp/nohome AWS_ACCESS_KEY_ID=AK \
  AWS_SECRET_ACCESS_KEY=SK AWS_EC2_METADATA_DISABLED=true $BIN empty s3://selbucket --yes --json --no-progress \
  --endpoint-url http://127.0.0.1:$P "$@" 2>/dev/null > /tmp/selout.$$
python3 - /tmp/selout.$$ /tmp/selrss.$$ "$*" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
rss = int(open(sys.argv[2]).read().split()[-1]) // 1024
listed = sum(c['listed'] for c in d['counts'].values())
deleted = sum(c['deleted'] for c in d['counts'].values())
t = d['elapsed_seconds']
print(f"[{sys.argv[3] or 'everything'}] {listed:,} listed ({listed / t:,.0f}/s), {deleted:,} deleted "
      f"({deleted / t:,.0f}/s), {t:.2f} s, {d['passes']} passes, RSS {rss} MiB, balanced {d['balanced']}")
PY
kill $EMU; rm -f /tmp/selport.$$ /tmp/selout.$$ /tmp/selrss.$$
