#!/usr/bin/env python3
"""The real binary against s3emu throttling at random (--fault slowdown=P: a share of
requests refused whole, whatever the rate) and past a capacity that changes over time
(--capacity-schedule, --overload slowdown): in both pacings every key is deleted (the
emulator's census), nothing fails or is miscounted, and the report tells the throttles it
judged noise from those it judged capacity.
Usage: test_noise.py PATH/TO/s3purge PATH/TO/s3emu"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "emu"))
from harness import Emulator, main, run, static_key_env  # noqa: E402

S3PURGE = sys.argv[1] if len(sys.argv) > 1 else "build/cli/s3purge"
S3EMU = sys.argv[2] if len(sys.argv) > 2 else "build/bench/s3emu"
KEY, SECRET = "AKIDNOISE", "noise-secret"


def delete(emu, bucket, *flags):
    p = run([S3PURGE, "delete", f"s3://{bucket}", "--yes", "--json", "--endpoint-url", emu.url, *flags],
            env=static_key_env(KEY, SECRET), check=False, timeout=240)
    assert p.returncode == 0, (p.returncode, p.stderr[-2000:])
    r = json.loads(p.stdout)
    assert r["balanced"], r
    assert sum(c["failed"] for c in r["counts"].values()) == 0, r["counts"]
    return r


def test_random_throttles_are_judged_noise_and_every_key_goes():
    for pacing in ("ranges", "global"):
        with Emulator(S3EMU, "--access-key", KEY, "--secret-key", SECRET, "--fault", "slowdown=0.05",
                      "--fault-seed", "7", "--seed", "bucket=noisy,objects=60000,keys=hashed") as emu:
            r = delete(emu, "noisy", "--pacing", pacing)
            s = emu.stats()
            assert s["keys_deleted"] == 60000, (pacing, s["keys_deleted"])
            assert "noisy" not in s["buckets"], (pacing, s["buckets"])
            assert s["faults"].get("slowdown", 0) > 0, s["faults"]
            judged = r["throttles_judged"]
            assert judged["noise"] > 0, (pacing, judged, r["throttles"])
            assert judged["noise"] >= 4 * judged["capacity"], (pacing, judged)
            assert judged["noise"] + judged["capacity"] <= r["throttles"], (pacing, judged, r["throttles"])


def test_throttles_past_a_capacity_that_steps_down_are_judged_capacity():
    for pacing in ("ranges", "global"):
        with Emulator(S3EMU, "--access-key", KEY, "--secret-key", SECRET, "--capacity-schedule",
                      "20000@0,4000@1,20000@3", "--overload", "slowdown",
                      "--seed", "bucket=stepped,objects=40000,keys=hashed") as emu:
            r = delete(emu, "stepped", "--pacing", pacing)
            s = emu.stats()
            assert s["keys_deleted"] == 40000, (pacing, s["keys_deleted"])
            assert "stepped" not in s["buckets"], (pacing, s["buckets"])
            assert s["throttles_sent"] > 0, s
            assert r["throttles_judged"]["capacity"] > 0, (pacing, r["throttles_judged"], r["throttles"])


def test_a_capacity_schedule_that_cannot_be_read_is_refused():
    p = run([S3EMU, "--capacity-schedule", "20000@1"], check=False, timeout=30)
    assert p.returncode != 0 and "--capacity-schedule" in p.stderr, (p.returncode, p.stderr)


if __name__ == "__main__":
    sys.exit(main([test_random_throttles_are_judged_noise_and_every_key_goes,
                   test_throttles_past_a_capacity_that_steps_down_are_judged_capacity,
                   test_a_capacity_schedule_that_cannot_be_read_is_refused]))
