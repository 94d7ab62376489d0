// erf and lgamma (ops/special.hpp), and the derivative families their rules use: erf_derivative<N>
// (the N-th derivative of erf) and polygamma<N> (ψ⁽ᴺ⁾, the (N + 1)-th derivative of lgamma).
// Values against <cmath> and known constants; every rule against differences of the value one
// order below; every mode against the others and against differences (expect_ad); the printed
// derivatives. The edges are rows of
// docs/edge-cases.md (test/unit/ops/edge_cases.cpp).
#include <tapeless/ops/special.hpp>
#include <tapeless/tapeless.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "support/elementwise.hpp"
#include "support/expect_ad.hpp"
#include "support/numdiff.hpp"
#include "support/values.hpp"

namespace tl = tapeless;
namespace tt = tapeless_test;
namespace bt = boost::test_tools;
using namespace tl::literals;

namespace {
constexpr double pi = std::numbers::pi;
constexpr double euler_gamma = std::numbers::egamma;
constexpr double zeta3 = 1.2020569031595942853997381615114499907649862923405; // Apéry's constant
} // namespace

BOOST_AUTO_TEST_SUITE(ops_special)

// erf and lgamma are <cmath>'s (lgamma through lgamma_r, which leaves signgam alone): bit for bit.
BOOST_AUTO_TEST_CASE(match_cmath) {
    const std::vector<double> points{1e-17, -0.3, 0.5,   1.0,    2.5,   -2.5,
                                     6.0,   27.0, -27.0, 1e-310, 171.5, 1e300};
    tt::check_unary<double>(
        "erf", [](const auto& v) { return tl::erf(v); }, [](double t) { return std::erf(t); },
        points, tt::exact);
    tt::check_unary<double>(
        "lgamma", [](const auto& v) { return tl::lgamma(v); },
        [](double t) { return std::lgamma(t); }, points, tt::exact);
    tt::check_unary<float>(
        "lgamma<float>", [](const auto& v) { return tl::lgamma(v); },
        [](float t) { return std::lgamma(t); }, {0.3f, 7.5f, -1.5f}, tt::exact);
    tt::check_unary<long double>(
        "erf<long double>", [](const auto& v) { return tl::erf(v); },
        [](long double t) { return std::erf(t); }, {0.3L, -2.0L, 6.5L}, tt::exact);
}

// ψ and its derivatives at points where they are known in closed form (Abramowitz & Stegun 6.3,
// 6.4): ψ(1) = −γ, ψ(1/2) = −γ − 2 ln 2, ψ′(1) = π²/6, ψ′(1/2) = π²/2, ψ″(1) = −2ζ(3),
// ψ‴(1) = π⁴/15; the recurrence ψ(x + 1) = ψ(x) + 1/x; the reflection ψ(1 − x) − ψ(x) = π cot πx.
BOOST_AUTO_TEST_CASE(polygamma_known_values) {
    // (clang 14 does not capture a structured binding)
    const auto x = tl::variable<0, tl::scalar, "x">;
    const auto psi = [&](auto n_tag, double at) {
        constexpr std::size_t n = decltype(n_tag)::value;
        return tl::value(tl::polygamma<n>(x), at);
    };
    using zero = std::integral_constant<std::size_t, 0>;
    using one = std::integral_constant<std::size_t, 1>;
    using two = std::integral_constant<std::size_t, 2>;
    using three = std::integral_constant<std::size_t, 3>;
    const auto tol = bt::tolerance(4e-15);
    BOOST_TEST(psi(zero{}, 1.0) == -euler_gamma, tol);
    BOOST_TEST(psi(zero{}, 0.5) == -euler_gamma - 2 * std::log(2.0), tol);
    BOOST_TEST(psi(one{}, 1.0) == pi * pi / 6, tol);
    BOOST_TEST(psi(one{}, 0.5) == pi * pi / 2, tol);
    BOOST_TEST(psi(two{}, 1.0) == -2 * zeta3, tol);
    BOOST_TEST(psi(three{}, 1.0) == std::pow(pi, 4) / 15, tol);
    BOOST_TEST(tl::value(tl::digamma(x), 0.5) == psi(zero{}, 0.5));
    for (double at : {0.3, 2.7, 9.5, 40.0, -3.4}) {
        BOOST_TEST(psi(zero{}, at + 1) == psi(zero{}, at) + 1 / at, bt::tolerance(1e-13));
        BOOST_TEST(psi(one{}, at + 1) == psi(one{}, at) - 1 / (at * at), bt::tolerance(1e-13));
    }
    for (double at : {0.3, 0.45, 0.8})
        BOOST_TEST(psi(zero{}, 1 - at) - psi(zero{}, at) == pi / std::tan(pi * at),
                   bt::tolerance(1e-13));
}

