// A tour of tapeless: build expressions, print them, evaluate them, differentiate them.
//
//   example_tour [graph.dot]   also writes the running example's computation graph there
//                              (scripts/tour.sh renders it to PNG with graphviz when installed)
//
// Every expression below is a C++ type. Evaluating one runs each unique node once, children
// first, in storage laid out at compile time: no tape, no heap, no virtual calls.
#include <tapeless/tapeless.hpp>

#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>

namespace tl = tapeless;
using namespace tl::literals;

namespace {
void show(const char* what, const std::string& formula, double v) {
    std::printf("  %s\n    %s\n    = %.17g\n\n", what, formula.c_str(), v);
}
// Every line of s indented by four spaces.
std::string indent(const std::string& s) {
    std::string r = "    ";
    for (char c : s) r += c == '\n' ? std::string("\n    ") : std::string(1, c);
    return r;
}
} // namespace

int main(int argc, char** argv) {
    std::printf("tapeless tour\n=============\n\n");

    // 1. The running example f(x, z) = e^{xz} + xz / ln x + sin(ln x) / (xz) at (2, 3), from the
    //    course's lecture on differentiation (README, Sources).
    std::printf("1. Expressions are values whose types are the formula\n\n");
    auto [x, z] = tl::variables<"x", "z">();
    auto f = exp(x * z) + x * z / log(x) + sin(log(x)) / (x * z);
    const std::array p{2.0, 3.0};
    show("f(x, z) at (2, 3):", tl::to_string(f), tl::value(f, p));
    std::printf("  by hand with <cmath>\n    = %.17g\n\n",
                std::exp(6.0) + 6.0 / std::log(2.0) + std::sin(std::log(2.0)) / 6.0);

    // x * z occurs three times; it is one node of the DAG, computed once.
    using F = tl::node_of<decltype(f)>;
    std::printf("  unique nodes in f's DAG: %zu (x, z, x*z, exp, log, /, +, sin, /, +)\n\n",
                tl::graph::dag_of<F>.size);

    // 2. The same function written once as a generic callable: traced with variables, or run on
    //    plain numbers.
    std::printf("2. Generic callables are traced\n\n");
    auto g = [](auto a, auto b) { return exp(a * b) + a * b / log(a) + sin(log(a)) / (a * b); };
    std::printf("  tl::value(callable, {2, 3})  = %.17g\n", tl::value(g, p));
    std::printf("  callable(2.0, 3.0)           = %.17g\n\n", g(2.0, 3.0));

    // 3. Shared intermediate variables, as in Mathematics for Machine Learning, chapter 5 (README,
    //    Sources): a = x^2, b = e^a, c = a + b, f = sqrt(c) + cos(c).
    std::printf("3. Intermediate variables are shared subexpressions\n\n");
    auto [u] = tl::variables<"x">();
    auto a = square(u);
    auto c = a + exp(a);
    auto h = sqrt(c) + cos(c);
    show("sqrt(x^2 + e^{x^2}) + cos(x^2 + e^{x^2}) at x = 1:", tl::to_string(h),
         tl::value(h, std::array{1.0}));

    // 4. Literals are exact rationals folded at compile time; runtime constants are stored.
    std::printf("4. Literals fold at compile time; runtime constants live in the handle\n\n");
    auto lit = 2_c * 3_c + 0.5_c;                       // the literal 13/2, no node at all
    auto k = (2_c * x * x + 1_c) * (2_c * x * x + 1_c); // chain-rule example F = (2x^2 + 1)^2
    auto r = 2.5 * x + pow(x, 3_c) - pow(z, 0.5);
    show("2_c * 3_c + 0.5_c:", tl::to_string(lit), tl::value(lit));
    show("F(x) = (2x^2 + 1)^2 at x = 2:", tl::to_string(k), tl::value(k, std::array{2.0}));
    show("2.5 x + x^3 - z^0.5 at (2, 3):", tl::to_string(r), tl::value(r, p));

    // 5. Arrays: static shapes, evaluated by loops. Rosenbrock in 6 variables is one expression
    //    of a few nodes, whatever the dimension.
    std::printf("5. Array expressions have static shapes\n\n");
    auto w = tl::variable<0, tl::vector<6>, "w">;
    auto head = slice<0, 5>(w);
    auto tail = slice<1, 5>(w);
    auto rosenbrock = sum(100_c * square(tail - square(head)) + square(1_c - head));
    const std::array<double, 6> w0{-1.2, 1.0, -1.2, 1.0, -1.2, 1.0};
    show("Rosenbrock, n = 6:", tl::to_string(rosenbrock), tl::value(rosenbrock, w0));

    // A softmax classifier's loss on one example: logits W v + b, one-hot target.
    auto W = tl::variable<0, tl::matrix<3, 2>, "W">;
    auto v = tl::variable<1, tl::vector<2>, "v">;
    auto b = tl::variable<2, tl::vector<3>, "b">;
    auto logits = matvec(W, v) + b;
    auto loss = softmax_cross_entropy(logits, std::array{0.0, 1.0, 0.0});
    const tl::mat<double, 3, 2> W0{{0.1, -0.2, 0.4, 0.3, -0.5, 0.2}};
    const std::array v0{1.0, 2.0};
    const std::array b0{0.0, 0.1, -0.1};
    show("softmax cross-entropy:", tl::to_string(loss), tl::value(loss, W0, v0, b0));
    const auto probs = tl::value(softmax(logits), W0, v0, b0);
    std::printf("  softmax(W v + b) = [%.6f, %.6f, %.6f]\n\n", probs[0], probs[1], probs[2]);

    // 6. Stable forms: no overflow at |x| = 700.
    std::printf("6. Numerically stable forms\n\n");
    auto [t] = tl::variables<"t">();
    for (double at : {-750.0, -700.0, 0.0, 700.0, 750.0})
        std::printf(
            "  t = %6.1f: sigmoid(t) = %-12.6g softplus(t) = %-12.6g naive log(1 + e^t) = %g\n", at,
            tl::value(sigmoid(t), std::array{at}), tl::value(softplus(t), std::array{at}),
            std::log(1.0 + std::exp(at)));
    std::printf("\n");

    // 7. First derivatives. Reverse mode runs the value sweep, then one sweep back over the same
    //    DAG, each node's rule once; forward mode runs the value sweep on dual numbers.
    std::printf("7. Gradients: reverse mode and forward mode\n\n");
    const auto [fv, grad] = tl::value_and_gradient(f, p);
    const auto grad_fwd = tl::gradient(f, p, tl::forward_mode);
    std::printf("  f(2, 3) = %.17g\n", fv);
    std::printf("  reverse: df/dx = %.17g  df/dz = %.17g\n", grad[0], grad[1]);
    std::printf("  forward: df/dx = %.17g  df/dz = %.17g\n", grad_fwd[0], grad_fwd[1]);
    const double step = 1e-6;
    std::printf(
        "  central difference (h = 1e-6): df/dx = %.10g  df/dz = %.10g\n\n",
        (tl::value(f, std::array{2.0 + step, 3.0}) - tl::value(f, std::array{2.0 - step, 3.0})) /
            (2 * step),
        (tl::value(f, std::array{2.0, 3.0 + step}) - tl::value(f, std::array{2.0, 3.0 - step})) /
            (2 * step));
    std::printf("  d/dx [sqrt(x^2 + e^{x^2}) + cos(x^2 + e^{x^2})] at x = 1: %.17g\n",
                tl::gradient(h, std::array{1.0})[0]);
    std::printf("  the lecture's F(x) = (2x^2 + 1)^2 at x = 2: F'(2) = %.17g (16x^3 + 8x = %g)\n",
                tl::gradient(k, std::array{2.0})[0], 16.0 * 8 + 16);
    const auto rg = tl::gradient(rosenbrock, w0);
    std::printf("  Rosenbrock gradient at (-1.2, 1, ...): [%g, %g, %g, %g, %g, %g]\n", rg[0], rg[1],
                rg[2], rg[3], rg[4], rg[5]);
    std::printf("  directional derivative along (1, 1): jvp = %.17g\n",
                tl::jvp(f, p, std::array{1.0, 1.0}));
    const auto g_w = tl::gradient(loss, W0, v0, b0);
    std::printf("  softmax cross-entropy, dL/db = [%.6f, %.6f, %.6f] (= softmax - one-hot)\n\n",
                std::get<2>(g_w)[0], std::get<2>(g_w)[1], std::get<2>(g_w)[2]);

    // 8. The scalar type follows the inputs.
    std::printf("8. float, double, long double\n\n");
    std::printf("  f in float:       %.9g\n",
                static_cast<double>(tl::value(f, std::array{2.0f, 3.0f})));
    std::printf("  f in long double: %.21Lg\n\n", tl::value(f, std::array{2.0L, 3.0L}));

    // 9. Second derivatives: the same value and reverse sweeps run on dual numbers
    //    (forward-over-reverse). One sweep pair on dual<double, 2> gives the whole Hessian.
    std::printf("9. Hessians and Hessian-vector products (forward-over-reverse)\n\n");
    const auto [hv, hg, H] = tl::value_gradient_and_hessian(f, p);
    std::printf("  f(2, 3) = %.17g, gradient [%.17g, %.17g]\n", hv, hg[0], hg[1]);
    std::printf("  Hessian  [%22.17g %22.17g]\n           [%22.17g %22.17g]\n", H[0][0], H[0][1],
                H[1][0], H[1][1]);
    const auto Hv = tl::hvp(f, p, std::array{1.0, -1.0});
    std::printf("  H (1, -1) = [%.17g, %.17g] (one sweep pair on dual<double, 1>)\n", Hv[0], Hv[1]);
    const auto RH = tl::hessian(rosenbrock, w0);
    std::printf("  Rosenbrock Hessian at (-1.2, 1, ...), tridiagonal:\n");
    for (const auto& row : RH) {
        std::printf("   ");
        for (double e : row) std::printf(" %7g", e);
        std::printf("\n");
    }
    std::printf("\n");

    // 10. The computation graph: one box per unique node, its operation inside, its name outside,
    //     with the forward value and the adjoint from one reverse sweep.
    std::printf("10. The computation graph (Graphviz DOT)\n\n");
    const std::string dot = tl::to_dot(f, p);
    std::printf("%s\n", dot.c_str());
    if (argc > 1) {
        std::ofstream out(argv[1]);
        out << dot;
        std::printf("  written to %s\n", argv[1]);
        if (!out) return 1;
    }

    // 11. Symbolic derivatives: tl::derivative(f, x) is again an expression (a type, simplified at
    //    compile time), which prints, evaluates and differentiates like any other.
    std::printf("11. Symbolic derivatives\n\n");
    show("dF/dx for the lecture's F(x) = (2x^2 + 1)^2, at x = 2:",
         tl::to_string(tl::derivative(k, x)), tl::value(tl::derivative(k, x), std::array{2.0}));
    const auto fx = tl::derivative(f, x);
    show("df/dx for the lecture's f(x, z), at (2, 3):", tl::to_string(fx), tl::value(fx, p));
    std::printf("  the same in LaTeX:\n    %s\n\n", tl::to_latex(fx).c_str());
    const auto fxxx = tl::derivative<3>(f, x);
    std::printf(
        "  d3f/dx3, shared subexpressions named (%zu unique nodes):\n%s\n    = %.17g at (2, 3)\n",
        tl::graph::dag_of<tl::node_of<decltype(fxxx)>>.size,
        indent(tl::to_string(fxxx, {.inline_limit = 100})).c_str(), tl::value(fxxx, p));

    // 12. Taylor mode: one sweep on truncated Taylor series gives the coefficients of
    //     t -> f(p + t dir); the multivariate polynomial T_K of degree K approximates f near p with
    //     an error that shrinks like |delta|^(K+1) (examples/taylor_error.cpp prints the full
    //     table).
    std::printf("\n12. Taylor series and Taylor polynomials\n\n");
    const auto coefficients = tl::taylor_coefficients<5>(f, p, std::array{0.6, -0.8});
    std::printf("  f(p + t (0.6, -0.8)) = ");
    for (std::size_t k2 = 0; k2 < coefficients.size(); ++k2)
        std::printf("%s%.6g t^%zu", k2 == 0 ? "" : " + ", coefficients[k2], k2);
    std::printf(" + O(t^6)\n\n");
    const auto T1 = tl::taylor_expansion<1>(f, p);
    const auto T2 = tl::taylor_expansion<2>(f, p);
    const auto T3 = tl::taylor_expansion<3>(f, p);
    std::printf("  T_2's Hessian [%.9g %.9g; %.9g %.9g] (the same numbers as section 9)\n",
                T2.hessian()[0][0], T2.hessian()[0][1], T2.hessian()[1][0], T2.hessian()[1][1]);
    std::printf("  |f(p + delta) - T_K(p + delta)|, delta = r (0.6, -0.8):\n    r         K = 1    "
                "  K = 2      K = 3\n");
    for (const double radius : {0.1, 0.05, 0.025}) {
        const std::array q{p[0] + 0.6 * radius, p[1] - 0.8 * radius};
        const double fq = tl::value(f, q);
        std::printf("    %-8g  %.3e  %.3e  %.3e\n", radius, std::fabs(fq - T1(q)),
                    std::fabs(fq - T2(q)), std::fabs(fq - T3(q)));
    }
    std::printf("  halving r divides the error by about 4, 8, 16: the order is K + 1\n");
    return 0;
}
