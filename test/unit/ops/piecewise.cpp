// Value and first-derivative tests of sign, abs, relu, min, max and the step functions their
// derivatives use, positive and greater_equal (ops/piecewise.hpp). References:
//   abs          std::fabs, bit for bit
//   sign         −1, 1, the zero itself for ±0 (its sign kept), NaN for NaN
//   relu         0 for x < 0, x otherwise: relu(−0) = −0 and relu(NaN) = NaN (documented)
//   min, max     std::fmin / std::fmax where neither operand is NaN, NaN otherwise (documented:
//                unlike fmin/fmax, NaN propagates); numerically equal (the sign of a zero on a
//                ±0 tie is not checked)
#include <tapeless/core/variables.hpp>
#include <tapeless/modes/value.hpp>
#include <tapeless/ops/piecewise.hpp>

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
constexpr double qnan = std::numeric_limits<double>::quiet_NaN();

template <class T>
T sign_reference(T t) {
    if (std::isnan(t)) return t;
    if (t > 0) return T(1);
    if (t < 0) return T(-1);
    return t;
}
template <class T>
T relu_reference(T t) {
    if (std::isnan(t) || t == 0) return t;
    return t > 0 ? t : T(0);
}

const std::vector<double> points{3.5, -3.5, 1e-320, -1e-320, 42.0, -1e200};
const tt::pairs<double> pairs{{1.0, 2.0}, {2.0, 1.0}, {-3.0, 0.5}, {7.0, 7.0}, {-0.0, 1e-320}};
} // namespace

BOOST_AUTO_TEST_SUITE(ops_piecewise)

BOOST_AUTO_TEST_CASE(abs_matches_fabs) {
    tt::check_unary<double>(
        "abs", [](const auto& v) { return tl::abs(v); }, [](double t) { return std::fabs(t); },
        points, tt::exact);
    tt::check_unary<float>(
        "abs<float>", [](const auto& v) { return tl::abs(v); },
        [](float t) { return std::fabs(t); }, {-2.5f}, tt::exact);
    tt::check_unary<long double>(
        "abs<long double>", [](const auto& v) { return tl::abs(v); },
        [](long double t) { return std::fabs(t); }, {-2.5L}, tt::exact);
}

BOOST_AUTO_TEST_CASE(sign_matches_the_formula) {
    tt::check_unary<double>(
        "sign", [](const auto& v) { return tl::sign(v); }, sign_reference<double>, points,
        tt::exact);
    tt::check_unary<float>(
        "sign<float>", [](const auto& v) { return tl::sign(v); }, sign_reference<float>, {-2.5f},
        tt::exact);
}

BOOST_AUTO_TEST_CASE(relu_matches_the_formula) {
    tt::check_unary<double>(
        "relu", [](const auto& v) { return tl::relu(v); }, relu_reference<double>, points,
        tt::exact);
    tt::check_unary<long double>(
        "relu<long double>", [](const auto& v) { return tl::relu(v); }, relu_reference<long double>,
        {-2.5L, 3.0L}, tt::exact);
    auto x = tl::variable<0, tl::scalar, "x">;
    BOOST_TEST(tt::same_value(tl::value(tl::relu(x), -0.0), -0.0)); // documented
    BOOST_TEST(std::isnan(tl::value(tl::relu(x), qnan)));
    BOOST_TEST(tt::same_value(tl::value(tl::relu(x), -inf), 0.0));
}

