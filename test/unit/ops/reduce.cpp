// Value and vector-Jacobian tests of sum, mean and dot (ops/reduce.hpp), against direct loops.
#include <tapeless/core/variables.hpp>
#include <tapeless/modes/value.hpp>
#include <tapeless/ops/arithmetic.hpp>
#include <tapeless/ops/reduce.hpp>

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
constexpr double dmax = std::numeric_limits<double>::max();
constexpr double loop_tolerance = 1e-14; // relative: a loop in another order may round differently

template <class T, std::size_t N>
T loop_sum(const std::array<T, N>& a) {
    T s = 0;
    for (T v : a) s += v;
    return s;
}
template <class T, std::size_t N>
T loop_dot(const std::array<T, N>& a, const std::array<T, N>& b) {
    T s = 0;
    for (std::size_t i = 0; i < N; ++i) s += a[i] * b[i];
    return s;
}

const auto w = tl::variable<0, tl::vector<5>, "w">;
const auto v = tl::variable<1, tl::vector<5>, "v">;
const auto M = tl::variable<0, tl::matrix<2, 3>, "M">;
const auto N = tl::variable<1, tl::matrix<2, 3>, "N">;
} // namespace

BOOST_AUTO_TEST_SUITE(ops_reduce)

BOOST_AUTO_TEST_CASE(sum_and_mean_match_loops) {
    tt::rng g(1);
    for (int trial = 0; trial < 20; ++trial) {
        const auto a = g.array<double, 5>(-10.0, 10.0);
        const tl::mat<double, 2, 3> m{g.array<double, 6>(-10.0, 10.0)};
        BOOST_TEST(tt::close(tl::value(sum(w), a), loop_sum(a), loop_tolerance, 1e-14));
        BOOST_TEST(tt::close(tl::value(mean(w), a), loop_sum(a) / 5, loop_tolerance, 1e-14));
        BOOST_TEST(tt::close(tl::value(sum(M), m), loop_sum(m.data), loop_tolerance, 1e-14));
        BOOST_TEST(tt::close(tl::value(mean(M), m), loop_sum(m.data) / 6, loop_tolerance, 1e-14));
    }
    // A scalar sums to itself; sums of small integers are exact.
    auto x = tl::variable<0, tl::scalar, "x">;
    BOOST_TEST(tl::value(sum(x), 2.5) == 2.5);
    BOOST_TEST(tl::value(mean(x), 2.5) == 2.5);
    BOOST_TEST(tl::value(sum(w), std::array{1.0, 2.0, 3.0, 4.0, 5.0}) == 15.0);
    BOOST_TEST(tl::value(mean(w), std::array{1.0, 2.0, 3.0, 4.0, 5.0}) == 3.0);
    BOOST_TEST(tl::value(sum(w * w), std::array{1.0, 2.0, 3.0, 4.0, 5.0}) == 55.0);
    // The sum of a runtime constant array.
    BOOST_TEST(tl::value(sum(x * std::array{1.0, 2.0, 3.0}), 2.0) == 12.0);
}

BOOST_AUTO_TEST_CASE(sum_and_mean_edges) {
    BOOST_TEST(tl::value(sum(w), std::array{inf, 1.0, 2.0, 3.0, 4.0}) == inf);
    BOOST_TEST(std::isnan(tl::value(sum(w), std::array{inf, -inf, 2.0, 3.0, 4.0})));
    BOOST_TEST(std::isnan(tl::value(sum(w), std::array{1.0, 1.0, qnan, 3.0, 4.0})));
    BOOST_TEST(tt::same_value(tl::value(sum(w), std::array{-0.0, -0.0, -0.0, -0.0, -0.0}), -0.0));
    BOOST_TEST(tl::value(sum(w), std::array{5e-324, 5e-324, 5e-324, 5e-324, 5e-324}) == 2.5e-323);
    BOOST_TEST(tl::value(sum(w), std::array{dmax, dmax, -dmax, 0.0, 0.0}) ==
               inf); // left to right: overflows
    BOOST_TEST(tl::value(mean(w), std::array{-inf, 1.0, 2.0, 3.0, 4.0}) == -inf);
    // mean is sum / n: it overflows when the sum does, even where the mean is representable.
    BOOST_TEST(tl::value(mean(w), std::array{dmax, dmax, dmax, dmax, dmax}) == inf);
}

