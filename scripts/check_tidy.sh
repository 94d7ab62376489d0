#!/usr/bin/env bash
# Runs clang-tidy (the checks of .clang-tidy, every warning an error) on the examples and on a test
# that reaches the nn layer's file code, with the compile commands of a build directory (ctest
# lint.tidy in the dev preset). The headers of include/tapeless are checked as these sources
# instantiate them.
#
#   scripts/check_tidy.sh build/dev
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build=${1:?usage: check_tidy.sh <build directory with compile_commands.json>}
tidy=$(command -v clang-tidy-14 || true)
if [[ -z "$tidy" ]]; then
    echo "check_tidy: clang-tidy-14 is not installed (Debian: apt-get install clang-tidy)" >&2
    exit 1
fi
if [[ ! -f "$build/compile_commands.json" ]]; then
    echo "check_tidy: $build/compile_commands.json is missing (configure with a preset first)" >&2
    exit 1
fi
sources=(examples/*.cpp test/unit/nn/serialize.cpp)
status=0
for f in "${sources[@]}"; do
    if ! "$tidy" -p "$build" --quiet "$f"; then
        echo "check_tidy: $f has clang-tidy findings (above)" >&2
        status=1
    fi
done
[[ $status -eq 0 ]] && echo "check_tidy: ${#sources[@]} sources clean"
exit $status
