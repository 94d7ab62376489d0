// Runtime zero tangents at infinite partials (numbers/tracked_dual.hpp): forward mode, jvp, the
// forward Jacobian, Taylor coefficient 1, H·v and the Hessians gave NaN where a tangent that is
// zero by structure (input i's tangent along input j, a zero component of a direction) met an
// infinite partial, while reverse mode gave a number. Each case is checked here against reverse
// mode and the symbolic mode, at points where finite differences cannot see the answer (poles,
// infinities); a computed zero tangent must still give NaN where reverse mode does.
#include <tapeless/tapeless.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <limits>

#include <boost/test/unit_test.hpp>

namespace tl = tapeless;
namespace bt = boost::test_tools;
using namespace tl::literals;

namespace {
constexpr double inf = std::numeric_limits<double>::infinity();
const double qnan = std::numeric_limits<double>::quiet_NaN();

// NaN matches NaN, ±inf itself, a zero a zero of either sign, other numbers to 1e-13.
bool same(double got, double want) {
    if (std::isnan(want)) return std::isnan(got);
    if (std::isinf(want) || want == 0.0) return got == want;
    return std::fabs(got - want) <= 1e-13 * std::fabs(want);
}

template <std::size_t N>
std::array<double, N> unit(std::size_t i) {
    std::array<double, N> e{};
    e[i] = 1.0;
    return e;
}

// Every first-order mode of f at p against reverse mode, entry by entry; returns reverse's
// gradient.
template <class F, std::size_t N>
std::array<double, N> expect_first_order_agree(const F& f, const std::array<double, N>& p) {
    const auto r = tl::gradient(f, p);
    const auto fw = tl::gradient(f, p, tl::forward_mode);
    const auto J = tl::jacobian(f, p, tl::forward_mode);
    std::array<double, N> out{};
    for (std::size_t i = 0; i < N; ++i) {
        out[i] = r[i];
        const double jv = tl::jvp(f, p, unit<N>(i));
        const double c1 = tl::taylor_coefficients<2>(f, p, unit<N>(i))[1];
        BOOST_TEST(same(fw[i], r[i]), "forward ∂" << i << ": " << fw[i] << ", reverse " << r[i]);
        BOOST_TEST(same(J[0][i], r[i]),
                   "forward Jacobian ∂" << i << ": " << J[0][i] << ", reverse " << r[i]);
        BOOST_TEST(same(jv, r[i]), "jvp ∂" << i << ": " << jv << ", reverse " << r[i]);
        BOOST_TEST(same(c1, r[i]), "Taylor c1 ∂" << i << ": " << c1 << ", reverse " << r[i]);
    }
    return out;
}

// H·e_j, the Hessian and the symbolic second derivatives of f(a, b) at p agree entry by entry.
template <class F, class A, class B>
void expect_second_order_agree(const F& f, const A& a, const B& b, const std::array<double, 2>& p) {
    const auto H = tl::hessian(f, p);
    const std::array<std::array<double, 2>, 2> S{{
        {tl::value(tl::derivative(tl::derivative(f, a), a), p),
         tl::value(tl::derivative(tl::derivative(f, a), b), p)},
        {tl::value(tl::derivative(tl::derivative(f, b), a), p),
         tl::value(tl::derivative(tl::derivative(f, b), b), p)},
    }};
    for (std::size_t j = 0; j < 2; ++j) {
        const auto hv = tl::hvp(f, p, unit<2>(j));
        for (std::size_t i = 0; i < 2; ++i) {
            BOOST_TEST(same(H[i][j], S[i][j]),
                       "H[" << i << "][" << j << "] = " << H[i][j] << ", symbolic " << S[i][j]);
            BOOST_TEST(same(hv[i], S[i][j]),
                       "(H·e" << j << ")[" << i << "] = " << hv[i] << ", symbolic " << S[i][j]);
        }
    }
}
} // namespace

BOOST_AUTO_TEST_SUITE(zero_tangents)

