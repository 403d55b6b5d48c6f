#!/usr/bin/env python3
"""Credentials that expire during a run, through the real s3purge binary and s3emu: a
profile's credential_process prints temporary credentials that s3emu issues (GET
/_emu/credentials, valid --session-ttl seconds, refused with ExpiredToken after); the run
renews them before they expire and, when a token is refused anyway, renews and sends the
request again. A process that fails or prints something else is one clear line, exit 2.
Usage: test_credentials.py PATH/TO/s3purge PATH/TO/s3emu"""
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "emu"))
from harness import Emulator, main, run, static_key_env  # noqa: E402

S3PURGE = sys.argv[1] if len(sys.argv) > 1 else "build/cli/s3purge"
S3EMU = sys.argv[2] if len(sys.argv) > 2 else "build/bench/s3emu"
VERIFY = ["--access-key", "AKIDSTATIC", "--secret-key", "static-secret"]
# A process that asks s3emu for credentials and logs each run; with "hide-expiry" it says
# they expire in an hour, so that the run learns of their expiry only from refusals.
PROCESS = """import json, sys, urllib.request
with open(sys.argv[2], "a") as log:
    log.write("run\\n")
doc = json.loads(urllib.request.urlopen(sys.argv[1] + "/_emu/credentials", timeout=5).read())
if sys.argv[3:] == ["hide-expiry"]:
    doc["Expiration"] = "2099-01-01T00:00:00Z"
print(json.dumps(doc))
"""


