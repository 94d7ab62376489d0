// First derivatives: reverse and forward mode against each other, against central finite
// differences, and against derivatives worked out by hand for the course's examples (README,
// Sources).
#include <tapeless/modes/gradient.hpp>
#include <tapeless/tapeless.hpp>

#include <array>
#include <cmath>
#include <limits>

#include <boost/test/unit_test.hpp>

#include "support/expect_derivatives.hpp"
#include "support/mock_ops.hpp"

namespace tl = tapeless;
namespace tt = tapeless_test;
using namespace tl::literals;

BOOST_AUTO_TEST_SUITE(gradient)

// f(x, z) = e^{xz} + xz / ln x + sin(ln x) / (xz) at (2, 3), the running example, against the
// partial derivatives worked out by hand:
//   ∂f/∂x = z e^{xz} + z/ln x − z/(ln x)² + cos(ln x)/(x² z) − sin(ln x)/(x² z)
//   ∂f/∂z = x e^{xz} + x/ln x − sin(ln x)/(x z²)
BOOST_AUTO_TEST_CASE(lecture_function) {
    auto [x, z] = tl::variables<"x", "z">();
    auto f = exp(x * z) + x * z / log(x) + sin(log(x)) / (x * z);
    const double a = 2, b = 3, l = std::log(a);
    const double dx = b * std::exp(a * b) + b / l - b / (l * l) + std::cos(l) / (a * a * b) -
                      std::sin(l) / (a * a * b);
    const double dz = a * std::exp(a * b) + a / l - std::sin(l) / (a * b * b);
    const auto [v, g] = tl::value_and_gradient(f, std::array{a, b});
    BOOST_TEST(v == std::exp(6.0) + 6.0 / l + std::sin(l) / 6.0,
               boost::test_tools::tolerance(1e-15));
    BOOST_TEST(g[0] == dx, boost::test_tools::tolerance(1e-14));
    BOOST_TEST(g[1] == dz, boost::test_tools::tolerance(1e-14));
    tt::expect_derivatives(f, {std::array{2.0, 3.0}, std::array{0.5, -1.0}, std::array{3.0, 0.1}});

    // The same function as a generic callable, traced.
    auto callable = [](auto p, auto q) {
        return exp(p * q) + p * q / log(p) + sin(log(p)) / (p * q);
    };
    const auto gc = tl::gradient(callable, std::array{a, b});
    BOOST_TEST(gc[0] == g[0]);
    BOOST_TEST(gc[1] == g[1]);
}

// f(x) = √(x² + e^{x²}) + cos(x² + e^{x²}) with the intermediate variables of Mathematics for
// Machine Learning, chapter 5, shared:
// df/dx = (1/(2√c) − sin c) · (2x + 2x e^{x²}), c = x² + e^{x²}.
BOOST_AUTO_TEST_CASE(shared_intermediates) {
    auto [x] = tl::variables<"x">();
    auto a = square(x);
    auto c = a + exp(a);
    auto f = sqrt(c) + cos(c);
    for (double at : {-1.0, 0.3, 1.0, 1.7}) {
        const double cv = at * at + std::exp(at * at);
        const double want =
            (0.5 / std::sqrt(cv) - std::sin(cv)) * (2 * at + 2 * at * std::exp(at * at));
        BOOST_TEST(tl::gradient(f, std::array{at})[0] == want, boost::test_tools::tolerance(1e-13));
    }
    tt::expect_derivatives(f, {std::array{-1.0}, std::array{0.3}, std::array{1.0}});
}

// e = (a + b)(b + 1): ∂e/∂a = b + 1, ∂e/∂b = a + 2b + 1 (b is used twice: total derivative).
BOOST_AUTO_TEST_CASE(total_derivative) {
    auto [a, b] = tl::variables<"a", "b">();
    auto e = (a + b) * (b + 1_c);
    const auto g = tl::gradient(e, std::array{2.0, 1.0});
    BOOST_TEST(g[0] == 2.0);
    BOOST_TEST(g[1] == 5.0);
    tt::expect_derivatives(e, {std::array{2.0, 1.0}, std::array{-0.5, 3.0}});
}