// a/b at b = 0: ∂a = 1/b = ±inf, ∂b = −a/b² = −inf; forward mode used to form 0 · inf for each.
BOOST_AUTO_TEST_CASE(quotient_at_a_pole) {
    auto [a, b] = tl::variables<"a", "b">();
    const auto g = expect_first_order_agree(a / b, std::array{1.0, 0.0});
    BOOST_TEST(g[0] == inf);
    BOOST_TEST(g[1] == -inf);
    expect_first_order_agree(a / b, std::array{1.0, -0.0});
    expect_first_order_agree(a / b, std::array{0.0, 0.0});
    expect_first_order_agree(a / b, std::array{1.0, 2.2250738585072014e-308}); // 1/nor is finite
    expect_second_order_agree(a / b, a, b, std::array{1.0, 0.0});
    expect_second_order_agree(a / b, a, b, std::array{-3.0, 0.0});
}

// a · b with an infinite or NaN factor: the other factor's partial is still the plain number.
BOOST_AUTO_TEST_CASE(product_with_infinite_and_nan_factors) {
    auto [a, b] = tl::variables<"a", "b">();
    const auto g = expect_first_order_agree(a * b, std::array{0.0, inf});
    BOOST_TEST(g[0] == inf);
    BOOST_TEST(g[1] == 0.0);
    const auto h = expect_first_order_agree(a * b, std::array{qnan, 2.0});
    BOOST_TEST(h[0] == 2.0);
    BOOST_TEST(std::isnan(h[1]));
    expect_first_order_agree(a * b + sin(a), std::array{0.5, inf});
    // second order: a product at an infinite input, in an expression with an operation that may
    // have a singular point (log), so that H·v and the Hessian test their results
    expect_second_order_agree(a * b * b + log(b), a, b, std::array{inf, 1.0});
}

// Whether H·v and the Hessian test their results for NaN is decided when the code is generated:
// only an expression with an operation that may have a singular point (a finite operand where a
// partial is infinite) can meet 0 · inf at finite inputs, so only such an expression pays for the
// test. Polynomials, exp, sin and the linear algebra have none.
BOOST_AUTO_TEST_CASE(singular_points_are_known_from_the_dag) {
    auto [a, b] = tl::variables<"a", "b">();
    auto w = tl::variable<2, tl::vector<4>, "w">;
    const auto rosenbrock =
        tl::sum(100.0 * square(tl::slice<1, 3>(w) - square(tl::slice<0, 3>(w))) +
                square(1.0 - tl::slice<0, 3>(w)));
    static_assert(!tl::graph::may_be_singular<tl::node_of<decltype(a * b * b)>>);
    static_assert(!tl::graph::may_be_singular<tl::node_of<decltype(rosenbrock)>>);
    static_assert(
        !tl::graph::may_be_singular<tl::node_of<decltype(exp(a) * sin(b) + tl::pow<3>(a))>>);
    static_assert(tl::graph::may_be_singular<tl::node_of<decltype(a / b)>>);
    static_assert(tl::graph::may_be_singular<tl::node_of<decltype(exp(a) + sqrt(b))>>);
    static_assert(tl::graph::may_be_singular<tl::node_of<decltype(a * tl::pow<-1>(b))>>);
    // without a singular point the second-order modes agree with the symbolic ones at finite
    // inputs (at an infinite input they keep IEEE arithmetic: see docs/edge-cases.md)
    expect_second_order_agree(a * b * b + exp(a) * sin(b), a, b, std::array{0.0, 2.0});
    expect_second_order_agree(a * b * b + exp(a) * sin(b), a, b, std::array{-3.0, 0.0});
}

// pow, atan2 and hypot at infinite and NaN operands, inside larger expressions.
BOOST_AUTO_TEST_CASE(binary_functions_at_infinities) {
    auto [a, b] = tl::variables<"a", "b">();
    expect_first_order_agree(pow(a, b), std::array{inf, 2.0});
    expect_first_order_agree(pow(a, b), std::array{-2.0, 2.0});
    expect_first_order_agree(pow(a, b), std::array{1.0, qnan});
    expect_first_order_agree(atan2(a, b) + a, std::array{1.0, inf});
    expect_first_order_agree(hypot(a, b) * 2.0, std::array{inf, 1.0});
    expect_second_order_agree(pow(a, b), a, b, std::array{inf, 2.0});
}

