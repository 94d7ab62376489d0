#!/usr/bin/env bash
# Builds and runs the guided tour example (examples/tour.cpp) in the release configuration.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# graphviz renders the tour's computation graph to PNG, gnuplot the Taylor error plot.
bash scripts/deps.sh graphviz gnuplot-nox dataset-fashion-mnist libomp-dev
cmake --preset release
cmake --build --preset release --target example_tour example_taylor_error example_curve_fit \
    example_lennard_jones
build/release/examples/example_tour build/release/examples/tour_graph.dot

# The computation graph as a picture (graphviz; if it could not be installed, the DOT file stays).
if command -v dot >/dev/null 2>&1; then
    dot -Tpng build/release/examples/tour_graph.dot -o build/release/examples/tour_graph.png
    echo "computation graph: build/release/examples/tour_graph.png"
else
    echo "computation graph: install graphviz (apt-get install graphviz) to render tour_graph.dot to PNG"
fi

# The Taylor polynomials' error against the step: table (printed) and plot.
echo
build/release/examples/example_taylor_error build/release/examples/taylor_error.csv
if command -v gnuplot >/dev/null 2>&1; then
    gnuplot -e "input='build/release/examples/taylor_error.csv'; output='build/release/examples/taylor_error.png'" \
        scripts/taylor_error.gp
    echo "Taylor error plot: build/release/examples/taylor_error.png"
else
    echo "Taylor error plot: install gnuplot-nox to draw build/release/examples/taylor_error.csv"
fi

# Data whose size is known at run time: a least-squares fit over 10,000 points, and the energy,
# forces and relaxation of 343 atoms over a pair list built at run time.
echo
build/release/examples/example_curve_fit
echo
build/release/examples/example_lennard_jones

# A short training run of the nn layer: one epoch of a 784-256-128-10 network on Fashion-MNIST at
# full speed (-O3 -march=native), its training curve, the saved model evaluated again, and the
# loss's sharpness. The full run (15 epochs) is in the README.
echo
cmake --preset native
cmake --build --preset native --target example_fashion_mnist
out=build/native/examples/fashion_mnist
build/native/examples/example_fashion_mnist --epochs 1 --out "$out"
build/native/examples/example_fashion_mnist --evaluate "$out/fashion_mnist.tlm"
if command -v gnuplot >/dev/null 2>&1; then
    gnuplot -e "input='$out/fashion_mnist.csv'; output='$out/fashion_mnist.png'" scripts/fashion_mnist.gp
    echo "training curve: $out/fashion_mnist.png"
fi
