#!/usr/bin/env bash
# Installs the Debian packages needed to build and test tapeless, plus any package names given
# as arguments. Packages that are already installed are left alone; apt-get runs only if
# something is missing.
#
#   scripts/deps.sh            # base toolchain + libraries
#   scripts/deps.sh clang      # ... plus clang
#
# Packages that only a benchmark needs are passed by its script, not listed here: for example
# scripts/bench_nn.sh asks for dataset-fashion-mnist and python3-torch (the PyTorch peer).
set -euo pipefail

base=(g++ cmake ninja-build libboost-dev libboost-test-dev libbenchmark-dev zlib1g-dev)

missing=()
for pkg in "${base[@]}" "$@"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    if [[ "$status" != "install ok installed" ]]; then
        missing+=("$pkg")
    fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

echo "deps: installing ${missing[*]}"

sudo=()
if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
        sudo=(sudo)
    else
        echo "deps: missing packages (${missing[*]}) and not root, no sudo available" >&2
        exit 1
    fi
fi

"${sudo[@]}" apt-get update
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"
