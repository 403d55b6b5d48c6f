#!/usr/bin/env python3
"""s3purge's credential chain against botocore's, on the same files and environment.

For each configuration, `s3purge credentials --json` and botocore's own chain
(botocore.session.Session(profile=...).get_credentials()) resolve credentials, and both must
name the same provider (botocore's `method`) and return the same keys, compared by a
fingerprint of key id, secret and token. Roles are assumed, SSO roles fetched and role
endpoints asked on one s3emu on 127.0.0.1 that issues the same keys for the same request
(--stable-credentials): keys derived from the role, the ExternalId and the caller's key, so
that the keys agree only when both assumed the same role the same way from the same source.
A configuration both must refuse is checked to fail in both.
Usage: test_credential_chain.py PATH/TO/s3purge PATH/TO/s3emu"""
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "emu"))
from harness import Emulator, Missing, main  # noqa: E402

S3PURGE = sys.argv[1] if len(sys.argv) > 1 else "build/cli/s3purge"
S3EMU = sys.argv[2] if len(sys.argv) > 2 else "build/bench/s3emu"
KEY, SECRET = "AKIDSTATIC", "static-secret"
KEYS = f"aws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
OTHER = "aws_access_key_id = AKIDOTHER\naws_secret_access_key = other-secret\n"
ROLE = "arn:aws:iam::123456789012:role/"
START_URL = "https://d-abc123.awsapps.com/start"

# botocore's chain, with its STS and SSO clients sent to the endpoints the environment names
# (older botocore does not read AWS_ENDPOINT_URL_STS/_SSO itself); nothing else is changed.
BOTOCORE = r"""
import hashlib, json, os, sys
import botocore.session
create = botocore.session.Session.create_client
def create_client(self, service, *args, **kwargs):
    url = os.environ.get("AWS_ENDPOINT_URL_" + service.upper())
    if url and not kwargs.get("endpoint_url"):
        kwargs["endpoint_url"] = url
    return create(self, service, *args, **kwargs)
botocore.session.Session.create_client = create_client
try:
    s = botocore.session.Session(profile=sys.argv[1] or None)
    c = s.get_credentials()
    if c is None:
        print(json.dumps({"error": "no credentials"})); sys.exit(0)
    f = c.get_frozen_credentials()
except Exception as e:
    print(json.dumps({"error": type(e).__name__ + ": " + str(e)})); sys.exit(0)
text = f"{f.access_key}\n{f.secret_key}\n{f.token or ''}"
print(json.dumps({"provider": c.method, "fingerprint": hashlib.sha256(text.encode()).hexdigest()[:16]}))
"""


def case(name, expect, config="", credentials="", profile=None, env=None, sso=False):
    return {"name": name, "expect": expect, "config": config, "credentials": credentials, "profile": profile,
            "env": env or {}, "sso": sso}


