#!/bin/bash
# One `s3purge empty` of OBJECTS hash-named keys on a fresh s3emu started with the flags
# given (e.g. --partitions 16 --partition-capacity 3500): keys deleted, entries/s, and the
# keys s3emu refused SlowDown and the answers that refused some; where partitions split,
# the keys served in each second after the first split over what the partitions could
# serve (bench/peers/partition_series.py). For comparing two binaries in alternating runs.
# Usage: bench/partitions_once.sh BINARY OBJECTS [s3emu flags...]
BIN=$1; N=$2; shift 2
HERE=$(cd "$(dirname "$0")" && pwd)
"$(dirname "$0")/../build/bench/s3emu" --port-file /tmp/p1port.$$ --access-key AK --secret-key SK "$@" --seed bucket=p1bucket,objects=$N,keys=hashed > /dev/null 2>&1 &
EMU=$!
for i in $(seq 50); do [ -s /tmp/p1port.$$ ] && break; sleep 0.1; done
P=$(cat /tmp/p1port.$$)
# Samples s3emu's partitions each second until the run ends (the stop file appears).
python3 - "http://127.0.0.1:$P/_emu/stats" /tmp/p1stop.$$ "$HERE/peers" "$N" <<'PY' > /tmp/p1series.$$ &
import json, os, sys, time, urllib.request
sys.path.insert(0, sys.argv[3])
from partition_series import Sampler, after_first_split
class Emu:
    def stats(self):
        with urllib.request.urlopen(sys.argv[1], timeout=10) as r:
            return json.load(r)
emu = Emu()
with Sampler(emu) as s:
    for _ in range(3000):
        if os.path.exists(sys.argv[2]): break
        time.sleep(0.1)
capacity = emu.stats().get("partitions", {}).get("capacity", 0)
pct = after_first_split(s.samples, capacity, int(sys.argv[4]))
if pct:
    print(f"after the first split: {len(pct)} s, {sum(p < 80 for p in pct)} under 80% of what the partitions could serve, {min(pct)}-{max(pct)}%")
PY
SAMPLER=$!
timeout 300 env -i PATH=$PATH HOME=/tmp/nohome AWS_ACCESS_KEY_ID=AK AWS_SECRET_ACCESS_KEY=SK AWS_EC2_METADATA_DISABLED=true $BIN empty s3://p1bucket --yes --json --no-progress --endpoint-url http://127.0.0.1:$P 2>/dev/null > /tmp/p1out.$$
python3 - /tmp/p1out.$$ "http://127.0.0.1:$P/_emu/stats" <<'PY'
import json, sys, urllib.request
d = json.load(open(sys.argv[1]))
s = json.loads(urllib.request.urlopen(sys.argv[2], timeout=10).read())
deleted=sum(c['deleted'] for c in d['counts'].values())
print(f"{deleted:,} deleted, {d['entries_per_second']:,.0f}/s, {d['elapsed_seconds']:.1f} s, failed {sum(c['failed'] for c in d['counts'].values())}, keys slowed {s['keys_slowed']:,} ({1000*s['keys_slowed']/max(deleted,1):.1f}/1000 keys), answers slowed {s['answers_slowed']:,} ({1000*s['answers_slowed']/max(deleted,1):.2f}/1000 keys), 503s {s['throttles_sent']}")
PY
touch /tmp/p1stop.$$; wait $SAMPLER; cat /tmp/p1series.$$
kill $EMU; rm -f /tmp/p1port.$$ /tmp/p1out.$$ /tmp/p1stop.$$ /tmp/p1series.$$
