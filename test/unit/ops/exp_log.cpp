// Value and first-derivative tests of exp, log, log1p, expm1 (ops/exp_log.hpp). Each is literally
// the <cmath> call, so the values must agree bit for bit, edge points included.
#include <tapeless/core/variables.hpp>
#include <tapeless/modes/value.hpp>
#include <tapeless/ops/exp_log.hpp>

#include <array>
#include <cmath>
#include <limits>

#include <boost/test/unit_test.hpp>

#include "support/elementwise.hpp"
#include "support/expect_ad.hpp"
#include "support/numdiff.hpp"
#include "support/values.hpp"

namespace tl = tapeless;
namespace tt = tapeless_test;

namespace {
constexpr double inf = std::numeric_limits<double>::infinity();
} // namespace

BOOST_AUTO_TEST_SUITE(ops_exp_log)

BOOST_AUTO_TEST_CASE(exp_matches_cmath) {
    tt::check_unary<double>(
        "exp", [](const auto& v) { return tl::exp(v); }, [](double t) { return std::exp(t); },
        {-746.0, -745.1, -708.5, -1.0, 0.5, 3.0, 100.0, 709.7, 709.8, 1e-17}, tt::exact);
}

BOOST_AUTO_TEST_CASE(log_matches_cmath) {
    tt::check_unary<double>(
        "log", [](const auto& v) { return tl::log(v); }, [](double t) { return std::log(t); },
        {1e-310, 0.5, 2.718281828459045, 10.0, 1.0000000000000002, 0.9999999999999999, 1e300,
         -1e-300},
        tt::exact);
}

BOOST_AUTO_TEST_CASE(log1p_matches_cmath) {
    tt::check_unary<double>(
        "log1p", [](const auto& v) { return tl::log1p(v); }, [](double t) { return std::log1p(t); },
        {-0.999999, -0.5, 1e-17, 1e-10, -1e-10, 0.5, 1e10, -1.5}, tt::exact);
}

BOOST_AUTO_TEST_CASE(expm1_matches_cmath) {
    tt::check_unary<double>(
        "expm1", [](const auto& v) { return tl::expm1(v); }, [](double t) { return std::expm1(t); },
        {-50.0, -1e-10, 1e-17, 1e-10, 0.5, 5.0, 709.7, 709.8, 710.0}, tt::exact);
}

BOOST_AUTO_TEST_CASE(domain_edges) {
    auto x = tl::variable<0, tl::scalar, "x">;
    BOOST_TEST(tl::value(tl::exp(x), -inf) == 0.0);
    BOOST_TEST(tl::value(tl::exp(x), 710.0) == inf);
    BOOST_TEST(tl::value(tl::exp(x), 0.0) == 1.0);
    BOOST_TEST(tl::value(tl::log(x), 0.0) == -inf);
    BOOST_TEST(tl::value(tl::log(x), -0.0) == -inf);
    BOOST_TEST(std::isnan(tl::value(tl::log(x), -1.0)));
    BOOST_TEST(tl::value(tl::log(x), inf) == inf);
    BOOST_TEST(tl::value(tl::log1p(x), -1.0) == -inf);
    BOOST_TEST(std::isnan(tl::value(tl::log1p(x), -2.0)));
    BOOST_TEST(tl::value(tl::log1p(x), 1e-20) == 1e-20); // accurate near 0, unlike log(1 + x)
    BOOST_TEST(tl::value(tl::expm1(x), 1e-20) == 1e-20);
    BOOST_TEST(tl::value(tl::expm1(x), -inf) == -1.0);
    BOOST_TEST(tt::same_value(tl::value(tl::expm1(x), -0.0), -0.0));
}

