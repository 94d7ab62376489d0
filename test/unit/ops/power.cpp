// Value and first-derivative tests of sqrt, cbrt, square, powi (pow<N>(x), pow(x, N_c)) and pow
// (ops/power.hpp). sqrt, cbrt and pow are the <cmath> calls (bit for bit); square is x * x (bit for
// bit); powi is repeated squaring, checked against a long double std::pow within |N| + 1 ulps.
#include <tapeless/core/variables.hpp>
#include <tapeless/modes/value.hpp>
#include <tapeless/ops/power.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "support/elementwise.hpp"
#include "support/expect_ad.hpp"
#include "support/numdiff.hpp"
#include "support/values.hpp"

namespace tl = tapeless;
namespace tt = tapeless_test;
using namespace tl::literals;

namespace {
constexpr double inf = std::numeric_limits<double>::infinity();

// powi<N> against std::pow in long double, rounded to T, within |N| + 1 ulps.
template <int N, class T>
void check_powi(const std::vector<T>& points) {
    const std::string what = "pow<" + std::to_string(N) + ">";
    constexpr double tol = (N < 0 ? -N : N) + 1;
    tt::check_unary<T>(
        what.c_str(), [](const auto& v) { return tl::pow<N>(v); },
        [](T t) {
            return static_cast<T>(
                std::pow(static_cast<long double>(t), static_cast<long double>(N)));
        },
        points, tt::ulps(tol));
}

const std::vector<double> powi_points{1.1, -1.1, 3.0, -0.7, 1e-10, 1e10, 123.456, -9.75};
} // namespace

BOOST_AUTO_TEST_SUITE(ops_power)

BOOST_AUTO_TEST_CASE(sqrt_and_cbrt_match_cmath) {
    tt::check_unary<double>(
        "sqrt", [](const auto& v) { return tl::sqrt(v); }, [](double t) { return std::sqrt(t); },
        {1e-310, 0.25, 2.0, 1e10, 1.7e308, -1.0, -1e-300}, tt::exact);
    tt::check_unary<double>(
        "cbrt", [](const auto& v) { return tl::cbrt(v); }, [](double t) { return std::cbrt(t); },
        {1e-310, -8.0, 27.0, 0.001, -1e300, 3.0}, tt::exact);
}

BOOST_AUTO_TEST_CASE(square_is_x_times_x) {
    tt::check_unary<double>(
        "square", [](const auto& v) { return tl::square(v); }, [](double t) { return t * t; },
        {3.0, -0.1, 1.3407807929942596e154, 1.4916681462400413e-154, 1e-200}, tt::exact);
    tt::check_unary<float>(
        "square<float>", [](const auto& v) { return tl::square(v); }, [](float t) { return t * t; },
        {3.0f, -0.1f, 1.8e19f}, tt::exact);
}

BOOST_AUTO_TEST_CASE(powi_matches_pow) {
    check_powi<0, double>(powi_points);
    check_powi<1, double>(powi_points);
    check_powi<2, double>(powi_points);
    check_powi<3, double>(powi_points);
    check_powi<4, double>(powi_points);
    check_powi<5, double>(powi_points);
    check_powi<7, double>(powi_points);
    check_powi<10, double>(powi_points);
    check_powi<64, double>(powi_points);
    check_powi<-1, double>(powi_points);
    check_powi<-2, double>(powi_points);
    check_powi<-3, double>(powi_points);
    check_powi<-7, double>(powi_points);
    check_powi<-64, double>(powi_points);
    check_powi<3, float>({1.1f, -1.1f, 3.0f, 1e10f, 1e13f});
    check_powi<-5, long double>({1.1L, -1.1L, 3.0L, 1e10L, 1e-100L});
}

