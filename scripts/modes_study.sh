#!/usr/bin/env bash
# The forward-vs-reverse study in one command (docs/benchmarks.md, "Forward vs reverse: the
# study"): installs gnuplot-nox if missing, builds bench_modes with the bench preset (-O3
# -march=native), runs it, and writes docs/images/modes_*.png. Extra arguments go to bench_modes.
#
#   bash scripts/modes_study.sh
#   bash scripts/modes_study.sh --benchmark_filter='square_'
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/deps.sh gnuplot-nox
cmake --preset bench >/dev/null
# Two jobs at most: the machines this runs on have few cores.
cmake --build build/bench -j2 --target bench_modes

out=build/bench/modes.json
echo "load before the run: $(uptime)"
# The forward sweeps of the largest rows keep n x n tangents on the stack.
ulimit -s unlimited 2>/dev/null || true
build/bench/bench/bench_modes --benchmark_min_time=0.2 --benchmark_repetitions=5 \
    --benchmark_report_aggregates_only=true --benchmark_enable_random_interleaving=true \
    --benchmark_out="$out" --benchmark_out_format=json "$@"
echo "load after the run: $(uptime)"
python3 bench/modes_plots.py "$out" docs/images
