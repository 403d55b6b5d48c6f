#!/usr/bin/env python3
"""No secret the run holds reaches any output, whoever quotes it back: a server that puts
the request's session token into its error messages (whole-request and per-key), a
credential_process that prints control sequences on stderr or returns a bad Expiration.
Each output is read whole: standard output (JSON), standard error, --failed-keys and
--log-file.
Usage: test_redaction.py PATH/TO/s3purge"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "emu"))
sys.path.insert(0, HERE)
from harness import main, process_env, static_key_env  # noqa: E402
from hostile_s3 import HostileS3  # noqa: E402

S3PURGE = sys.argv[1] if len(sys.argv) > 1 else "build/cli/s3purge"
SECRET = "redaction-secret-key-0123456789"
TOKEN = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+token/with+slashes=="


def run(args, env, timeout=120):
    return subprocess.run([S3PURGE, *args], env=process_env(env), capture_output=True, text=True, timeout=timeout)


def every_output(p, *files):
    text = p.stdout + p.stderr
    for f in files:
        if os.path.exists(f):
            with open(f, encoding="utf-8", errors="replace") as fh:
                text += fh.read()
    return text


def test_a_session_token_quoted_back_by_the_server_is_never_printed():
    env = dict(static_key_env("AKIDREDACT", SECRET), AWS_SESSION_TOKEN=TOKEN)
    with HostileS3(["echo-token", "versionless-errors"], versioned=True) as s3, tempfile.TemporaryDirectory() as d:
        for i in range(3):
            s3.put(f"locked/k{i}")
        failed, log = os.path.join(d, "failed"), os.path.join(d, "log")
        p = run(["empty", "s3://hostile/locked/", "--yes", "--json", "-v", "--failed-keys", failed,
                 "--log-file", log, "--endpoint-url", s3.url], env)
        assert p.returncode == 1, (p.returncode, p.stdout, p.stderr)
        assert s3.token == TOKEN, "the server did not see the token: the case proves nothing"
        out = every_output(p, failed, log)
        assert "/wEaCXVzLWVhc3QtMSJHMEUCIQD" not in out and SECRET not in out, out
        assert "[redacted]" in out, "no message quoted the token: the case proves nothing"
        # A whole request refused with the token in its message: the error line and the JSON.
        p = run(["empty", "s3://no-such-bucket", "--yes", "--json", "--endpoint-url", s3.url], env)
        assert p.returncode != 0 and "NoSuchBucket" in p.stdout + p.stderr, (p.returncode, p.stdout, p.stderr)
        assert "[redacted]" in p.stdout + p.stderr and "/wEaCXVzLWVhc3QtMSJHMEUCIQD" not in p.stdout + p.stderr


def test_a_credential_process_is_shown_escaped_and_its_expiration_not_quoted():
    with HostileS3([]) as s3, tempfile.TemporaryDirectory() as d:
        s3.put("a/b")
        helper = os.path.join(d, "helper.sh")
        with open(helper, "w") as f:
            f.write("#!/bin/sh\nprintf '\\033]0;pwned\\007 token=%s\\n' '" + TOKEN + "' >&2\n"
                    "printf '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"" + SECRET +
                    "\", \"SessionToken\": \"" + TOKEN + "\", \"Expiration\": \"" + SECRET + "\"}'\n")
        os.chmod(helper, 0o755)
        config = os.path.join(d, "config")
        with open(config, "w") as f:
            f.write(f"[default]\ncredential_process = {helper}\n")
        env = dict(static_key_env(None, None), AWS_ACCESS_KEY_ID=None, AWS_SECRET_ACCESS_KEY=None,
                   AWS_CONFIG_FILE=config)
        p = run(["empty", "s3://hostile", "--yes", "--endpoint-url", s3.url], env)
        assert p.returncode != 0 and "Expiration" in p.stderr, (p.returncode, p.stdout, p.stderr)
        assert SECRET not in p.stdout + p.stderr, p.stderr
        assert "\x1b" not in p.stderr and "\x07" not in p.stderr, repr(p.stderr)
        assert "\\x1b]0;pwned" in p.stderr, "the helper's stderr is shown, escaped: " + repr(p.stderr)
        assert "/wEaCXVzLWVhc3QtMSJHMEUCIQD" not in p.stdout + p.stderr, p.stderr


if __name__ == "__main__":
    sys.exit(main([test_a_session_token_quoted_back_by_the_server_is_never_printed,
                   test_a_credential_process_is_shown_escaped_and_its_expiration_not_quoted]))