BOOST_AUTO_TEST_CASE(powi_signs_and_zeros) {
    auto x = tl::variable<0, tl::scalar, "x">;
    BOOST_TEST(tt::same_value(tl::value(tl::pow<3>(x), -0.0), -0.0));
    BOOST_TEST(tt::same_value(tl::value(tl::pow<2>(x), -0.0), 0.0));
    BOOST_TEST(tl::value(tl::pow<-1>(x), 0.0) == inf);
    BOOST_TEST(tl::value(tl::pow<-1>(x), -0.0) == -inf);
    BOOST_TEST(tl::value(tl::pow<-2>(x), -0.0) == inf);
    BOOST_TEST(tl::value(tl::pow<0>(x), std::numeric_limits<double>::quiet_NaN()) == 1.0);
    BOOST_TEST(tl::value(tl::pow<3>(x), -inf) == -inf);
    BOOST_TEST(tt::same_value(tl::value(tl::pow<-3>(x), -inf), -0.0));
    // Small integer powers are exact where the product is representable.
    BOOST_TEST(tl::value(tl::pow<10>(x), 3.0) == 59049.0);
    BOOST_TEST(tl::value(tl::pow<-10>(x), 2.0) == 1.0 / 1024.0);
    BOOST_TEST(tl::value(tl::pow<64>(x), 2.0) == 18446744073709551616.0);
}

// powi<N> with N < 0 must not return 0 where x^|N| overflows but x^N is a representable
// (subnormal) number, as std::pow does.
BOOST_AUTO_TEST_CASE(powi_negative_exponent_underflow) {
    auto x = tl::variable<0, tl::scalar, "x">;
    const double a = tl::value(tl::pow<-2>(x), 2e154);
    const double b = tl::value(tl::pow<-3>(x), 1e103);
    const double want_a = std::pow(tt::opaque(2e154), -2.0); // 2.5e-309
    const double want_b = std::pow(tt::opaque(1e103), -3.0); // 1e-309
    BOOST_TEST(tt::within_ulps(a, want_a, 3.0),
               "pow<-2>(2e154) = " << tt::show(a) << ", want " << tt::show(want_a));
    BOOST_TEST(tt::within_ulps(b, want_b, 4.0),
               "pow<-3>(1e103) = " << tt::show(b) << ", want " << tt::show(want_b));
}

BOOST_AUTO_TEST_CASE(integer_literal_exponents_become_powi) {
    auto x = tl::variable<0, tl::scalar, "x">;
    static_assert(std::is_same_v<tl::node_of<decltype(pow(x, 3_c))>,
                                 tl::node<tl::op::powi<3>, tl::node_of<decltype(x)>>>);
    static_assert(std::is_same_v<tl::node_of<decltype(pow(x, -2_c))>::op, tl::op::powi<-2>>);
    static_assert(std::is_same_v<tl::node_of<decltype(pow(x, 64_c))>::op, tl::op::powi<64>>);
    static_assert(std::is_same_v<tl::node_of<decltype(pow(x, 65_c))>::op, tl::op::pow>);
    static_assert(std::is_same_v<tl::node_of<decltype(pow(x, 0.5_c))>::op, tl::op::pow>);
    static_assert(std::is_same_v<tl::node_of<decltype(pow(x, 4_c / 2_c))>::op, tl::op::powi<2>>);
    static_assert(std::is_same_v<tl::node_of<decltype(pow(x, 2.0))>::op, tl::op::pow>);
    BOOST_TEST(tl::value(pow(x, 3_c), 1.5) == 3.375);
    BOOST_TEST(tl::value(pow(x, -2_c), 4.0) == 0.0625);
    BOOST_TEST(tl::value(pow(x, 65_c), 1.0000001) == std::pow(tt::opaque(1.0000001), 65.0));
    BOOST_TEST(tl::value(pow(x, 0.5_c), 2.25) == 1.5);
    BOOST_TEST(tl::value(pow(x, 1.5_c), tt::opaque(0.7)) == std::pow(tt::opaque(0.7), 1.5));
    // On numbers.
    BOOST_TEST(tl::pow<3>(2.0) == 8.0);
    BOOST_TEST(tl::pow<-1>(4.0f) == 0.25f);
    BOOST_TEST(tl::pow(2.0, 0.5) == std::sqrt(tt::opaque(2.0)));
    BOOST_TEST(tl::sqrt(2) == std::sqrt(tt::opaque(2.0))); // an integer computes in double
}

