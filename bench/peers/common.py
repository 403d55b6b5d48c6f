"""What every bench/peers scenario shares: the environment the tools run in (the
emulator's keys, nothing of the caller's AWS setup) and a timed run of one command (wall
time, CPU, peak RSS)."""
import os
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "emu"))
from harness import Emulator  # noqa: E402,F401

KEY, SECRET = "AKIDBENCH", "bench-secret"
BASE_ENV = {"AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": SECRET, "AWS_REGION": "us-east-1",
            "AWS_DEFAULT_REGION": "us-east-1", "AWS_CONFIG_FILE": "/dev/null",
            "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"}
DROP_ENV = ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_CA_BUNDLE")

def env():
    e = dict(os.environ)
    for k in DROP_ENV:
        e.pop(k, None)
    e.update(BASE_ENV)
    return e


with open("/proc/self/cmdline", "rb") as _f:
    OWN_CMDLINE = _f.read().split(b"\0")


def hwm_kib(pid, cmd):
    """The process's peak RSS so far (VmHWM), once it runs `cmd` and not the forked Python."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            argv = f.read().split(b"\0")
        # Before exec the child still shows this script's command line; after it, the tool's
        # (an interpreter may come first: /usr/bin/python3 /usr/bin/aws ...).
        if argv == OWN_CMDLINE or len(argv) < 2 or argv[-2].decode(errors="replace") != str(cmd[-1]):
            return 0
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def timed(cmd, timeout, stdout=subprocess.DEVNULL):
    """Runs cmd; returns (exit code, wall s, cpu s of it and its children, peak RSS KiB)."""
    start = time.time()
    proc = subprocess.Popen(cmd, env=env(), stdout=stdout, stderr=subprocess.PIPE)
    stderr = []
    t = threading.Thread(target=lambda: stderr.append(proc.stderr.read()))
    t.start()
    deadline = start + timeout
    peak_kib = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        peak_kib = max(peak_kib, hwm_kib(proc.pid, cmd))
        if time.time() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.005)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.time() - start
    t.join()
    # Not ru_maxrss: it keeps the forked Python's size from before exec.
    return proc.returncode, wall, usage.ru_utime + usage.ru_stime, peak_kib, (stderr or [b""])[0]
