// Value and first-derivative tests of + − × ÷ and unary minus (ops/arithmetic.hpp): the values
// must be the built-in operators' bit for bit, on every pair of edge points, for scalars, vectors,
// both broadcasts, runtime constants and literals.
#include <tapeless/core/variables.hpp>
#include <tapeless/modes/value.hpp>
#include <tapeless/ops/arithmetic.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <type_traits>

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
const tt::pairs<double> pairs{{1.0, 2.0},     {0.1, 0.2},      {-3.0, 0.5},
                              {1e308, 1e308}, {1e-308, 1e-10}, {3.0, 7.0}};
} // namespace

BOOST_AUTO_TEST_SUITE(ops_arithmetic)

BOOST_AUTO_TEST_CASE(add_sub_mul_div_are_the_builtin_operators) {
    tt::check_binary<double>(
        "add", [](const auto& l, const auto& r) { return l + r; },
        [](double p, double q) { return p + q; }, pairs, tt::exact);
    tt::check_binary<double>(
        "sub", [](const auto& l, const auto& r) { return l - r; },
        [](double p, double q) { return p - q; }, pairs, tt::exact);
    tt::check_binary<double>(
        "mul", [](const auto& l, const auto& r) { return l * r; },
        [](double p, double q) { return p * q; }, pairs, tt::exact);
    tt::check_binary<double>(
        "div", [](const auto& l, const auto& r) { return l / r; },
        [](double p, double q) { return p / q; }, pairs, tt::exact);
}

BOOST_AUTO_TEST_CASE(float_and_long_double) {
    tt::check_binary<float>(
        "div<float>", [](const auto& l, const auto& r) { return l / r; },
        [](float p, float q) { return p / q; }, {{1.0f, 3.0f}}, tt::exact);
    tt::check_binary<long double>(
        "mul<long double>", [](const auto& l, const auto& r) { return l * r; },
        [](long double p, long double q) { return p * q; }, {{0.1L, 3.0L}}, tt::exact);
}

BOOST_AUTO_TEST_CASE(neg_is_unary_minus) {
    tt::check_unary<double>(
        "neg", [](const auto& v) { return -v; }, [](double t) { return -t; }, {3.0, -0.25},
        tt::exact);
    auto x = tl::variable<0, tl::scalar, "x">;
    BOOST_TEST(tt::same_value(tl::value(-x, 0.0), -0.0));
    BOOST_TEST(tt::same_value(tl::value(-(-x), 0.0), 0.0));
    // Unary plus is the handle itself.
    static_assert(std::is_same_v<decltype(+x), decltype(x) const&>);
}

BOOST_AUTO_TEST_CASE(literal_and_integer_operands) {
    auto x = tl::variable<0, tl::scalar, "x">;
    BOOST_TEST(tl::value(x + 1, 2.5) == 3.5);
    BOOST_TEST(tl::value(1 - x, 2.5) == -1.5);
    BOOST_TEST(tl::value(x * 2_c, 2.5) == 5.0);
    BOOST_TEST(tl::value(x / 4_c, 3.0) == 0.75);
    BOOST_TEST(tl::value(x / 3_c, tt::opaque(1.0)) == tt::opaque(1.0) / 3.0);
    BOOST_TEST(tl::value(1_c / x, 0.0) == inf);
    BOOST_TEST(tl::value(-1_c / x, 0.0) == -inf);
    BOOST_TEST(std::isnan(tl::value(x / x, 0.0)));
    BOOST_TEST(std::isnan(tl::value(x - x, inf)));
    BOOST_TEST(std::isnan(tl::value(x * 0_c, inf)));
    BOOST_TEST(tl::value(x * 0.5_c, 3.0f) == 1.5f);
}

BOOST_AUTO_TEST_CASE(derivative_rules) {
    tt::check_partials<tl::op::add>("add", {{1.0L, 2.0L}, {-3.0L, 0.5L}});
    tt::check_partials<tl::op::sub>("sub", {{1.0L, 2.0L}, {-3.0L, 0.5L}});
    tt::check_partials<tl::op::mul>("mul", {{1.0L, 2.0L}, {-3.0L, 0.5L}, {0.0L, 7.0L}});
    tt::check_partials<tl::op::div>("div",
                                    {{1.0L, 2.0L}, {-3.0L, 0.5L}, {0.0L, 7.0L}, {5.0L, -0.1L}});
    tt::check_derivative<tl::op::neg>("neg", {-2.0L, 0.0L, 3.0L});
    // At b = 0 the division rules are IEEE: ∂/∂a = 1/0 = inf.
    BOOST_TEST(tl::op::div::da(1.0, 0.0, inf) == inf);
}

BOOST_AUTO_TEST_CASE(symbolic_rules_evaluate_to_the_numeric_ones) {
    auto [a, b] = tl::variables<"a", "b">();
    const auto y = a / b;
    BOOST_TEST(tl::value(tl::op::div::da(a, b, y), std::array{3.0, 4.0}) == 0.25);
    BOOST_TEST(tl::value(tl::op::div::db(a, b, y), std::array{3.0, 4.0}) == -3.0 / 16.0);
    BOOST_TEST(tl::value(tl::op::mul::db(a, b, a * b), std::array{3.0}) == 3.0); // = a: slot 0 only
}

BOOST_AUTO_TEST_CASE(names_and_domains) {
    BOOST_TEST(tl::op::add::name == "add");
    BOOST_TEST(tl::op::sub::name == "sub");
    BOOST_TEST(tl::op::mul::name == "mul");
    BOOST_TEST(tl::op::div::name == "div");
    BOOST_TEST(tl::op::neg::name == "neg");
    BOOST_TEST(tl::op::div::domain == "b != 0");
    BOOST_TEST(tl::op::add::symbol == "+");
    BOOST_TEST(tl::op::neg::symbol == "-");
}

// Every mode against the others, against differences and against the symbolic derivatives
// (support/expect_ad.hpp).
BOOST_AUTO_TEST_CASE(every_mode) {
    using P = std::array<double, 2>;
    tt::expect_ad(
        "add: a + b", [](auto a, auto b) { return a + b * a; }, tt::ordinary_points);
    tt::expect_ad(
        "sub: a - b", [](auto a, auto b) { return a * a - b * a; }, tt::ordinary_points);
    tt::expect_ad(
        "mul: a * b", [](auto a, auto b) { return a * b * a; }, tt::ordinary_points);
    tt::expect_ad("mul: a * b", [](auto a, auto b) { return a * b; }, {P{0.3, -1.2}, P{0.0, 0.0}});
    tt::expect_ad(
        "div: a / b", [](auto a, auto b) { return a / b + b / (a * a); }, tt::ordinary_points);
    tt::expect_ad("div: a / b", [](auto a, auto b) { return a / b; }, {P{5.0, 2.0}, P{0.0, 0.5}});
    tt::expect_ad(
        "neg: -a", [](auto a, auto b) { return -(a * b) * -a; }, tt::ordinary_points);
    tt::expect_ad(
        "add, sub, mul, div with constants",
        [](auto a, auto b) {
            return tt::constant_like(a, 2.5) * a * a - a / tt::constant_like(a, 3.0) +
                   b * tt::constant_like(a, 1.5) * a;
        },
        tt::ordinary_points);
}

BOOST_AUTO_TEST_SUITE_END()
