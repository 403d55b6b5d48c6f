#!/usr/bin/env bash
# Installs the Debian packages s3purge needs (only those missing; apt-get update once),
# then configures and builds Release with -j2 in build/.
# Run as root, or as a user with sudo. Usage: scripts/setup.sh
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  # toolchain
  g++ cmake ninja-build clang libclang-rt-14-dev
  # libraries
  libboost1.81-dev libboost-system1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev librapidxml-dev libspdlog-dev libfmt-dev libcli11-dev
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  # independent S3 clients the tests and benchmarks compare against
  python3 awscli s3cmd rclone
  # plots and peak memory (/usr/bin/time) for bench/
  gnuplot-nox time
  # the Debian package (dpkg-shlibdeps finds its Depends), and the shells whose completions
  # the tests load
  dpkg-dev zsh fish
  # a terminal of 80x24 for the screen test (tests/e2e/test_screen.py)
  tmux
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "setup: not root and no sudo; install: ${missing[*]}" >&2; exit 2; }
    sudo="sudo"
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all ${#packages[@]} Debian packages present"
fi

# The botocore comparison needs botocore in the python3 on PATH (the image's has it).
if ! python3 -c "import botocore" 2>/dev/null; then
  echo "setup: python3 ($(command -v python3)) has no botocore; installing Debian's python3-botocore"
  ${sudo:-} apt-get install -y -qq --no-install-recommends python3-botocore
fi

# The check of deploy/'s Kubernetes example reads YAML.
if ! python3 -c "import yaml" 2>/dev/null; then
  echo "setup: python3 ($(command -v python3)) has no yaml; installing Debian's python3-yaml"
  ${sudo:-} apt-get install -y -qq --no-install-recommends python3-yaml
fi

# s3rver (npm), a server that implements less than S3, for tests/e2e/test_s3rver.py. Node.js
# and npm from Debian where the machine has none (an image's own Node.js is kept).
if ! command -v npm >/dev/null; then
  echo "setup: no npm; installing Debian's nodejs and npm"
  ${sudo:-} apt-get update -qq
  DEBIAN_FRONTEND=noninteractive ${sudo:-} apt-get install -y -qq --no-install-recommends nodejs npm
fi
if [[ ! -x tests/s3rver/node_modules/.bin/s3rver ]]; then
  echo "setup: installing s3rver from tests/s3rver/package-lock.json"
  npm ci --prefix tests/s3rver --no-audit --no-fund --loglevel=error
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build -j2
