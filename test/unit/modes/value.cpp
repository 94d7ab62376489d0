// tl::value: flat and positional binding, the scalar type, traced callables, callables that are
// simply called, expressions without variables, shared subexpressions, deep chains, and node
// storage beyond the stack limit.
#include <tapeless/modes/value.hpp>
#include <tapeless/tapeless.hpp>

#include <array>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <type_traits>

#include <boost/test/unit_test.hpp>

#include "support/values.hpp"

namespace tl = tapeless;
namespace tt = tapeless_test;
using namespace tl::literals;

namespace {
// `Steps` times e = sin(e) + x: a chain of 2 Steps nested operations.
template <int Steps, class E, class X>
auto chain(const E& e, const X& x) {
    if constexpr (Steps == 0)
        return e;
    else
        return chain<Steps - 1>(sin(e) + x, x);
}

// A callable that is not a generic lambda and branches on its arguments: it is simply called.
struct branching {
    double operator()(double a, double b) const { return a > 0 ? a * b : a + b; }
};
struct on_array {
    double operator()(const std::array<double, 2>& p) const { return p[0] > p[1] ? p[0] : p[1]; }
};
} // namespace

BOOST_AUTO_TEST_SUITE(value)

BOOST_AUTO_TEST_CASE(flat_and_positional_binding) {
    auto [x, z] = tl::variables<"x", "z">();
    const auto f = x * z + x - z / 4_c;
    BOOST_TEST(tl::value(f, std::array{2.0, 3.0}) == 7.25);
    BOOST_TEST(tl::value(f, 2.0, 3.0) == 7.25);
    // A longer flat array is a compile error (test/compile_fail/extra_inputs.fail.cpp).
    // A variable that is not read still takes its slot.
    auto y = tl::variable<2, tl::scalar, "y">;
    BOOST_TEST(tl::value(y * 2_c, std::array{0.0, 0.0, 5.0}) == 10.0);
    BOOST_TEST(tl::value(x + y, 1.0, 1e9, 2.0) == 3.0);
    // Integers count as double.
    static_assert(std::is_same_v<decltype(tl::value(f, 2, 3)), double>);
    BOOST_TEST(tl::value(f, 2, 3) == 7.25);
    BOOST_TEST(tl::value(f, std::array{2, 3}) == 7.25);
}

BOOST_AUTO_TEST_CASE(array_shaped_variables_bind_positionally) {
    auto w = tl::variable<0, tl::vector<3>, "w">;
    auto s = tl::variable<1, tl::scalar, "s">;
    auto M = tl::variable<2, tl::matrix<2, 3>, "M">;
    const auto f = matvec(M, w * s + 1_c);
    const std::array<double, 2> r =
        tl::value(f, std::array{1.0, 2.0, 3.0}, 2.0, tl::mat<double, 2, 3>{{1, 0, 0, 0, 1, 1}});
    BOOST_TEST(r == (std::array{3.0, 12.0}));
    // A matrix variable also takes a flat std::array of R * C elements.
    const std::array<double, 2> q =
        tl::value(f, std::array{1.0, 2.0, 3.0}, 2.0, std::array{1.0, 0.0, 0.0, 0.0, 1.0, 1.0});
    BOOST_TEST(q == r);
    // Result types follow the root's shape.
    static_assert(std::is_same_v<decltype(tl::value(w * s, std::array{1.0, 2.0, 3.0}, 2.0)),
                                 std::array<double, 3>>);
    static_assert(std::is_same_v<decltype(tl::value(M * s, std::array{1.0, 2.0, 3.0}, 2.0,
                                                    tl::mat<float, 2, 3>{})),
                                 tl::mat<double, 2, 3>>);
    static_assert(std::is_same_v<decltype(tl::value(sum(w), std::array{1.0f, 2.0f, 3.0f})), float>);
    // A single vector variable: one std::array binds to it (not flat).
    BOOST_TEST(tl::value(sum(w), std::array{1.0, 2.0, 3.0}) == 6.0);
}

