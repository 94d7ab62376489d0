// Value and first-derivative tests of sinh, cosh, tanh (ops/hyperbolic.hpp). Each is literally
// the <cmath> call, so the values must agree bit for bit, edge points included.
#include <tapeless/core/variables.hpp>
#include <tapeless/modes/value.hpp>
#include <tapeless/ops/hyperbolic.hpp>

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
const std::vector<double> points{1e-17, -0.3, 1.0, 2.5, -20.0, 710.0, 710.5, -711.0, 1e-310};
} // namespace

BOOST_AUTO_TEST_SUITE(ops_hyperbolic)

BOOST_AUTO_TEST_CASE(match_cmath) {
    tt::check_unary<double>(
        "sinh", [](const auto& v) { return tl::sinh(v); }, [](double t) { return std::sinh(t); },
        points, tt::exact);
    tt::check_unary<double>(
        "cosh", [](const auto& v) { return tl::cosh(v); }, [](double t) { return std::cosh(t); },
        points, tt::exact);
    tt::check_unary<double>(
        "tanh", [](const auto& v) { return tl::tanh(v); }, [](double t) { return std::tanh(t); },
        points, tt::exact);
}

BOOST_AUTO_TEST_CASE(float_and_long_double) {
    tt::check_unary<float>(
        "tanh<float>", [](const auto& v) { return tl::tanh(v); },
        [](float t) { return std::tanh(t); }, {0.3f, -9.0f, 89.0f, 90.0f}, tt::exact);
    tt::check_unary<long double>(
        "sinh<long double>", [](const auto& v) { return tl::sinh(v); },
        [](long double t) { return std::sinh(t); }, {0.3L, -9.0L, 11356.0L, 11357.0L}, tt::exact);
}

BOOST_AUTO_TEST_CASE(domain_edges) {
    auto x = tl::variable<0, tl::scalar, "x">;
    BOOST_TEST(tl::value(tl::tanh(x), inf) == 1.0);
    BOOST_TEST(tl::value(tl::tanh(x), -inf) == -1.0);
    BOOST_TEST(tl::value(tl::tanh(x), 700.0) == 1.0);
    BOOST_TEST(tl::value(tl::cosh(x), -inf) == inf);
    BOOST_TEST(tl::value(tl::sinh(x), -inf) == -inf);
    BOOST_TEST(std::isfinite(tl::value(tl::sinh(x), 710.0))); // sinh overflows only beyond ~710.48
    BOOST_TEST(tl::value(tl::sinh(x), 711.0) == inf);
    BOOST_TEST(tt::same_value(tl::value(tl::tanh(x), -0.0), -0.0));
}

BOOST_AUTO_TEST_CASE(derivative_rules) {
    tt::check_derivative<tl::op::sinh>("sinh", {-2.0L, 0.0L, 1.5L, 10.0L});
    tt::check_derivative<tl::op::cosh>("cosh", {-2.0L, 0.3L, 1.5L, 10.0L});
    tt::check_derivative<tl::op::tanh>("tanh", {-2.0L, 0.0L, 0.5L, 3.0L});
    // tanh saturates: the derivative is exactly 0 far out, never NaN.
    BOOST_TEST(tl::op::tanh::derivative(700.0, std::tanh(tt::opaque(700.0))) == 0.0);
    BOOST_TEST(tl::op::tanh::derivative(-inf, -1.0) == 0.0);
}

BOOST_AUTO_TEST_CASE(symbolic_rules_evaluate_to_the_numeric_ones) {
    auto x = tl::variable<0, tl::scalar, "x">;
    const double p = tt::opaque(0.8);
    BOOST_TEST(tl::value(tl::op::sinh::derivative(x, tl::sinh(x)), p) == std::cosh(p));
    BOOST_TEST(tl::value(tl::op::cosh::derivative(x, tl::cosh(x)), p) == std::sinh(p));
}

BOOST_AUTO_TEST_CASE(names_and_domains) {
    BOOST_TEST(tl::op::sinh::name == "sinh");
    BOOST_TEST(tl::op::cosh::name == "cosh");
    BOOST_TEST(tl::op::tanh::name == "tanh");
    BOOST_TEST(tl::op::tanh::domain == "all real x");
}

// Every mode against the others, against differences and against the symbolic derivatives
// (support/expect_ad.hpp).
BOOST_AUTO_TEST_CASE(every_mode) {
    using A = std::array<double, 1>;
    tt::expect_ad(
        "sinh", [](auto a, auto b) { return sinh(a * b); }, tt::ordinary_points);
    tt::expect_ad("sinh", [](auto a) { return sinh(a); }, {A{0.0}, A{1.3}, A{-5.0}});
    tt::expect_ad(
        "cosh", [](auto a, auto b) { return cosh(a * b); }, tt::ordinary_points);
    tt::expect_ad("cosh", [](auto a) { return cosh(a); }, {A{0.0}, A{1.3}, A{-5.0}});
    tt::expect_ad(
        "tanh", [](auto a, auto b) { return tanh(a * b); }, tt::ordinary_points);
    tt::expect_ad("tanh", [](auto a) { return tanh(a); }, {A{0.0}, A{0.8}, A{-3.0}, A{10.0}});
}

BOOST_AUTO_TEST_SUITE_END()
