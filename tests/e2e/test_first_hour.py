#!/usr/bin/env python3
"""What a new user meets first, through the real s3purge binary: the status area in an 80-
and a 40-column terminal (a pseudo-terminal, replayed on a small terminal model), a bad
endpoint said at once, flag errors in one line, a report that does not contradict itself,
--help in groups, and the man page and completions written from the same parser.
Usage: test_first_hour.py PATH/TO/s3purge PATH/TO/s3emu"""
import fcntl
import json
import os
import pty
import re
import select
import socket
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "emu"))
from harness import Emulator, main, process_env, run, static_key_env  # noqa: E402

S3PURGE = sys.argv[1] if len(sys.argv) > 1 else "build/cli/s3purge"
S3EMU = sys.argv[2] if len(sys.argv) > 2 else "build/bench/s3emu"
ENV = static_key_env("AKIDFIRSTHOUR", "first-hour-secret")
VERIFY = ["--access-key", "AKIDFIRSTHOUR", "--secret-key", "first-hour-secret"]


def s3purge(*args, expect=None, timeout=300):
    p = run([S3PURGE, *args], env=ENV, check=False, timeout=timeout)
    if expect is not None:
        assert p.returncode == expect, f"exit {p.returncode}, not {expect}\n{p.stdout}\n{p.stderr}"
    return p


# ---- the status area ---------------------------------------------------------------------

class Terminal:
    """Enough of a VT100 to replay s3purge's output: printable text with automatic wrap at
    the right margin, CR, LF, and the CSI sequences it uses (n F, J, K). Rows scrolled off
    the top stay in `rows`; the cursor cannot go above the visible screen."""

    def __init__(self, columns, lines):
        self.columns, self.lines = columns, lines
        self.rows, self.row, self.col = [[]], 0, 0

    def _line_feed(self):
        self.row += 1
        while len(self.rows) <= self.row:
            self.rows.append([])

    def feed(self, text):
        i = 0
        while i < len(text):
            c = text[i]
            m = re.match(r"\x1b\[(\d*)([A-Za-z])", text[i:])
            if m:
                n, op = int(m.group(1) or 1), m.group(2)
                if op == "F":
                    top = max(0, len(self.rows) - self.lines)
                    self.row, self.col = max(top, self.row - n), 0
                elif op == "J":
                    del self.rows[self.row][self.col:]
                    del self.rows[self.row + 1:]
                elif op == "K":
                    del self.rows[self.row][self.col:]
                i += len(m.group(0))
                continue
            if c == "\r":
                self.col = 0
            elif c == "\n":
                self._line_feed()
            elif c >= " ":
                if self.col >= self.columns:
                    self._line_feed()
                    self.col = 0
                row = self.rows[self.row]
                row.extend(" " * (self.col - len(row)))
                if self.col < len(row):
                    row[self.col] = c
                else:
                    row.append(c)
                self.col += 1
            i += 1

    def text(self):
        return ["".join(r) for r in self.rows]


def set_size(fd, columns, lines=24):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))


def run_in_terminal(args, columns, resize_to=None, resize_after=1.2):
    """Runs s3purge with all three streams on a pseudo-terminal `columns` wide, optionally
    narrowed to `resize_to` after `resize_after` s; returns (exit code, raw output, offset
    of the output written after the resize)."""
    master, slave = pty.openpty()
    set_size(slave, columns)
    proc = subprocess.Popen([S3PURGE, *args], stdin=slave, stdout=slave, stderr=slave,
                            env=process_env(ENV), close_fds=True)
    os.close(slave)
    out, started, resized_at = b"", time.time(), None
    while time.time() < started + 240:
        if resize_to and resized_at is None and time.time() > started + resize_after:
            set_size(master, resize_to)
            resized_at = len(out)
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        elif proc.poll() is not None:
            break
    proc.wait(timeout=30)
    os.close(master)
    text = out.decode(errors="replace")
    return proc.returncode, text, len(out[:resized_at].decode(errors="replace")) if resized_at else None


def status_lines(text):
    """The lines of the status area: each is drawn as TEXT ESC[K LF."""
    return [re.sub(r"\x1b\[\d*[A-Za-z]", "", l) for l in re.findall(r"([^\n]*)\x1b\[K\r?\n", text)]


