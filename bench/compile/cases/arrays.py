"""The array cases: Rosenbrock over vector<N> and a small MLP, with and without their gradients."""

from .common import HEADER
from .oracle import FD_ATOL, FD_RTOL, FD_STEP


# --- array cases -----------------------------------------------------------------------------

ARRAY_PRELUDE = """
#include <tapeless/tapeless.hpp>

#include <array>
#include <cmath>
#include <cstdio>
#include <memory>

namespace tl = tapeless;
using namespace tl::literals;

// Deterministic inputs, read through a volatile seed so that nothing is constant-folded.
static volatile unsigned seed = 12345u;
static double next_uniform(unsigned& s) { // in [-1, 1)
    s = s * 1664525u + 1013904223u;
    return static_cast<double>(s >> 8) / static_cast<double>(1u << 23) - 1.0;
}

static bool close(double a, double b) { return std::fabs(a - b) <= 1e-9 * (1.0 + std::fabs(b)); }
"""


def rosenbrock_setup(n):
    """The Rosenbrock cases' variable, expression f and seeded point x: the start of main()."""
    return f"""int main() {{
    constexpr std::size_t n = {n};
    auto w = tl::variable<0, tl::vector<n>, "w">;
    auto f = sum(100_c * square(tl::slice<1, n - 1>(w) - square(tl::slice<0, n - 1>(w))) +
                 square(1_c - tl::slice<0, n - 1>(w)));

    unsigned s = seed;
    std::array<double, n> x{{}};
    for (auto& v : x) v = next_uniform(s);
"""


def rosenbrock_case(n):
    what = "Rosenbrock in %d variables as one array expression over vector<%d>" % (n, n)
    return HEADER.format(name="array_rosenbrock_%d" % n, what=what) + ARRAY_PRELUDE + f"""
""" + rosenbrock_setup(n) + f"""
    const double v = tl::value(f, x);
    double ref = 0;
    for (std::size_t i = 0; i + 1 < n; ++i)
        ref += 100 * (x[i + 1] - x[i] * x[i]) * (x[i + 1] - x[i] * x[i]) + (1 - x[i]) * (1 - x[i]);
    std::printf("array_rosenbrock_{n}: nodes=%zu value=%.17g reference=%.17g\\n",
                tl::graph::dag_of<tl::node_of<decltype(f)>>.size, v, ref);
    return close(v, ref) ? 0 : 1;
}}
"""


def mlp_setup(ni, nh, no):
    """The MLP cases' inputs, variables, expression f and seeded input values: the start of main()."""
    return f"""constexpr std::size_t ni = {ni}, nh = {nh}, no = {no};

struct inputs {{
    tl::mat<double, nh, ni> W1;
    std::array<double, ni> x;
    std::array<double, nh> b1;
    tl::mat<double, no, nh> W2;
    std::array<double, no> b2, y;
}};

int main() {{
    auto W1 = tl::variable<0, tl::matrix<nh, ni>, "W1">;
    auto xv = tl::variable<1, tl::vector<ni>, "x">;
    auto b1 = tl::variable<2, tl::vector<nh>, "b1">;
    auto W2 = tl::variable<3, tl::matrix<no, nh>, "W2">;
    auto b2 = tl::variable<4, tl::vector<no>, "b2">;
    auto y = tl::variable<5, tl::vector<no>, "y">;
    auto f = mse(matvec(W2, tanh(matvec(W1, xv) + b1)) + b2, y);

    unsigned s = seed;
    auto in = std::make_unique<inputs>(); // W1 alone is {8 * ni * nh} bytes: keep it off the stack
    for (auto& v : in->W1.data) v = 0.05 * next_uniform(s);
    for (auto& v : in->x) v = next_uniform(s);
    for (auto& v : in->b1) v = 0.1 * next_uniform(s);
    for (auto& v : in->W2.data) v = 0.2 * next_uniform(s);
    for (auto& v : in->b2) v = 0.1 * next_uniform(s);
    for (auto& v : in->y) v = next_uniform(s);
"""


