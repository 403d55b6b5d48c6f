#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test: unit tests,
# the botocore SigV4 comparison, the CLI checks, and each libFuzzer target for a bounded
# time (FUZZ_SECONDS, default 10).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
ctest --test-dir build --output-on-failure -j2
scripts/fuzz.sh "${FUZZ_SECONDS:-10}"
