// Value and vector-Jacobian tests of log_sum_exp and softmax (ops/softmax.hpp): against the
// direct formulas log Σ e^x_i and e^x_i / Σ_j e^x_j evaluated in long double (no overflow there
// for the test values), per row for matrices; and the stable-evaluation promises: no overflow for
// large entries (700, 1e308), exact results at ±inf entries for log_sum_exp.
#include <tapeless/core/variables.hpp>
#include <tapeless/modes/value.hpp>
#include <tapeless/ops/arithmetic.hpp>
#include <tapeless/ops/softmax.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <limits>

#include <boost/test/unit_test.hpp>

#include "support/numdiff.hpp"
#include "support/values.hpp"

namespace tl = tapeless;
namespace tt = tapeless_test;

namespace {
constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double qnan = std::numeric_limits<double>::quiet_NaN();

template <std::size_t N>
double lse_reference(const double* x) {
    long double s = 0;
    for (std::size_t i = 0; i < N; ++i) s += std::exp(static_cast<long double>(x[i]));
    return static_cast<double>(std::log(s));
}
template <std::size_t N>
std::array<double, N> softmax_reference(const double* x) {
    long double s = 0;
    for (std::size_t i = 0; i < N; ++i) s += std::exp(static_cast<long double>(x[i]));
    std::array<double, N> y{};
    for (std::size_t i = 0; i < N; ++i)
        y[i] = static_cast<double>(std::exp(static_cast<long double>(x[i])) / s);
    return y;
}

// softmax rounds x_i − max x before exponentiating: a relative error up to |x_i − max x| eps,
// about 60 eps = 1.3e-14 for entries in [−30, 30]; plus a few ulps for exp and the division.
constexpr double softmax_tolerance = 2e-14;

const auto w = tl::variable<0, tl::vector<4>, "w">;
const auto v2 = tl::variable<0, tl::vector<2>, "v">;
const auto X = tl::variable<0, tl::matrix<3, 4>, "X">;
} // namespace

BOOST_AUTO_TEST_SUITE(ops_softmax)

BOOST_AUTO_TEST_CASE(log_sum_exp_matches_the_formula) {
    tt::rng g(5);
    for (int trial = 0; trial < 20; ++trial) {
        const auto a = g.array<double, 4>(-30.0, 30.0);
        BOOST_TEST(tt::within_ulps(tl::value(log_sum_exp(w), a), lse_reference<4>(a.data()), 4));
        const tl::mat<double, 3, 4> m{g.array<double, 12>(-30.0, 30.0)};
        const std::array<double, 3> rows = tl::value(log_sum_exp(X), m);
        for (std::size_t r = 0; r < 3; ++r)
            BOOST_TEST(tt::within_ulps(rows[r], lse_reference<4>(&m(r, 0)), 4));
    }
    BOOST_TEST(tt::within_ulps(tl::value(log_sum_exp(w), std::array{0.0, 0.0, 0.0, 0.0}),
                               std::log(tt::opaque(4.0)), 1));
    BOOST_TEST(tl::value(log_sum_exp(w), std::array{1.0, 1.0, 1.0, 1.0}) ==
               1.0 + std::log(tt::opaque(4.0)));
    // float and long double
    BOOST_TEST(tt::within_ulps(tl::value(log_sum_exp(v2), std::array{1.0f, 2.0f}),
                               std::log(std::exp(1.0f) + std::exp(2.0f)), 2));
    BOOST_TEST(tt::within_ulps(tl::value(log_sum_exp(v2), std::array{1.0L, 2.0L}),
                               std::log(std::exp(1.0L) + std::exp(2.0L)), 4));
}