BOOST_AUTO_TEST_CASE(the_scalar_type_is_the_arguments) {
    auto [x, z] = tl::variables<"x", "z">();
    const auto f = x / z;
    static_assert(std::is_same_v<decltype(tl::value(f, std::array{1.0f, 3.0f})), float>);
    static_assert(std::is_same_v<decltype(tl::value(f, std::array{1.0L, 3.0L})), long double>);
    static_assert(std::is_same_v<decltype(tl::value(f, 1.0f, 3.0)), double>); // common type
    static_assert(std::is_same_v<decltype(tl::value(f, 1.0f, 3)), float>);
    BOOST_TEST(tl::value(f, std::array{1.0f, 3.0f}) == 1.0f / 3.0f);
    BOOST_TEST(tl::value(f, std::array{1.0L, 3.0L}) == 1.0L / 3.0L);
    BOOST_TEST(tl::value(f, 1.0f, 3.0) == 1.0 / 3.0);
    // long double keeps its range: e^11000 overflows double but not long double.
    BOOST_TEST(std::isfinite(tl::value(exp(x) * z, 11000.0L, 1.0L)));
}

BOOST_AUTO_TEST_CASE(traced_generic_callables) {
    const auto lecture = [](auto a, auto b) {
        return exp(a * b) + a * b / log(a) + sin(log(a)) / (a * b);
    };
    const double px = tt::opaque(2.0), pz = tt::opaque(3.0);
    const double want =
        std::exp(px * pz) + px * pz / std::log(px) + std::sin(std::log(px)) / (px * pz);
    BOOST_TEST(tl::value(lecture, std::array{px, pz}) == want); // flat
    BOOST_TEST(tl::value(lecture, px, pz) == want);             // positional
    BOOST_TEST(lecture(px, pz) == want);                        // and the same callable on numbers
    // Positional with a vector argument.
    const auto scaled = [](auto v, auto k) { return sum(square(v)) * k; };
    BOOST_TEST(tl::value(scaled, std::array{1.0, 2.0, 3.0}, 2.0) == 28.0);
    // One array argument to a one-parameter callable binds the whole array to a vector variable.
    const auto norm2 = [](auto v) { return dot(v, v); };
    BOOST_TEST(tl::value(norm2, std::array{3.0, 4.0}) == 25.0);
    const std::array<float, 3> doubled =
        tl::value([](auto v) { return v * 2_c; }, std::array{1.0f, 2.0f, 3.0f});
    BOOST_TEST(doubled == (std::array{2.0f, 4.0f, 6.0f}));
}

BOOST_AUTO_TEST_CASE(callables_that_cannot_be_traced_are_called) {
    // A branch on the arguments cannot be traced into an expression; such a callable is called
    // with the inputs. (An unconstrained generic lambda with `if (a > 0)` in its body does not get
    // here: tl::value instantiates its body with expression handles to find out whether it can be
    // traced, and `handle > 0` is a hard compile error, not a substitution failure.)
    BOOST_TEST(tl::value(branching{}, 2.0, 3.0) == 6.0);
    BOOST_TEST(tl::value(branching{}, -2.0, 3.0) == 1.0);
    BOOST_TEST(tl::value(on_array{}, std::array{1.0, 5.0}) == 5.0);
    BOOST_TEST(tl::value([](double a, double b) { return a > b ? a : b; }, 2.0, 3.0) == 3.0);
    // A constrained generic lambda is not traced (its constraint rejects handles): it is called.
    const auto constrained = [](std::floating_point auto a, std::floating_point auto b) {
        if (a > 0) return a * b;
        return a + b;
    };
    BOOST_TEST(tl::value(constrained, 2.0, 3.0) == 6.0);
    BOOST_TEST(tl::value(constrained, -2.0f, 3.0f) == 1.0f);
}

