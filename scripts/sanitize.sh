#!/usr/bin/env bash
# Sanitizer builds (g++): ASan + UBSan in build-asan/ runs the whole test suite; TSan in
# build-tsan/ runs the engine tests (the in-process emulator's thread, the key reader's
# thread and the engine's event loop). Usage: scripts/sanitize.sh [asan|tsan|all]
set -euo pipefail
cd "$(dirname "$0")/.."
which="${1:-all}"
# -O1 without debug info: the sanitizers' reports name functions and lines through their
# own symbolizer, and the build (the slow part) takes about half as long as at -O2 -g.
common=(-G Ninja -DCMAKE_BUILD_TYPE=Sanitize -DCMAKE_CXX_FLAGS_SANITIZE="-O1 -g1" -DCMAKE_CXX_COMPILER=g++)
if [[ "$which" == asan || "$which" == all ]]; then
  cmake -S . -B build-asan "${common[@]}" \
    -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
  cmake --build build-asan -j2 --target s3purge s3purge_docs s3emu s3purge_unit_tests s3purge_engine_tests sign_vectors checksum_vectors
  # Leaks are checked too (LeakSanitizer is part of ASan); any report fails the test.
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan -j2 --output-on-failure
  # A short soak under every fault: leaks found at exit fail it (s3purge exits non-zero).
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    python3 bench/soak.py --objects 50000 --no-rss-check --s3purge build-asan/cli/s3purge \
      --s3emu build-asan/bench/s3emu
fi
if [[ "$which" == tsan || "$which" == all ]]; then
  cmake -S . -B build-tsan "${common[@]}" -DCMAKE_CXX_FLAGS="-fsanitize=thread -fno-omit-frame-pointer" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread" >/dev/null
  cmake --build build-tsan -j2 --target s3purge_engine_tests
  TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 build-tsan/tests/s3purge_engine_tests
fi