BOOST_AUTO_TEST_CASE(log_sum_exp_is_stable_and_exact_at_infinities) {
    BOOST_TEST(tl::value(log_sum_exp(v2), std::array{700.0, 0.0}) == 700.0);
    BOOST_TEST(tt::within_ulps(tl::value(log_sum_exp(v2), std::array{700.0, 700.0}),
                               700.0 + std::log(tt::opaque(2.0)), 1));
    BOOST_TEST(tt::within_ulps(tl::value(log_sum_exp(v2), std::array{-700.0, -700.0}),
                               -700.0 + std::log(tt::opaque(2.0)), 1));
    BOOST_TEST(tl::value(log_sum_exp(v2), std::array{1e308, 0.0}) == 1e308);
    BOOST_TEST(tl::value(log_sum_exp(v2), std::array{-1e308, 0.0}) == 0.0);
    BOOST_TEST(tl::value(log_sum_exp(v2), std::array{-inf, 0.0}) == 0.0);
    BOOST_TEST(tl::value(log_sum_exp(v2), std::array{0.0, -inf}) == 0.0);
    BOOST_TEST(tl::value(log_sum_exp(v2), std::array{inf, 0.0}) == inf);
    BOOST_TEST(tl::value(log_sum_exp(v2), std::array{0.0, inf}) == inf);
    BOOST_TEST(tl::value(log_sum_exp(v2), std::array{inf, -inf}) == inf);
    BOOST_TEST(tl::value(log_sum_exp(v2), std::array{-inf, -inf}) == -inf);
    BOOST_TEST(tl::value(log_sum_exp(v2), std::array{inf, inf}) == inf);
    BOOST_TEST(std::isnan(tl::value(log_sum_exp(v2), std::array{qnan, 0.0})));
    BOOST_TEST(std::isnan(tl::value(log_sum_exp(v2), std::array{0.0, qnan})));
    BOOST_TEST(std::isnan(tl::value(log_sum_exp(v2), std::array{inf, qnan})));
    BOOST_TEST(std::isnan(tl::value(log_sum_exp(v2), std::array{qnan, inf})));
    BOOST_TEST(std::isnan(tl::value(log_sum_exp(v2), std::array{-inf, qnan})));
    // Per row of a matrix: each row on its own.
    const tl::mat<double, 3, 4> m{{700, 0, 0, 0, -inf, -inf, -inf, -inf, inf, 1, 2, 3}};
    const std::array<double, 3> rows = tl::value(log_sum_exp(X), m);
    BOOST_TEST(rows[0] == 700.0);
    BOOST_TEST(rows[1] == -inf);
    BOOST_TEST(rows[2] == inf);
}

BOOST_AUTO_TEST_CASE(softmax_matches_the_formula) {
    tt::rng g(6);
    for (int trial = 0; trial < 20; ++trial) {
        const auto a = g.array<double, 4>(-30.0, 30.0);
        const std::array<double, 4> y = tl::value(softmax(w), a);
        const auto want = softmax_reference<4>(a.data());
        double total = 0;
        for (std::size_t i = 0; i < 4; ++i) {
            BOOST_TEST(tt::close(y[i], want[i], softmax_tolerance),
                       "softmax element " << i << ": " << tt::show(y[i]) << ", want "
                                          << tt::show(want[i]));
            total += y[i];
        }
        BOOST_TEST(tt::close(total, 1.0, 1e-15));
        const tl::mat<double, 3, 4> m{g.array<double, 12>(-30.0, 30.0)};
        const tl::mat<double, 3, 4> ym = tl::value(softmax(X), m);
        for (std::size_t r = 0; r < 3; ++r) {
            const auto wr = softmax_reference<4>(&m(r, 0));
            for (std::size_t c = 0; c < 4; ++c)
                BOOST_TEST(tt::close(ym(r, c), wr[c], softmax_tolerance),
                           "softmax row " << r << " column " << c << ": " << tt::show(ym(r, c))
                                          << ", want " << tt::show(wr[c]));
        }
    }
    // Shift invariance is exact for shifts that keep the differences exact.
    const std::array<double, 4> s1 = tl::value(softmax(w), std::array{1.0, 2.0, 3.0, 4.0});
    const std::array<double, 4> s2 = tl::value(softmax(w + 100.0), std::array{1.0, 2.0, 3.0, 4.0});
    BOOST_TEST(s1 == s2);
    const std::array<float, 2> sf = tl::value(softmax(v2), std::array{0.0f, 0.0f});
    BOOST_TEST((sf[0] == 0.5f && sf[1] == 0.5f));
}

