// Taylor mode: taylor<T, K> numbers and tl::taylor_coefficients. Every elementwise operation is
// checked in every mode, Taylor included, by the every_mode case of its test (test/unit/ops/*.cpp,
// support/expect_ad.hpp: coefficient k against nested forward mode and against finite differences
// of coefficient k − 1, c_0 against the value and c_1 against jvp); here, the points those checks
// cannot take (near singularities, a branch cut, kinks, infinite coefficients), the array
// operations and composite functions through expect_taylor, and arithmetic laws and known series
// (worked out by hand) on the number type itself.
#include <tapeless/modes/taylor_coefficients.hpp>
#include <tapeless/numbers/taylor.hpp>
#include <tapeless/tapeless.hpp>

#include <array>
#include <cmath>
#include <limits>

#include <boost/test/unit_test.hpp>

#include "support/expect_taylor.hpp"
#include "support/values.hpp"

namespace tl = tapeless;
namespace tt = tapeless_test;
using namespace tl::literals;

namespace {
using X5 = tl::taylor<double, 5>;
constexpr double inf = std::numeric_limits<double>::infinity();

bool close(double a, double b, double rel = 1e-13, double abs = 1e-15) {
    return tt::agree(a, b, rel, abs);
}

template <std::size_t K>
bool close_all(const std::array<double, K>& a, const std::array<double, K>& b, double rel = 1e-13) {
    for (std::size_t k = 0; k < K; ++k)
        if (!close(a[k], b[k], rel, 1e-14)) return false;
    return true;
}
} // namespace

BOOST_AUTO_TEST_SUITE(taylor)

// --- the number type -----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(value_type_basics) {
    constexpr X5 x = X5::variable(2.0, 3.0);
    static_assert(x.c[0] == 2.0 && x.c[1] == 3.0 && x.c[2] == 0.0);
    static_assert(x == 2.0 && x < 2.5 && x > X5(1.0)); // comparisons look at c[0] only
    constexpr X5 y = x * x;                            // (2 + 3t)² = 4 + 12t + 9t²
    static_assert(y.c[0] == 4.0 && y.c[1] == 12.0 && y.c[2] == 9.0 && y.c[3] == 0.0);
    static_assert(y(1.0) == 25.0);                  // the polynomial at t = 1
    static_assert(y.derivative(2) == 18.0);         // 2! c_2
    constexpr X5 q = 1.0 / X5::variable(1.0, -1.0); // 1/(1 − t) = Σ t^k
    for (std::size_t k = 0; k <= 5; ++k) BOOST_TEST(q[k] == 1.0);
    static_assert(tl::taylor<double, 0>::variable(3.0).c.size() == 1);
}

BOOST_AUTO_TEST_CASE(arithmetic_laws) {
    // Random-ish series: the ring laws hold up to rounding, and division inverts multiplication.
    const X5 a(std::array{0.7, -1.2, 0.3, 2.0, -0.5, 0.25});
    const X5 b(std::array{-1.5, 0.4, 0.9, -0.1, 1.3, -2.2});
    const X5 c(std::array{2.5, 0.0, -0.6, 0.8, 0.05, 1.0});
    auto agree5 = [](const X5& l, const X5& r) { return close_all(l.c, r.c, 1e-13); };
    BOOST_TEST(agree5(a + b, b + a));
    BOOST_TEST(agree5(a * b, b * a));
    BOOST_TEST(agree5((a * b) * c, a * (b * c)));
    BOOST_TEST(agree5(a * (b + c), a * b + a * c));
    BOOST_TEST(agree5((a - b) + b, a));
    BOOST_TEST(agree5((a / b) * b, a));
    BOOST_TEST(agree5((a * b) / b, a));
    BOOST_TEST(agree5(a / a, X5(1.0)));
    BOOST_TEST(agree5(-(-a), a));
    BOOST_TEST(agree5(a * 2.0, a + a));
    BOOST_TEST(agree5(2.0 * a, a + a));
    BOOST_TEST(agree5(a / 4.0, a * 0.25));
    BOOST_TEST(agree5(3.0 - a, X5(3.0) - a));
    BOOST_TEST(agree5(3.0 / a, X5(3.0) / a));
    BOOST_TEST(agree5(a + 1.0, 1.0 + a));
    X5 d = a;
    d += b;
    d -= b;
    d *= c;
    d /= c;
    BOOST_TEST(agree5(d, a));
    // The square and the integer powers are products.
    BOOST_TEST(agree5(tl::square(a), a * a));
    BOOST_TEST(agree5(tl::pow<3>(a), a * a * a));
    BOOST_TEST(agree5(tl::pow<-2>(a), 1.0 / (a * a)));
    BOOST_TEST(agree5(tl::pow<0>(a), X5(1.0)));
}

