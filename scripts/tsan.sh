#!/usr/bin/env bash
# Runs the thread-safety tests under ThreadSanitizer (clang++, preset "tsan"): gradients, Hessians,
# Hessian-vector products, sharpness and training steps from several threads at once, compared
# bit for bit with one thread (test/unit/nn/threads.cpp). Exits non-zero on a data race or a
# difference.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/deps.sh clang libclang-rt-14-dev
cmake --preset tsan
cmake --build build/tsan --target test_nn_threads
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" build/tsan/test/test_nn_threads
