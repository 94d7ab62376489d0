// Value and first-derivative tests of sin, cos, tan, asin, acos, atan, atan2 (ops/trig.hpp).
// Each is literally the <cmath> call, so the values must agree bit for bit, edge points included.
#include <tapeless/core/variables.hpp>
#include <tapeless/modes/value.hpp>
#include <tapeless/ops/trig.hpp>

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
const std::vector<double> angles{
    0.1, -0.3, 1.0, 1.5707963267948966, 3.141592653589793, -2.5, 10.0, -100.0, 1e5, 1e22};
const std::vector<double> unit_interval{-0.999, -0.5, 0.25, 0.75, 0.999999, 1.0000001, -1.5};
const std::vector<double> reals{-3.0, -0.4, 0.4, 1.0, 10.0, 1e8, -1e20};
} // namespace

BOOST_AUTO_TEST_SUITE(ops_trig)

BOOST_AUTO_TEST_CASE(sin_cos_tan_match_cmath) {
    tt::check_unary<double>(
        "sin", [](const auto& v) { return tl::sin(v); }, [](double t) { return std::sin(t); },
        angles, tt::exact);
    tt::check_unary<double>(
        "cos", [](const auto& v) { return tl::cos(v); }, [](double t) { return std::cos(t); },
        angles, tt::exact);
    tt::check_unary<double>(
        "tan", [](const auto& v) { return tl::tan(v); }, [](double t) { return std::tan(t); },
        angles, tt::exact);
}

BOOST_AUTO_TEST_CASE(inverse_functions_match_cmath) {
    tt::check_unary<double>(
        "asin", [](const auto& v) { return tl::asin(v); }, [](double t) { return std::asin(t); },
        unit_interval, tt::exact);
    tt::check_unary<double>(
        "acos", [](const auto& v) { return tl::acos(v); }, [](double t) { return std::acos(t); },
        unit_interval, tt::exact);
    tt::check_unary<double>(
        "atan", [](const auto& v) { return tl::atan(v); }, [](double t) { return std::atan(t); },
        reals, tt::exact);
}

BOOST_AUTO_TEST_CASE(atan2_matches_cmath) {
    tt::check_binary<double>(
        "atan2", [](const auto& l, const auto& r) { return tl::atan2(l, r); },
        [](double p, double q) { return std::atan2(p, q); },
        {{1.0, 2.0},
         {-1.0, 0.5},
         {3.0, -4.0},
         {-0.2, -0.7},
         {0.0, -1.0},
         {-0.0, -1.0},
         {1e-300, 1e300}},
        tt::exact);
}

BOOST_AUTO_TEST_CASE(domain_edges) {
    constexpr double inf = std::numeric_limits<double>::infinity();
    auto x = tl::variable<0, tl::scalar, "x">;
    BOOST_TEST(std::isnan(tl::value(tl::sin(x), inf)));
    BOOST_TEST(std::isnan(tl::value(tl::cos(x), -inf)));
    BOOST_TEST(std::isnan(tl::value(tl::asin(x), 1.5)));
    BOOST_TEST(std::isnan(tl::value(tl::acos(x), -1.0000001)));
    BOOST_TEST(tl::value(tl::asin(x), 1.0) == std::acos(-1.0) / 2);
    BOOST_TEST(tl::value(tl::acos(x), -1.0) == std::acos(-1.0));
    BOOST_TEST(tl::value(tl::atan(x), inf) == std::acos(-1.0) / 2);
    BOOST_TEST(tt::same_value(tl::value(tl::sin(x), -0.0), -0.0));
    BOOST_TEST(tt::same_value(tl::value(tl::atan2(x, -1.0), -0.0), -std::acos(-1.0)));
}

BOOST_AUTO_TEST_CASE(float_and_long_double) {
    const std::vector<float> fa{0.1f, -0.3f, 1.0f, 3.14159265f, 100.0f, 1e10f};
    tt::check_unary<float>(
        "sin<float>", [](const auto& v) { return tl::sin(v); }, [](float t) { return std::sin(t); },
        fa, tt::exact);
    tt::check_unary<float>(
        "atan<float>", [](const auto& v) { return tl::atan(v); },
        [](float t) { return std::atan(t); }, fa, tt::exact);
    const std::vector<long double> la{0.1L, -0.3L, 1.0L, 3.14159265358979323846L, 100.0L, 1e100L};
    tt::check_unary<long double>(
        "cos<long double>", [](const auto& v) { return tl::cos(v); },
        [](long double t) { return std::cos(t); }, la, tt::exact);
    tt::check_binary<long double>(
        "atan2<long double>", [](const auto& l, const auto& r) { return tl::atan2(l, r); },
        [](long double p, long double q) { return std::atan2(p, q); },
        {{1.0L, 2.0L}, {-3.0L, -0.25L}}, tt::exact);
}