def mlp_case(ni, nh, no):
    name = "array_mlp_%d_%d_%d" % (ni, nh, no)
    what = ("one-hidden-layer MLP loss mse(matvec(W2, tanh(matvec(W1, x) + b1)) + b2, y), "
            "W1 matrix<%d, %d>, W2 matrix<%d, %d>" % (nh, ni, no, nh))
    return HEADER.format(name=name, what=what) + ARRAY_PRELUDE + f"""
""" + mlp_setup(ni, nh, no) + f"""
    const double v = tl::value(f, in->W1, in->x, in->b1, in->W2, in->b2, in->y);

    std::array<double, nh> h{{}};
    for (std::size_t r = 0; r < nh; ++r) {{
        double acc = 0;
        for (std::size_t c = 0; c < ni; ++c) acc += in->W1(r, c) * in->x[c];
        h[r] = std::tanh(acc + in->b1[r]);
    }}
    double ref = 0;
    for (std::size_t r = 0; r < no; ++r) {{
        double acc = 0;
        for (std::size_t c = 0; c < nh; ++c) acc += in->W2(r, c) * h[c];
        const double d = acc + in->b2[r] - in->y[r];
        ref += d * d;
    }}
    ref /= no;
    std::printf("{name}: nodes=%zu value=%.17g reference=%.17g\\n",
                tl::graph::dag_of<tl::node_of<decltype(f)>>.size, v, ref);
    return close(v, ref) ? 0 : 1;
}}
"""


# The array cases with their gradient: tl::value_and_gradient, the value checked as in the value
# cases, the gradient checked against a hand-written derivative (every component of the checked
# variable) and, for two components, against central differences of tl::value (one call site).
GRAD_ARRAY_CHECKS = """
// A gradient component against its central difference.
static bool fd_close(double g, double fd) {{ return std::fabs(g - fd) <= {rtol!r} * std::fabs(fd) + {atol!r}; }}
static constexpr double fd_step = {step!r}; // times max(1, |x|)
"""


def grad_rosenbrock_case(n):
    name = "grad_array_rosenbrock_%d" % n
    what = ("Rosenbrock in %d variables as one array expression over vector<%d>, value and gradient by "
            "tl::value_and_gradient (reverse mode)" % (n, n))
    return HEADER.format(name=name, what=what) + ARRAY_PRELUDE + GRAD_ARRAY_CHECKS.format(
        rtol=FD_RTOL, atol=FD_ATOL, step=FD_STEP) + f"""
""" + rosenbrock_setup(n) + f"""
    const auto [v, g] = tl::value_and_gradient(f, x);
    double ref = 0;
    std::array<double, n> ref_g{{}};
    for (std::size_t i = 0; i + 1 < n; ++i) {{
        const double t = x[i + 1] - x[i] * x[i];
        ref += 100 * t * t + (1 - x[i]) * (1 - x[i]);
        ref_g[i] += -400 * x[i] * t - 2 * (1 - x[i]);
        ref_g[i + 1] += 200 * t;
    }}
    bool ok = close(v, ref);
    std::size_t bad = 0;
    for (std::size_t i = 0; i < n; ++i) bad += close(g[i], ref_g[i]) ? 0 : 1;
    ok = ok && bad == 0;
    std::printf("{name}: nodes=%zu value=%.17g reference=%.17g; gradient: %zu of %zu components off the "
                "hand-written one\\n", tl::graph::dag_of<tl::node_of<decltype(f)>>.size, v, ref, bad, n);

    const std::array<std::size_t, 2> check{{0, n / 2}};
    std::array<double, 4> at{{}}, fv{{}};
    for (std::size_t k = 0; k < 4; ++k) {{
        const std::size_t i = check[k / 2];
        const double h = fd_step * std::fmax(1.0, std::fabs(x[i]));
        std::array<double, n> q = x;
        q[i] = k % 2 == 0 ? x[i] + h : x[i] - h;
        at[k] = q[i];
        fv[k] = tl::value(f, q);
    }}
    for (std::size_t c = 0; c < 2; ++c) {{
        const double fd = (fv[2 * c] - fv[2 * c + 1]) / (at[2 * c] - at[2 * c + 1]);
        const bool good = fd_close(g[check[c]], fd);
        std::printf("  d/dw[%zu]: gradient=%.17g central difference=%.17g%s\\n", check[c], g[check[c]], fd,
                    good ? "" : "  MISMATCH");
        ok = ok && good;
    }}
    return ok ? 0 : 1;
}}
"""


