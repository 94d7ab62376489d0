#!/usr/bin/env bash
# Builds and runs the guided tour example (examples/tour.cpp) in the release configuration.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# graphviz renders the tour's computation graph to PNG.
bash scripts/deps.sh graphviz
cmake --preset release
cmake --build --preset release --target example_tour
build/release/examples/example_tour build/release/examples/tour_graph.dot

# The computation graph as a picture (graphviz; if it could not be installed, the DOT file stays).
if command -v dot >/dev/null 2>&1; then
    dot -Tpng build/release/examples/tour_graph.dot -o build/release/examples/tour_graph.png
    echo "computation graph: build/release/examples/tour_graph.png"
else
    echo "computation graph: install graphviz (apt-get install graphviz) to render tour_graph.dot to PNG"
fi