// Each rule against a central difference of the value it differentiates (long double).
BOOST_AUTO_TEST_CASE(derivative_rules) {
    const std::initializer_list<long double> points{-2.2L, -0.4L, 0.0L, 0.3L, 1.0L, 2.5L, 4.0L};
    tt::check_derivative<tl::op::erf>("erf", points);
    tt::check_derivative<tl::op::erf_derivative<1>>("erf_derivative<1>", points);
    tt::check_derivative<tl::op::erf_derivative<2>>("erf_derivative<2>", points);
    tt::check_derivative<tl::op::erf_derivative<5>>("erf_derivative<5>", points);
    const std::initializer_list<long double> positive{0.2L,  0.9L,  1.0L,  3.5L,
                                                      11.0L, 60.0L, -0.5L, -2.7L};
    tt::check_derivative<tl::op::lgamma>("lgamma", positive);
    tt::check_derivative<tl::op::polygamma<0>>("polygamma<0>", positive);
    tt::check_derivative<tl::op::polygamma<1>>("polygamma<1>", positive);
    tt::check_derivative<tl::op::polygamma<3>>("polygamma<3>", positive);
}

// Every mode against the others, against differences and against the symbolic derivatives
// (support/expect_ad.hpp), at ordinary points.
BOOST_AUTO_TEST_CASE(every_mode) {
    using P = std::array<double, 2>;
    const std::vector<P> points{{0.4, 1.3}, {-0.7, 2.1}, {1.9, 0.6}};
    tt::expect_ad(
        "erf, lgamma",
        [](auto a, auto b) {
            return erf(a * b) + lgamma(b) * a + lgamma(a * a + tt::constant_like(a, 1.0));
        },
        points);
    tt::expect_ad(
        "erf, digamma",
        [](auto a, auto b) { return erf(sin(a) - b) * tl::digamma(b + tt::constant_like(a, 2.0)); },
        points);
}

// The symbolic derivatives are the next members of the families, and print as such.
BOOST_AUTO_TEST_CASE(symbolic_derivatives) {
    auto [x] = tl::variables<"x">();
    BOOST_TEST(tl::to_string(tl::derivative(erf(x), x)) == "erf_derivative<1>(x)");
    BOOST_TEST(tl::to_string(tl::derivative<3>(erf(x), x)) == "erf_derivative<3>(x)");
    BOOST_TEST(tl::to_string(tl::derivative(lgamma(x), x)) == "polygamma<0>(x)");
    BOOST_TEST(tl::to_string(tl::derivative<2>(lgamma(x), x)) == "polygamma<1>(x)");
    BOOST_TEST(tl::to_latex(tl::derivative<2>(lgamma(x), x)) == "\\psi^{(1)}\\left(x\\right)");
    BOOST_TEST(tl::to_latex(lgamma(x)) == "\\ln\\Gamma\\left(x\\right)");
    // and evaluate to the numbers of the other modes
    const double at = tt::opaque(1.7);
    BOOST_TEST(tl::value(tl::derivative<2>(erf(x), x), at) ==
                   tl::hessian(erf(x), std::array{at})[0][0],
               bt::tolerance(1e-15));
}

// Taylor coefficients of high order against the derivatives over k! (from the value functions of
// the families, one order up each), here of lgamma along a line.
BOOST_AUTO_TEST_CASE(taylor_high_order) {
    auto [x] = tl::variables<"x">();
    const double at = 2.5, dir = -0.75;
    const auto c = tl::taylor_coefficients<6>(lgamma(x), std::array{at}, std::array{dir});
    double factorial = 1, power = 1;
    BOOST_TEST(c[0] == std::lgamma(at), bt::tolerance(1e-15));
    for (std::size_t k = 1; k <= 6; ++k) {
        factorial *= static_cast<double>(k);
        power *= dir;
        const double want = tl::op::detail::special::polygamma_value(k - 1, at) * power / factorial;
        BOOST_TEST(c[k] == want, bt::tolerance(1e-13));
    }
    // and against Taylor coefficients of digamma (one order less) along the same line: c_k of
    // lgamma = dir · c_(k−1) of ψ / k
    const auto d = tl::taylor_coefficients<5>(tl::digamma(x), std::array{at}, std::array{dir});
    for (std::size_t k = 1; k <= 6; ++k)
        BOOST_TEST(c[k] == dir * d[k - 1] / static_cast<double>(k), bt::tolerance(1e-13));
}

BOOST_AUTO_TEST_CASE(names_and_domains) {
    BOOST_TEST(tl::op::erf::name == "erf");
    BOOST_TEST(tl::op::lgamma::name == "lgamma");
    BOOST_TEST(tl::op::polygamma<2>::name == "polygamma");
    BOOST_TEST(!tl::op::erf::domain.empty());
    BOOST_TEST(!tl::op::lgamma::domain.empty());
    BOOST_TEST(tl::cost<decltype(erf(tl::variable<0, tl::scalar, "x">))>().ops.transcendental ==
               1u);
}

BOOST_AUTO_TEST_SUITE_END()
