"""A small test harness for the tests that run real programs: s3emu and moto_server on
127.0.0.1, the AWS CLI, s3cmd, rclone, boto3. Every loop is bounded; servers stop with the
test. A check that needs a missing program fails when CI=true and is skipped, with the
reason printed, elsewhere."""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request

IN_CI = os.environ.get("CI") == "true"


class Missing(Exception):
    """A program a check needs is not installed."""


def need(program):
    path = shutil.which(program)
    if not path:
        raise Missing(f"{program} is not installed (Debian package; scripts/setup.sh installs it)")
    return path


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Emulator:
    """s3emu started on 127.0.0.1 with a port file; stopped on exit."""

    def __init__(self, binary, *args):
        self.dir = tempfile.mkdtemp(prefix="s3emu-test-")
        port_file = os.path.join(self.dir, "port")
        self.log = open(os.path.join(self.dir, "log"), "w+")
        self.proc = subprocess.Popen([binary, "--listen", "127.0.0.1:0", "--port-file", port_file,
                                      *args], stdout=subprocess.PIPE, stderr=self.log, text=True)
        first = self.proc.stdout.readline()
        if not first.startswith("listening on 127.0.0.1:"):
            self.stop()
            raise RuntimeError(f"s3emu did not start: {first!r} {self.read_log()}")
        self.port = int(first.strip().rsplit(":", 1)[1])
        with open(port_file) as f:
            assert int(f.read()) == self.port, "port file and first line disagree"

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def stats(self):
        import json
        with urllib.request.urlopen(self.url + "/_emu/stats", timeout=10) as r:
            return json.load(r)

    def cpu_seconds(self):
        """User + system CPU the emulator has used so far (from /proc)."""
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def read_log(self):
        self.log.seek(0)
        return self.log.read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class Moto:
    """moto_server on 127.0.0.1."""

    def __init__(self):
        need("moto_server")
        self.port = free_port()
        self.proc = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(self.port)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url + "/", timeout=1)
                return
            except Exception:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("moto_server did not start within 30 s")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def process_env(overrides=None):
    """This process's environment with `overrides` applied; a None value removes the name."""
    env = dict(os.environ)
    env.update(overrides or {})
    return {k: v for k, v in env.items() if v is not None}


def static_key_env(key_id, secret):
    """An environment whose only credentials are these static keys: no profile, config or
    credentials file, session token, endpoint or CA bundle of this machine's leaks in."""
    return {"AWS_ACCESS_KEY_ID": key_id, "AWS_SECRET_ACCESS_KEY": secret,
            "AWS_SESSION_TOKEN": None, "AWS_PROFILE": None, "AWS_REGION": None,
            "AWS_DEFAULT_REGION": "us-east-1", "AWS_CONFIG_FILE": "/dev/null",
            "AWS_SHARED_CREDENTIALS_FILE": "/dev/null", "AWS_ENDPOINT_URL": None,
            "AWS_ENDPOINT_URL_S3": None, "AWS_CA_BUNDLE": None,
            # Never the machine's own role: tests talk to 127.0.0.1 only.
            "AWS_EC2_METADATA_DISABLED": "true", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": None,
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": None}


def proc_status_kib(pid, field):
    """A figure of /proc/PID/status in KiB (VmRSS now, VmHWM the peak so far), or None when
    the process has ended."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def boto3_client(url, key, secret, region="us-east-1"):
    """A boto3 S3 client for `url`; Missing when boto3 cannot be imported."""
    try:
        import boto3
    except ImportError as e:
        raise Missing(f"boto3 is not importable: {e}")
    return boto3.client("s3", endpoint_url=url, region_name=region, aws_access_key_id=key,
                        aws_secret_access_key=secret)


def run(cmd, env=None, check=True, timeout=120, input=None):
    """Runs a command; returns CompletedProcess. Fails with its output when check and rc != 0."""
    p = subprocess.run(cmd, env=process_env(env), capture_output=True, text=True, timeout=timeout,
                       input=input)
    if check and p.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} exited {p.returncode}\n{p.stdout}\n{p.stderr}")
    return p


def main(tests):
    passed = failed = skipped = 0
    for test in tests:
        name = test.__name__
        try:
            test()
            passed += 1
            print(f"PASS {name}", flush=True)
        except Missing as m:
            if IN_CI:
                failed += 1
                print(f"FAIL {name}: {m} (CI=true: a missing tool is a failure)", flush=True)
            else:
                skipped += 1
                print(f"SKIP {name}: {m}", flush=True)
        except Exception:
            failed += 1
            print(f"FAIL {name}:\n{traceback.format_exc()}", flush=True)
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0