BOOST_AUTO_TEST_CASE(known_series) {
    // Worked out by hand from the power series at t = 0.
    const X5 t = X5::variable(0.0);
    const std::array<double, 6> e{1, 1, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120};
    BOOST_TEST(close_all(tl::exp(t).c, e));
    BOOST_TEST(close_all(tl::expm1(t).c, {0, 1, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120}));
    BOOST_TEST(close_all(tl::log1p(t).c, {0, 1, -1.0 / 2, 1.0 / 3, -1.0 / 4, 1.0 / 5}));
    BOOST_TEST(close_all(tl::log(1.0 + t).c, {0, 1, -1.0 / 2, 1.0 / 3, -1.0 / 4, 1.0 / 5}));
    BOOST_TEST(close_all(tl::sin(t).c, {0, 1, 0, -1.0 / 6, 0, 1.0 / 120}));
    BOOST_TEST(close_all(tl::cos(t).c, {1, 0, -1.0 / 2, 0, 1.0 / 24, 0}));
    BOOST_TEST(close_all(tl::tan(t).c, {0, 1, 0, 1.0 / 3, 0, 2.0 / 15}));
    BOOST_TEST(close_all(tl::sinh(t).c, {0, 1, 0, 1.0 / 6, 0, 1.0 / 120}));
    BOOST_TEST(close_all(tl::cosh(t).c, {1, 0, 1.0 / 2, 0, 1.0 / 24, 0}));
    BOOST_TEST(close_all(tl::tanh(t).c, {0, 1, 0, -1.0 / 3, 0, 2.0 / 15}));
    BOOST_TEST(close_all(tl::atan(t).c, {0, 1, 0, -1.0 / 3, 0, 1.0 / 5}));
    BOOST_TEST(close_all(tl::asin(t).c, {0, 1, 0, 1.0 / 6, 0, 3.0 / 40}));
    BOOST_TEST(close_all(tl::acos(t).c, {std::acos(0.0), -1, 0, -1.0 / 6, 0, -3.0 / 40}));
    BOOST_TEST(
        close_all(tl::sqrt(1.0 + t).c, {1, 1.0 / 2, -1.0 / 8, 1.0 / 16, -5.0 / 128, 7.0 / 256}));
    BOOST_TEST(
        close_all(tl::cbrt(1.0 + t).c, {1, 1.0 / 3, -1.0 / 9, 5.0 / 81, -10.0 / 243, 22.0 / 729}));
    BOOST_TEST(close_all(tl::sigmoid(t).c, {0.5, 1.0 / 4, 0, -1.0 / 48, 0, 1.0 / 480}));
    BOOST_TEST(close_all(tl::softplus(t).c, {std::log(2.0), 1.0 / 2, 1.0 / 8, 0, -1.0 / 192, 0}));
    BOOST_TEST(close_all(tl::pow(1.0 + t, X5(0.5)).c, tl::sqrt(1.0 + t).c));
    BOOST_TEST(
        close_all(tl::pow(X5(2.0), t).c,
                  {1, std::log(2.0), std::pow(std::log(2.0), 2) / 2, std::pow(std::log(2.0), 3) / 6,
                   std::pow(std::log(2.0), 4) / 24, std::pow(std::log(2.0), 5) / 120}));
    // hypot(1, t) = √(1 + t²) = 1 + t²/2 − t⁴/8; atan2(t, 1) = atan t.
    BOOST_TEST(close_all(tl::hypot(X5(1.0), t).c, {1, 0, 0.5, 0, -1.0 / 8, 0}));
    BOOST_TEST(close_all(tl::atan2(t, X5(1.0)).c, tl::atan(t).c));
}