BOOST_AUTO_TEST_CASE(min_max_match_fmin_fmax_with_nan_propagating) {
    tt::check_binary<double>(
        "min", [](const auto& l, const auto& r) { return tl::min(l, r); },
        [](double p, double q) { return std::isnan(p) || std::isnan(q) ? qnan : std::fmin(p, q); },
        pairs, tt::ulps(0.5));
    tt::check_binary<double>(
        "max", [](const auto& l, const auto& r) { return tl::max(l, r); },
        [](double p, double q) { return std::isnan(p) || std::isnan(q) ? qnan : std::fmax(p, q); },
        pairs, tt::ulps(0.5));
    tt::check_binary<float>(
        "max<float>", [](const auto& l, const auto& r) { return tl::max(l, r); },
        [](float p, float q) {
            return std::isnan(p) || std::isnan(q) ? std::numeric_limits<float>::quiet_NaN()
                                                  : std::fmax(p, q);
        },
        {{1.0f, 2.0f}}, tt::ulps(0.5));
    auto [a, b] = tl::variables<"a", "b">();
    BOOST_TEST(std::isnan(tl::value(tl::min(a, b), std::array{qnan, 1.0})));
    BOOST_TEST(std::isnan(tl::value(tl::min(a, b), std::array{1.0, qnan})));
    BOOST_TEST(std::isnan(tl::value(tl::max(a, b), std::array{-inf, qnan})));
    BOOST_TEST(tl::value(tl::max(a, b), std::array{-inf, inf}) == inf);
}

BOOST_AUTO_TEST_CASE(step_functions) {
    // positive(x) = [x > 0] and greater_equal(a, b) = [a >= b]: 0 or 1, and NaN for NaN (so the
    // derivatives of relu, min and max are NaN there, docs/edge-cases.md).
    BOOST_TEST(tl::op::positive::value(1e-320) == 1.0);
    BOOST_TEST(tl::op::positive::value(0.0) == 0.0);
    BOOST_TEST(tl::op::positive::value(-0.0) == 0.0);
    BOOST_TEST(tl::op::positive::value(-inf) == 0.0);
    BOOST_TEST(std::isnan(tl::op::positive::value(qnan)));
    BOOST_TEST(tl::op::greater_equal::value(2.0, 2.0) == 1.0);
    BOOST_TEST(tl::op::greater_equal::value(-0.0, 0.0) == 1.0);
    BOOST_TEST(tl::op::greater_equal::value(1.0, 2.0) == 0.0);
    BOOST_TEST(std::isnan(tl::op::greater_equal::value(qnan, 1.0)));
    BOOST_TEST(std::isnan(tl::op::greater_equal::value(1.0, qnan)));
    BOOST_TEST(tl::op::greater_equal::value(inf, inf) == 1.0);
    BOOST_TEST(tl::op::positive::derivative(1.0, 1.0) == 0.0);
    BOOST_TEST(tl::op::greater_equal::da(1.0, 2.0, 0.0) == 0.0);
    BOOST_TEST(tl::op::greater_equal::db(1.0, 2.0, 0.0) == 0.0);
}

BOOST_AUTO_TEST_CASE(derivative_rules) {
    tt::check_derivative<tl::op::abs>("abs", {-2.0L, 0.5L, 1e3L});
    tt::check_derivative<tl::op::sign>("sign", {-2.0L, 0.5L});
    tt::check_derivative<tl::op::relu>("relu", {-2.0L, 0.5L, 1e3L});
    tt::check_partials<tl::op::min>("min", {{1.0L, 2.0L}, {2.0L, 1.0L}, {-3.0L, 0.5L}});
    tt::check_partials<tl::op::max>("max", {{1.0L, 2.0L}, {2.0L, 1.0L}, {-3.0L, 0.5L}});
}