def profile_env(d, process_line):
    config = os.path.join(d, "config")
    with open(config, "w") as f:
        f.write(f"[profile proc]\ncredential_process = {process_line}\n")
    env = static_key_env("unused", "unused")
    env.update({"AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None, "AWS_CONFIG_FILE": config})
    return env


def role_env(**overrides):
    """No keys, no files: credentials come from a role endpoint."""
    env = static_key_env("unused", "unused")
    env.update({"AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None})
    env.update(overrides)
    return env


def s3purge(env, *args, timeout=300):
    return run([S3PURGE, *args], env=env, check=False, timeout=timeout)


def purge_with_expiring_credentials(hide_expiry):
    with Emulator(S3EMU, *VERIFY, "--session-ttl", "3", "--seed",
                  "bucket=renew,objects=100000,versions=2,markers=1000,versioning=enabled") as emu, \
            tempfile.TemporaryDirectory() as d:
        script, runs = os.path.join(d, "process.py"), os.path.join(d, "runs")
        with open(script, "w") as f:
            f.write(PROCESS)
        env = profile_env(d, f"{sys.executable} {script} {emu.url} {runs}" + (" hide-expiry" if hide_expiry else ""))
        started = time.time()
        p = s3purge(env, "empty", "s3://renew", "--profile", "proc", "--rate", "25000", "--yes", "--json",
                    "-v", "--endpoint-url", emu.url)
        took = time.time() - started
        assert p.returncode == 0, (p.returncode, p.stdout[-2000:], p.stderr[-3000:])
        r = json.loads(p.stdout)
        assert r["balanced"] and r["empty_verified"], r
        assert sum(c["failed"] for c in r["counts"].values()) == 0, r["counts"]
        assert r["counts"]["versions"]["deleted"] == 200000, r["counts"]
        # Every token refused as expired was renewed and its request sent again, once.
        refused = r["errors_by_code"].get("ExpiredToken", 0)
        assert refused == r["expired_token_resends"], r
        runs_count = len(open(runs).read().split())
        assert runs_count >= 1 + int(took / 3), (runs_count, took)
        assert "credential_process" in p.stderr, p.stderr[-2000:]
        print(f"  {took:.1f} s, {runs_count} process runs, {refused} requests refused as expired and resent")
        return refused


def test_credentials_that_expire_every_few_seconds_are_renewed_during_the_run():
    # 3 s credentials over a run of about 8 s: renewed every 2.25 s, before they expire.
    assert purge_with_expiring_credentials(hide_expiry=False) == 0


def test_credentials_refused_as_expired_are_renewed_and_the_requests_sent_again():
    # The process hides the expiry: only ExpiredToken answers tell the run.
    assert purge_with_expiring_credentials(hide_expiry=True) > 0


def test_a_process_that_fails_or_prints_nonsense_is_one_line_and_exit_2():
    with Emulator(S3EMU, *VERIFY, "--seed", "bucket=refuse,objects=10") as emu, \
            tempfile.TemporaryDirectory() as d:
        cases = [("echo not-json", "not a JSON object"),
                 ("echo '{\"Version\": 2}'", "Version"),
                 ("echo '{\"Version\": 1, \"AccessKeyId\": \"A\"}'", "AccessKeyId or SecretAccessKey"),
                 ("sh -c 'echo denied >&2; exit 5'", "exit code 5"),
                 ("/nonexistent/helper", "exit code 127")]
        for line, words in cases:
            started = time.time()
            p = s3purge(profile_env(d, line), "plan", "s3://refuse", "--profile", "proc", "--endpoint-url", emu.url)
            lines = [l for l in p.stderr.splitlines() if l.startswith("s3purge: error:")]
            assert p.returncode == 2 and time.time() - started < 5, (line, p.returncode, p.stderr)
            assert len(lines) == 1 and "credential_process of profile 'proc'" in lines[0] and words in lines[0], \
                (line, p.stderr)


def purge_with_role_credentials(env_of):
    """A purge whose 3 s credentials come from the endpoint env_of(emu) names."""
    with Emulator(S3EMU, *VERIFY, "--session-ttl", "3", "--container-token", "pod-identity-token",
                  "--web-identity-token", "service-account-token", "--seed",
                  "bucket=role,objects=60000,versions=2,markers=600,versioning=enabled") as emu, \
            tempfile.TemporaryDirectory() as d:
        env = env_of(emu, d)
        p = s3purge(env, "empty", "s3://role", "--rate", "25000", "--yes", "--json", "-v", "--endpoint-url", emu.url)
        assert p.returncode == 0, (p.returncode, p.stdout[-2000:], p.stderr[-3000:])
        r = json.loads(p.stdout)
        assert r["balanced"] and r["empty_verified"], r
        assert sum(c["failed"] for c in r["counts"].values()) == 0, r["counts"]
        issued = emu.stats().get("faults", {}).get("credentials-issued", 0)
        assert issued >= 2, (issued, p.stderr[-2000:])
        return p.stderr, issued


def test_container_credentials_with_a_token_or_a_token_file():
    def with_token(emu, d):
        return role_env(AWS_CONTAINER_CREDENTIALS_FULL_URI=emu.url + "/_emu/container-credentials",
                        AWS_CONTAINER_AUTHORIZATION_TOKEN="pod-identity-token")

    def with_token_file(emu, d):
        path = os.path.join(d, "token")
        with open(path, "w") as f:
            f.write("pod-identity-token\n")
        return role_env(AWS_CONTAINER_CREDENTIALS_FULL_URI=emu.url + "/_emu/container-credentials",
                        AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=path)
    for env_of in (with_token, with_token_file):
        stderr, issued = purge_with_role_credentials(env_of)
        assert "container credentials" in stderr, stderr[-2000:]
        print(f"  {env_of.__name__}: {issued} credentials issued")


def web_identity_env(emu, d, token="service-account-token", **more):
    path = os.path.join(d, "token")
    with open(path, "w") as f:
        f.write(token + "\n")
    return role_env(AWS_ROLE_ARN="arn:aws:iam::123456789012:role/s3purge", AWS_WEB_IDENTITY_TOKEN_FILE=path,
                    AWS_ROLE_SESSION_NAME="test", AWS_ENDPOINT_URL_STS=emu.url, **more)


def test_web_identity_through_sts_as_eks_irsa_sets_it_up():
    stderr, issued = purge_with_role_credentials(web_identity_env)
    assert "web identity arn:aws:iam::123456789012:role/s3purge" in stderr, stderr[-2000:]
    print(f"  {issued} credentials issued")


def test_instance_metadata_imdsv2():
    def imds(emu, d):
        return role_env(AWS_EC2_METADATA_DISABLED=None, AWS_EC2_METADATA_SERVICE_ENDPOINT=emu.url)
    stderr, issued = purge_with_role_credentials(imds)
    assert "instance metadata" in stderr, stderr[-2000:]
    print(f"  {issued} credentials issued")


def test_role_endpoints_that_refuse_are_one_line_and_exit_2():
    with Emulator(S3EMU, *VERIFY, "--session-ttl", "3", "--container-token", "right",
                  "--web-identity-token", "right", "--seed", "bucket=refuse,objects=10") as emu, \
            socket_closed_port() as port, tempfile.TemporaryDirectory() as d:
        cases = [
            (web_identity_env(emu, d, token="wrong"), "InvalidIdentityToken"),
            (role_env(AWS_ROLE_ARN="arn:aws:iam::1:role/r", AWS_WEB_IDENTITY_TOKEN_FILE=os.path.join(d, "none"),
                      AWS_ENDPOINT_URL_STS=emu.url), "cannot be read"),
            (role_env(AWS_WEB_IDENTITY_TOKEN_FILE=os.path.join(d, "token")), "not AWS_ROLE_ARN"),
            (role_env(AWS_CONTAINER_CREDENTIALS_FULL_URI=emu.url + "/_emu/container-credentials",
                      AWS_CONTAINER_AUTHORIZATION_TOKEN="wrong"), "HTTP 403"),
            (role_env(AWS_CONTAINER_CREDENTIALS_FULL_URI="http://example.com/creds"), "loopback"),
            # No instance metadata there: the last place looked, within its 1 s timeout.
            (role_env(AWS_EC2_METADATA_DISABLED=None, AWS_EC2_METADATA_SERVICE_ENDPOINT=f"http://127.0.0.1:{port}"),
             "no credentials found"),
            (role_env(), "AWS_EC2_METADATA_DISABLED"),
        ]
        for env, words in cases:
            started = time.time()
            p = s3purge(env, "plan", "s3://refuse", "--endpoint-url", emu.url)
            lines = [l for l in p.stderr.splitlines() if l.startswith("s3purge: error:")]
            assert p.returncode == 2 and time.time() - started < 5, (words, p.returncode, p.stderr)
            assert len(lines) == 1 and words in lines[0], (words, p.stderr)


def files_env(d, config, credentials="", **more):
    """A profile's files in d (HOME too, for the SSO cache), no keys in the environment."""
    for name, text in (("config", config), ("credentials", credentials)):
        with open(os.path.join(d, name), "w") as f:
            f.write(text)
    return role_env(HOME=d, AWS_CONFIG_FILE=os.path.join(d, "config"),
                    AWS_SHARED_CREDENTIALS_FILE=os.path.join(d, "credentials"), **more)


def sso_cache(d, expires_in):
    """The token `aws sso login` caches for [sso-session corp], valid expires_in seconds."""
    cache = os.path.join(d, ".aws", "sso", "cache")
    os.makedirs(cache, exist_ok=True)
    expires = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + expires_in))
    with open(os.path.join(cache, hashlib.sha1(b"corp").hexdigest() + ".json"), "w") as f:
        json.dump({"startUrl": "https://d-1.awsapps.com/start", "region": "eu-west-1",
                   "accessToken": "sso-access-token", "expiresAt": expires}, f)


SSO_PROFILE = ("[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Purger\n"
               "[sso-session corp]\nsso_start_url = https://d-1.awsapps.com/start\nsso_region = eu-west-1\n")
ROLE_PROFILE = ("[profile job]\nrole_arn = arn:aws:iam::123456789012:role/purger\nsource_profile = base\n"
                "external_id = ext-7\n")
BASE_KEYS = "[base]\naws_access_key_id = AKIDSTATIC\naws_secret_access_key = static-secret\n"


def test_an_assumed_role_renewed_during_the_run():
    def assumed(emu, d):
        return files_env(d, ROLE_PROFILE, BASE_KEYS, AWS_PROFILE="job", AWS_ENDPOINT_URL_STS=emu.url)
    stderr, issued = purge_with_role_credentials(assumed)
    assert "from provider assume-role: role arn:aws:iam::123456789012:role/purger of profile 'job'" in stderr, \
        stderr[-2000:]
    print(f"  {issued} credentials issued")


def test_an_sso_role_renewed_during_the_run():
    def sso(emu, d):
        sso_cache(d, 3600)
        return files_env(d, SSO_PROFILE, AWS_PROFILE="dev", AWS_ENDPOINT_URL_SSO=emu.url)
    stderr, issued = purge_with_role_credentials(sso)
    assert "from provider sso: IAM Identity Center role Purger of account 123456789012" in stderr, stderr[-2000:]
    print(f"  {issued} credentials issued")


def test_roles_and_sso_that_cannot_be_used_are_one_line_and_exit_2():
    """An expired or missing SSO sign-in, a role that needs MFA, a refused ExternalId, a loop."""
    with Emulator(S3EMU, *VERIFY, "--session-ttl", "3", "--role-external-id", "right", "--sso-token",
                  "sso-access-token", "--seed", "bucket=refuse,objects=10") as emu, \
            tempfile.TemporaryDirectory() as d:
        def sso(expires_in):
            """The SSO profile with a sign-in valid expires_in seconds; None: never signed in."""
            shutil.rmtree(os.path.join(d, ".aws"), ignore_errors=True)
            if expires_in is not None:
                sso_cache(d, expires_in)
            return files_env(d, SSO_PROFILE, AWS_PROFILE="dev", AWS_ENDPOINT_URL_SSO=emu.url)
        cases = [
            (lambda: sso(-60), "the sign-in expired at"),
            (lambda: sso(None), "no cached sign-in"),
            (lambda: files_env(d, ROLE_PROFILE + "mfa_serial = arn:aws:iam::123456789012:mfa/me\n", BASE_KEYS,
                               AWS_PROFILE="job"), "MFA"),
            (lambda: files_env(d, ROLE_PROFILE, BASE_KEYS, AWS_PROFILE="job", AWS_ENDPOINT_URL_STS=emu.url),
             "STS refused AssumeRole: AccessDenied"),
            (lambda: files_env(d, "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = a\n",
                               AWS_PROFILE="a"), "loop"),
        ]
        for env_of, words in cases:
            env = env_of()
            started = time.time()
            p = s3purge(env, "plan", "s3://refuse", "--endpoint-url", emu.url)
            lines = [l for l in p.stderr.splitlines() if l.startswith("s3purge: error:")]
            assert p.returncode == 2 and time.time() - started < 5, (words, p.returncode, p.stderr)
            assert len(lines) == 1 and words in lines[0], (words, p.stderr)
        # The messages say what to do.
        p = s3purge(sso(-60), "plan", "s3://refuse", "--endpoint-url", emu.url)
        assert "run: aws sso login --profile dev" in p.stderr, p.stderr


class socket_closed_port:
    """A port on 127.0.0.1 that nothing listens on."""
    def __enter__(self):
        import socket
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    def __exit__(self, *exc):
        return False


if __name__ == "__main__":
    sys.exit(main([test_a_process_that_fails_or_prints_nonsense_is_one_line_and_exit_2,
                   test_credentials_that_expire_every_few_seconds_are_renewed_during_the_run,
                   test_credentials_refused_as_expired_are_renewed_and_the_requests_sent_again,
                   test_role_endpoints_that_refuse_are_one_line_and_exit_2,
                   test_web_identity_through_sts_as_eks_irsa_sets_it_up,
                   test_container_credentials_with_a_token_or_a_token_file,
                   test_instance_metadata_imdsv2,
                   test_an_assumed_role_renewed_during_the_run,
                   test_an_sso_role_renewed_during_the_run,
                   test_roles_and_sso_that_cannot_be_used_are_one_line_and_exit_2]))