BOOST_AUTO_TEST_CASE(expressions_without_variables) {
    BOOST_TEST(tl::value(2_c * 3_c + 0.5_c) == 6.5);
    BOOST_TEST(tl::value(tl::constant(2.5) * 2_c) == 5.0);
    BOOST_TEST(tl::value(sin(tl::constant(tt::opaque(1.0)))) == std::sin(tt::opaque(1.0)));
    BOOST_TEST(tl::value(sum(tl::constant(std::array{1.0, 2.0, 3.0}))) == 6.0);
    static_assert(std::is_same_v<decltype(tl::value(2_c * 3_c)), double>);
    // Inputs given anyway set the scalar type and are otherwise ignored.
    static_assert(std::is_same_v<decltype(tl::value(2_c * 3_c, std::array{1.0f})), float>);
    BOOST_TEST(tl::value(1_c / 3_c, std::array{1.0f}) == 1.0f / 3.0f);
}

BOOST_AUTO_TEST_CASE(shared_subexpressions_give_the_direct_formula) {
    auto [x, z] = tl::variables<"x", "z">();
    const auto f = exp(x * z) + x * z / log(x) + sin(log(x)) / (x * z);
    // x * z and log(x) are one node each: 10 unique nodes (x, z, x*z, exp, log, /, +, sin, /, +).
    BOOST_TEST(tl::graph::dag_of<tl::node_of<decltype(f)>>.size == 10u);
    tt::rng g(51);
    for (int trial = 0; trial < 20; ++trial) {
        const double px = g.uniform(1.5, 4.0), pz = g.uniform(-2.0, 2.0);
        const double want =
            std::exp(px * pz) + px * pz / std::log(px) + std::sin(std::log(px)) / (px * pz);
        BOOST_TEST(tl::value(f, std::array{px, pz}) == want);
    }
    // The shared intermediates (README, Sources): a = x², b = e^a, c = a + b, f = √c + cos c.
    const auto a = square(x);
    const auto c = a + exp(a);
    const auto h = sqrt(c) + cos(c);
    const double p = tt::opaque(1.0), cp = p * p + std::exp(p * p);
    BOOST_TEST(tl::value(h, std::array{p}) == std::sqrt(cp) + std::cos(cp));
    BOOST_TEST(tl::graph::dag_of<tl::node_of<decltype(h)>>.size == 7u);
}

BOOST_AUTO_TEST_CASE(a_deep_chain_of_300_operations) {
    auto [x] = tl::variables<"x">();
    const auto f = chain<150>(x, x); // 150 sin and 150 +
    BOOST_TEST(tl::graph::dag_of<tl::node_of<decltype(f)>>.size == 301u);
    const double p = tt::opaque(0.7);
    double want = p;
    for (int i = 0; i < 150; ++i) want = std::sin(want) + p;
    BOOST_TEST(tl::value(f, p) == want);
    BOOST_TEST(tl::value(f, std::array{p}) == want);
}

BOOST_AUTO_TEST_CASE(storage_beyond_the_stack_limit) {
    // 3 * 6000 + 2 doubles (144 kB) exceed the 128 kB of node values kept on the stack: the heap
    // path.
    constexpr std::size_t n = 6000;
    auto w = tl::variable<0, tl::vector<n>, "w">;
    const auto f = w * 2.0 + 1.0;
    static_assert(tl::graph::dag_of<tl::node_of<decltype(f)>>.storage * sizeof(double) >
                  tl::detail::stack_storage_limit);
    static std::array<double, n> in{};
    for (std::size_t i = 0; i < n; ++i) in[i] = static_cast<double>(i);
    static std::array<double, n> out{};
    out = tl::value(f, in);
    bool ok = true;
    for (std::size_t i = 0; i < n; ++i) ok = ok && out[i] == 2.0 * static_cast<double>(i) + 1.0;
    BOOST_TEST(ok);
    BOOST_TEST(tl::value(sum(f), in) == static_cast<double>(n * n));
}

BOOST_AUTO_TEST_CASE(value_is_constexpr) {
    auto x = tl::variable<0, tl::scalar, "x">;
    static_assert(tl::value(x * x + 1_c, 3.0) == 10.0);
    static_assert(tl::value(2.0 * x, std::array{4.0}) == 8.0);
    BOOST_TEST(true);
}

BOOST_AUTO_TEST_SUITE_END()
