#!/usr/bin/env python3
"""Selective purges against an independent oracle. For each selection, a bucket is listed
with boto3, a Python model of the selection's rules (S3 lifecycle's meaning of age, glob
patterns, storage classes, kept newest versions, orphan markers, versions that would come
back) says which entries go, and then the real s3purge binary plans and runs the purge on
s3emu with 8 listers and 7-entry pages, so a key's versions straddle pages and listers cut
ranges among them. What boto3 lists afterwards must be exactly what the model kept, and the
plan must count exactly what the run deleted. moto_server runs the scenario it can hold
(every version written now, storage classes as given).
Usage: test_selection.py PATH/TO/s3purge PATH/TO/s3emu"""
import datetime
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "emu"))
from harness import Emulator, Moto, boto3_client, main, run, static_key_env  # noqa: E402

S3PURGE = sys.argv[1] if len(sys.argv) > 1 else "build/cli/s3purge"
S3EMU = sys.argv[2] if len(sys.argv) > 2 else "build/bench/s3emu"
KEY, SECRET = "AKIDSELECTION", "selection-secret"
ENV = static_key_env(KEY, SECRET)
SEED = ("objects=240,prefixes=4,versions=4,markers=60,uploads=3,old_uploads=4,"
        "classes=STANDARD:60,GLACIER:25,DEEP_ARCHIVE:15,age=0d..400d")
TODAY = datetime.datetime.now(datetime.timezone.utc).date()


def day(days_ago):
    """A UTC date `days_ago` before today, as the flags take it, and its midnight in seconds."""
    d = TODAY - datetime.timedelta(days=days_ago)
    midnight = datetime.datetime(d.year, d.month, d.day, tzinfo=datetime.timezone.utc)
    return d.isoformat(), int(midnight.timestamp())


def s3purge(url, *args, expect=None, env=None):
    p = run([S3PURGE, *args, "--endpoint-url", url], env=dict(ENV, **(env or {})), check=False, timeout=600)
    assert SECRET not in p.stdout + p.stderr
    if expect is not None:
        assert p.returncode == expect, f"exit {p.returncode}, not {expect}\n{p.stdout}\n{p.stderr}"
    return p


# The model: written from the flags' documentation, not from s3purge's code.

