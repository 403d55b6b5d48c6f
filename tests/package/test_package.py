#!/usr/bin/env python3
"""The Debian package, as a user gets it: `cpack` builds it from the build tree; its Depends
name runtime libraries only; unpacked into a scratch root (`dpkg -x`), the binary there
prints its version and plans a bucket on s3emu, and the man page and the bash, zsh and fish
completions are where those tools look. `cmake --install` to a scratch prefix gives the
same files.
Usage: test_package.py BUILD_DIR PATH/TO/s3emu"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "emu"))
from harness import Emulator, main, need, process_env, static_key_env  # noqa: E402

BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build")
S3EMU = sys.argv[2] if len(sys.argv) > 2 else "build/bench/s3emu"
ENV = static_key_env("AKIDPACKAGE", "package-secret")
FILES = ["bin/s3purge", "share/man/man1/s3purge.1", "share/bash-completion/completions/s3purge",
         "share/zsh/vendor-completions/_s3purge", "share/fish/vendor_completions.d/s3purge.fish"]


def sh(*args, **kw):
    return subprocess.run(list(args), capture_output=True, text=True, check=True, **kw).stdout


def check_installed(prefix):
    for f in FILES:
        path = os.path.join(prefix, f)
        assert os.path.isfile(path) and os.path.getsize(path) > 0, f"missing {path}"
    binary = os.path.join(prefix, "bin/s3purge")
    assert os.access(binary, os.X_OK)
    assert re.match(r"s3purge \d+\.\d+\.\d+", sh(binary, "--version"))
    with Emulator(S3EMU, "--access-key", "AKIDPACKAGE", "--secret-key", "package-secret",
                  "--seed", "bucket=packaged,objects=1200,versions=2,uploads=3") as emu:
        p = subprocess.run([binary, "plan", "s3://packaged", "--json", "--endpoint-url", emu.url],
                           capture_output=True, text=True, env=process_env(ENV), timeout=120)
        assert p.returncode == 0, p.stderr
        assert '"total_entries":2403' in p.stdout, p.stdout
    # The installed completion and man page are the ones the installed binary writes.
    assert open(os.path.join(prefix, "share/bash-completion/completions/s3purge")).read() == \
        sh(binary, "completion", "bash")


def test_the_debian_package_installs_and_runs():
    need("dpkg-deb")
    need("dpkg-shlibdeps")
    with tempfile.TemporaryDirectory() as d:
        sh("cpack", "-G", "DEB", "--config", os.path.join(BUILD, "CPackConfig.cmake"), "-B", d)
        debs = [f for f in os.listdir(d) if f.endswith(".deb")]
        assert len(debs) == 1, os.listdir(d)
        deb = os.path.join(d, debs[0])
        depends = sh("dpkg-deb", "-f", deb, "Depends")
        names = [re.split(r"[ (]", p.strip())[0] for p in depends.replace("|", ",").split(",") if p.strip()]
        assert names, "no Depends"
        for n in names:
            assert not n.endswith("-dev"), f"a development package in Depends: {depends}"
        for lib in ("libc6", "libssl3", "libstdc++6"):
            assert lib in names, f"{lib} not in Depends: {depends}"
        assert sh("dpkg-deb", "-f", deb, "Package").strip() == "s3purge"
        root = os.path.join(d, "root")
        sh("dpkg", "-x", deb, root)
        check_installed(os.path.join(root, "usr"))
        # Nothing outside /usr.
        top = set(os.listdir(root))
        assert top == {"usr"}, top


def test_cmake_install_puts_the_same_files_in_place():
    with tempfile.TemporaryDirectory() as d:
        sh("cmake", "--install", BUILD, "--prefix", d)
        check_installed(d)


if __name__ == "__main__":
    sys.exit(main([test_cmake_install_puts_the_same_files_in_place,
                   test_the_debian_package_installs_and_runs]))
