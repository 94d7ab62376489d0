"""The grad_scalar_<N> and hess_scalar_<N> cases: a scalar DAG with its gradient (and Hessian)."""

from .common import HEADER, NUM_VARS
from .oracle import FD_ATOL, FD_RTOL, FD_STEP, check_fd
from .scalar import generate_scalar, scalar_program

INCLUDES = ("array", "cmath", "cstddef", "cstdio")


def grad_scalar_case(n, seed):
    statements, root, ops, leaves, value, tree, dag, root_id = generate_scalar(n, seed)
    exact = check_fd(dag, root_id, n)
    what = ("the DAG of scalar_%d (%d unique operation nodes + %d leaves, seed %d; the tree behind it "
            "has %s nodes), value and gradient by tl::value_and_gradient (reverse mode)"
            % (n, ops, leaves, seed, "{:.3g}".format(tree) if tree >= 1e6 else tree))
    exact_text = ", ".join(repr(g) for g in exact)
    name = "grad_scalar_%d" % n
    return HEADER.format(name=name, what=what) + scalar_program(
        name, statements, root, ops, leaves, INCLUDES) + f"""    const auto [v, g] = tl::value_and_gradient(f, p);
    const double expected = {value!r};
    bool ok = std::fabs(v - expected) <= 1e-9 * (1.0 + std::fabs(expected));
    std::printf("grad_scalar_{n}: nodes=%zu value=%.17g expected=%.17g\\n",
                tl::graph::dag_of<tl::node_of<decltype(f)>>.size, v, expected);

    // Central differences of tl::value (one call site, so the program holds one copy of the value
    // sweep besides the gradient's). The generator's exact gradient is printed for reference only.
    const std::array<double, {NUM_VARS}> exact{{{exact_text}}};
    std::array<double, {2 * NUM_VARS}> at{{}}, fv{{}};
    for (std::size_t k = 0; k < {2 * NUM_VARS}; ++k) {{
        const std::size_t i = k / 2;
        const double h = {FD_STEP!r} * std::fmax(1.0, std::fabs(p[i]));
        std::array<double, {NUM_VARS}> q = p;
        q[i] = k % 2 == 0 ? p[i] + h : p[i] - h;
        at[k] = q[i];
        fv[k] = tl::value(f, q);
    }}
    for (std::size_t i = 0; i < {NUM_VARS}; ++i) {{
        const double fd = (fv[2 * i] - fv[2 * i + 1]) / (at[2 * i] - at[2 * i + 1]);
        const bool good = std::fabs(g[i] - fd) <= {FD_RTOL!r} * std::fabs(fd) + {FD_ATOL!r};
        std::printf("  d/dx%zu: gradient=%.17g central difference=%.17g exact=%.17g%s\\n", i, g[i], fd, exact[i],
                    good ? "" : "  MISMATCH");
        ok = ok && good;
    }}
    return ok ? 0 : 1;
}}
"""


def hess_scalar_case(n, seed):
    statements, root, ops, leaves, value, tree, dag, root_id = generate_scalar(n, seed)
    check_fd(dag, root_id, n)
    what = ("the DAG of scalar_%d (%d unique operation nodes + %d leaves, seed %d), value, gradient "
            "and Hessian by tl::value_gradient_and_hessian" % (n, ops, leaves, seed))
    name = "hess_scalar_%d" % n
    return HEADER.format(name=name, what=what) + scalar_program(
        name, statements, root, ops, leaves, INCLUDES, volatile_comment=False) + f"""    const auto [v, g, H] = tl::value_gradient_and_hessian(f, p);
    const double expected = {value!r};
    bool ok = std::fabs(v - expected) <= 1e-9 * (1.0 + std::fabs(expected));
    std::printf("hess_scalar_{n}: value=%.17g expected=%.17g\\n", v, expected);
    // Each Hessian column against central differences of the gradient (|H - fd| <= 1e-5 |fd|
    // + 1e-6: a difference of gradients, so one order less accurate than the gradient's check),
    // and the Hessian symmetric to rounding.
    for (std::size_t j = 0; j < {NUM_VARS}; ++j) {{
        const double h = 1e-5 * std::fmax(1.0, std::fabs(p[j]));
        std::array<double, {NUM_VARS}> up = p, down = p;
        up[j] += h;
        down[j] -= h;
        const auto gu = tl::gradient(f, up), gd = tl::gradient(f, down);
        for (std::size_t i = 0; i < {NUM_VARS}; ++i) {{
            const double fd = (gu[i] - gd[i]) / (up[j] - down[j]);
            const bool good = std::fabs(H[i][j] - fd) <= 1e-5 * std::fabs(fd) + 1e-6 &&
                              std::fabs(H[i][j] - H[j][i]) <= 1e-12 * (1.0 + std::fabs(H[i][j]));
            if (!good) std::printf("  H[%zu][%zu]=%.17g finite difference=%.17g  MISMATCH\\n", i, j, H[i][j], fd);
            ok = ok && good;
        }}
    }}
    (void)g;
    return ok ? 0 : 1;
}}
"""
