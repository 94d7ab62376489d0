// Fused sweeps (graph/fused.hpp): which nodes are inlined, and that every shape of fusion gives
// the same derivatives in reverse mode, forward mode and finite differences. The expressions are
// chosen to hit each path: elementwise chains into a reduction, shared slices (views read
// through), broadcast scalars inside a chain, an expensive op inlined for the value but stored for
// the reverse sweep, a view of an inlined node used twice, array ops reading a slice as a pointer,
// and roots that are a variable, a slice or a literal.
#include <tapeless/graph/fused.hpp>
#include <tapeless/tapeless.hpp>

#include <array>
#include <cmath>
#include <cstddef>

#include <boost/test/unit_test.hpp>

#include "support/expect_derivatives.hpp"
#include "support/mock_ops.hpp"

namespace tl = tapeless;
namespace tt = tapeless_test;
using namespace tl::literals;

namespace {

template <class E>
constexpr const auto& plan(const E&, bool for_reverse) {
    using Root = tl::node_of<E>;
    if (for_reverse) return tl::graph::plan_of<Root, true>;
    return tl::graph::plan_of<Root, false>;
}

template <std::size_t N>
std::array<double, N> point(double shift) {
    std::array<double, N> p{};
    for (std::size_t i = 0; i < N; ++i)
        p[i] = 0.3 + shift + 0.17 * static_cast<double>(i) - 0.05 * static_cast<double>(i * i % 7);
    return p;
}

} // namespace

BOOST_AUTO_TEST_SUITE(fused)

// Rosenbrock as an array expression: everything but the root and the shared slice is inlined,
// and the shared slice (used twice) is a view of the input, never stored: one stored node.
BOOST_AUTO_TEST_CASE(rosenbrock_plan_and_derivatives) {
    constexpr std::size_t n = 7;
    auto w = tl::variable<0, tl::vector<n>, "w">;
    auto f = sum(100_c * square(tl::slice<1, n - 1>(w) - square(tl::slice<0, n - 1>(w))) +
                 square(1_c - tl::slice<0, n - 1>(w)));
    BOOST_TEST(plan(f, true).stored == 1u);
    BOOST_TEST(plan(f, false).stored == 1u);
    tt::expect_derivatives(f, {point<n>(0.0), point<n>(-1.5)});
}

// A scalar broadcast into an elementwise chain is stored (else it would be recomputed per element),
// and its adjoint sums over the elements.
BOOST_AUTO_TEST_CASE(broadcast_scalars_in_chains) {
    constexpr std::size_t n = 5;
    auto v = tl::variable<0, tl::vector<n>, "v">;
    auto s = sum(v * v);                            // a scalar from the same input
    auto f = mean(v * s - 2_c * v / (s + 1_c) + s); // s broadcast three times
    tt::expect_derivatives(f, {point<n>(0.0), point<n>(0.4)});
    auto g = sum(square(v - sin(element<2>(v)))); // element<2> of the input broadcast
    tt::expect_derivatives(g, {point<n>(0.1)});
}

// exp is inlined into the reduction for the value; the reverse sweep stores it (it is not cheap
// to recompute) and still agrees.
BOOST_AUTO_TEST_CASE(expensive_ops_stored_for_reverse) {
    constexpr std::size_t n = 6;
    auto v = tl::variable<0, tl::vector<n>, "v">;
    auto f = sum(exp(v * 0.5_c) * cos(v) + log(square(v) + 1_c));
    BOOST_TEST(plan(f, false).stored < plan(f, true).stored);
    tt::expect_derivatives(f, {point<n>(0.0), point<n>(-0.7)});
}

// A slice of an inlined node, used twice: the slice is stored (its operand is not addressable),
// the product under it is inlined once into the slice.
BOOST_AUTO_TEST_CASE(view_of_inlined_node_used_twice) {
    constexpr std::size_t n = 6;
    auto v = tl::variable<0, tl::vector<n>, "v">;
    auto s = tl::slice<1, 4>(v * v + 1_c);
    auto f = dot(s, s) + sum(s * tl::slice<0, 4>(v));
    tt::expect_derivatives(f, {point<n>(0.0), point<n>(0.25)});
}

