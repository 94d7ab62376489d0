#!/usr/bin/env bash
# Builds and runs the guided tour example (examples/tour.cpp) in the release configuration.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/deps.sh
cmake --preset release
cmake --build --preset release --target example_tour
build/release/examples/example_tour