BOOST_AUTO_TEST_CASE(pow_matches_cmath) {
    tt::check_binary<double>(
        "pow", [](const auto& l, const auto& r) { return tl::pow(l, r); },
        [](double p, double q) { return std::pow(p, q); },
        {{2.0, 0.5},
         {2.0, 2.5},
         {0.3, -1.7},
         {-2.0, 3.0},
         {-2.0, 0.5},
         {10.0, 308.0},
         {10.0, -323.0},
         {1.0000001, 1e9},
         {0.0, -0.5}},
        tt::exact);
    tt::check_binary<float>(
        "pow<float>", [](const auto& l, const auto& r) { return tl::pow(l, r); },
        [](float p, float q) { return std::pow(p, q); }, {{2.0f, 0.5f}, {0.3f, -1.7f}}, tt::exact);
}

BOOST_AUTO_TEST_CASE(derivative_rules) {
    tt::check_derivative<tl::op::sqrt>("sqrt", {0.01L, 0.5L, 4.0L, 1e6L});
    tt::check_derivative<tl::op::cbrt>("cbrt", {-8.0L, -0.3L, 0.2L, 27.0L});
    tt::check_derivative<tl::op::square>("square", {-3.0L, 0.0L, 0.5L, 7.0L});
    tt::check_derivative<tl::op::powi<0>>("powi<0>", {-2.0L, 0.5L, 3.0L});
    tt::check_derivative<tl::op::powi<1>>("powi<1>", {-2.0L, 0.5L, 3.0L});
    tt::check_derivative<tl::op::powi<2>>("powi<2>", {-2.0L, 0.5L, 3.0L});
    tt::check_derivative<tl::op::powi<3>>("powi<3>", {-2.0L, 0.0L, 0.5L, 3.0L});
    tt::check_derivative<tl::op::powi<7>>("powi<7>", {-2.0L, 0.5L, 1.3L});
    tt::check_derivative<tl::op::powi<-1>>("powi<-1>", {-2.0L, 0.5L, 3.0L});
    tt::check_derivative<tl::op::powi<-2>>("powi<-2>", {-2.0L, 0.5L, 3.0L});
    tt::check_derivative<tl::op::powi<-5>>("powi<-5>", {-2.0L, 0.7L, 3.0L});
    tt::check_partials<tl::op::pow>(
        "pow", {{2.0L, 3.0L}, {0.5L, -1.5L}, {3.0L, 0.5L}, {1.5L, 2.5L}, {7.0L, 0.0L}});
}

BOOST_AUTO_TEST_CASE(derivative_edges) {
    // d/dx sqrt x and d/dx cbrt x at 0 are +inf (documented).
    BOOST_TEST(tl::op::sqrt::derivative(0.0, 0.0) == inf);
    BOOST_TEST(tl::op::cbrt::derivative(0.0, 0.0) == inf);
    BOOST_TEST(tl::op::powi<3>::derivative(0.0, 0.0) == 0.0);
    BOOST_TEST(tl::op::powi<-1>::derivative(0.0, inf) == -inf);
    // pow: the a-partial at a = 0, b = 2 is 2 * 0^1 = 0.
    BOOST_TEST(tl::op::pow::da(0.0, 2.0, 0.0) == 0.0);
    BOOST_TEST(tl::op::pow::da(0.0, 1.0, 0.0) == 1.0);
}

BOOST_AUTO_TEST_CASE(symbolic_rules_evaluate_to_the_numeric_ones) {
    auto x = tl::variable<0, tl::scalar, "x">;
    BOOST_TEST(tl::value(tl::op::powi<3>::derivative(x, tl::pow<3>(x)), 2.0) == 12.0);
    BOOST_TEST(tl::value(tl::op::sqrt::derivative(x, tl::sqrt(x)), 4.0) == 0.25);
    BOOST_TEST(tl::value(tl::op::square::derivative(x, tl::square(x)), -1.5) == -3.0);
}