BOOST_AUTO_TEST_CASE(rule_from_derivative_agrees_with_the_ops_rules) {
    // taylor_from_derivative (for ops without a rule of their own) against the op's rule.
    const X5 x(std::array{0.4, 1.1, -0.3, 0.7, 0.2, -0.9});
    const X5 y(std::array{1.3, -0.2, 0.5, 0.1, -0.4, 0.6});
    auto unary = [&]<class Op>(Op) {
        X5 a, b;
        Op::template taylor<5>(x.c.data(), a.c.data());
        tl::detail::taylor_from_derivative<Op, 5>(x.c.data(), b.c.data());
        BOOST_TEST(close_all(a.c, b.c, 1e-12), Op::name);
    };
    auto binary = [&]<class Op>(Op) {
        X5 a, b;
        Op::template taylor<5>(x.c.data(), y.c.data(), a.c.data());
        tl::detail::taylor_from_derivative<Op, 5>(x.c.data(), y.c.data(), b.c.data());
        BOOST_TEST(close_all(a.c, b.c, 1e-12), Op::name);
    };
    unary(tl::op::exp{});
    unary(tl::op::log{});
    unary(tl::op::sin{});
    unary(tl::op::tan{});
    unary(tl::op::asin{});
    unary(tl::op::atan{});
    unary(tl::op::tanh{});
    unary(tl::op::sigmoid{});
    unary(tl::op::softplus{});
    unary(tl::op::cbrt{});
    binary(tl::op::mul{});
    binary(tl::op::div{});
    binary(tl::op::pow{});
    binary(tl::op::atan2{});
    binary(tl::op::hypot{});
}

// --- the operations at points the other modes' checks cannot take
// --------------------------------- Each elementwise operation is checked in every mode, Taylor
// included, by the every_mode case of its test (test/unit/ops/*.cpp, support/expect_ad.hpp). Here:
// points closer to a singularity than the step of the Hessian's finite differences (Taylor's
// differences take a step within the radius of convergence), a branch cut, kinks, and the edges
// where a coefficient is infinite.

BOOST_AUTO_TEST_CASE(near_singularities) {
    auto [x, y] = tl::variables<"x", "y">();
    tt::expect_taylor(log(x), {std::array{1e-3}});
    tt::expect_taylor(sqrt(x), {std::array{0.01}});
    tt::expect_taylor(cbrt(x), {std::array{0.02}});
    tt::expect_taylor(asin(x), {std::array{0.99}});
    tt::expect_taylor(acos(x), {std::array{0.99}});
    tt::expect_taylor(atan2(x, y), {std::array{1e-3, 1e-3}});
    tt::expect_taylor(hypot(x, y), {std::array{1e-3, -1e-3}});
}