// F(x) = (2x² + 1)² has F'(x) = 16x³ + 8x.
BOOST_AUTO_TEST_CASE(polynomial_chain) {
    auto [x] = tl::variables<"x">();
    auto u = 2_c * square(x) + 1_c;
    auto F = u * u;
    for (double at : {-2.0, -0.5, 0.0, 1.0, 3.0}) {
        BOOST_TEST(tl::gradient(F, std::array{at})[0] == 16 * at * at * at + 8 * at);
        BOOST_TEST(tl::gradient(F, std::array{at}, tl::forward_mode)[0] ==
                   16 * at * at * at + 8 * at);
    }
    // polynomial: computable at compile time
    static_assert(tl::gradient(tl::variable<0> * tl::variable<0> * 3_c, std::array{2.0})[0] ==
                  12.0);
}

// L = −log σ(w x²): dL/dw = −(1 − σ(w x²)) x², dL/dx = −(1 − σ(w x²)) 2wx.
BOOST_AUTO_TEST_CASE(log_sigmoid_loss) {
    auto [w, x] = tl::variables<"w", "x">();
    auto L = -log(sigmoid(w * square(x)));
    for (auto p : {std::array{0.5, 1.5}, std::array{-2.0, 0.7}}) {
        const double s = 1 / (1 + std::exp(-p[0] * p[1] * p[1]));
        const auto g = tl::gradient(L, p);
        BOOST_TEST(g[0] == -(1 - s) * p[1] * p[1], boost::test_tools::tolerance(1e-14));
        BOOST_TEST(g[1] == -(1 - s) * 2 * p[0] * p[1], boost::test_tools::tolerance(1e-14));
    }
    tt::expect_derivatives(L, {std::array{0.5, 1.5}, std::array{-2.0, 0.7}});
}

// Softmax cross-entropy from logits: ∂/∂z = softmax(z) − y for a one-hot y; MSE: 2(a − b)/n.
BOOST_AUTO_TEST_CASE(losses) {
    auto z = tl::variable<0, tl::vector<4>, "z">;
    auto ce = softmax_cross_entropy(z, std::array{0.0, 0.0, 1.0, 0.0});
    const std::array zs{0.5, -1.0, 2.0, 0.1};
    const auto g = tl::gradient(ce, zs);
    const auto p = tl::value(softmax(z), zs);
    for (std::size_t i = 0; i < 4; ++i)
        BOOST_TEST(g[i] == p[i] - (i == 2 ? 1.0 : 0.0), boost::test_tools::tolerance(1e-14));
    tt::expect_derivatives(ce, {zs, std::array{700.0, 0.0, -700.0, 1.0}});

    auto m = mse(z, std::array{1.0, 2.0, 3.0, 4.0});
    const auto gm = tl::gradient(m, zs);
    for (std::size_t i = 0; i < 4; ++i)
        BOOST_TEST(gm[i] == 2 * (zs[i] - static_cast<double>(i + 1)) / 4);
    tt::expect_derivatives(m, {zs});
}

// The elementwise operations elementwise on a vector, with scalars broadcast. (Each operation on
// scalars, in every mode: the every_mode case of its test, test/unit/ops/*.cpp.)
BOOST_AUTO_TEST_CASE(elementwise_on_arrays) {
    auto w = tl::variable<0, tl::vector<3>, "w">;
    const std::array q{0.3, -0.8, 1.4};
    tt::expect_derivatives(sum(sin(w) * w + exp(w / 2_c)), {q});
    tt::expect_derivatives(sum(tanh(w) * 3.0 + sigmoid(w) * sum(w)), {q}); // scalar broadcast
    tt::expect_derivatives(sum(square(w) - 2_c * w) / (1_c + square(sum(w))), {q});
}

