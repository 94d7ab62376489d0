#!/usr/bin/env bash
# Random-expression fuzzing (docs/testing.md): generates random expressions with
# scripts/fuzz/generate.py, compiles each generated source as a program against include/ and
# test/support/fuzz_check.hpp, runs them, and ends with a line
#   "<N> expressions, <M> disagreements"
# (M counts the expressions with at least one disagreement, plus the sources that failed to
# compile or crashed). Exits non-zero when M > 0.
#
#   bash scripts/fuzz.sh --count 2000 [--seed S] [--jobs J] [--per-file P] [--cxx clang++]
#                        [--flags "-O0"] [--out DIR]
#
# The failing expressions' trees are written to DIR/failures.jsonl; reduce one with
#   python3 scripts/fuzz/reduce.py --expr DIR/failures.jsonl --line 1
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

count=2000
seed=1
jobs=$(nproc 2>/dev/null || echo 2)
per_file=25
cxx=clang++
flags="-O0"
out=""

while [[ $# -gt 0 ]]; do
    case $1 in
    --count) count=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --per-file) per_file=$2; shift 2 ;;
    --cxx) cxx=$2; shift 2 ;;
    --flags) flags=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h | --help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "fuzz.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
out=${out:-build/fuzz/seed-$seed}

bash scripts/deps.sh clang python3 >/dev/null

start=$(date +%s)
rm -rf "$out"
mkdir -p "$out"
python3 scripts/fuzz/generate.py --seed "$seed" --count "$count" --per-file "$per_file" --out "$out"

# One job per source: compile, run, keep the log. The job's status line goes to <name>.status.
export cxx flags out
build_and_run() {
    local src=$1 name
    name=$(basename "$src" .cpp)
    # shellcheck disable=SC2086
    if ! "$cxx" -std=c++20 $flags -Iinclude -Itest "$src" -o "$out/$name" >"$out/$name.compile.log" 2>&1; then
        echo "compile-error" >"$out/$name.status"
        return 0
    fi
    if "$out/$name" >"$out/$name.log" 2>&1; then
        echo "ok" >"$out/$name.status"
    else
        echo "failed" >"$out/$name.status"
    fi
    rm -f "$out/$name"
}
export -f build_and_run
find "$out" -name 'fuzz_*.cpp' | sort -V | xargs -P "$jobs" -I{} bash -c 'build_and_run "$@"' _ {}

# The summary.
expressions=0
failed=0
problems=()
: >"$out/failures.jsonl"
for status in $(find "$out" -name 'fuzz_*.status' | sort -V); do
    name=$(basename "$status" .status)
    n=$(grep -c "\"file\":\"$name.cpp\"" "$out/expressions.jsonl" || true)
    case $(cat "$status") in
    compile-error)
        failed=$((failed + n))
        expressions=$((expressions + n))
        problems+=("$name.cpp: does not compile (see $out/$name.compile.log)")
        grep "\"file\":\"$name.cpp\"" "$out/expressions.jsonl" >>"$out/failures.jsonl" || true
        ;;
    ok | failed)
        line=$(grep -E '^fuzz: [0-9]+ expressions' "$out/$name.log" || true)
        if [[ -z $line ]]; then
            failed=$((failed + n))
            expressions=$((expressions + n))
            problems+=("$name.cpp: crashed (see $out/$name.log)")
            continue
        fi
        ran=$(sed -E 's/^fuzz: ([0-9]+) expressions.*/\1/' <<<"$line")
        bad=$(sed -E 's/.* in ([0-9]+) expressions$/\1/' <<<"$line")
        expressions=$((expressions + ran))
        failed=$((failed + bad))
        for id in $(grep -E '^FUZZ-EXPR' "$out/$name.log" | sed -E 's/^FUZZ-EXPR ([0-9]+):.*/\1/'); do
            grep "^{\"id\":$id," "$out/expressions.jsonl" >>"$out/failures.jsonl" || true
            problems+=("$name.cpp: expression $id: $(grep -E "^FUZZ-FAIL $id:" "$out/$name.log" | head -n 1 | cut -c1-300 || true)")
        done
        ;;
    esac
done

echo
echo "==== fuzz: seed $seed, $cxx $flags, $(($(date +%s) - start)) s"
if [[ ${#problems[@]} -gt 0 ]]; then
    printf '%s\n' "${problems[@]}"
fi
echo "$expressions expressions, $failed disagreements"
[[ $failed -eq 0 ]]