BOOST_AUTO_TEST_CASE(float_and_long_double) {
    tt::check_unary<float>(
        "exp<float>", [](const auto& v) { return tl::exp(v); }, [](float t) { return std::exp(t); },
        {-104.0f, -1.0f, 0.5f, 88.7f, 88.8f}, tt::exact);
    tt::check_unary<long double>(
        "log<long double>", [](const auto& v) { return tl::log(v); },
        [](long double t) { return std::log(t); }, {1e-4940L, 0.5L, 10.0L, 1e4000L}, tt::exact);
    tt::check_unary<long double>(
        "expm1<long double>", [](const auto& v) { return tl::expm1(v); },
        [](long double t) { return std::expm1(t); }, {-1e-30L, 0.5L, 11356.0L, 11357.0L},
        tt::exact);
}

BOOST_AUTO_TEST_CASE(derivative_rules) {
    tt::check_derivative<tl::op::exp>("exp", {-2.0L, 0.0L, 1.5L, 10.0L});
    tt::check_derivative<tl::op::log>("log", {0.01L, 0.5L, 1.0L, 7.0L, 1e5L});
    tt::check_derivative<tl::op::log1p>("log1p", {-0.9L, -0.2L, 0.0L, 3.0L, 1e4L});
    tt::check_derivative<tl::op::expm1>("expm1", {-3.0L, 0.0L, 0.7L, 5.0L});
}

BOOST_AUTO_TEST_CASE(derivative_edges) {
    // d/dx log x at 0 is +inf (documented); at -0 the rule gives 1/(-0) = -inf.
    BOOST_TEST(tl::op::log::derivative(0.0, -inf) == inf);
    BOOST_TEST(tl::op::log1p::derivative(-1.0, -inf) == inf);
    BOOST_TEST(tl::op::exp::derivative(710.0, inf) == inf);
    BOOST_TEST(tl::op::expm1::derivative(-inf, -1.0) == 0.0);
}

BOOST_AUTO_TEST_CASE(symbolic_rules_evaluate_to_the_numeric_ones) {
    auto x = tl::variable<0, tl::scalar, "x">;
    BOOST_TEST(tl::value(tl::op::log::derivative(x, tl::log(x)), 4.0) == 0.25);
    BOOST_TEST(tl::value(tl::op::exp::derivative(x, tl::exp(x)), tt::opaque(1.5)) ==
               std::exp(tt::opaque(1.5)));
    BOOST_TEST(tl::value(tl::op::log1p::derivative(x, tl::log1p(x)), 3.0) == 0.25);
}

BOOST_AUTO_TEST_CASE(names_and_domains) {
    BOOST_TEST(tl::op::exp::name == "exp");
    BOOST_TEST(tl::op::log::name == "log");
    BOOST_TEST(tl::op::log1p::name == "log1p");
    BOOST_TEST(tl::op::expm1::name == "expm1");
    BOOST_TEST(tl::op::log::domain == "x > 0");
    BOOST_TEST(tl::op::log1p::domain == "x > -1");
}

// Every mode against the others, against differences and against the symbolic derivatives
// (support/expect_ad.hpp).
BOOST_AUTO_TEST_CASE(every_mode) {
    using A = std::array<double, 1>;
    tt::expect_ad(
        "exp", [](auto a, auto b) { return exp(a * b); }, tt::ordinary_points);
    tt::expect_ad("exp", [](auto a) { return exp(a); }, {A{0.0}, A{1.3}, A{-4.0}, A{20.0}});
    tt::expect_ad(
        "log", [](auto a, auto b) { return log(a) * b; }, tt::positive_points);
    tt::expect_ad("log", [](auto a) { return log(a); }, {A{1.0}, A{0.05}, A{7.0}});
    tt::expect_ad(
        "log1p", [](auto a, auto b) { return log1p(a) * b; }, tt::positive_points);
    tt::expect_ad("log1p", [](auto a) { return log1p(a); }, {A{0.0}, A{-0.9}, A{3.0}, A{1e-10}});
    tt::expect_ad(
        "expm1", [](auto a, auto b) { return expm1(a * b); }, tt::ordinary_points);
    tt::expect_ad("expm1", [](auto a) { return expm1(a); }, {A{0.0}, A{1e-9}, A{-2.0}, A{3.0}});
}

BOOST_AUTO_TEST_SUITE_END()