// Array operations that read their operands as pointers get slices of the input as pointers into
// it (matvec, softmax, log_sum_exp); an elementwise chain feeds them.
BOOST_AUTO_TEST_CASE(array_ops_read_views_as_pointers) {
    constexpr std::size_t n = 8;
    auto v = tl::variable<0, tl::vector<n>, "v">;
    auto a = tl::slice<0, 4>(v);
    auto b = tl::slice<4, 4>(v);
    auto f = log_sum_exp(a * b - a) + dot(softmax(b), a) + sum(tl::slice<1, 3>(exp(b)));
    tt::expect_derivatives(f, {point<n>(0.0), point<n>(-0.3)});
}

// Scalar expressions fuse too: single-use scalar nodes are computed inside their consumer.
BOOST_AUTO_TEST_CASE(scalar_chains) {
    auto [x, z] = tl::variables<"x", "z">();
    auto f = exp(x * z) + x * z / log(x) + sin(log(x)) / (x * z);
    tt::expect_derivatives(f, {std::array{2.0, 3.0}, std::array{0.5, -1.0}});
    auto g = square(x - z) * (x + 2_c) - z / (x * x + 1_c);
    tt::expect_derivatives(g, {std::array{0.3, -2.0}, std::array{1.5, 0.25}});
}

// Degenerate roots: the root is a variable, a slice of one, or a literal.
BOOST_AUTO_TEST_CASE(degenerate_roots) {
    auto v = tl::variable<0, tl::vector<3>, "v">;
    const std::array<double, 3> p{1.0, 2.0, 3.0};
    const auto s = tl::value(tl::slice<1, 2>(v), p);
    BOOST_TEST(s[0] == 2.0);
    BOOST_TEST(s[1] == 3.0);
    const auto id = tl::value(v, p);
    BOOST_TEST(id[2] == 3.0);
    const auto g = tl::vjp(tl::slice<1, 2>(v), std::array{10.0, 20.0}, p);
    BOOST_TEST(g[0] == 0.0);
    BOOST_TEST(g[1] == 10.0);
    BOOST_TEST(g[2] == 20.0);
    const auto gi = tl::vjp(v, std::array{1.0, 2.0, 3.0}, p);
    BOOST_TEST(gi[1] == 2.0);
    auto x = tl::variable<0>;
    BOOST_TEST(tl::gradient(x, std::array{4.0})[0] == 1.0);
}

// What fusion costs in evaluations: an operation that is not cheap is evaluated once per element
// in either sweep; a cheap one (marked `cheap`) is recomputed by the reverse sweep instead of
// stored, so its value runs twice per element in value_and_gradient. Shared nodes are never
// inlined.
BOOST_AUTO_TEST_CASE(evaluation_counts_per_element) {
    constexpr std::size_t n = 4;
    auto v = tl::variable<0, tl::vector<n>, "v">;
    const auto p = point<n>(0.0);
    auto f = sum(tt::make_counted(v * v));
    tt::counted::reset();
    (void)tl::value(f, p);
    BOOST_TEST(tt::counted::values == static_cast<int>(n));
    tt::counted::reset();
    (void)tl::gradient(f, p);
    BOOST_TEST(tt::counted::values == static_cast<int>(n));
    BOOST_TEST(tt::counted::derivatives == static_cast<int>(n));

    auto h = sum(tt::make_counted_cheap(v * v));
    tt::counted_cheap::reset();
    (void)tl::value(h, p);
    BOOST_TEST(tt::counted_cheap::values == static_cast<int>(n));
    tt::counted_cheap::reset();
    (void)tl::value_and_gradient(h, p);
    BOOST_TEST(tt::counted_cheap::values == static_cast<int>(2 * n));
    BOOST_TEST(tt::counted_cheap::derivatives == static_cast<int>(n));
    // tl::gradient drops the value: the sum at the root is not computed, so the inlined node runs
    // only in the reverse sweep
    tt::counted_cheap::reset();
    const auto gh = tl::gradient(h, p);
    BOOST_TEST(tt::counted_cheap::values == static_cast<int>(n));
    BOOST_TEST(tt::counted_cheap::derivatives == static_cast<int>(n));
    for (std::size_t i = 0; i < n; ++i)
        BOOST_TEST(gh[i] == 2 * p[i], boost::test_tools::tolerance(1e-15));

    // used twice: stored, evaluated once per element in both sweeps
    auto c = tt::make_counted_cheap(v * v);
    auto k = sum(c * c + c);
    tt::counted_cheap::reset();
    (void)tl::gradient(k, p);
    BOOST_TEST(tt::counted_cheap::values == static_cast<int>(n));
    BOOST_TEST(tt::counted_cheap::derivatives == static_cast<int>(n));
}

