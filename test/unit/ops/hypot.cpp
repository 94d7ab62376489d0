// Value and first-derivative tests of hypot (ops/hypot.hpp): literally std::hypot, so the values
// must agree bit for bit on every pair of edge points.
#include <tapeless/core/variables.hpp>
#include <tapeless/modes/value.hpp>
#include <tapeless/ops/hypot.hpp>

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
constexpr double qnan = std::numeric_limits<double>::quiet_NaN();
} // namespace

BOOST_AUTO_TEST_SUITE(ops_hypot)

BOOST_AUTO_TEST_CASE(matches_cmath) {
    tt::check_binary<double>(
        "hypot", [](const auto& l, const auto& r) { return tl::hypot(l, r); },
        [](double p, double q) { return std::hypot(p, q); },
        {{3.0, 4.0}, {-1.0, 2.0}, {1e200, 1e200}, {1e-200, 1e-200}, {5e-324, 5e-324}, {1.0, 1e-17}},
        tt::exact);
    tt::check_binary<long double>(
        "hypot<long double>", [](const auto& l, const auto& r) { return tl::hypot(l, r); },
        [](long double p, long double q) { return std::hypot(p, q); },
        {{3.0L, 4.0L}, {1e4000L, 1e4000L}}, tt::exact);
}

BOOST_AUTO_TEST_CASE(no_overflow_or_underflow) {
    auto [a, b] = tl::variables<"a", "b">();
    const auto f = tl::hypot(a, b);
    BOOST_TEST(tl::value(f, std::array{3e300, 4e300}) == 5e300);
    BOOST_TEST(tl::value(f, std::array{3e-310, 4e-310}) == 5e-310);
    BOOST_TEST(tl::value(f, std::array{inf, qnan}) == inf); // IEEE: an infinite leg wins over NaN
    BOOST_TEST(std::isnan(tl::value(f, std::array{1.0, qnan})));
    BOOST_TEST(tl::value(f, std::array{-0.0, -0.0}) == 0.0);
}

BOOST_AUTO_TEST_CASE(derivative_rules) {
    tt::check_partials<tl::op::hypot>(
        "hypot", {{3.0L, 4.0L}, {-1.0L, 2.0L}, {1e-3L, 5.0L}, {-2.0L, -7.0L}, {0.0L, 2.0L}});
    // At (0, 0) the derivative is NaN (documented).
    BOOST_TEST(std::isnan(tl::op::hypot::da(0.0, 0.0, 0.0)));
    BOOST_TEST(std::isnan(tl::op::hypot::db(0.0, 0.0, 0.0)));
}

BOOST_AUTO_TEST_CASE(names_and_domains) {
    BOOST_TEST(tl::op::hypot::name == "hypot");
    BOOST_TEST(tl::op::hypot::domain == "all real a, b");
}

// Every mode against the others, against differences and against the symbolic derivatives
// (support/expect_ad.hpp). (Its partials as operations: test/unit/ops/partials.cpp.)
BOOST_AUTO_TEST_CASE(every_mode) {
    using P = std::array<double, 2>;
    tt::expect_ad(
        "hypot", [](auto a, auto b) { return hypot(a, b); }, tt::ordinary_points);
    tt::expect_ad("hypot", [](auto a, auto b) { return hypot(a, b); },
                  {P{3.0, 4.0}, P{0.0, 1.0}, P{-2.0, 0.5}});
}

BOOST_AUTO_TEST_SUITE_END()
