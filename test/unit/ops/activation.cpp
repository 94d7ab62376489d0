// Value and first-derivative tests of sigmoid and softplus (ops/activation.hpp), against direct
// formulas evaluated in long double (whose range holds e^±11356, so the formulas themselves do
// not overflow at double's edge points):
//   sigmoid x = 1 / (1 + e^−x)
//   softplus x = log1p(e^x) for x <= 0, and x + softplus(−x) for x > 0
// within 3 ulps; and the stable-evaluation promises: no overflow or NaN for |x| up to 700 and
// the right limits at ±700 and ±inf.
#include <tapeless/core/variables.hpp>
#include <tapeless/modes/value.hpp>
#include <tapeless/ops/activation.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "support/elementwise.hpp"
#include "support/expect_ad.hpp"
#include "support/numdiff.hpp"
#include "support/values.hpp"

namespace tl = tapeless;
namespace tt = tapeless_test;

namespace {
constexpr double inf = std::numeric_limits<double>::infinity();

template <class T>
T sigmoid_reference(T t) {
    const long double x = t;
    return static_cast<T>(1.0L / (1.0L + std::exp(-x)));
}
template <class T>
T softplus_reference(T t) {
    const long double x = t;
    return static_cast<T>(x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)));
}

const std::vector<double> points{-745.0, -740.0, -100.0, -36.0, -3.0,  -1e-10, 1e-10,
                                 0.25,   3.0,    36.0,   37.0,  100.0, 710.0,  1e5};
} // namespace

BOOST_AUTO_TEST_SUITE(ops_activation)

BOOST_AUTO_TEST_CASE(sigmoid_matches_the_formula) {
    tt::check_unary<double>(
        "sigmoid", [](const auto& v) { return tl::sigmoid(v); }, sigmoid_reference<double>, points,
        tt::ulps(3));
    tt::check_unary<float>(
        "sigmoid<float>", [](const auto& v) { return tl::sigmoid(v); }, sigmoid_reference<float>,
        {-100.0f, -3.0f, 0.25f, 17.0f}, tt::ulps(3));
}

BOOST_AUTO_TEST_CASE(softplus_matches_the_formula) {
    tt::check_unary<double>(
        "softplus", [](const auto& v) { return tl::softplus(v); }, softplus_reference<double>,
        points, tt::ulps(3));
    tt::check_unary<float>(
        "softplus<float>", [](const auto& v) { return tl::softplus(v); }, softplus_reference<float>,
        {-100.0f, -3.0f, 0.25f, 17.0f}, tt::ulps(3));
}

BOOST_AUTO_TEST_CASE(long_double) {
    // Here the reference has no extra precision: the same formulas in long double, within 4 ulps.
    tt::check_unary<long double>(
        "sigmoid<long double>", [](const auto& v) { return tl::sigmoid(v); },
        [](long double t) {
            return t >= 0 ? 1.0L / (1.0L + std::exp(-t)) : std::exp(t) / (1.0L + std::exp(t));
        },
        {-11000.0L, -3.0L, 0.25L, 40.0L}, tt::ulps(4));
    BOOST_TEST(tl::value(tl::sigmoid(tl::variable<0, tl::scalar, "x">), -11000.0L) > 0.0L);
}