BOOST_AUTO_TEST_CASE(softmax_is_stable) {
    const std::array<double, 2> a = tl::value(softmax(v2), std::array{700.0, 0.0});
    BOOST_TEST(a[0] == 1.0);
    BOOST_TEST(tt::within_ulps(a[1], std::exp(tt::opaque(-700.0)), 2));
    BOOST_TEST(a[1] > 0.0);
    const std::array<double, 2> b = tl::value(softmax(v2), std::array{-700.0, 700.0});
    BOOST_TEST(b[0] == 0.0); // e^-1400 underflows
    BOOST_TEST(b[1] == 1.0);
    const std::array<double, 2> h = tl::value(softmax(v2), std::array{1e308, -1e308});
    BOOST_TEST((h[0] == 1.0 && h[1] == 0.0));
    // A −inf entry has probability exactly 0, the others are unaffected.
    const std::array<double, 4> d = tl::value(softmax(w), std::array{-inf, 0.0, 0.0, -inf});
    BOOST_TEST(d == (std::array{0.0, 0.5, 0.5, 0.0}));
    const std::array<double, 2> e = tl::value(softmax(v2), std::array{qnan, 0.0});
    BOOST_TEST((std::isnan(e[0]) && std::isnan(e[1])));
    // Per row.
    const tl::mat<double, 3, 4> m{{700, 0, 0, 0, 0, 0, 0, 0, -inf, 0, -inf, -inf}};
    const tl::mat<double, 3, 4> y = tl::value(softmax(X), m);
    BOOST_TEST(y(0, 0) == 1.0);
    BOOST_TEST(tt::within_ulps(y(0, 1), std::exp(tt::opaque(-700.0)), 2));
    for (std::size_t c = 0; c < 4; ++c) BOOST_TEST(y(1, c) == 0.25);
    BOOST_TEST(y.data[8] == 0.0);
    BOOST_TEST(y.data[9] == 1.0);
}

// A row with +inf entries: the infinite entries share the mass (not exp(inf − inf) = NaN);
// log_sum_exp of the same row is +inf.
BOOST_AUTO_TEST_CASE(softmax_with_a_positive_infinite_entry) {
    BOOST_TEST(tl::value(log_sum_exp(v2), std::array{inf, 0.0}) == inf); // right: passes
    const std::array<double, 2> y = tl::value(softmax(v2), std::array{inf, 0.0});
    BOOST_TEST(y[0] == 1.0);
    BOOST_TEST(y[1] == 0.0);
    auto v3 = tl::variable<0, tl::vector<3>, "v">;
    const std::array<double, 3> y3 = tl::value(softmax(v3), std::array{inf, 1.0, inf});
    BOOST_TEST(y3[0] == 0.5);
    BOOST_TEST(y3[1] == 0.0);
    BOOST_TEST(y3[2] == 0.5);
}

BOOST_AUTO_TEST_CASE(vjp_rules) {
    tt::check_vjp<tl::op::log_sum_exp, tl::vector<4>>("log_sum_exp<vector<4>>", {{{-3.0L, 3.0L}}},
                                                      31);
    tt::check_vjp<tl::op::log_sum_exp, tl::matrix<3, 4>>("log_sum_exp<matrix<3, 4>>",
                                                         {{{-3.0L, 3.0L}}}, 32);
    tt::check_vjp<tl::op::log_sum_exp, tl::vector<1>>("log_sum_exp<vector<1>>", {{{-3.0L, 3.0L}}},
                                                      33);
    tt::check_vjp<tl::op::softmax, tl::vector<4>>("softmax<vector<4>>", {{{-3.0L, 3.0L}}}, 34);
    tt::check_vjp<tl::op::softmax, tl::matrix<2, 3>>("softmax<matrix<2, 3>>", {{{-3.0L, 3.0L}}},
                                                     35);
    tt::check_vjp<tl::op::log_sum_exp, tl::vector<3>>("log_sum_exp at large values",
                                                      {{{690.0L, 700.0L}}}, 36);
}

BOOST_AUTO_TEST_CASE(names_and_domains) {
    BOOST_TEST(tl::op::log_sum_exp::name == "log_sum_exp");
    BOOST_TEST(tl::op::softmax::name == "softmax");
    BOOST_TEST(tl::op::softmax::domain == "all real x");
}

BOOST_AUTO_TEST_SUITE_END()
