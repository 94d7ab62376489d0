#!/usr/bin/env python3
"""Writes the translation units of the tapeless compile-time benchmark.

One self-contained .cpp per case into OUTDIR (default: build/compile-bench/src):

  include_only              #include <tapeless/tapeless.hpp> and an empty main()
  scalar_<N>                a seeded random DAG of exactly N unique operation nodes over four
                            scalar variables, with heavy sharing (every temporary reuses one or
                            two random earlier temporaries, so the tree behind the DAG is
                            exponentially larger), ending in one scalar root
  array_rosenbrock_<N>      Rosenbrock in N variables as one array expression over vector<N>
  array_mlp_<I>_<H>_<O>     mse(matvec(W2, tanh(matvec(W1, x) + b1)) + b2, y)
  grad_<case>               for each scalar_<N> and array case above: the same expression, its value
                            and gradient by tl::value_and_gradient (reverse mode)
  hess_scalar_<N>           the DAG of scalar_<N>: value, gradient and Hessian by
                            tl::value_gradient_and_hessian (the design's compile-time budget is
                            for this: gradient + Hessian of a 200-node expression)
  derivative<K>_lecture     the symbolic derivative tl::derivative<K>(f, x), K = 1 and 3, of the
                            running example f = exp(x z) + x z / log(x) + sin(log(x)) / (x z)
                            (README, Sources), built, evaluated and printed with tl::to_string
  derivative<K>_scalar_<N>  the same for the DAG of scalar_<N> (N from --derivative-sizes, default
                            50), with respect to x0

Each program evaluates its expression with tl::value at inputs read through volatile storage (so
nothing is constant-folded), prints the value and returns non-zero when it differs from a
reference (computed by this script for the scalar DAGs, by plain loops in the program for the
array cases). The grad_* programs also check the gradient: every component against central
differences of tl::value for the scalar DAGs (|g - fd| <= 1e-5 |fd| + 1e-8; this script checks
beforehand that the exact gradient of its own copy of the DAG passes the same test), every
component of the checked variable against a hand-written derivative and two against central
differences for the array cases. The scalar cases static_assert the unique node count of the
DAG, so a generator (or library) change that breaks sharing fails the build instead of silently
measuring something else.

The case families are the modules of cases/: scalar.py (the random DAGs), scalar_derivatives.py
(their gradients and Hessians), arrays.py, symbolic.py, and oracle.py, this script's own values,
gradients and differences of a DAG that check a grad_* case before it is written.

Only the standard library is used. Usage:
  generate.py [-o OUTDIR] [--seed S] [--scalar-sizes 50,100,...] [--rosenbrock-sizes 10,100,1000]
              [--mlp 784,64,10] [--no-gradient] [--derivative-sizes 50] [--no-derivative] [--list]
"""

import argparse
import os
import sys

from cases.arrays import grad_mlp_case, grad_rosenbrock_case, mlp_case, rosenbrock_case
from cases.common import HEADER
from cases.scalar import scalar_case
from cases.scalar_derivatives import grad_scalar_case, hess_scalar_case
from cases.symbolic import derivative_lecture_case, derivative_scalar_case

DEFAULT_SCALAR_SIZES = [50, 100, 200, 500, 1000]
DEFAULT_ROSENBROCK_SIZES = [10, 100, 1000]
DEFAULT_MLP = (784, 64, 10)


INCLUDE_ONLY = HEADER.format(name="include_only", what="the cost of including the library") + """
#include <tapeless/tapeless.hpp>

int main() {}
"""


def cases(args):
    yield "include_only", INCLUDE_ONLY
    for n in args.scalar_sizes:
        yield "scalar_%d" % n, scalar_case(n, args.seed)
    for n in args.rosenbrock_sizes:
        yield "array_rosenbrock_%d" % n, rosenbrock_case(n)
    if args.mlp:
        yield "array_mlp_%d_%d_%d" % tuple(args.mlp), mlp_case(*args.mlp)
    if args.gradient:
        for n in args.scalar_sizes:
            yield "grad_scalar_%d" % n, grad_scalar_case(n, args.seed)
        for n in args.rosenbrock_sizes:
            yield "grad_array_rosenbrock_%d" % n, grad_rosenbrock_case(n)
        if args.mlp:
            yield "grad_array_mlp_%d_%d_%d" % tuple(args.mlp), grad_mlp_case(*args.mlp)
    if args.hessian:
        for n in args.hessian_sizes:
            yield "hess_scalar_%d" % n, hess_scalar_case(n, args.seed)
    if args.derivative:
        for k in (1, 3):
            yield "derivative%d_lecture" % k, derivative_lecture_case(k)
        for n in args.derivative_sizes:
            for k in (1, 3):
                yield "derivative%d_scalar_%d" % (k, n), derivative_scalar_case(k, n, args.seed)


def int_list(text):
    return [int(t) for t in text.split(",") if t.strip()] if text.strip() else []


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-o", "--outdir", default=os.path.join("build", "compile-bench", "src"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scalar-sizes", type=int_list, default=DEFAULT_SCALAR_SIZES)
    ap.add_argument("--rosenbrock-sizes", type=int_list, default=DEFAULT_ROSENBROCK_SIZES)
    ap.add_argument("--mlp", type=int_list, default=list(DEFAULT_MLP),
                    help="inputs,hidden,outputs of the MLP case (empty: no MLP case)")
    ap.add_argument("--no-gradient", dest="gradient", action="store_false",
                    help="only the value cases (no grad_* cases)")
    ap.add_argument("--hessian-sizes", type=int_list, default=[50, 100, 200],
                    help="sizes of the random DAGs whose value, gradient and Hessian are measured")
    ap.add_argument("--no-hessian", dest="hessian", action="store_false", help="no hess_scalar_* cases")
    ap.add_argument("--derivative-sizes", type=int_list, default=[50],
                    help="sizes of the random DAGs whose symbolic derivatives are measured")
    ap.add_argument("--no-derivative", dest="derivative", action="store_false",
                    help="no derivative<K>_* (symbolic derivative) cases")
    ap.add_argument("--list", action="store_true", help="print the case names, write nothing")
    args = ap.parse_args()
    if args.mlp and len(args.mlp) != 3:
        ap.error("--mlp takes three numbers: inputs,hidden,outputs")
    for n in args.scalar_sizes:
        if n < 8:
            ap.error("--scalar-sizes: each size must be at least 8")

    if args.list:
        for name, _ in cases(args):
            print(name)
        return 0
    os.makedirs(args.outdir, exist_ok=True)
    for name, text in cases(args):
        path = os.path.join(args.outdir, name + ".cpp")
        with open(path, "w") as f:
            f.write(text)
        print(name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