def cases(emu_url, v1_url, d):
    token_file = os.path.join(d, "web-token")
    web = {"AWS_ROLE_ARN": ROLE + "irsa", "AWS_WEB_IDENTITY_TOKEN_FILE": token_file, "AWS_ROLE_SESSION_NAME": "pod"}
    env_keys = {"AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": SECRET}
    container = {"AWS_CONTAINER_CREDENTIALS_FULL_URI": emu_url + "/_emu/container-credentials",
                 "AWS_CONTAINER_AUTHORIZATION_TOKEN": "pod-identity-token"}
    imds = {"AWS_EC2_METADATA_DISABLED": None, "AWS_EC2_METADATA_SERVICE_ENDPOINT": emu_url}
    sso_session = (f"[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Purger\n"
                   f"[sso-session corp]\nsso_start_url = {START_URL}\nsso_region = eu-west-1\n")
    return [
        case("environment keys", "env", env=env_keys),
        case("environment keys beat the credentials file", "env", env=env_keys, credentials="[default]\n" + OTHER),
        case("environment session token", "env", env={**env_keys, "AWS_SESSION_TOKEN": "tok"}),
        case("credentials file", "shared-credentials-file", credentials="[default]\n" + KEYS),
        case("credentials file with a session token", "shared-credentials-file",
             credentials="[default]\n" + KEYS + "aws_session_token = ftok\n"),
        case("config file keys", "config-file", config="[default]\n" + KEYS),
        case("credentials file beats config file", "shared-credentials-file", config="[default]\n" + OTHER,
             credentials="[default]\n" + KEYS),
        case("AWS_PROFILE keeps the environment's keys", "env", env={**env_keys, "AWS_PROFILE": "p"},
             credentials="[p]\n" + OTHER),
        case("--profile sets the environment's keys aside", "shared-credentials-file", profile="p", env=env_keys,
             credentials="[p]\n" + OTHER),
        case("AWS_DEFAULT_PROFILE", "shared-credentials-file", env={"AWS_DEFAULT_PROFILE": "q"},
             credentials="[default]\n" + KEYS + "[q]\n" + OTHER),
        case("credential_process", "custom-process", config="[default]\ncredential_process = " + PROCESS),
        case("credentials file beats credential_process", "shared-credentials-file",
             config="[default]\ncredential_process = " + PROCESS, credentials="[default]\n" + OTHER),
        case("credential_process beats config keys", "custom-process",
             config="[default]\ncredential_process = " + PROCESS + "\n" + OTHER),
        case("role from a source profile", "assume-role", profile="job",
             config=f"[profile job]\nrole_arn = {ROLE}purger\nsource_profile = base\n", credentials="[base]\n" + KEYS),
        case("role with an external id and a duration", "assume-role", profile="job",
             config=f"[profile job]\nrole_arn = {ROLE}purger\nsource_profile = base\nexternal_id = ext-7\n"
                    "duration_seconds = 900\n", credentials="[base]\n" + KEYS),
        case("roles chained through three profiles", "assume-role", profile="a",
             config=f"[profile a]\nrole_arn = {ROLE}a\nsource_profile = b\n[profile b]\nrole_arn = {ROLE}b\n"
                    f"source_profile = c\n[profile c]\n" + KEYS),
        case("a source profile with keys and a role uses its keys", "assume-role", profile="a",
             config=f"[profile a]\nrole_arn = {ROLE}a\nsource_profile = b\n[profile b]\nrole_arn = {ROLE}b\n"
                    f"source_profile = c\n" + KEYS + "[profile c]\n" + OTHER),
        case("a profile that is its own source", "assume-role", profile="self",
             config=f"[profile self]\nrole_arn = {ROLE}self\nsource_profile = self\n" + KEYS),
        case("role from a credential_process source", "assume-role", profile="job",
             config=f"[profile job]\nrole_arn = {ROLE}purger\nsource_profile = proc\n"
                    f"[profile proc]\ncredential_process = {PROCESS}\n"),
        case("credential_source Environment", "assume-role", profile="job", env=env_keys,
             config=f"[profile job]\nrole_arn = {ROLE}purger\ncredential_source = Environment\n"),
        case("credential_source EcsContainer", "assume-role", profile="job", env=container,
             config=f"[profile job]\nrole_arn = {ROLE}purger\ncredential_source = EcsContainer\n"),
        case("credential_source Ec2InstanceMetadata", "assume-role", profile="job", env=imds,
             config=f"[profile job]\nrole_arn = {ROLE}purger\ncredential_source = Ec2InstanceMetadata\n"),
        case("a role of the profile beats the environment's web identity", "assume-role", env=web,
             config=f"[default]\nrole_arn = {ROLE}purger\nsource_profile = base\n[profile base]\n" + KEYS),
        case("web identity from the environment", "assume-role-with-web-identity", env=web),
        case("web identity from the profile", "assume-role-with-web-identity", profile="irsa",
             config=f"[profile irsa]\nrole_arn = {ROLE}irsa-profile\nweb_identity_token_file = {token_file}\n"),
        case("environment keys beat web identity", "env", env={**web, **env_keys}),
        case("web identity beats the credentials file", "assume-role-with-web-identity", env=web,
             credentials="[default]\n" + KEYS),
        case("SSO with an sso-session", "sso", profile="dev", config=sso_session, sso=True),
        case("legacy SSO profile", "sso", profile="old", sso=True,
             config=f"[profile old]\nsso_start_url = {START_URL}\nsso_region = us-east-2\n"
                    "sso_account_id = 210987654321\nsso_role_name = Legacy\n"),
        case("SSO beats the credentials file", "sso", profile="dev", config=sso_session, sso=True,
             credentials="[dev]\n" + OTHER),
        case("role from an SSO source profile", "assume-role", profile="job", sso=True,
             config=sso_session + f"[profile job]\nrole_arn = {ROLE}purger\nsource_profile = dev\n"),
        case("container credentials", "container-role", env=container),
        case("container credentials from a token file", "container-role",
             env={**container, "AWS_CONTAINER_AUTHORIZATION_TOKEN": None,
                  "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": os.path.join(d, "pod-token")}),
        case("instance metadata", "iam-role", env=imds),
        case("instance metadata that serves IMDSv1 only", "iam-role",
             env={**imds, "AWS_EC2_METADATA_SERVICE_ENDPOINT": v1_url}),
        case("IMDSv1 only, and v1 disabled by the profile", None, profile="p",
             env={**imds, "AWS_EC2_METADATA_SERVICE_ENDPOINT": v1_url},
             config="[profile p]\nec2_metadata_v1_disabled = true\n"),
        case("container before instance metadata", "container-role", env={**container, **imds}),
        case("config keys before the container", "config-file", env=container, config="[default]\n" + KEYS),
        case("a loop of source profiles", None, profile="a",
             config=f"[profile a]\nrole_arn = {ROLE}a\nsource_profile = b\n[profile b]\nrole_arn = {ROLE}b\n"
                    "source_profile = a\n"),
        case("a role without a source", None, profile="a", config=f"[profile a]\nrole_arn = {ROLE}a\n"),
        case("nothing at all", None),
    ]