// The losses and log_sum_exp at infinite logits: the forward rules' sums of infinities met zero
// tangents.
BOOST_AUTO_TEST_CASE(losses_at_infinite_logits) {
    auto x = tl::variable<0, tl::vector<2>, "x">;
    const std::array<double, 2> t{1.0, 0.0};
    const auto g = expect_first_order_agree(tl::softmax_cross_entropy(x, t), std::array{0.0, inf});
    BOOST_TEST(g[0] == -1.0);
    BOOST_TEST(g[1] == 1.0);
    expect_first_order_agree(tl::log_sum_exp(x), std::array{inf, 0.0});
    expect_first_order_agree(tl::log_sum_exp(x), std::array{inf, inf});
    expect_first_order_agree(tl::mse(x, t), std::array{inf, 0.0});
    expect_first_order_agree(tl::binary_cross_entropy_with_logits(x, t), std::array{-inf, inf});
}

// A tangent that is zero by arithmetic, not by structure, stays a tangent: d/dx cbrt(x³) at 0 is
// 0 · inf in every mode, NaN, never a silent 0 (the exact derivative is 1).
BOOST_AUTO_TEST_CASE(computed_zero_tangents_stay_nan) {
    auto [x, y] = tl::variables<"x", "y">();
    auto f = cbrt(x * x * x) + y / (x - x); // the second term makes the first sweep retry
    const std::array<double, 2> p{0.0, 1.0};
    const auto r = tl::gradient(f, p);
    BOOST_TEST(std::isnan(r[0]));
    const auto fw = tl::gradient(f, p, tl::forward_mode);
    BOOST_TEST(std::isnan(fw[0]));
    BOOST_TEST(std::isnan(tl::jvp(f, p, std::array{1.0, 0.0})));
    BOOST_TEST(std::isnan(tl::taylor_coefficients<1>(f, p, std::array{1.0, 0.0})[1]));
}

// Array-valued: the forward Jacobian of several outputs and Taylor coefficient 1 of each agree with
// each output's reverse-mode gradient. (The reverse-mode Jacobian keeps IEEE arithmetic: its row
// for one output passes the other outputs' zero adjoints back through their infinite partials.)
BOOST_AUTO_TEST_CASE(jacobian_and_taylor_of_several_outputs) {
    auto [a, b] = tl::variables<"a", "b">();
    auto F = tl::outputs(a / b, a * b, pow(a, 0.5_c) + b);
    const std::array<double, 2> p{0.0, 0.0};
    const std::array<std::array<double, 2>, 3> G{tl::gradient(a / b, p), tl::gradient(a * b, p),
                                                 tl::gradient(pow(a, 0.5_c) + b, p)};
    const auto Jf = tl::jacobian(F, p, tl::forward_mode);
    const auto Ja = tl::jacobian(F, p); // its own choice: forward for three outputs of two inputs
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 2; ++j) {
            BOOST_TEST(same(Jf[i][j], G[i][j]), "J[" << i << "][" << j << "]: forward " << Jf[i][j]
                                                     << ", gradient " << G[i][j]);
            BOOST_TEST(same(Ja[i][j], G[i][j]), "J[" << i << "][" << j << "]: tl::jacobian "
                                                     << Ja[i][j] << ", gradient " << G[i][j]);
            const auto c = tl::taylor_coefficients<2>(F, p, unit<2>(j));
            BOOST_TEST(same(c[i][1], G[i][j]), "c1 of output " << i << " along e" << j << ": "
                                                               << c[i][1] << ", gradient "
                                                               << G[i][j]);
        }
}