def test_the_status_area_fits_80_and_40_columns_and_follows_a_resize():
    # The reproduction, smaller: listing and deleting last about 3 s at --rate 20000.
    seed = "bucket=tty,objects=30000,versions=2,markers=2000,uploads=300,versioning=enabled"
    for columns, resize_to in ((80, None), (40, None), (80, 40)):
        with Emulator(S3EMU, *VERIFY, "--seed", seed, "--list-latency", "30ms") as emu:
            rc, out, resized = run_in_terminal(
                ["empty", "s3://tty", "--rate", "20000", "--yes", "--endpoint-url", emu.url], columns, resize_to)
            assert rc == 0, (rc, out[-2000:])
            lines = status_lines(out)
            assert len(lines) >= 6, f"the status area was drawn too few times:\n{out[-2000:]}"
            for line in lines:
                assert len(line) < columns, f"{len(line)} columns in a {columns}-column terminal: {line!r}"
            assert (resized is not None) == (resize_to is not None), "the run ended before the resize"
            if resized is not None:
                after = status_lines(out[resized:])
                assert len(after) >= 3, "no redraw after the resize"
                # The first redraw may have been written before the size was read again.
                for line in after[len(after) // 2:]:
                    assert len(line) < resize_to, f"{len(line)} columns after narrowing to {resize_to}: {line!r}"
            if resized is not None:
                # When s3purge read the new width is not in its output, so the replay below
                # cannot know at which width each frame was drawn.
                continue
            # Replayed: when the run ends, only the summary is left, no stale status row.
            screen = Terminal(columns, 24)
            screen.feed(out)
            left = [r for r in screen.text() if "ETA" in r or "so far" in r or "throttled" in r]
            assert not left, "status rows left behind:\n" + "\n".join(screen.text())
            assert any("accounting" in r for r in screen.text()), "\n".join(screen.text())


# ---- a bad endpoint ----------------------------------------------------------------------

def timed(*args):
    started = time.time()
    p = s3purge(*args, timeout=120)
    return p, time.time() - started


def test_a_bad_endpoint_is_said_at_once_with_what_to_do():
    # Nothing listens: a refused port.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    p, took = timed("plan", "s3://some-bucket", "--endpoint-url", f"http://127.0.0.1:{port}")
    assert p.returncode == 2 and took < 5, (took, p.stderr)
    assert "retry 1 of" in p.stderr and "connection refused" in p.stderr, p.stderr
    assert "check --endpoint-url" in p.stderr.splitlines()[-1], p.stderr
    # https:// on a plain-HTTP port: the hint says to try http://.
    with Emulator(S3EMU, *VERIFY, "--seed", "bucket=plain,objects=5") as emu:
        p, took = timed("plan", "s3://plain", "--endpoint-url", emu.url.replace("http://", "https://"))
        assert p.returncode == 2 and took < 5, (took, p.stderr)
        assert "http://" in p.stderr.splitlines()[-1] and "TLS" in p.stderr, p.stderr
    # A server that accepts and never answers, with --timeout 2: a few attempts, not ten.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held, stop = [], threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                pass
    t = threading.Thread(target=accept)
    t.start()
    try:
        p, took = timed("plan", "s3://some-bucket", "--timeout", "2",
                        "--endpoint-url", f"http://127.0.0.1:{listener.getsockname()[1]}")
    finally:
        stop.set()
        t.join()
        for c in held:
            c.close()
        listener.close()
    assert p.returncode == 2 and took < 15, (took, p.stderr)
    assert "retry 1 of" in p.stderr and "did not answer within --timeout" in p.stderr, p.stderr


# ---- flag errors ---------------------------------------------------------------------------

def test_flag_errors_name_the_flag_the_value_and_what_is_allowed():
    cases = [
        (["empty", "s3://x", "--rate", "-5"], ["--rate", "-5", "0 or more"]),
        (["empty", "s3://x", "--concurrency", "0"], ["--concurrency", "0", "1 to 1024"]),
        (["empty", "s3://x", "--batch-size", "5000"], ["--batch-size", "5000", "1 to 1000"]),
        (["empty", "s3://x", "--listers", "many"], ["--listers", "'many'", "0 to 256"]),
        (["abort-uploads", "s3://x", "--older-than", "7q"], ["--older-than", "'7q'", "7d"]),
        (["empty", "s3://x", "--concurency", "4"], ["unknown flag --concurency", "did you mean --concurrency?"]),
        (["purge", "s3://x"], ["unknown command 'purge'", "empty", "delete"]),
        (["emtpy", "s3://x"], ["did you mean empty?"]),
        (["empty", "s3://x", "-q", "-vv"], ["--quiet", "--verbose"]),
        (["abort-uploads", "s3://x", "--batch-size", "10"], ["abort-uploads: unknown flag --batch-size"]),
        (["lifecycle", "install", "s3://x", "--days", "0"], ["--days", "0", "1 to 36500"]),
        ([], ["a command is required", "plan"]),
        (["empty", "s3://x", "--keep-newest", "abc"], ["--keep-newest", "'abc'", "whole number", "0 to 1000000"]),
        (["delete", "s3://x", "--only", "current"], ["delete", "--only", "takes no selection", "s3purge empty"]),
        (["rb", "s3://x", "--older-than", "3d"], ["--older-than", "takes no selection"]),
        (["rm", "s3://x", "k", "--include", "*"], ["rm", "--include", "only the keys it names"]),
    ]
    for args, words in cases:
        p = s3purge(*args)
        lines = p.stderr.strip().splitlines()
        assert p.returncode == 2, (args, p.returncode, p.stderr)
        assert len(lines) == 1 and lines[0].startswith("s3purge: error: "), (args, p.stderr)
        for w in words:
            assert w in lines[0], (args, w, lines[0])


def test_lifecycle_json_is_json():
    with Emulator(S3EMU, *VERIFY, "--seed", "bucket=life,objects=5") as emu:
        doc = json.loads(s3purge("lifecycle", "install", "s3://life", "--days", "3", "--yes", "--json",
                                 "--endpoint-url", emu.url, expect=0).stdout)
        assert doc["action"] == "install" and doc["changed"] and not doc["dry_run"], doc
        ours = [r for r in doc["rules"] if r["s3purge"]]
        assert ours and ours[0]["expiration_days"] == 3, doc
        shown = json.loads(s3purge("lifecycle", "show", "s3://life", "--json", "--endpoint-url", emu.url,
                                   expect=0).stdout)
        assert shown["rules"] == doc["rules"], (shown, doc)
        removed = json.loads(s3purge("lifecycle", "remove", "s3://life", "--json", "--endpoint-url", emu.url,
                                     expect=0).stdout)
        assert removed["changed"] and removed["rules"] == [], removed


# ---- the report ----------------------------------------------------------------------------

def test_the_report_names_things_as_the_plan_does_and_empty_means_empty():
    with Emulator(S3EMU, *VERIFY, "--seed", "bucket=names,objects=300,versions=2,markers=20,uploads=3,"
                  "versioning=enabled") as emu:
        plan = s3purge("plan", "s3://names", "--endpoint-url", emu.url, expect=0).stdout
        assert "current objects" in plan and "noncurrent versions" in plan, plan
        planned = {row: re.search(rf"\n  {row} +([0-9,]+)", plan).group(1)
                   for row in ("current objects", "noncurrent versions", "delete markers", "incomplete uploads")}
        p = s3purge("empty", "s3://names", "--yes", "--endpoint-url", emu.url, expect=0)
        for row, count in planned.items():
            # The run's rows say the plan's words, and list what the plan counted.
            m = re.search(rf"\n  {row} +([0-9,]+) +([0-9,]+)", p.stdout)
            assert m and m.group(1) == count and m.group(2) == count, (row, count, plan, p.stdout)
        r = json.loads(s3purge("empty", "s3://names", "--yes", "--json", "--endpoint-url", emu.url, expect=0).stdout)
        assert set(r["counts"]) == {"objects", "versions", "delete_markers", "uploads"}, r["counts"]
    # Ten refused keys are still there: the bucket is not "verified empty".
    with Emulator(S3EMU, *VERIFY, "--seed", "bucket=refused,objects=10", "--deny", "DeleteObject") as emu:
        r = json.loads(s3purge("empty", "s3://refused", "--yes", "--json", "--endpoint-url", emu.url,
                               expect=1).stdout)
        assert r["remaining"] == 10 and not r["empty_verified"] and r["remaining_are_failures"], r
        assert {f["kind"] for f in r["failures"]} == {"objects"}, r["failures"]


# ---- help, man page, completions -------------------------------------------------------------

def flags_in_help(command):
    return set(re.findall(r"^\s+(?:-\w,)?(--[a-z-]+)", s3purge(command, "--help", expect=0).stdout, re.M))


def test_help_is_grouped_and_shows_only_what_applies():
    out = s3purge("empty", "--help", expect=0).stdout
    for group in ("Target:", "Speed:", "Safety:", "Output:"):
        assert group in out, out
    assert "--connect-to" not in out, "a test hook is shown"
    abort = flags_in_help("abort-uploads")
    assert "--batch-size" not in abort and "--shard" not in abort and "--older-than" in abort, abort
    assert "--dry-run" not in flags_in_help("plan") and "--yes" not in flags_in_help("plan")
    assert "--keys-from" in flags_in_help("rm") and "--listers" not in flags_in_help("rm")


def test_man_page_and_completions_come_from_the_parser():
    with tempfile.TemporaryDirectory() as d:
        s3purge("--write-docs", d, expect=0)
        man = open(os.path.join(d, "s3purge.1")).read()
        assert man.startswith(".TH S3PURGE 1"), man[:200]
        for command in ("plan", "empty", "delete", "rm", "abort-uploads", "lifecycle"):
            section = man.split(".SS " + command.replace("-", "\\-"), 1)[1].split(".SS ", 1)[0]
            for flag in flags_in_help(command) - {"--help"}:
                assert "\\-\\-" + flag[2:].replace("-", "\\-") in section, (command, flag)
        bash = s3purge("completion", "bash", expect=0).stdout
        assert bash == open(os.path.join(d, "s3purge.bash")).read()
        script = bash + "\nCOMP_WORDS=(s3purge empty --conc); COMP_CWORD=2; _s3purge; echo \"${COMPREPLY[@]}\"" \
                        "\nCOMP_WORDS=(s3purge em); COMP_CWORD=1; _s3purge; echo \"${COMPREPLY[@]}\"" \
                        "\nCOMP_WORDS=(s3purge plan --addressing-style ''); COMP_CWORD=3; _s3purge; echo \"${COMPREPLY[@]}\"" \
                        "\nCOMP_WORDS=(s3purge lifecycle ''); COMP_CWORD=2; _s3purge; echo \"${COMPREPLY[@]}\"" \
                        "\nCOMP_WORDS=(s3purge completion ''); COMP_CWORD=2; _s3purge; echo \"${COMPREPLY[@]}\"" \
                        "\nCOMP_WORDS=(s3purge empty s3://b --only ''); COMP_CWORD=4; _s3purge; echo \"${COMPREPLY[@]}\"" \
                        "\nCOMP_WORDS=(s3purge empty s3://b --only current,no); COMP_CWORD=4; _s3purge; echo \"${COMPREPLY[@]}\"" \
                        "\nCOMP_WORDS=(s3purge r); COMP_CWORD=1; _s3purge; echo \"${COMPREPLY[@]}\""
        lines = subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=True).stdout.splitlines()
        assert lines == ["--concurrency", "empty", "auto path virtual", "show install remove", "bash zsh fish",
                         "current noncurrent markers orphan-markers uploads", "current,noncurrent", "rb rm"], lines
        for shell, name in (("zsh", "_s3purge"), ("fish", "s3purge.fish")):
            text = s3purge("completion", shell, expect=0).stdout
            assert text == open(os.path.join(d, name)).read()
            assert "--concurrency" in text or "-l concurrency" in text, text[:300]
            checker = {"zsh": ["zsh", "-n"], "fish": ["fish", "--no-execute"]}[shell]
            if subprocess.run(["which", checker[0]], capture_output=True).returncode == 0:
                subprocess.run(checker + [os.path.join(d, name)], check=True)
                if shell == "fish":  # fish completes from a command line without a terminal
                    got = subprocess.run(["fish", "-c", f"source {os.path.join(d, name)}; "
                                          "complete -C 's3purge empty --conc'"],
                                         capture_output=True, text=True, check=True).stdout
                    assert got.startswith("--concurrency\t"), got
            elif os.environ.get("CI") == "true":
                raise AssertionError(f"{checker[0]} is missing (scripts/setup.sh installs it)")
            else:
                print(f"note: {checker[0]} is not installed: its completion's syntax is not checked")


if __name__ == "__main__":
    sys.exit(main([test_flag_errors_name_the_flag_the_value_and_what_is_allowed,
                   test_help_is_grouped_and_shows_only_what_applies,
                   test_man_page_and_completions_come_from_the_parser,
                   test_a_bad_endpoint_is_said_at_once_with_what_to_do,
                   test_lifecycle_json_is_json,
                   test_the_report_names_things_as_the_plan_does_and_empty_means_empty,
                   test_the_status_area_fits_80_and_40_columns_and_follows_a_resize]))