BOOST_AUTO_TEST_CASE(dot_matches_loops) {
    tt::rng g(2);
    for (int trial = 0; trial < 20; ++trial) {
        const auto a = g.array<double, 5>(-10.0, 10.0);
        const auto b = g.array<double, 5>(-10.0, 10.0);
        const tl::mat<double, 2, 3> m{g.array<double, 6>(-1.0, 1.0)};
        const tl::mat<double, 2, 3> n{g.array<double, 6>(-1.0, 1.0)};
        const double want = loop_dot(a, b);
        BOOST_TEST(tt::close(tl::value(dot(w, v), a, b), want, loop_tolerance, 1e-13));
        BOOST_TEST(tt::close(tl::value(dot(w, b), a), want, loop_tolerance,
                             1e-13)); // a constant array operand
        BOOST_TEST(tt::close(tl::value(dot(a, v), a, b), want, loop_tolerance, 1e-13));
        BOOST_TEST(
            tt::close(tl::value(dot(M, N), m, n), loop_dot(m.data, n.data), loop_tolerance, 1e-13));
    }
    BOOST_TEST(tl::value(dot(w, std::array{1.0, 2.0, 3.0, 4.0, 5.0}),
                         std::array{1.0, 1.0, 1.0, 1.0, 2.0}) == 20.0);
    auto [x, y] = tl::variables<"x", "y">();
    BOOST_TEST(tl::value(dot(x, y), std::array{3.0, 4.0}) == 12.0); // scalars: the product
    BOOST_TEST(std::isnan(tl::value(dot(w, v), std::array{inf, 1.0, 1.0, 1.0, 1.0},
                                    std::array{0.0, 1.0, 1.0, 1.0, 1.0})));
}

BOOST_AUTO_TEST_CASE(float_and_long_double) {
    const std::array<float, 5> af{0.5f, 1.5f, -2.0f, 4.0f, 8.0f};
    const std::array<long double, 5> al{0.1L, 0.2L, 0.3L, 0.4L, 0.5L};
    const float sf = tl::value(sum(w), af);
    const long double sl = tl::value(mean(w), al);
    BOOST_TEST(sf == 12.0f);
    BOOST_TEST(tt::close(sl, loop_sum(al) / 5, 1e-18L));
    const long double dl = tl::value(dot(w, v), al, al);
    BOOST_TEST(tt::close(dl, loop_dot(al, al), 1e-18L));
}

BOOST_AUTO_TEST_CASE(vjp_rules) {
    using V5 = tl::vector<5>;
    using M23 = tl::matrix<2, 3>;
    tt::check_vjp<tl::op::sum, V5>("sum<vector<5>>", {{{-2.0L, 2.0L}}}, 11);
    tt::check_vjp<tl::op::sum, M23>("sum<matrix<2, 3>>", {{{-2.0L, 2.0L}}}, 12);
    tt::check_vjp<tl::op::sum, tl::scalar>("sum<scalar>", {{{-2.0L, 2.0L}}}, 13);
    tt::check_vjp<tl::op::mean, V5>("mean<vector<5>>", {{{-2.0L, 2.0L}}}, 14);
    tt::check_vjp<tl::op::mean, M23>("mean<matrix<2, 3>>", {{{-2.0L, 2.0L}}}, 15);
    tt::check_vjp<tl::op::dot, V5, V5>("dot<vector<5>>", {{{-2.0L, 2.0L}, {-2.0L, 2.0L}}}, 16);
    tt::check_vjp<tl::op::dot, M23, M23>("dot<matrix<2, 3>>", {{{-2.0L, 2.0L}, {-2.0L, 2.0L}}}, 17);
}

BOOST_AUTO_TEST_CASE(names_and_domains) {
    BOOST_TEST(tl::op::sum::name == "sum");
    BOOST_TEST(tl::op::mean::name == "mean");
    BOOST_TEST(tl::op::dot::name == "dot");
    BOOST_TEST(!tl::op::dot::domain.empty());
}

BOOST_AUTO_TEST_SUITE_END()