// Taylor coefficient 1 where the recurrences divide by x₀ (a real exponent, cbrt): at 0, at ±inf
// and at the smallest denormal it is the derivative, as jvp gives it.
BOOST_AUTO_TEST_CASE(taylor_first_coefficient_at_zero_and_denormals) {
    auto [x] = tl::variables<"x">();
    const double den = std::numeric_limits<double>::denorm_min();
    for (double at : {0.0, -0.0, inf, -inf, den}) {
        for (const double c1 :
             {tl::taylor_coefficients<3>(pow(x, 0.5), std::array{at}, std::array{1.0})[1],
              tl::taylor_coefficients<3>(cbrt(x), std::array{at}, std::array{1.0})[1]})
            BOOST_TEST(!std::isnan(c1), "at " << at);
        BOOST_TEST(same(tl::taylor_coefficients<3>(cbrt(x), std::array{at}, std::array{1.0})[1],
                        tl::jvp(cbrt(x), std::array{at}, std::array{1.0})));
        BOOST_TEST(same(tl::taylor_coefficients<3>(pow(x, 0.5), std::array{at}, std::array{1.0})[1],
                        tl::gradient(pow(x, 0.5), std::array{at})[0]));
    }
    BOOST_TEST(
        std::isfinite(tl::taylor_coefficients<2>(cbrt(x), std::array{den}, std::array{1.0})[1]));
}

// Taylor coefficients beyond the first at infinities and poles: a coefficient that is zero by
// structure (x₂ of the line x₀ + t, a constant's, a step function's) met an infinite one (c₂ of x²
// at inf: 2·x₀·x₂ + x₁² = inf·0 + 1). Each coefficient is checked against the symbolic mode's
// derivative divided by k!.
BOOST_AUTO_TEST_CASE(taylor_higher_coefficients_at_infinities) {
    auto [x_] = tl::variables<"x">();
    const auto x = x_; // (a lambda below captures it: clang 14 cannot capture a structured binding)
    auto check = [&](const auto& f, double at, const char* what) {
        const auto c = tl::taylor_coefficients<3>(f, std::array{at}, std::array{1.0});
        const double d1 = tl::value(tl::derivative(f, x), std::array{at});
        const double d2 = tl::value(tl::derivative<2>(f, x), std::array{at});
        const double d3 = tl::value(tl::derivative<3>(f, x), std::array{at});
        BOOST_TEST(same(c[1], d1),
                   what << " at " << at << ": c1 = " << c[1] << ", symbolic " << d1);
        BOOST_TEST(same(c[2], d2 / 2),
                   what << " at " << at << ": c2 = " << c[2] << ", symbolic f2/2 = " << d2 / 2);
        BOOST_TEST(same(c[3], d3 / 6),
                   what << " at " << at << ": c3 = " << c[3] << ", symbolic f3/6 = " << d3 / 6);
    };
    for (double at : {inf, -inf, 1.7976931348623157e308}) {
        check(x * x, at, "x*x");
        check(square(x), at, "square");
        check(pow(x, 3_c), at, "pow(x, 3)");
        check(exp(x) + x, at, "exp(x) + x");
        check(sinh(x), at, "sinh");
        check(cosh(x), at, "cosh");
    }
    check(tl::relu(x) + x, qnan, "relu(x) + x");
    // the sum of a NaN-free part and a pole: only the pole's coefficients are infinite
    check(1.0 / x + sin(x), 0.0, "1/x + sin x");
    // two variables: a/b at b = 0 along a is 1/b · t, a line: every coefficient beyond c₁ is 0
    auto [a, b] = tl::variables<"a", "b">();
    const auto c = tl::taylor_coefficients<3>(a / b, std::array{1.0, 0.0}, std::array{1.0, 0.0});
    BOOST_TEST(c[1] == inf);
    BOOST_TEST(c[2] == 0.0);
    BOOST_TEST(c[3] == 0.0);
    // a value coefficient that is zero by arithmetic is not a structural zero: cbrt(x³) at 0 stays
    // NaN (0 · inf), never a silent 0
    BOOST_TEST(std::isnan(
        tl::taylor_coefficients<2>(cbrt(x * x * x), std::array{0.0}, std::array{1.0})[1]));
}

BOOST_AUTO_TEST_SUITE_END()
