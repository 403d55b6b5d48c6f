#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test: unit tests,
# the botocore SigV4 comparison, the emulator against real clients, the engine and CLI
# end to end, each libFuzzer target for a bounded time (FUZZ_SECONDS, default 10), then
# the whole suite again under ASan+UBSan (with LeakSanitizer and a short soak under
# faults) and the engine tests under TSan. S3PURGE_SANITIZERS=0 skips the last two, for a
# quick local run; CI always runs them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
ctest --test-dir build --output-on-failure -j2
scripts/fuzz.sh "${FUZZ_SECONDS:-10}"
if [[ "${S3PURGE_SANITIZERS:-1}" != 0 || "${CI:-}" == true ]]; then
  scripts/sanitize.sh all
fi