// Every array operation.
BOOST_AUTO_TEST_CASE(array_operations) {
    auto w = tl::variable<0, tl::vector<6>, "w">;
    const std::array q{0.3, -0.8, 1.4, 0.2, -1.1, 0.6};
    const std::array c{1.0, -2.0, 0.5, 3.0, -1.0, 0.25};
    tt::expect_derivatives(dot(w, c) + mean(square(w)), {q});
    tt::expect_derivatives(sum(slice<1, 4>(w) * slice<0, 4>(w)) + element<5>(w) * element<0>(w),
                           {q});
    tt::expect_derivatives(log_sum_exp(w) + dot(softmax(w), c), {q});
    tt::expect_derivatives(
        binary_cross_entropy_with_logits(w, std::array{0.0, 1.0, 1.0, 0.0, 0.5, 1.0}), {q});
    // Rosenbrock as one array expression
    auto rb =
        sum(100_c * square(slice<1, 5>(w) - square(slice<0, 5>(w))) + square(1_c - slice<0, 5>(w)));
    tt::expect_derivatives(rb, {q, std::array{1.0, 1.0, 1.0, 1.0, 1.0, 1.0}});

    // matrices: a small softmax classifier, differentiated with respect to its weights
    auto W = tl::variable<0, tl::matrix<3, 2>, "W">;
    auto M = tl::constant(tl::mat<double, 2, 3>{{0.5, -1.0, 2.0, 1.5, 0.3, -0.7}});
    auto loss = softmax_cross_entropy(matmul(W, M) + 0.1,
                                      tl::mat<double, 3, 3>{{1, 0, 0, 0, 0, 1, 0, 1, 0}}) +
                sum(matvec(transpose(W), std::array{1.0, 2.0, 3.0}));
    const tl::mat<double, 3, 2> W0{{0.1, -0.2, 0.4, 0.3, -0.5, 0.2}};
    const auto gr = tl::gradient(loss, W0);
    const auto gf = tl::gradient(loss, W0, tl::forward_mode);
    for (std::size_t i = 0; i < 6; ++i) {
        auto up = W0, down = W0;
        const double h = 1e-6;
        up.data[i] += h;
        down.data[i] -= h;
        const double fd =
            (tl::value(loss, up) - tl::value(loss, down)) / (up.data[i] - down.data[i]);
        BOOST_TEST(gr.data[i] == gf.data[i], boost::test_tools::tolerance(1e-12));
        BOOST_TEST(gr.data[i] == fd, boost::test_tools::tolerance(1e-7));
    }
}

// vjp is the cotangent times the Jacobian, whose columns come from jvp along unit vectors.
BOOST_AUTO_TEST_CASE(vjp_against_jacobian_columns) {
    auto w = tl::variable<0, tl::vector<3>, "w">;
    auto F = softmax(w * w) * sum(w);
    const std::array p{0.3, -0.8, 1.4};
    const std::array u{1.0, -2.0, 0.5};
    const auto v = tl::vjp(F, u, p);
    for (std::size_t j = 0; j < 3; ++j) {
        std::array<double, 3> e{};
        e[j] = 1;
        const auto col = tl::jvp(F, p, e);
        double want = 0;
        for (std::size_t i = 0; i < 3; ++i) want += u[i] * col[i];
        BOOST_TEST(v[j] == want, boost::test_tools::tolerance(1e-13));
    }
}

// A shared subexpression is computed once in the value sweep and its rule applied once in the
// reverse sweep, however many times it is used.
BOOST_AUTO_TEST_CASE(shared_nodes_are_evaluated_once) {
    auto [x, z] = tl::variables<"x", "z">();
    auto c = tt::make_counted(x * z);
    auto f = c * c + sin(c) / c + exp(c);
    tt::counted::reset();
    (void)tl::value(f, std::array{0.5, 2.0});
    BOOST_TEST(tt::counted::values == 1);
    tt::counted::reset();
    const auto g = tl::gradient(f, std::array{0.5, 2.0});
    BOOST_TEST(tt::counted::values == 1);
    BOOST_TEST(tt::counted::derivatives == 1);
    // and the derivative is right: f = c² + sin(c)/c + e^c, c = xz
    const double cv = 1.0;
    const double dfdc = 2 * cv + (std::cos(cv) * cv - std::sin(cv)) / (cv * cv) + std::exp(cv);
    BOOST_TEST(g[0] == dfdc * 2.0, boost::test_tools::tolerance(1e-14));
    BOOST_TEST(g[1] == dfdc * 0.5, boost::test_tools::tolerance(1e-14));

    // a deep chain of sharing: 40 levels of c = c * c + c is 120 nodes, a tree of ~10^19
    auto d = tt::make_twice(x);
    auto e = d * d + d;
    auto e2 = e * e + e;
    auto e3 = e2 * e2 + e2;
    const double at = 0.1, dv = 2 * at, ev = dv * dv + dv, e2v = ev * ev + ev;
    const double want = (2 * e2v + 1) * (2 * ev + 1) * (2 * dv + 1) * 2;
    BOOST_TEST(tl::gradient(e3, std::array{at})[0] == want, boost::test_tools::tolerance(1e-14));
}