BOOST_AUTO_TEST_CASE(edges) {
    auto [a, b] = tl::variables<"a", "b">();
    auto x = tl::variable<0, tl::scalar, "x">;
    // log at 0 is −inf with c_1 = +inf (as its derivative); log1p at −1 likewise.
    const auto l0 = tl::taylor_coefficients<3>(log(x), std::array{0.0}, std::array{1.0});
    BOOST_TEST(l0[0] == -inf);
    BOOST_TEST(l0[1] == inf);
    const auto l1 = tl::taylor_coefficients<3>(log1p(x), std::array{-1.0}, std::array{1.0});
    BOOST_TEST(l1[0] == -inf);
    BOOST_TEST(l1[1] == inf);
    // At a_0 = 0 an integer constant exponent is exact (the integer recurrence).
    const auto z2 = tl::taylor_coefficients<4>(pow(x, 2.0), std::array{0.0}, std::array{1.5});
    BOOST_TEST(close_all(z2, {0.0, 0.0, 2.25, 0.0, 0.0}));
    // A negative base with an integer constant exponent: the series exists (x³ near −2); checked
    // by hand.
    const auto neg = tl::taylor_coefficients<4>(pow(x, 3.0), std::array{-2.0}, std::array{1.0});
    BOOST_TEST(close_all(neg, {-8.0, 12.0, -6.0, 1.0, 0.0}));
    // √ at 0: value 0, c_1 = +inf (its derivative).
    const auto s0 = tl::taylor_coefficients<3>(sqrt(x), std::array{0.0}, std::array{1.0});
    BOOST_TEST(s0[0] == 0.0);
    BOOST_TEST(s0[1] == inf);
    // asin and acos at ±1: c_1 = ±inf as the derivatives.
    const auto a1 = tl::taylor_coefficients<3>(asin(x), std::array{1.0}, std::array{1.0});
    const auto b1 = tl::taylor_coefficients<3>(acos(x), std::array{-1.0}, std::array{1.0});
    BOOST_TEST(a1[1] == inf);
    BOOST_TEST(b1[1] == -inf);
    // hypot at (0, 0): the derivative is NaN.
    const auto h0 =
        tl::taylor_coefficients<2>(hypot(a, b), std::array{0.0, 0.0}, std::array{1.0, 1.0});
    BOOST_TEST(h0[0] == 0.0);
    BOOST_TEST(!std::isfinite(h0[1]));
}

// atan2 on its branch cut (a = 0, b < 0): the value jumps, the series does not; the higher
// coefficients are those of atan(a/b) (same derivative).
BOOST_AUTO_TEST_CASE(branch_cut) {
    auto [x, y] = tl::variables<"x", "y">();
    tt::expect_taylor_without_differences(atan2(x, y), {std::array{0.0, -1.0}});
    const auto cut =
        tl::taylor_coefficients<5>(atan2(x, y), std::array{0.0, -1.0}, std::array{1.0, 0.5});
    const auto ref =
        tl::taylor_coefficients<5>(atan(x / y), std::array{0.0, -1.0}, std::array{1.0, 0.5});
    for (std::size_t k = 1; k <= 5; ++k) BOOST_TEST(close(cut[k], ref[k], 1e-13), "k = " << k);
}

// Kinks: the branch the derivative rule takes (subgradient 0 for abs and relu at 0; min and max
// give a tie to their first argument): all higher coefficients follow it.
BOOST_AUTO_TEST_CASE(kinks) {
    auto [a, b] = tl::variables<"a", "b">();
    const auto ab =
        tl::taylor_coefficients<3>(abs(a) + relu(b), std::array{0.0, 0.0}, std::array{1.0, 1.0});
    BOOST_TEST(close_all(ab, {0.0, 0.0, 0.0, 0.0}));
    const auto mx = tl::taylor_coefficients<3>(max(a, b) + 2.0 * min(a, b), std::array{1.0, 1.0},
                                               std::array{1.0, -1.0});
    BOOST_TEST(close_all(mx, {3.0, 3.0, 0.0, 0.0})); // both pick a: a + 2a along dir_a = 1
}

// The array operations (sum, mean, dot, slices, matvec, softmax, log_sum_exp, losses) evaluate
// themselves with the elementwise ops and arithmetic on their element type, so on Taylor numbers
// they use the Taylor rules above: checked the same way on one vector input.
BOOST_AUTO_TEST_CASE(array_ops) {
    auto w = tl::variable<0, tl::vector<3>, "w">;
    const std::array p1{0.3, -1.2, 0.8}, p2{2.0, 0.5, -0.1};
    tt::expect_taylor(log_sum_exp(w), {p1, p2});
    tt::expect_taylor(sum(softmax(w) * w), {p1, p2});
    tt::expect_taylor(mean(exp(w)) * dot(w, w), {p1, p2});
    tt::expect_taylor(sum(tl::slice<1, 2>(w) * tl::slice<0, 2>(w)) + tl::element<2>(w), {p1, p2});
    tt::expect_taylor(mse(w, std::array{1.0, 0.0, -1.0}), {p1, p2});
    tt::expect_taylor(binary_cross_entropy_with_logits(w, std::array{1.0, 0.0, 1.0}), {p1, p2});
    tt::expect_taylor(softmax_cross_entropy(w, std::array{0.0, 1.0, 0.0}), {p1, p2});
    auto v = tl::variable<0, tl::vector<4>, "v">;
    tt::expect_taylor(
        sum(tanh(matvec(tl::mat<double, 2, 4>{{0.5, -1.0, 0.25, 2.0, 1.0, 0.0, -0.5, 0.3}}, v))),
        {std::array{0.1, 0.2, -0.3, 0.4}});
}