PROCESS = ("printf '{\"Version\": 1, \"AccessKeyId\": \"" + KEY + "\", \"SecretAccessKey\": \"" + SECRET +
           "\", \"SessionToken\": \"proc-token\"}'")


def base_env(d, emu_url, overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"HOME": d, "AWS_CONFIG_FILE": os.path.join(d, "config"),
                "AWS_SHARED_CREDENTIALS_FILE": os.path.join(d, "credentials"), "AWS_EC2_METADATA_DISABLED": "true",
                "AWS_ENDPOINT_URL_STS": emu_url, "AWS_ENDPOINT_URL_SSO": emu_url, "AWS_DEFAULT_REGION": "us-east-1"})
    for k, v in overrides.items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v
    return env


def write_home(d, c):
    for name in ("config", "credentials"):
        with open(os.path.join(d, name), "w") as f:
            f.write(c[name])
    with open(os.path.join(d, "web-token"), "w") as f:
        f.write("service-account-token")  # as the kubelet writes it: no newline
    with open(os.path.join(d, "pod-token"), "w") as f:
        f.write("pod-identity-token")
    cache = os.path.join(d, ".aws", "sso", "cache")
    os.makedirs(cache, exist_ok=True)
    for f in os.listdir(cache):
        os.remove(os.path.join(cache, f))
    if c["sso"]:
        expires = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 8 * 3600))
        for key, region in (("corp", "eu-west-1"), (START_URL, "us-east-2")):
            name = hashlib.sha1(key.encode()).hexdigest() + ".json"
            with open(os.path.join(cache, name), "w") as f:
                json.dump({"startUrl": START_URL, "region": region, "accessToken": "sso-access-token",
                           "expiresAt": expires}, f)


def resolve_both(d, emu_url, c):
    write_home(d, c)
    env = base_env(d, emu_url, c["env"])
    args = [S3PURGE, "credentials", "--json"] + (["--profile", c["profile"]] if c["profile"] else [])
    ours = subprocess.run(args, env=env, capture_output=True, text=True, timeout=30)
    theirs = subprocess.run([sys.executable, "-c", BOTOCORE, c["profile"] or ""], env=env, capture_output=True,
                            text=True, timeout=60)
    if theirs.returncode != 0 or not theirs.stdout.strip():
        raise AssertionError(f"botocore runner failed: {theirs.stderr[-2000:]}")
    return ours, json.loads(theirs.stdout)


def test_s3purge_and_botocore_resolve_the_same_credentials():
    try:
        import botocore  # noqa: F401
    except ImportError as e:
        raise Missing(f"botocore is not importable in {sys.executable}: {e}")
    stable = ["--access-key", KEY, "--secret-key", SECRET, "--session-ttl", "3600", "--stable-credentials"]
    with Emulator(S3EMU, *stable, "--container-token", "pod-identity-token",
                  "--web-identity-token", "service-account-token", "--sso-token", "sso-access-token") as emu, \
            Emulator(S3EMU, *stable, "--imds-v1-only") as v1, tempfile.TemporaryDirectory() as d:
        all_cases = cases(emu.url, v1.url, d)
        assert len(all_cases) >= 25
        fingerprints = {}
        for c in all_cases:
            ours, theirs = resolve_both(d, emu.url, c)
            if c["expect"] is None:
                assert ours.returncode == 2 and "error" in theirs, (c["name"], ours.stdout, ours.stderr, theirs)
                assert len(ours.stderr.strip().splitlines()) == 1, (c["name"], ours.stderr)
                print(f"  {c['name']}: both refuse ({ours.stderr.strip()[:90]}...)")
                continue
            assert ours.returncode == 0, (c["name"], ours.returncode, ours.stderr)
            mine = json.loads(ours.stdout)
            assert theirs.get("provider") == c["expect"], (c["name"], theirs)
            assert mine["provider"] == c["expect"], (c["name"], mine)
            assert mine["fingerprint"] == theirs["fingerprint"], (c["name"], mine, theirs)
            fingerprints.setdefault(mine["fingerprint"], []).append(c["name"])
            print(f"  {c['name']}: {mine['provider']}, same keys")
        # The configurations reach different keys: agreement is not an accident of one key.
        assert len(fingerprints) >= 15, fingerprints


if __name__ == "__main__":
    sys.exit(main([test_s3purge_and_botocore_resolve_the_same_credentials]))
