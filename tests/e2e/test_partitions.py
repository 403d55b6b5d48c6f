#!/usr/bin/env python3
"""The real binary against s3emu's partition model (--partitions: each key range serves so
many writes a second and refuses each key over that with SlowDown, as S3 does): with
pacing per key range (the default) and with one global rate, keys refused one by one are
sent again until deleted, nothing fails or is miscounted, and the throttles are reported;
one hot partition (sequential names, one lane) ends too; a run speeds up as a partition
splits under it; small lanes are not held back by a throttled one. A bad --pacing is a usage error.
Usage: test_partitions.py PATH/TO/s3purge PATH/TO/s3emu"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "emu"))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench", "peers"))
from harness import Emulator, boto3_client, main, run, static_key_env  # noqa: E402
from partition_series import Sampler, after_first_split  # noqa: E402

S3PURGE = sys.argv[1] if len(sys.argv) > 1 else "build/cli/s3purge"
S3EMU = sys.argv[2] if len(sys.argv) > 2 else "build/bench/s3emu"
KEY, SECRET = "AKIDPARTITION", "partition-secret"


def empty(emu, bucket, *flags):
    p = run([S3PURGE, "empty", f"s3://{bucket}", "--yes", "--json", "--endpoint-url", emu.url, *flags],
            env=static_key_env(KEY, SECRET), check=False, timeout=240)
    assert p.returncode == 0, (p.returncode, p.stderr[-2000:])
    r = json.loads(p.stdout)
    assert r["balanced"] and r["empty_verified"], r
    assert sum(c["failed"] for c in r["counts"].values()) == 0, r["counts"]
    return r


def test_keys_refused_by_their_partition_are_all_deleted_in_either_pacing():
    for pacing in ("ranges", "global"):
        with Emulator(S3EMU, "--access-key", KEY, "--secret-key", SECRET, "--partitions", "4",
                      "--partition-capacity", "3000",
                      "--seed", "bucket=parted,objects=15000,versions=2,keys=hashed,versioning=enabled") as emu:
            r = empty(emu, "parted", "--pacing", pacing)
            s = emu.stats()
            assert r["counts"]["versions"]["deleted"] == 30000, (pacing, r["counts"])
            assert s["keys_deleted"] == 30000, (pacing, s["keys_deleted"])
            # The partitions refused keys, and the run saw it.
            assert s["keys_slowed"] + s["throttles_sent"] > 0, (pacing, s)
            assert (s["answers_slowed"] > 0) == (s["keys_slowed"] > 0), s
            assert s["answers_slowed"] <= s["keys_slowed"], s
            assert r["throttles"] > 0, (pacing, r["throttles"])
            assert r["errors_by_code"].get("SlowDown", 0) > 0, (pacing, r["errors_by_code"])


def test_one_hot_partition_of_sequential_keys_ends():
    with Emulator(S3EMU, "--access-key", KEY, "--secret-key", SECRET, "--partitions", "1",
                  "--partition-capacity", "4000", "--seed", "bucket=sequential,objects=20000,prefixes=4") as emu:
        r = empty(emu, "sequential")
        assert r["counts"]["objects"]["deleted"] == 20000, r["counts"]
        assert emu.stats()["keys_deleted"] == 20000


def test_the_run_follows_a_partition_that_splits():
    # One partition of 1,500 writes/s that splits after a second at capacity, and its halves
    # after theirs: the run must speed up as they split, or it takes 40 s.
    cap = 1500
    with Emulator(S3EMU, "--access-key", KEY, "--secret-key", SECRET, "--partitions", "1",
                  "--partition-capacity", str(cap), "--partition-split-after", "1",
                  "--seed", "bucket=splitting,objects=60000,keys=hashed") as emu:
        with Sampler(emu, every=0.5) as sampler:
            r = empty(emu, "splitting")
        parts = emu.stats()["partitions"]
        assert r["counts"]["objects"]["deleted"] == 60000, r["counts"]
        assert parts["splits"] >= 2, parts["splits"]
        series = after_first_split(sampler.samples, cap, 60000)
        assert series, sampler.samples
        # Keys per second after the first split, over one partition's capacity: well past
        # what a run held at the first partition's rate would do.
        t0 = next(t for t, _, held in sampler.samples if len(held) >= 2)
        served0 = next(s for t, s, held in sampler.samples if len(held) >= 2)
        t1, served1, _ = sampler.samples[-1]
        assert (served1 - served0) / max(t1 - t0, 1e-9) > 1.5 * cap, (sampler.samples, series)


def test_small_lanes_are_not_held_back_by_a_throttled_one():
    # 24,000 sequential keys ("prefix-...") in a partition of 2,000 writes/s, and 30 keys
    # in each of 16 other lanes ("0..." to "f...") in another: once the run is throttled,
    # the small lanes' keys go at once, not when the hot lane's listing ends (about 10 s on).
    bounds = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"s3purge-bounds-{os.getpid()}")
    with open(bounds, "w") as f:
        f.write("p\n")
    try:
        with Emulator(S3EMU, "--access-key", KEY, "--secret-key", SECRET, "--partition-bounds", bounds,
                      "--partition-capacity", "2000", "--seed", "bucket=flow,objects=24000,prefixes=1") as emu:
            s3 = boto3_client(emu.url, KEY, SECRET)
            for c in "0123456789abcdef":
                for i in range(30):
                    s3.put_object(Bucket="flow", Key=f"{c}{i:03d}", Body=b"")
            with Sampler(emu, every=0.25) as sampler:
                r = empty(emu, "flow")
            assert r["counts"]["objects"]["deleted"] == 24480, r["counts"]
    finally:
        os.unlink(bounds)
    small = next((t for t, _, held in sampler.samples if held[0] == 0), None)
    assert small is not None, sampler.samples
    run_end = sampler.samples[-1][0]
    assert small < run_end / 2, (small, run_end, [(round(t, 2), held) for t, _, held in sampler.samples])


def test_series_after_the_first_split_is_per_interval_over_the_partitions_then():
    # (seconds, keys served, keys each partition holds): 1 partition, then 2 from t=1, then 4
    # from t=2.
    samples = [(0, 0, [10000]), (1, 1000, [4500, 4500]), (2, 2600, [2000, 2000, 2000, 1800]),
               (3, 5800, [300, 1000, 1000, 1000]), (4, 9900, [0, 0, 0, 100])]
    # 1..2: 1600 over 2 x 1000; 2..3: 3200 over 4 x 1000; 3..4 reaches 95% of 10,000: the tail.
    assert after_first_split(samples, 1000, 10000) == [80, 80]
    # A partition can serve no more than it holds: 3..4, 2640 over 300 + 3 x 1000 (8,440 served: not yet the tail).
    assert after_first_split(samples[:4] + [(4, 8440, [0, 0, 0, 0])], 1000, 10000) == [80, 80, 80]
    assert after_first_split(samples[:1], 1000, 10000) == []
    assert after_first_split([(0, 0, [9] * 16), (1, 5000, [9] * 16), (2, 9000, [9] * 16)], 1000, 100000) == [], \
        "no split"


def test_a_bad_pacing_is_a_usage_error():
    p = run([S3PURGE, "empty", "s3://any-bucket", "--yes", "--pacing", "fast"], env=static_key_env(KEY, SECRET),
            check=False, timeout=30)
    assert p.returncode == 2, (p.returncode, p.stderr)
    assert "--pacing" in p.stderr and "ranges" in p.stderr, p.stderr


if __name__ == "__main__":
    sys.exit(main([test_keys_refused_by_their_partition_are_all_deleted_in_either_pacing,
                   test_one_hot_partition_of_sequential_keys_ends,
                   test_the_run_follows_a_partition_that_splits,
                   test_small_lanes_are_not_held_back_by_a_throttled_one,
                   test_series_after_the_first_split_is_per_interval_over_the_partitions_then,
                   test_a_bad_pacing_is_a_usage_error]))