BOOST_AUTO_TEST_CASE(derivative_rules) {
    tt::check_derivative<tl::op::sin>("sin", {0.3L, 2.0L, -1.2L, 5.0L, 1.5707963267948966L});
    tt::check_derivative<tl::op::cos>("cos", {0.3L, 2.0L, -1.2L, 5.0L, 0.0L});
    tt::check_derivative<tl::op::tan>("tan", {0.3L, -1.2L, 1.5L, 4.0L});
    tt::check_derivative<tl::op::asin>("asin", {-0.9L, 0.0L, 0.2L, 0.7L, 0.99L});
    tt::check_derivative<tl::op::acos>("acos", {-0.9L, 0.0L, 0.2L, 0.7L, 0.99L});
    tt::check_derivative<tl::op::atan>("atan", {-3.0L, 0.0L, 0.4L, 10.0L});
    tt::check_partials<tl::op::atan2>(
        "atan2", {{1.0L, 2.0L}, {-1.0L, 0.5L}, {3.0L, -4.0L}, {-0.2L, -0.7L}, {0.0L, 1.0L}});
}

BOOST_AUTO_TEST_CASE(derivative_edges) {
    constexpr double inf = std::numeric_limits<double>::infinity();
    // asin and acos: the derivative is ±inf at ±1, as documented.
    BOOST_TEST(tl::op::asin::derivative(1.0, std::asin(1.0)) == inf);
    BOOST_TEST(tl::op::asin::derivative(-1.0, std::asin(-1.0)) == inf);
    BOOST_TEST(tl::op::acos::derivative(1.0, std::acos(1.0)) == -inf);
    BOOST_TEST(tl::op::acos::derivative(-1.0, std::acos(-1.0)) == -inf);
}

BOOST_AUTO_TEST_CASE(symbolic_rules_evaluate_to_the_numeric_ones) {
    // The same rule, applied to expression handles, is the derivative as an expression.
    auto x = tl::variable<0, tl::scalar, "x">;
    const double p = tt::opaque(0.7);
    BOOST_TEST(tl::value(tl::op::sin::derivative(x, tl::sin(x)), p) == std::cos(p));
    BOOST_TEST(tl::value(tl::op::cos::derivative(x, tl::cos(x)), p) == -std::sin(p));
    BOOST_TEST(tl::value(tl::op::asin::derivative(x, tl::asin(x)), p) ==
               1.0 / std::sqrt(1.0 - p * p));
}

BOOST_AUTO_TEST_CASE(names_and_domains) {
    BOOST_TEST(tl::op::sin::name == "sin");
    BOOST_TEST(tl::op::cos::name == "cos");
    BOOST_TEST(tl::op::tan::name == "tan");
    BOOST_TEST(tl::op::asin::name == "asin");
    BOOST_TEST(tl::op::acos::name == "acos");
    BOOST_TEST(tl::op::atan::name == "atan");
    BOOST_TEST(tl::op::atan2::name == "atan2");
    BOOST_TEST(tl::op::asin::domain == "-1 <= x <= 1");
    BOOST_TEST(!tl::op::tan::domain.empty());
    BOOST_TEST(!tl::op::atan2::domain.empty());
}

// Every mode against the others, against differences and against the symbolic derivatives
// (support/expect_ad.hpp). (atan2 on its branch cut: test/unit/modes/taylor_coefficients.cpp and
// the edge table.)
BOOST_AUTO_TEST_CASE(every_mode) {
    using A = std::array<double, 1>;
    using P = std::array<double, 2>;
    tt::expect_ad(
        "sin", [](auto a, auto b) { return sin(a * b); }, tt::ordinary_points);
    tt::expect_ad("sin", [](auto a) { return sin(a); }, {A{0.0}, A{1.3}, A{-20.0}});
    tt::expect_ad(
        "cos", [](auto a, auto b) { return cos(a * b); }, tt::ordinary_points);
    tt::expect_ad("cos", [](auto a) { return cos(a); }, {A{0.0}, A{1.5707963267948966}, A{3.0}});
    tt::expect_ad("sin cos", [](auto a) { return sin(a) * cos(a); }, {A{0.7}});
    tt::expect_ad(
        "tan", [](auto a, auto b) { return tan(a) * b; }, tt::ordinary_points);
    tt::expect_ad("tan", [](auto a) { return tan(a); }, {A{0.0}, A{1.0}, A{1.5}, A{-1.2}});
    tt::expect_ad(
        "asin", [](auto a, auto b) { return asin(a) * b; }, tt::unit_points);
    tt::expect_ad("asin", [](auto a) { return asin(a); }, {A{0.0}, A{0.5}, A{-0.9}, A{0.95}});
    tt::expect_ad(
        "acos", [](auto a, auto b) { return acos(a) * b; }, tt::unit_points);
    tt::expect_ad("acos", [](auto a) { return acos(a); }, {A{0.0}, A{0.5}, A{-0.9}, A{0.95}});
    tt::expect_ad(
        "atan", [](auto a, auto b) { return atan(a * b); }, tt::ordinary_points);
    tt::expect_ad("atan", [](auto a) { return atan(a); }, {A{0.0}, A{2.0}, A{-30.0}});
    tt::expect_ad(
        "atan2", [](auto a, auto b) { return atan2(a, b); }, tt::ordinary_points);
    tt::expect_ad("atan2", [](auto a, auto b) { return atan2(a, b); },
                  {P{1.0, 2.0}, P{-1.0, 0.5}, P{3.0, -4.0}, P{0.0, 2.0}});
}

BOOST_AUTO_TEST_SUITE_END()