BOOST_AUTO_TEST_CASE(stable_at_700) {
    auto x = tl::variable<0, tl::scalar, "x">;
    const auto s = tl::sigmoid(x);
    const auto p = tl::softplus(x);
    // sigmoid(−700) = e^−700 / (1 + e^−700) ≈ 9.86e−305: positive, normal, not flushed to 0.
    const double e700 = std::exp(tt::opaque(-700.0));
    BOOST_TEST(tl::value(s, -700.0) > 0.0);
    BOOST_TEST(tt::within_ulps(tl::value(s, -700.0), e700, 2));
    BOOST_TEST(tt::close(tl::value(s, -700.0), 9.85967654375977e-305, 1e-13));
    BOOST_TEST(tl::value(s, 700.0) == 1.0);
    BOOST_TEST(tl::value(s, 0.0) == 0.5);
    BOOST_TEST(tl::value(s, inf) == 1.0);
    BOOST_TEST(tt::same_value(tl::value(s, -inf), 0.0));
    BOOST_TEST(std::isnan(tl::value(s, std::numeric_limits<double>::quiet_NaN())));
    // softplus(700) = 700 exactly, softplus(−700) ≈ e^−700.
    BOOST_TEST(tl::value(p, 700.0) == 700.0);
    BOOST_TEST(tt::within_ulps(tl::value(p, -700.0), e700, 2));
    BOOST_TEST(tl::value(p, 0.0) == std::log(tt::opaque(2.0)));
    BOOST_TEST(tl::value(p, inf) == inf);
    BOOST_TEST(tt::same_value(tl::value(p, -inf), 0.0));
    BOOST_TEST(tl::value(p, 1e300) == 1e300);
    BOOST_TEST(std::isnan(tl::value(p, std::numeric_limits<double>::quiet_NaN())));
    // On a vector: no element overflows.
    auto w = tl::variable<0, tl::vector<4>, "w">;
    const std::array<double, 4> r =
        tl::value(tl::sigmoid(w) + tl::softplus(w), std::array{-700.0, -1.0, 1.0, 700.0});
    for (double v : r) BOOST_TEST(std::isfinite(v));
    BOOST_TEST(r[3] == 701.0);
}

BOOST_AUTO_TEST_CASE(derivative_rules) {
    tt::check_derivative<tl::op::sigmoid>("sigmoid", {-3.0L, 0.0L, 0.5L, 4.0L, -20.0L});
    tt::check_derivative<tl::op::softplus>("softplus", {-3.0L, 0.0L, 0.5L, 4.0L, 20.0L});
    // Far out the rules stay finite: σ' = y(1 − y), softplus' = σ.
    const double s700 = tl::op::sigmoid::value(700.0), sm700 = tl::op::sigmoid::value(-700.0);
    BOOST_TEST(tl::op::sigmoid::derivative(700.0, s700) == 0.0);
    BOOST_TEST(tt::within_ulps(tl::op::sigmoid::derivative(-700.0, sm700),
                               std::exp(tt::opaque(-700.0)), 3));
    BOOST_TEST(tl::op::softplus::derivative(700.0, 700.0) == 1.0);
    BOOST_TEST(tt::within_ulps(tl::op::softplus::derivative(-700.0, sm700),
                               std::exp(tt::opaque(-700.0)), 3));
    BOOST_TEST(tl::op::softplus::derivative(-inf, 0.0) == 0.0);
    BOOST_TEST(tl::op::softplus::derivative(inf, inf) == 1.0);
}

BOOST_AUTO_TEST_CASE(symbolic_rules_evaluate_to_the_numeric_ones) {
    auto x = tl::variable<0, tl::scalar, "x">;
    const double p = tt::opaque(0.3);
    const double s = tl::op::sigmoid::value(p);
    BOOST_TEST(tl::value(tl::op::sigmoid::derivative(x, tl::sigmoid(x)), p) == s * (1.0 - s));
    BOOST_TEST(tl::value(tl::op::softplus::derivative(x, tl::softplus(x)), p) == s);
}

BOOST_AUTO_TEST_CASE(names_and_domains) {
    BOOST_TEST(tl::op::sigmoid::name == "sigmoid");
    BOOST_TEST(tl::op::softplus::name == "softplus");
    BOOST_TEST(tl::op::sigmoid::domain == "all real x");
    BOOST_TEST(tl::op::softplus::domain == "all real x");
}

// Every mode against the others, against differences and against the symbolic derivatives
// (support/expect_ad.hpp).
BOOST_AUTO_TEST_CASE(every_mode) {
    using A = std::array<double, 1>;
    tt::expect_ad(
        "sigmoid", [](auto a, auto b) { return sigmoid(a * b); }, tt::ordinary_points);
    tt::expect_ad("sigmoid", [](auto a) { return sigmoid(a); },
                  {A{0.0}, A{1.5}, A{-4.0}, A{30.0}, A{-30.0}});
    tt::expect_ad(
        "softplus", [](auto a, auto b) { return softplus(a * b); }, tt::ordinary_points);
    tt::expect_ad("softplus", [](auto a) { return softplus(a); },
                  {A{0.0}, A{1.5}, A{-4.0}, A{30.0}, A{-30.0}});
}

BOOST_AUTO_TEST_SUITE_END()