BOOST_AUTO_TEST_CASE(derivative_conventions_at_kinks) {
    // Documented subgradients: d/dx |x| = 0 and d/dx relu x = 0 at x = 0 (and −0).
    BOOST_TEST(tl::op::abs::derivative(0.0, 0.0) == 0.0);
    BOOST_TEST(tl::op::abs::derivative(-0.0, 0.0) == 0.0);
    BOOST_TEST(tl::op::relu::derivative(0.0, 0.0) == 0.0);
    BOOST_TEST(tl::op::relu::derivative(-0.0, -0.0) == 0.0);
    BOOST_TEST(tl::op::sign::derivative(0.0, 0.0) == 0.0);
    // On a tie, min and max give the whole derivative to their first argument.
    BOOST_TEST(tl::op::max::da(2.0, 2.0, 2.0) == 1.0);
    BOOST_TEST(tl::op::max::db(2.0, 2.0, 2.0) == 0.0);
    BOOST_TEST(tl::op::min::da(2.0, 2.0, 2.0) == 1.0);
    BOOST_TEST(tl::op::min::db(2.0, 2.0, 2.0) == 0.0);
    BOOST_TEST(tl::op::max::da(-0.0, 0.0, 0.0) == 1.0);
    // Symbolically: d/dx max(x, x) = da + db = 1.
    auto x = tl::variable<0, tl::scalar, "x">;
    const auto y = tl::max(x, x);
    BOOST_TEST(tl::value(tl::op::max::da(x, x, y) + tl::op::max::db(x, x, y), 3.0) == 1.0);
    BOOST_TEST(tl::value(tl::op::max::da(x, x, y), 3.0) == 1.0);
    BOOST_TEST(tl::value(tl::op::min::da(x, x, tl::min(x, x)), 3.0) == 1.0);
    BOOST_TEST(tl::value(tl::op::relu::derivative(x, tl::relu(x)), 0.0) == 0.0);
    BOOST_TEST(tl::value(tl::op::abs::derivative(x, tl::abs(x)), -4.0) == -1.0);
}

BOOST_AUTO_TEST_CASE(names_and_domains) {
    BOOST_TEST(tl::op::sign::name == "sign");
    BOOST_TEST(tl::op::abs::name == "abs");
    BOOST_TEST(tl::op::relu::name == "relu");
    BOOST_TEST(tl::op::min::name == "min");
    BOOST_TEST(tl::op::max::name == "max");
    BOOST_TEST(tl::op::positive::name == "positive");
    BOOST_TEST(tl::op::greater_equal::name == "greater_equal");
    BOOST_TEST(tl::op::relu::domain == "all real x");
}

// Every mode against the others, against differences and against the symbolic derivatives
// (support/expect_ad.hpp). Away from the kinks the piecewise functions are smooth (and so are
// products with them); at the kinks the modes agree on the subgradient conventions above.
BOOST_AUTO_TEST_CASE(every_mode) {
    using P = std::array<double, 2>;
    const std::vector<P> off_kinks{{-1.5, 2.0}, {0.7, -0.3}};
    tt::expect_ad(
        "abs", [](auto a, auto b) { return abs(a) * b * a; }, tt::ordinary_points);
    tt::expect_ad(
        "relu", [](auto a, auto b) { return relu(a) * b * a; }, tt::ordinary_points);
    tt::expect_ad(
        "relu", [](auto a, auto b) { return relu(a) + a * relu(b); }, off_kinks);
    tt::expect_ad(
        "min", [](auto a, auto b) { return min(a, b) * a; }, tt::ordinary_points);
    tt::expect_ad(
        "max", [](auto a, auto b) { return max(a, b) * a; }, tt::ordinary_points);
    tt::expect_ad(
        "min max", [](auto a, auto b) { return min(a, b) * max(a, b); }, off_kinks);
    tt::expect_ad(
        "sign", [](auto a, auto b) { return sign(a) * b; }, tt::ordinary_points);
    tt::expect_ad(
        "positive",
        [](auto a, auto b) { return tl::call_op<tl::op::positive>(a) * b + sign(a) * b; },
        off_kinks);
    tt::expect_ad(
        "greater_equal",
        [](auto a, auto b) { return tl::call_op<tl::op::greater_equal>(a, b) + a; }, off_kinks);
    tt::expect_ad(
        "at the kinks", [](auto a, auto b) { return abs(a) + relu(b) + max(a, b) + min(a, b); },
        {P{0.0, 0.0}, P{1.0, 1.0}, P{-0.0, 2.0}}, tt::ad_points::at_kinks);
    tt::expect_ad(
        "at a tie", [](auto a, auto b) { return max(a, b) - min(a, b); }, {P{1.0, 1.0}},
        tt::ad_points::at_kinks);
}

BOOST_AUTO_TEST_SUITE_END()
