"""The symbolic-derivative cases: tl::derivative<K> of the running example and of a scalar DAG."""

from .common import HEADER, NUM_VARS, POINT
from .oracle import dag_gradient
from .scalar import generate_scalar


# --- symbolic derivatives -----------------------------------------------------------------------
#
# Each program builds tl::derivative<K>(f, x) (the derivative's type is the compile-time cost being
# measured), evaluates it, prints it with tl::to_string and checks its value: K = 1 against the
# exact gradient (the running example: written out by hand; the random DAG: the generator's
# reverse mode), K = 3 against central differences of tl::derivative<2> (relative 1e-4: the
# difference's own error). nodes= is the size of the derivative's DAG.

SYMBOLIC_PRELUDE = """
#include <tapeless/tapeless.hpp>

#include <array>
#include <cmath>
#include <cstdio>
#include <string>

namespace tl = tapeless;
using namespace tl::literals;
"""

SYMBOLIC_CHECK = """
    const auto d = tl::derivative<{k}>(f, {var});
    const double got = tl::value(d, p);
    const std::string text = tl::to_string(d);
    std::printf("{name}: nodes=%zu derivative=%.17g expected=%.17g printed in %zu characters\\n",
                tl::graph::dag_of<tl::node_of<decltype(d)>>.size, got, expected(p), text.size());
    return std::fabs(got - expected(p)) <= {rtol!r} * std::fabs(expected(p)) + 1e-9 ? 0 : 1;
}}
"""

# expected(p) for K = 3: the central difference of derivative<2> in variable 0
THIRD_BY_DIFFERENCES = """
    const auto d2 = tl::derivative<2>(f, {var});
    auto expected = [&](auto q) {{
        const double h = 1e-4 * std::fmax(1.0, std::fabs(q[0]));
        auto up = q, down = q;
        up[0] += h;
        down[0] -= h;
        return (tl::value(d2, up) - tl::value(d2, down)) / (up[0] - down[0]);
    }};
"""


def derivative_lecture_case(k):
    name = "derivative%d_lecture" % k
    what = "tl::derivative<%d>(f, x) of the lecture function, evaluated and printed" % k
    if k == 1:
        expected = """
    auto expected = [](auto q) {
        const double a = q[0], b = q[1], l = std::log(a);
        return b * std::exp(a * b) + b / l - b / (l * l) + std::cos(l) / (a * a * b) - std::sin(l) / (a * a * b);
    };
"""
    else:
        expected = THIRD_BY_DIFFERENCES.format(var="x")
    return HEADER.format(name=name, what=what) + SYMBOLIC_PRELUDE + """
static volatile double point[2] = {2.0, 3.0};

int main() {
    auto [x, z] = tl::variables<"x", "z">();
    const auto f = exp(x * z) + x * z / log(x) + sin(log(x)) / (x * z);
    const std::array<double, 2> p{point[0], point[1]};
""" + expected + SYMBOLIC_CHECK.format(k=k, var="x", name=name, rtol=1e-12 if k == 1 else 1e-4)


def derivative_scalar_case(k, n, seed):
    statements, root, ops, leaves, value, tree, dag, root_id = generate_scalar(n, seed)
    body = "\n".join("    " + s for s in statements)
    name = "derivative%d_scalar_%d" % (k, n)
    what = ("tl::derivative<%d>(f, x0) of the DAG of scalar_%d (%d operation nodes + %d leaves, seed %d), "
            "evaluated and printed" % (k, n, ops, leaves, seed))
    point = ", ".join(repr(q) for q in POINT)
    if k == 1:
        exact = dag_gradient(dag, root_id)[0]
        expected = "\n    auto expected = [](auto) { return %r; };\n" % exact
    else:
        expected = THIRD_BY_DIFFERENCES.format(var="x0")
    return HEADER.format(name=name, what=what) + SYMBOLIC_PRELUDE + f"""
static volatile double point[{NUM_VARS}] = {{{point}}};

int main() {{
    auto [x0, x1, x2, x3] = tl::variables<{NUM_VARS}>();
{body}
    const auto& f = {root};
    const std::array<double, {NUM_VARS}> p{{point[0], point[1], point[2], point[3]}};
""" + expected + SYMBOLIC_CHECK.format(k=k, var="x0", name=name, rtol=1e-9 if k == 1 else 1e-4)