def glob_regex(pattern):
    anchored = pattern.startswith("/")
    body = pattern[1:] if anchored else pattern
    out, i = "", 0
    while i < len(body):
        if body.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif body.startswith("**", i):
            out, i = out + ".*", i + 2
        elif body[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif body[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(body[i]), i + 1
    if body == "" or body.endswith("/"):
        out += ".*"
    return re.compile(("" if anchored else "(?:.*/)?") + out, re.S)


MINIMUM_DAYS = {"STANDARD_IA": 30, "ONEZONE_IA": 30, "GLACIER_IR": 90, "GLACIER": 90, "DEEP_ARCHIVE": 180}


class Selection:
    def __init__(self, only=None, older=None, newer=None, keep_newest=0, include=(), exclude=(),
                 classes=(), allow_resurface=False, skip_early_at=None):
        self.only = set(only or ["current", "noncurrent", "markers", "orphan-markers", "uploads"])
        self.older, self.newer = older, newer  # seconds, or None
        self.keep_newest = keep_newest
        self.include = [glob_regex(p) for p in include]
        self.exclude = [glob_regex(p) for p in exclude]
        self.classes = set(classes)
        self.allow_resurface = allow_resurface
        self.skip_early_at = skip_early_at  # --skip-early-deletion-charges at this moment

    def takes(self, rel, role, when, cls, rank=0, stored=None):
        part = {"orphan": "orphan-markers"}.get(role, role)
        if part not in self.only and not (role == "orphan" and "markers" in self.only):
            return False
        if self.include and not any(r.fullmatch(rel) for r in self.include):
            return False
        if any(r.fullmatch(rel) for r in self.exclude):
            return False
        if self.classes and cls not in self.classes:
            return False
        if role == "noncurrent" and rank < self.keep_newest:
            return False
        if self.older is not None and not (when is not None and when < self.older):
            return False
        if self.newer is not None and not (when is not None and when > self.newer):
            return False
        days = MINIMUM_DAYS.get(cls, 0)
        if self.skip_early_at is not None and days and stored + days * 86400 > self.skip_early_at:
            return False
        return True


def seconds(t):
    return int(t.timestamp())


def list_entries(s3, bucket, versioned):
    """Every entry as (key, id, kind, latest, seconds, class), in listing order."""
    out = []
    if versioned:
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
            for v in page.get("Versions", []):
                out.append((v["Key"], v["VersionId"], "version", v["IsLatest"], seconds(v["LastModified"]),
                            v.get("StorageClass", "STANDARD")))
            for m in page.get("DeleteMarkers", []):
                out.append((m["Key"], m["VersionId"], "marker", m["IsLatest"], seconds(m["LastModified"]), None))
        # boto3 splits versions and markers: newest first within each key again.
        out.sort(key=lambda e: (e[0].encode(), -e[4], not e[3]))
    else:
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for o in page.get("Contents", []):
                out.append((o["Key"], "", "object", True, seconds(o["LastModified"]),
                            o.get("StorageClass", "STANDARD")))
    for page in s3.get_paginator("list_multipart_uploads").paginate(Bucket=bucket):
        for u in page.get("Uploads", []):
            out.append((u["Key"], u["UploadId"], "upload", False, seconds(u["Initiated"]),
                        u.get("StorageClass", "STANDARD")))
    return out


def model(entries, sel, prefix=""):
    """(entries taken, counts taken by role, keys whose older version becomes current)."""
    taken, counts, resurfaced = set(), {"current": 0, "noncurrent": 0, "markers": 0, "uploads": 0}, 0
    by_key = {}
    for e in entries:
        if e[2] == "upload":
            if sel.takes(e[0][len(prefix):], "uploads", e[4], e[5]):
                taken.add((e[0], e[1]))
                counts["uploads"] += 1
        else:
            by_key.setdefault(e[0], []).append(e)
    for key, group in by_key.items():
        rel = key[len(prefix):]
        top = group[0] if group[0][3] else None
        beneath = group[1:] if top else group
        left_beneath = None  # the kind of the newest entry beneath that stays
        rank = 0
        for i, e in enumerate(beneath):
            above = group[group.index(e) - 1] if group.index(e) > 0 else None
            if e[2] == "version":
                ok = sel.takes(rel, "noncurrent", above[4] if above else None, e[5], rank, e[4])
                rank += 1
            else:
                ok = sel.takes(rel, "markers", e[4], None)
            if ok:
                taken.add((e[0], e[1]))
                counts["noncurrent" if e[2] == "version" else "markers"] += 1
            elif left_beneath is None:
                left_beneath = e[2]
        if top is None:
            continue
        if top[2] == "object":
            role = "current"
        elif top[2] == "version":
            role = "current"
        else:
            role = "orphan" if left_beneath is None else "markers"
        ok = sel.takes(rel, role, top[4], top[5], 0, top[4])
        if ok and left_beneath == "version":
            if sel.allow_resurface:
                resurfaced += 1
            else:
                ok = False
        if ok:
            taken.add((top[0], top[1]))
            counts["current" if top[2] in ("version", "object") else "markers"] += 1
    return taken, counts, resurfaced


def make_orphans(s3, bucket, keys):
    """Deletes every version under the markers of `keys`: the marker is then alone."""
    for key in keys:
        page = s3.list_object_versions(Bucket=bucket, Prefix=key)
        ids = [{"Key": key, "VersionId": v["VersionId"]} for v in page.get("Versions", []) if v["Key"] == key]
        s3.delete_objects(Bucket=bucket, Delete={"Objects": ids, "Quiet": True})


def check(url, s3, bucket, sel, flags, versioned=True, prefix=""):
    if sel.skip_early_at is not None:  # the plan and the run start within seconds of this
        sel.skip_early_at = seconds(datetime.datetime.now(datetime.timezone.utc))
    before = list_entries(s3, bucket, versioned)
    taken, counts, resurfaced = model([e for e in before if e[0].startswith(prefix)], sel, prefix)
    assert 0 < len(taken) < len(before), f"{flags}: the case takes {len(taken)} of {len(before)}: not selective"
    target = f"s3://{bucket}/{prefix}"
    plan = json.loads(s3purge(url, "plan", target, "--json", "--no-progress", *flags, expect=0).stdout)
    c = plan["counts"]
    got = {"current": c["current_objects"]["taken"], "noncurrent": c["noncurrent_versions"]["taken"],
           "markers": c["delete_markers"]["taken"], "uploads": c["incomplete_uploads"]["taken"]}
    assert got == counts, f"{flags}: plan {got}, model {counts}"
    assert plan["selection"]["keys_resurfaced"] == resurfaced, (flags, plan["selection"], resurfaced)
    p = s3purge(url, "empty", target, "--yes", "--json", "--listers", "8", "--concurrency", "4", *flags, expect=0)
    report = json.loads(p.stdout)
    assert report["balanced"] and not report["bucket_deleted"], report
    deleted = sum(report["counts"][k]["deleted"] for k in report["counts"])
    assert deleted == len(taken), f"{flags}: run deleted {deleted}, model takes {len(taken)}"
    assert report["keys_resurfaced"] == resurfaced, (flags, report["keys_resurfaced"], resurfaced)
    after = list_entries(s3, bucket, versioned)
    gone = {(e[0], e[1]) for e in before} - {(e[0], e[1]) for e in after}
    assert gone == taken, f"{flags}: {len(gone - taken)} deleted beyond the model, {len(taken - gone)} missed"
    return report


CASES = [
    # (bucket suffix, flags, model selection)
    ("a", ["--only", "noncurrent", "--older-than", day(30)[0]],
     Selection(only=["noncurrent"], older=day(30)[1])),
    ("b", ["--only", "noncurrent,orphan-markers", "--older-than", day(60)[0], "--keep-newest", "1"],
     Selection(only=["noncurrent", "orphan-markers"], older=day(60)[1], keep_newest=1)),
    ("c", ["--include", "/prefix-0001/**", "--include", "*7", "--exclude", "*77"],
     Selection(include=["/prefix-0001/**", "*7"], exclude=["*77"])),
    ("d", ["--only", "noncurrent", "--storage-class", "GLACIER,DEEP_ARCHIVE"],
     Selection(only=["noncurrent"], classes=["GLACIER", "DEEP_ARCHIVE"])),
    ("e", ["--keep-newest", "2", "--allow-resurface"], Selection(keep_newest=2, allow_resurface=True)),
    ("f", ["--only", "markers", "--newer-than", day(200)[0], "--allow-resurface"],
     Selection(only=["markers"], newer=day(200)[1], allow_resurface=True)),
    ("g", ["--only", "uploads", "--older-than", "7d"],
     Selection(only=["uploads"], older=seconds(datetime.datetime.now(datetime.timezone.utc)) - 7 * 86400)),
    ("i", ["--only", "noncurrent", "--skip-early-deletion-charges"],
     Selection(only=["noncurrent"], skip_early_at=0)),
    ("h", ["--older-than", day(100)[0], "--newer-than", day(300)[0], "--exclude", "*3", "--allow-resurface"],
     Selection(older=day(100)[1], newer=day(300)[1], exclude=["*3"], allow_resurface=True)),
    # Deleting the newer versions puts older ones under entries that replaced them later:
    # every pass and check must judge them as the first listing did.
    ("j", ["--only", "noncurrent", "--newer-than", day(200)[0]], Selection(only=["noncurrent"], newer=day(200)[1])),
    ("k", ["--only", "noncurrent", "--keep-newest", "1", "--newer-than", day(200)[0]],
     Selection(only=["noncurrent"], keep_newest=1, newer=day(200)[1])),
    ("l", ["--only", "noncurrent,orphan-markers", "--older-than", day(50)[0], "--newer-than", day(300)[0]],
     Selection(only=["noncurrent", "orphan-markers"], older=day(50)[1], newer=day(300)[1])),
]


def test_each_selection_takes_what_the_model_takes():
    seeds = []
    for suffix, _, _ in CASES:
        seeds += ["--seed", f"bucket=sel-{suffix},{SEED}"]
    with Emulator(S3EMU, "--access-key", KEY, "--secret-key", SECRET, "--max-page", "7", *seeds) as emu:
        s3 = boto3_client(emu.url, KEY, SECRET)
        for suffix, flags, sel in CASES:
            make_orphans(s3, f"sel-{suffix}", [f"prefix-0000/object-{i:09d}" for i in range(0, 12, 2)])
            report = check(emu.url, s3, f"sel-{suffix}", sel, flags)
            assert sum(report["kept"].values()) == sum(report["counts"][k]["skipped"] for k in report["counts"])


def test_a_selection_under_a_prefix_on_an_unversioned_bucket():
    with Emulator(S3EMU, "--access-key", KEY, "--secret-key", SECRET, "--max-page", "7", "--seed",
                  "bucket=plain,objects=300,prefixes=3,classes=STANDARD:50,STANDARD_IA:50,age=0d..90d") as emu:
        s3 = boto3_client(emu.url, KEY, SECRET)
        flags = ["--older-than", day(20)[0], "--exclude", "*5", "--storage-class", "STANDARD_IA"]
        sel = Selection(older=day(20)[1], exclude=["*5"], classes=["STANDARD_IA"])
        check(emu.url, s3, "plain", sel, flags, versioned=False, prefix="prefix-0001/")
        left = list_entries(s3, "plain", False)
        assert sum(1 for e in left if not e[0].startswith("prefix-0001/")) == 200, "outside the prefix: untouched"


def test_a_selection_that_brings_versions_back_is_refused_before_anything_is_deleted():
    with Emulator(S3EMU, "--access-key", KEY, "--secret-key", SECRET, "--seed",
                  "bucket=refuse,objects=50,versions=3,markers=5") as emu:
        s3 = boto3_client(emu.url, KEY, SECRET)
        before = list_entries(s3, "refuse", True)
        for flags in (["--only", "current"], ["--only", "markers"], ["--keep-newest", "1"],
                      ["--storage-class", "GLACIER"]):
            p = s3purge(emu.url, "empty", "s3://refuse", "--yes", *flags, expect=2)
            assert "--allow-resurface" in p.stderr and "plan" in p.stderr, p.stderr
        assert list_entries(s3, "refuse", True) == before, "a refused run deleted something"
        p = s3purge(emu.url, "delete", "s3://refuse", "--yes", "--older-than", "1d", expect=2)
        assert "--older-than" in p.stderr, p.stderr
        plan = json.loads(s3purge(emu.url, "plan", "s3://refuse", "--json", "--only", "current", expect=0).stdout)
        assert plan["selection"]["kept"]["resurface"] == 45, plan["selection"]


def test_the_plan_says_what_early_deletion_costs_as_computed_by_hand():
    prices = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "prices.txt")
    with Emulator(S3EMU, "--access-key", KEY, "--secret-key", SECRET, "--seed",
                  "bucket=cold,objects=4,size=10737418240,classes=GLACIER:1,age=30d..30d", "--seed",
                  "bucket=warm,objects=3,size=1073741824,classes=STANDARD:1") as emu:
        plan = json.loads(s3purge(emu.url, "plan", "s3://cold", "--json", "--prices", prices, expect=0).stdout)
        glacier = plan["costs"]["classes"]["GLACIER"]
        # 4 objects of 10 GiB written 30 days ago, 60 of GLACIER's 90 days left, each billed
        # with its 32 KiB index: 4 x (10 + 2^-15) GB x 60 / 30 = 80.000244 GB-months, at 0.0036
        # per GB-month 0.2880009 USD (less a little for each second since the seed: 1.5e-5
        # GB-months a second).
        assert glacier["inside_minimum"] == 4 and glacier["minimum_days"] == 90, glacier
        assert 80.000244 - 1e-4 < glacier["gb_months_if_deleted_now"] < 80.000245, glacier
        assert abs(glacier["charge_if_deleted_now"] - 0.2880009) < 1e-6, glacier
        assert glacier["free_from"] == (TODAY + datetime.timedelta(days=60)).isoformat(), glacier
        assert plan["costs"]["currency"] == "USD" and "requests_cost" in plan["costs"], plan["costs"]
        human = s3purge(emu.url, "plan", "s3://cold", "--prices", prices, "--no-progress", expect=0).stdout
        assert re.search(r"80\.000[12] GB-months", human) and "0.2880 USD" in human, human
        p = s3purge(emu.url, "empty", "s3://cold", "--yes", "--skip-early-deletion-charges", "--no-progress", expect=0)
        assert "kept 4 GLACIER entries inside their minimum duration: free to delete from " in p.stdout, p.stdout
        assert "s3purge lifecycle install s3://cold/ --days 90" in p.stdout, p.stdout
        assert len(boto3_client(emu.url, KEY, SECRET).list_objects_v2(Bucket="cold").get("Contents", [])) == 4
        warm = json.loads(s3purge(emu.url, "plan", "s3://warm", "--json", "--prices", prices, expect=0).stdout)
        assert warm["costs"]["classes"]["STANDARD"]["inside_minimum"] == 0, warm["costs"]


GLOB_CASES = [  # flags, and the model's selection: `?` and `*` take whole UTF-8 characters
    (["--exclude", "caf?.txt"], dict(exclude=["caf?.txt"])),
    (["--include", "caf??.txt"], dict(include=["caf??.txt"])),
    (["--include", "/caf*.txt", "--exclude", "*e.txt"], dict(include=["/caf*.txt"], exclude=["*e.txt"])),
]


def test_patterns_match_characters_not_bytes():
    keys = ["p/cafe.txt", "p/caf\u00e9.txt", "p/caf\u65e5.txt", "p/caf\U0001f600.txt", "p/other.txt", "q/caf\u00e9.txt"]
    with Emulator(S3EMU, "--access-key", KEY, "--secret-key", SECRET) as emu:
        s3 = boto3_client(emu.url, KEY, SECRET)
        for n, (flags, model_flags) in enumerate(GLOB_CASES):
            bucket = f"glob-{n}"
            s3.create_bucket(Bucket=bucket)
            for k in keys:
                s3.put_object(Bucket=bucket, Key=k, Body=b"x")
            sel = Selection(**model_flags)
            before = list_entries(s3, bucket, False)
            taken = {(e[0], e[1]) for e in before if e[0].startswith("p/") and sel.takes(e[0][2:], "current", e[4], e[5])}
            plan = json.loads(s3purge(emu.url, "plan", f"s3://{bucket}/p/", "--json", "--no-progress", *flags,
                                      expect=0).stdout)
            assert plan["counts"]["current_objects"]["taken"] == len(taken), (flags, plan["counts"], taken)
            s3purge(emu.url, "empty", f"s3://{bucket}/p/", "--yes", "--json", *flags, expect=0)
            after = list_entries(s3, bucket, False)
            gone = {(e[0], e[1]) for e in before} - {(e[0], e[1]) for e in after}
            assert gone == taken, f"{flags}: deleted {sorted(gone)}, the model takes {sorted(taken)}"


def test_ages_moto_cannot_give_are_counted_and_said():
    # moto lists a page's versions before its markers: the versions under a marker come
    # before the entry above them, and their age cannot be read.
    with Moto() as moto:
        s3 = boto3_client(moto.url, "t", "t")
        s3.create_bucket(Bucket="ages")
        s3.put_bucket_versioning(Bucket="ages", VersioningConfiguration={"Status": "Enabled"})
        for i in range(20):
            for _ in range(2):
                s3.put_object(Bucket="ages", Key=f"k{i:02d}", Body=b"x")
        for i in range(0, 20, 4):
            s3.delete_object(Bucket="ages", Key=f"k{i:02d}")
        env = {"AWS_ACCESS_KEY_ID": "t", "AWS_SECRET_ACCESS_KEY": "t"}
        tomorrow = day(-1)[0]
        p = run([S3PURGE, "plan", "s3://ages", "--older-than", tomorrow, "--json", "--endpoint-url", moto.url],
                env=dict(ENV, **env), check=False, timeout=120)
        sel = json.loads(p.stdout)["selection"]
        assert sel["unknown_ages"] == sel["kept"]["age"] == 5, sel
        p = run([S3PURGE, "plan", "s3://ages", "--older-than", tomorrow, "--no-progress", "--endpoint-url", moto.url],
                env=dict(ENV, **env), check=False, timeout=120)
        assert "5 of the entries kept by age had no readable age" in p.stdout, p.stdout


def test_moto_runs_the_same_scenario():
    with Moto() as moto:
        s3 = boto3_client(moto.url, "t", "t")
        s3.create_bucket(Bucket="moto-sel")
        s3.put_bucket_versioning(Bucket="moto-sel", VersioningConfiguration={"Status": "Enabled"})
        classes = ["STANDARD", "GLACIER", "STANDARD_IA"]
        for i in range(40):
            for v in range(1 + i % 4):
                s3.put_object(Bucket="moto-sel", Key=f"d{i % 3}/k{i:03d}", Body=b"x" * (v + 1),
                              StorageClass=classes[(i + v) % 3])
        for i in range(0, 40, 5):
            s3.delete_object(Bucket="moto-sel", Key=f"d{i % 3}/k{i:03d}")
        make_orphans(s3, "moto-sel", [f"d{i % 3}/k{i:03d}" for i in (0, 10)])
        env = {"AWS_ACCESS_KEY_ID": "t", "AWS_SECRET_ACCESS_KEY": "t"}
        flags = ["--only", "noncurrent,orphan-markers", "--keep-newest", "1", "--exclude", "d2/**",
                 "--storage-class", "STANDARD,GLACIER"]
        sel = Selection(only=["noncurrent", "orphan-markers"], keep_newest=1, exclude=["d2/**"],
                        classes=["STANDARD", "GLACIER"])
        before = list_entries(s3, "moto-sel", True)
        taken, counts, _ = model(before, sel)
        assert taken, "the scenario takes nothing"
        p = run([S3PURGE, "empty", "s3://moto-sel", "--yes", "--json", "--listers", "8", *flags,
                 "--endpoint-url", moto.url], env=dict(ENV, **env), check=False, timeout=300)
        assert p.returncode == 0, (p.returncode, p.stdout, p.stderr)
        after = list_entries(s3, "moto-sel", True)
        gone = {(e[0], e[1]) for e in before} - {(e[0], e[1]) for e in after}
        assert gone == taken, f"moto: {len(gone - taken)} beyond the model, {len(taken - gone)} missed"


if __name__ == "__main__":
    sys.exit(main([test_each_selection_takes_what_the_model_takes,
                   test_a_selection_under_a_prefix_on_an_unversioned_bucket,
                   test_a_selection_that_brings_versions_back_is_refused_before_anything_is_deleted,
                   test_the_plan_says_what_early_deletion_costs_as_computed_by_hand,
                   test_patterns_match_characters_not_bytes,
                   test_ages_moto_cannot_give_are_counted_and_said,
                   test_moto_runs_the_same_scenario]))
