#!/usr/bin/env bash
# The MLP training benchmarks (docs/benchmarks.md, "MLP training"): builds bench_nn with the
# "bench" preset, checks that the PyTorch peer trains the same numbers (pytorch_mlp.py --check),
# then runs both. Results go to build/bench/nn.json and build/bench/nn_pytorch.json.
#
#   scripts/bench_nn.sh                 # 5 repetitions each
#   REPETITIONS=10 scripts/bench_nn.sh
#
# Installs what only these benchmarks need, besides the toolchain of scripts/deps.sh: Debian's
# dataset-fashion-mnist (the data of three rows) and python3-torch (PyTorch 1.13, for the peer
# script only; run with /usr/bin/python3).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/deps.sh dataset-fashion-mnist python3-torch

reps=${REPETITIONS:-5}
cmake --preset bench
cmake --build build/bench -j 2 --target bench_nn

echo "==== load: $(uptime)"
/usr/bin/python3 bench/peers/pytorch_mlp.py --check --bench-nn build/bench/bench/bench_nn
build/bench/bench/bench_nn --benchmark_repetitions="$reps" --benchmark_report_aggregates_only=true \
    --benchmark_out=build/bench/nn.json --benchmark_out_format=json
echo "==== load: $(uptime)"
/usr/bin/python3 bench/peers/pytorch_mlp.py --repetitions "$reps" --json build/bench/nn_pytorch.json
echo "==== load: $(uptime)"