// In the value sweeps a root that is elementwise, a view or a concat is not stored: fused_root
// computes each of its elements where the result is filled (root_read_through), once per element.
// The reverse sweep's plan keeps it stored. Values and both modes' Jacobians are unchanged.
BOOST_AUTO_TEST_CASE(roots_read_through) {
    constexpr std::size_t n = 4;
    auto v = tl::variable<0, tl::vector<n>, "v">;
    const auto p = point<n>(0.0);
    auto r = tt::make_counted(v * v + 1_c);
    using R = tl::node_of<decltype(r)>;
    static_assert(tl::graph::root_read_through<R, false> && !tl::graph::root_read_through<R, true>);
    tt::counted::reset();
    const auto y = tl::value(r, p);
    BOOST_TEST(tt::counted::values == static_cast<int>(n));
    tt::counted::reset();
    const auto Jf = tl::jacobian(r, p, tl::forward_mode);
    BOOST_TEST(tt::counted::values == static_cast<int>(n));
    const auto Jr = tl::jacobian(r, p, tl::reverse_mode);
    for (std::size_t i = 0; i < n; ++i) {
        BOOST_TEST(y[i] == p[i] * p[i] + 1.0);
        for (std::size_t j = 0; j < n; ++j) {
            BOOST_TEST(Jf[i][j] == (i == j ? 2 * p[i] : 0.0));
            BOOST_TEST(Jr[i][j] == Jf[i][j]);
        }
    }

    // a slice of an inlined product, and a concat of scalar chains (the Lorenz system)
    auto s = tl::slice<1, 2>(v * v);
    static_assert(tl::graph::root_read_through<tl::node_of<decltype(s)>, false>);
    const auto ys = tl::value(s, p);
    BOOST_TEST(ys[0] == p[1] * p[1]);
    BOOST_TEST(ys[1] == p[2] * p[2]);
    const auto Js = tl::jacobian(s, p, tl::forward_mode);
    BOOST_TEST(Js[0][1] == 2 * p[1]);
    BOOST_TEST(Js[1][2] == 2 * p[2]);
    BOOST_TEST(Js[0][0] == 0.0);

    auto [x, yy, z] = tl::variables<"x", "y", "z">();
    auto lorenz = tl::outputs(10_c * (yy - x), x * (28_c - z) - yy, x * yy - 8_c / 3_c * z);
    static_assert(tl::graph::root_read_through<tl::node_of<decltype(lorenz)>, false>);
    const std::array q{1.5, -0.7, 20.0};
    const auto Lf = tl::jacobian(lorenz, q, tl::forward_mode);
    const auto Lr = tl::jacobian(lorenz, q, tl::reverse_mode);
    const std::array<std::array<double, 3>, 3> expected{
        {{-10.0, 10.0, 0.0}, {28.0 - q[2], -1.0, -q[0]}, {q[1], q[0], -8.0 / 3.0}}};
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 3; ++j) {
            BOOST_TEST(Lf[i][j] == expected[i][j], boost::test_tools::tolerance(1e-15));
            BOOST_TEST(Lr[i][j] == Lf[i][j], boost::test_tools::tolerance(1e-15));
        }
    const auto lv = tl::value(lorenz, q);
    BOOST_TEST(lv[0] == 10.0 * (q[1] - q[0]));
}

BOOST_AUTO_TEST_SUITE_END()