// --- taylor_coefficients -------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(composite_functions) {
    auto [x, z] = tl::variables<"x", "z">();
    // The running example f(x, z) (README, Sources) and the √/cos function of the benchmarks.
    auto f = exp(x * z) + x * z / log(x) + sin(log(x)) / (x * z);
    tt::expect_taylor(f, {std::array{2.0, 3.0}, std::array{0.5, -1.0}, std::array{3.0, 0.1}});
    auto g = sqrt(x * x + exp(x * x)) + cos(x * x + exp(x * x));
    tt::expect_taylor(g, {std::array{0.0}, std::array{0.8}, std::array{-1.3}});
    tt::expect_taylor(tanh(x * 0.5_c + z) * sigmoid(z - x) + atan2(z, x) / hypot(x, 1.0_c),
                      {std::array{0.4, -0.6}});
}

BOOST_AUTO_TEST_CASE(callables_and_array_inputs) {
    // A generic callable is traced; the same coefficients as the expression.
    auto callable = [](auto p, auto q) { return exp(p * q) + sin(p) / q; };
    auto [x, z] = tl::variables<"x", "z">();
    const auto want = tl::taylor_coefficients<4>(exp(x * z) + sin(x) / z, std::array{0.5, 2.0},
                                                 std::array{1.0, -0.5});
    const auto got =
        tl::taylor_coefficients<4>(callable, std::array{0.5, 2.0}, std::array{1.0, -0.5});
    for (std::size_t k = 0; k <= 4; ++k) BOOST_TEST(got[k] == want[k]);

    // One vector-shaped input: t ↦ Σ_i w_i² along dir: c = (|p|², 2 p·dir, |dir|², 0).
    auto w = tl::variable<0, tl::vector<3>, "w">;
    const std::array p{1.0, -2.0, 0.5}, dir{0.5, 1.0, -1.0};
    const auto c = tl::taylor_coefficients<3>(tl::sum(w * w), p, dir);
    BOOST_TEST(close_all(c, {5.25, 2.0 * (0.5 - 2.0 - 0.5), 2.25, 0.0}));

    // A vector-valued f: one coefficient array per element.
    const auto cv = tl::taylor_coefficients<2>(exp(w), p, dir);
    for (std::size_t i = 0; i < 3; ++i) {
        const double e = std::exp(p[i]);
        BOOST_TEST(close_all(cv[i], {e, e * dir[i], e * dir[i] * dir[i] / 2}));
    }

    // A single scalar input can be a plain number.
    const auto cs = tl::taylor_coefficients<2>(x * x * x, 2.0, 1.0);
    BOOST_TEST(close_all(cs, {8.0, 12.0, 6.0}));
}

BOOST_AUTO_TEST_CASE(coefficients_are_derivatives_over_factorials) {
    // f(x) = e^{2x}: c_k = 2^k e^{2 p} / k! along dir = 1, at every order up to 12.
    auto x = tl::variable<0, tl::scalar, "x">;
    const auto c = tl::taylor_coefficients<12>(exp(2.0_c * x), std::array{0.3}, std::array{1.0});
    double fact = 1;
    for (std::size_t k = 0; k <= 12; ++k) {
        if (k > 0) fact *= static_cast<double>(k);
        BOOST_TEST(close(c[k], std::pow(2.0, static_cast<double>(k)) * std::exp(0.6) / fact, 1e-13),
                   "k = " << k);
    }
}

BOOST_AUTO_TEST_SUITE_END()