def grad_mlp_case(ni, nh, no):
    name = "grad_array_mlp_%d_%d_%d" % (ni, nh, no)
    what = ("one-hidden-layer MLP loss mse(matvec(W2, tanh(matvec(W1, x) + b1)) + b2, y), "
            "W1 matrix<%d, %d>, W2 matrix<%d, %d>, value and gradient (a std::tuple: one gradient per "
            "variable) by tl::value_and_gradient (reverse mode); the gradient in W1 is checked"
            % (nh, ni, no, nh))
    return HEADER.format(name=name, what=what) + ARRAY_PRELUDE + GRAD_ARRAY_CHECKS.format(
        rtol=FD_RTOL, atol=FD_ATOL, step=FD_STEP) + f"""
#include <tuple>

""" + mlp_setup(ni, nh, no) + f"""
    // g is a std::tuple with one gradient per variable (dW1 alone is {8 * ni * nh} bytes)
    const auto [v, g] = tl::value_and_gradient(f, in->W1, in->x, in->b1, in->W2, in->b2, in->y);
    const auto& gW1 = std::get<0>(g);

    // the hand-written value and dL/dW1(i, j) = sum_o 2/no d_o W2(o, i) (1 - h_i^2) x_j
    std::array<double, nh> h{{}};
    for (std::size_t i = 0; i < nh; ++i) {{
        double acc = 0;
        for (std::size_t j = 0; j < ni; ++j) acc += in->W1(i, j) * in->x[j];
        h[i] = std::tanh(acc + in->b1[i]);
    }}
    double ref = 0;
    std::array<double, no> d{{}};
    for (std::size_t o = 0; o < no; ++o) {{
        double acc = 0;
        for (std::size_t i = 0; i < nh; ++i) acc += in->W2(o, i) * h[i];
        d[o] = acc + in->b2[o] - in->y[o];
        ref += d[o] * d[o];
    }}
    ref /= no;
    bool ok = close(v, ref);
    std::size_t bad = 0;
    for (std::size_t i = 0; i < nh; ++i) {{
        double back = 0;
        for (std::size_t o = 0; o < no; ++o) back += 2.0 / no * d[o] * in->W2(o, i);
        back *= 1 - h[i] * h[i];
        for (std::size_t j = 0; j < ni; ++j) bad += close(gW1(i, j), back * in->x[j]) ? 0 : 1;
    }}
    ok = ok && bad == 0;
    std::printf("{name}: nodes=%zu value=%.17g reference=%.17g; gradient in W1: %zu of %zu components off "
                "the hand-written one\\n", tl::graph::dag_of<tl::node_of<decltype(f)>>.size, v, ref, bad, nh * ni);

    // two components of dL/dW1 by central differences of tl::value
    const std::array<std::size_t, 2> check{{0, (nh / 2) * ni + ni / 3}};
    std::array<double, 4> at{{}}, fv{{}};
    for (std::size_t k = 0; k < 4; ++k) {{
        double& wk = in->W1.data[check[k / 2]];
        const double saved = wk;
        const double step = fd_step * std::fmax(1.0, std::fabs(saved));
        wk = k % 2 == 0 ? saved + step : saved - step;
        at[k] = wk;
        fv[k] = tl::value(f, in->W1, in->x, in->b1, in->W2, in->b2, in->y);
        wk = saved;
    }}
    for (std::size_t c = 0; c < 2; ++c) {{
        const double fd = (fv[2 * c] - fv[2 * c + 1]) / (at[2 * c] - at[2 * c + 1]);
        const bool good = fd_close(gW1.data[check[c]], fd);
        std::printf("  dL/dW1[%zu]: gradient=%.17g central difference=%.17g%s\\n", check[c], gW1.data[check[c]], fd,
                    good ? "" : "  MISMATCH");
        ok = ok && good;
    }}
    return ok ? 0 : 1;
}}
"""
