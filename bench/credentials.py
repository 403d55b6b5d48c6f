#!/usr/bin/env python3
"""What renewing credentials costs a run: the same purge of a versioned bucket on s3emu with
static keys and with temporary credentials from each provider (credential_process, STS web
identity, the container endpoint, IMDSv2, a role assumed from static keys, an SSO role) that
expire every --ttl seconds, rounds
alternating. Prints entries/s, renewals (credentials s3emu issued beyond the first) and
requests refused as expired, and checks that nothing failed and that no refused request
was refused again.
Usage: bench/credentials.py [--objects N] [--ttl S] [--rounds R] [--rate R]
         [--s3purge PATH] [--s3emu PATH]"""
import argparse
import hashlib
import json
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "emu"))
from harness import Emulator, run, static_key_env  # noqa: E402

KEY, SECRET = "AKIDBENCHSTATIC", "bench-static-secret"
PROCESS = """import sys, urllib.request
print(urllib.request.urlopen(sys.argv[1] + "/_emu/credentials", timeout=5).read().decode())
"""


def provider_env(name, emu, d):
    env = static_key_env(KEY, SECRET)
    if name == "static":
        return env
    env.update({"AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None})
    if name == "process":
        script, config = os.path.join(d, "process.py"), os.path.join(d, "config")
        with open(script, "w") as f:
            f.write(PROCESS)
        with open(config, "w") as f:
            f.write(f"[default]\ncredential_process = {sys.executable} {script} {emu.url}\n")
        env["AWS_CONFIG_FILE"] = config
    elif name == "web-identity":
        token = os.path.join(d, "token")
        with open(token, "w") as f:
            f.write("bench-token\n")
        env.update({"AWS_ROLE_ARN": "arn:aws:iam::111122223333:role/bench", "AWS_WEB_IDENTITY_TOKEN_FILE": token,
                    "AWS_ENDPOINT_URL_STS": emu.url})
    elif name == "container":
        env.update({"AWS_CONTAINER_CREDENTIALS_FULL_URI": emu.url + "/_emu/container-credentials",
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN": "bench-container-token"})
    elif name == "imds":
        env.update({"AWS_EC2_METADATA_DISABLED": None, "AWS_EC2_METADATA_SERVICE_ENDPOINT": emu.url})
    elif name == "assume-role":
        config, credentials = os.path.join(d, "config"), os.path.join(d, "credentials")
        with open(config, "w") as f:
            f.write("[profile job]\nrole_arn = arn:aws:iam::111122223333:role/bench\nsource_profile = base\n")
        with open(credentials, "w") as f:
            f.write(f"[base]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n")
        env.update({"AWS_CONFIG_FILE": config, "AWS_SHARED_CREDENTIALS_FILE": credentials, "AWS_PROFILE": "job",
                    "AWS_ENDPOINT_URL_STS": emu.url})
    elif name == "sso":
        config, cache = os.path.join(d, "config"), os.path.join(d, ".aws", "sso", "cache")
        with open(config, "w") as f:
            f.write("[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Bench\n"
                    "[sso-session corp]\nsso_start_url = https://d-1.awsapps.com/start\nsso_region = us-east-1\n")
        os.makedirs(cache)
        with open(os.path.join(cache, hashlib.sha1(b"corp").hexdigest() + ".json"), "w") as f:
            json.dump({"accessToken": "bench-sso-token",
                       "expiresAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3600))}, f)
        env.update({"HOME": d, "AWS_CONFIG_FILE": config, "AWS_PROFILE": "dev", "AWS_ENDPOINT_URL_SSO": emu.url})
    return env


def one(args, name):
    seed = f"bucket=creds,objects={args.objects // 2},versions=2,versioning=enabled"
    with Emulator(args.s3emu, "--access-key", KEY, "--secret-key", SECRET, "--session-ttl", str(args.ttl),
                  "--container-token", "bench-container-token", "--seed", seed) as emu, \
            tempfile.TemporaryDirectory() as d:
        cmd = [args.s3purge, "empty", "s3://creds", "--yes", "--json", "--no-progress", "--endpoint-url", emu.url]
        if args.rate:
            cmd += ["--rate", str(args.rate)]
        p = run(cmd, env=provider_env(name, emu, d), check=False, timeout=1200)
        if p.returncode != 0:
            raise SystemExit(f"{name}: exit {p.returncode}\n{p.stderr[-3000:]}")
        r = json.loads(p.stdout)
        failed = sum(c["failed"] for c in r["counts"].values())
        refused = r["errors_by_code"].get("ExpiredToken", 0)
        if failed or refused != r["expired_token_resends"] or not r["empty_verified"]:
            raise SystemExit(f"{name}: failed {failed}, refused {refused}, resent {r['expired_token_resends']}")
        issued = emu.stats()["faults"].get("credentials-issued", 0)
        deleted = sum(c["deleted"] for c in r["counts"].values())
        return {"entries_per_s": deleted / r["elapsed_seconds"], "seconds": r["elapsed_seconds"],
                "renewals": max(issued - 1, 0), "refused": refused, "deleted": deleted}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--objects", type=int, default=1_000_000, help="entries (half keys, two versions each)")
    ap.add_argument("--ttl", type=float, default=20)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--rate", type=int, default=0)
    ap.add_argument("--providers", default="static,process,web-identity,container,imds,assume-role,sso")
    ap.add_argument("--s3purge", default="build/cli/s3purge")
    ap.add_argument("--s3emu", default="build/bench/s3emu")
    args = ap.parse_args()
    providers = args.providers.split(",")
    results = {p: [] for p in providers}
    for round_ in range(args.rounds):
        for p in providers:
            results[p].append(one(args, p))
            r = results[p][-1]
            print(f"round {round_ + 1} {p:13s} {r['deleted']:>9,} entries in {r['seconds']:.2f} s: "
                  f"{r['entries_per_s']:>9,.0f}/s, {r['renewals']} renewals, {r['refused']} refused and resent",
                  flush=True)
    print(f"\n{'provider':13s} {'entries/s (min-max)':>25s} {'renewals':>9s} {'refused':>8s}")
    for p in providers:
        rates = [r["entries_per_s"] for r in results[p]]
        print(f"{p:13s} {statistics.median(rates):>10,.0f} ({min(rates):,.0f}-{max(rates):,.0f})"
              f" {sum(r['renewals'] for r in results[p]) / len(results[p]):>9.1f}"
              f" {sum(r['refused'] for r in results[p]) / len(results[p]):>8.1f}")


if __name__ == "__main__":
    main()