BOOST_AUTO_TEST_CASE(names_and_domains) {
    BOOST_TEST(tl::op::sqrt::name == "sqrt");
    BOOST_TEST(tl::op::cbrt::name == "cbrt");
    BOOST_TEST(tl::op::square::name == "square");
    BOOST_TEST(tl::op::powi<3>::name == "powi");
    BOOST_TEST(tl::op::pow::name == "pow");
    BOOST_TEST(tl::op::sqrt::domain == "x >= 0");
    BOOST_TEST(tl::op::powi<-2>::domain == "x != 0");
    BOOST_TEST(tl::op::powi<2>::domain == "all real x");
    BOOST_TEST(tl::op::powi<-2>::exponent == -2);
}

// Every mode against the others, against differences and against the symbolic derivatives
// (support/expect_ad.hpp).
BOOST_AUTO_TEST_CASE(every_mode) {
    using A = std::array<double, 1>;
    using P = std::array<double, 2>;
    tt::expect_ad(
        "sqrt", [](auto a, auto b) { return sqrt(a) * b; }, tt::positive_points);
    tt::expect_ad("sqrt", [](auto a) { return sqrt(a); }, {A{1.0}, A{0.05}, A{9.0}});
    tt::expect_ad(
        "cbrt", [](auto a, auto b) { return cbrt(a) * b; }, tt::ordinary_points);
    tt::expect_ad("cbrt", [](auto a) { return cbrt(a); }, {A{1.0}, A{-8.0}, A{0.1}});
    tt::expect_ad(
        "square", [](auto a, auto b) { return square(a * b); }, tt::ordinary_points);
    tt::expect_ad("square", [](auto a) { return square(a); }, {A{0.0}, A{-3.0}});
    tt::expect_ad(
        "powi: pow<3>", [](auto a, auto b) { return tl::pow<3>(a) * b; }, tt::ordinary_points);
    tt::expect_ad("powi: pow<3>", [](auto a) { return tl::pow<3>(a); }, {A{0.0}, A{-1.5}, A{2.0}});
    tt::expect_ad(
        "powi: pow<-2>", [](auto a, auto b) { return tl::pow<-2>(a) * b; }, tt::ordinary_points);
    tt::expect_ad("powi: pow<-3>", [](auto a) { return tl::pow<-3>(a); }, {A{-1.5}, A{0.5}});
    tt::expect_ad("powi: pow<7>", [](auto a) { return tl::pow<7>(a); }, {A{0.0}, A{1.1}});
    tt::expect_ad("powi: pow<1> + pow<0>", [](auto a) { return tl::pow<1>(a) + tl::pow<0>(a); },
                  {A{0.3}});
    tt::expect_ad(
        "pow(a, 2.5)", [](auto a, auto b) { return pow(a, 2.5) * b; }, tt::positive_points);
    tt::expect_ad("pow(a, 2.5)", [](auto a) { return pow(a, 2.5); }, {A{1.0}, A{0.2}, A{4.0}});
    tt::expect_ad("pow(a, 0.5_c)",
                  [](auto a) {
                      if constexpr (tl::Expression<decltype(a)>)
                          return pow(a, 0.5_c);
                      else
                          return pow(a, 0.5);
                  },
                  {A{2.0}, A{0.3}});
    tt::expect_ad(
        "pow(a, b)", [](auto a, auto b) { return pow(a, b); }, tt::positive_points);
    tt::expect_ad("pow(a, b)", [](auto a, auto b) { return pow(a, b); },
                  {P{0.5, -1.5}, P{1.0, 0.0}, P{7.0, 0.3}});
    tt::expect_ad("pow(2, b)", [](auto a, auto b) { return pow(tt::constant_like(a, 2.0), b); },
                  {P{0.0, 1.5}});
}

BOOST_AUTO_TEST_SUITE_END()
