#!/usr/bin/env python3
"""What a person sees at 80x24: the real s3purge in a tmux pane on the real s3emu, the
screen read back with capture-pane. The plan and the confirmation fit 80 columns and are
cut between words; after Ctrl-C the "interrupted" line stays, no old status line is left
above the summary, and the summary fits.
Usage: test_screen.py PATH/TO/s3purge PATH/TO/s3emu"""
import os
import shlex
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "emu"))
from harness import Emulator, main, need, static_key_env  # noqa: E402

S3PURGE = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/cli/s3purge")
S3EMU = sys.argv[2] if len(sys.argv) > 2 else "build/bench/s3emu"
KEY, SECRET = "AKIDSCREEN", "screen-secret-value"
SESSION = f"s3purge-screen-{os.getpid()}"


class Pane:
    """A tmux session of 80x24 running a shell with the test's environment."""

    def __init__(self):
        need("tmux")
        env = static_key_env(KEY, SECRET)
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items() if v is not None)
        unsets = " ".join(k for k, v in env.items() if v is None)
        subprocess.run(["tmux", "new-session", "-d", "-s", SESSION, "-x", "80", "-y", "24",
                        f"env -u {unsets.replace(' ', ' -u ')} {exports} bash --norc --noprofile"], check=True)
        self.type("export PS1='[ready]'; clear")

    def type(self, text, enter=True):
        subprocess.run(["tmux", "send-keys", "-t", SESSION, text] + (["Enter"] if enter else []), check=True)

    def key(self, name):
        subprocess.run(["tmux", "send-keys", "-t", SESSION, name], check=True)

    def screen(self):
        return subprocess.run(["tmux", "capture-pane", "-t", SESSION, "-p"], capture_output=True, text=True,
                              check=True).stdout

    def wait_for(self, text, seconds=30):
        deadline = time.time() + seconds
        while time.time() < deadline:
            s = self.screen()
            if text in s:
                return s
            time.sleep(0.1)
        raise AssertionError(f"{text!r} not on the screen after {seconds} s:\n{self.screen()}")

    def wait_for_prompt(self, seconds=30):
        """The screen once the command has ended: the prompt is the last line again."""
        deadline = time.time() + seconds
        while time.time() < deadline:
            s = self.screen()
            if lines_of(s) and lines_of(s)[-1] == "[ready]":
                return s
            time.sleep(0.1)
        raise AssertionError(f"the command did not end within {seconds} s:\n{self.screen()}")

    def close(self):
        subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True)


def lines_of(screen):
    return [l for l in screen.splitlines() if l.strip()]


def test_plan_confirmation_and_ctrl_c_at_80_columns():
    seed = "bucket=screen-bucket,objects=200000,versions=2,classes=STANDARD:50,GLACIER:50,age=1d..200d"
    with Emulator(S3EMU, "--access-key", KEY, "--secret-key", SECRET, "--seed", seed) as emu:
        pane = Pane()
        try:
            # The plan: every line fits, and the next command stands whole on a line of its own.
            pane.type(f"{S3PURGE} plan s3://screen-bucket --endpoint-url {emu.url}")
            screen = pane.wait_for_prompt()
            assert all(len(l) <= 80 for l in screen.splitlines()), screen
            assert "inside its minimum" in screen and "GB-months" in screen, screen
            # The confirmation: cut between words, nothing deleted when Ctrl-C answers it.
            pane.type("clear")
            pane.wait_for_prompt()
            pane.type(f"{S3PURGE} empty s3://screen-bucket/prefix-0000/ --older-than 30d --exclude '*.keep' "
                      f"--endpoint-url {emu.url}")
            screen = pane.wait_for("Type the bucket name to continue:")
            prompt = [l for l in lines_of(screen) if "older-than" in l or "exclude" in l]
            assert prompt and all(not l.endswith("--exc") and len(l) < 80 for l in prompt), screen
            pane.key("C-c")
            pane.wait_for_prompt()
            pane.type("clear")
            pane.wait_for_prompt()
            # A run interrupted while the status area is drawn.
            pane.type(f"{S3PURGE} empty s3://screen-bucket --yes --rate 20000 --endpoint-url {emu.url}")
            pane.wait_for("so far")
            time.sleep(1.2)
            pane.key("C-c")
            screen = pane.wait_for_prompt()
            lines = lines_of(screen)
            at = next(i for i, l in enumerate(lines) if l.startswith("s3purge: interrupted"))
            summary = next(i for i, l in enumerate(lines) if l.startswith("empty s3://screen-bucket/  ("))
            assert at < summary, screen
            assert not any("so far" in l or l.startswith("deleted ") for l in lines[at:summary]), \
                "an old status line is left above the summary:\n" + screen
            assert all(len(l) <= 80 for l in screen.splitlines()), screen
            assert "interrupted: the rest was not attempted" in screen, screen
        finally:
            pane.close()


if __name__ == "__main__":
    sys.exit(main([test_plan_confirmation_and_ctrl_c_at_80_columns]))
