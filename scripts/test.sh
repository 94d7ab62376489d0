#!/usr/bin/env bash
# Configures, builds and tests tapeless with g++ (preset "dev"), clang++ ("clang") and
# clang++ with AddressSanitizer + UBSan ("asan"), then checks the compile-time budget
# (bench/compile, the design's limits + 50 %). Ends with a line "<N> passed, <M> failed"
# summed over all presets, and exits non-zero if anything failed. A configure or build failure
# counts as one failed test for that preset.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/deps.sh clang clang-format clang-tidy libclang-rt-14-dev libeigen3-dev libomp-dev time python3

jobs=$(nproc 2>/dev/null || echo 2)
presets=(dev clang asan)

total_passed=0
total_failed=0
report=()
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run_preset() {
    local preset=$1 start passed failed status line
    start=$(date +%s)
    echo "==== [$preset] configure"
    if ! cmake --preset "$preset"; then
        report+=("$preset: configure FAILED ($(($(date +%s) - start))s)")
        total_failed=$((total_failed + 1))
        return
    fi
    echo "==== [$preset] build"
    if ! cmake --build --preset "$preset" -j "$jobs"; then
        report+=("$preset: build FAILED ($(($(date +%s) - start))s)")
        total_failed=$((total_failed + 1))
        return
    fi
    echo "==== [$preset] test"
    status=0
    ctest --preset "$preset" -j "$jobs" --output-on-failure 2>&1 | tee "$log" || status=$?

    # ctest summary: "NN% tests passed, F tests failed out of T"
    line=$(grep -E '^[0-9]+% tests? passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1 || true)
    if [[ -n "$line" ]]; then
        failed=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
        passed=$(( $(sed -E 's/.* failed out of ([0-9]+).*/\1/' <<<"$line") - failed ))
    else
        passed=0
        failed=0
    fi
    # A non-zero ctest exit without any counted failure (no tests found, crash, ...) still fails.
    if [[ $status -ne 0 && $failed -eq 0 ]]; then
        failed=1
    fi
    total_passed=$((total_passed + passed))
    total_failed=$((total_failed + failed))
    report+=("$preset: $passed passed, $failed failed ($(($(date +%s) - start))s)")
}

overall_start=$(date +%s)
for preset in "${presets[@]}"; do
    run_preset "$preset"
done

# The compile-time budget (design: #include ≤ 2 s; value, value and gradient, and value, gradient
# and Hessian of a 200-node scalar expression ≤ 10 s and 1 GB with g++ -O2), failing if a case is
# more than 50 % over.
run_compile_budget() {
    local start
    start=$(date +%s)
    echo "==== [compile-budget] bench/compile/run.sh"
    if bash bench/compile/run.sh --cases '^(include_only|scalar_200|grad_scalar_200|hess_scalar_200)$' \
        --compilers g++ --build-dir build/compile-budget \
        --budget 'include_only:g++:3' --budget 'scalar_200:g++:15:1536' --budget 'grad_scalar_200:g++:15:1536' \
        --budget 'hess_scalar_200:g++:15:1536'; then
        total_passed=$((total_passed + 1))
        report+=("compile-budget: 1 passed, 0 failed ($(($(date +%s) - start))s)")
    else
        total_failed=$((total_failed + 1))
        report+=("compile-budget: 0 passed, 1 failed ($(($(date +%s) - start))s)")
    fi
}
run_compile_budget

echo
echo "==== summary (total $(($(date +%s) - overall_start))s)"
printf '%s\n' "${report[@]}"
echo "$total_passed passed, $total_failed failed"

[[ $total_failed -eq 0 ]]