// At domain edges both modes follow IEEE and the documented conventions, and agree.
BOOST_AUTO_TEST_CASE(domain_edges) {
    auto [x] = tl::variables<"x">();
    const double inf = std::numeric_limits<double>::infinity();
    auto both = [](const auto& f, double at) {
        const double r = tl::gradient(f, std::array{at})[0];
        const double fw = tl::gradient(f, std::array{at}, tl::forward_mode)[0];
        BOOST_TEST((r == fw || (std::isnan(r) && std::isnan(fw))),
                   "reverse " << r << " forward " << fw);
        return r;
    };
    BOOST_TEST(both(log(x), 0.0) == inf);  // log 0 = −inf, derivative +inf
    BOOST_TEST(both(sqrt(x), 0.0) == inf); // derivative of √x at 0
    BOOST_TEST(both(cbrt(x), 0.0) == inf);
    BOOST_TEST(both(relu(x), 0.0) == 0.0); // subgradient 0 at the kink
    BOOST_TEST(both(abs(x), 0.0) == 0.0);
    BOOST_TEST(both(abs(x), -0.0) == 0.0);
    BOOST_TEST(both(max(x, x), 1.5) == 1.0); // a tie gives the whole derivative to one side
    BOOST_TEST(both(min(x, x), 1.5) == 1.0);
    BOOST_TEST(both(sigmoid(x), 700.0) == 0.0); // y (1 − y) with y = 1: 1 − y rounds to 0
    BOOST_TEST(both(sigmoid(x), -700.0) > 0.0); // ≈ 1e−304, not 0 and not NaN
    BOOST_TEST(both(softplus(x), 700.0) == 1.0);
    BOOST_TEST(both(softplus(x), -700.0) > 0.0);
    BOOST_TEST(both(tanh(x), 700.0) == 0.0);
    BOOST_TEST(both(exp(x), 710.0) == inf);
    BOOST_TEST(both(asin(x), 1.0) == inf);
    BOOST_TEST(both(acos(x), 1.0) == -inf);
    BOOST_TEST(both(atan(x), 1e200) == 0.0);
    // Outside the domain the value is NaN, as in <cmath>, and the derivative is the rule's
    // (1/x for log), as in JAX and PyTorch.
    BOOST_TEST(std::isnan(tl::value(log(x), std::array{-1.0})));
    BOOST_TEST(both(log(x), -1.0) == -1.0);
    BOOST_TEST(std::isnan(both(sqrt(x), std::numeric_limits<double>::quiet_NaN())));
    const double tiny = std::numeric_limits<double>::denorm_min();
    BOOST_TEST(both(square(x), tiny) == 2 * tiny); // denormals are not flushed
    BOOST_TEST(both(x * 3.0, tiny) == 3.0);

    auto z = tl::variable<0, tl::vector<3>, "z">;
    const auto g = tl::gradient(log_sum_exp(z), std::array{700.0, 0.0, -700.0});
    BOOST_TEST(g[0] == 1.0); // softmax at ±700: no overflow
    BOOST_TEST(g[1] >= 0.0);
    BOOST_TEST(g[1] < 1e-300);
    const auto gc = tl::gradient(softmax_cross_entropy(z, std::array{0.0, 1.0, 0.0}),
                                 std::array{700.0, 0.0, -700.0});
    BOOST_TEST(gc[0] == 1.0);
    BOOST_TEST(gc[1] == -1.0);
}

// Known limitation, pinned: forward mode carries a zero tangent through constant operands and
// multiplies it by the operand's partial derivative, so where that partial is infinite (d/db of
// pow(a, b) = log(a) · y at a = 0) the tangent becomes 0 · inf = NaN; reverse mode never
// evaluates partials of constants and gives 0. A runtime guard in dual's arithmetic cost forward
// mode 20-30 % on the running example; the fix is to give constant nodes plain values in the
// forward sweep (activity is known at compile time). Until then the two forward checks fail.
BOOST_AUTO_TEST_CASE(constant_operands_with_infinite_partials,
                     *boost::unit_test::expected_failures(4)) {
    auto x = tl::variable<0>;
    auto f = pow(x, 2.0) + pow(x, 2.5);
    for (const double at : {0.0, -0.0}) {
        const auto fwd = tl::gradient(f, std::array{at}, tl::forward_mode);
        const auto rev = tl::gradient(f, std::array{at});
        BOOST_TEST(fwd[0] == 0.0);
        BOOST_TEST(rev[0] == 0.0);
        BOOST_TEST(tl::jvp(f, std::array{at}, std::array{1.0}) == 0.0);
    }
}

BOOST_AUTO_TEST_SUITE_END()
