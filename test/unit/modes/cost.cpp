// The cost model (modes/cost.hpp): operation counts worked out by hand, the rule calls it predicts
// against the calls a counting mock operation sees in each mode, and tl::jacobian's choice.
#include <tapeless/modes/cost.hpp>
#include <tapeless/tapeless.hpp>

#include <array>
#include <cstddef>
#include <type_traits>

#include <boost/test/unit_test.hpp>

#include "support/mock_ops.hpp"

namespace tl = tapeless;
namespace tt = tapeless_test;
using namespace tl::literals;

namespace {

// What a counter saw, as rule_calls.
template <class Op>
tl::rule_calls seen() {
    return {static_cast<std::size_t>(Op::values), static_cast<std::size_t>(Op::derivatives)};
}

template <class Op>
void expect_calls(const tl::rule_calls& want) {
    const tl::rule_calls got = seen<Op>();
    BOOST_TEST(got.values == want.values);
    BOOST_TEST(got.derivatives == want.derivatives);
    Op::reset();
}

// Runs tl::value, tl::value_and_gradient, tl::gradient in both modes and tl::hvp on f at p and
// checks the rule calls of operation Op against the model's.
template <class Op, class F, std::size_t N>
void expect_mode_calls(const F& f, const std::array<double, N>& p) {
    const tl::cost_estimate c = tl::cost<F>(Op::name);
    std::array<double, N> dir{};
    dir.fill(1.0);
    Op::reset();
    (void)tl::value(f, p);
    expect_calls<Op>(c.value_mode());
    (void)tl::value_and_gradient(f, p);
    expect_calls<Op>(c.reverse_mode(true));
    (void)tl::gradient(f, p);
    expect_calls<Op>(c.reverse_mode(false));
    (void)tl::gradient(f, p, tl::forward_mode);
    expect_calls<Op>(c.forward_mode());
    (void)tl::hvp(f, p, dir);
    expect_calls<Op>(c.hvp_mode());
}

// A constant expression: the model is usable at compile time.
constexpr auto cx = tl::variable<0, tl::scalar, "x">;
constexpr auto cz = tl::variable<1, tl::scalar, "z">;
static_assert(tl::cost(exp(cx * cz) + sin(cx)).work ==
              1 + 2 * tl::cost_estimate::transcendental_weight + 1);
static_assert(tl::cost<decltype(cx * cz)>().ops.arithmetic == 1);

} // namespace

BOOST_AUTO_TEST_SUITE(cost)

// exp(xz) + xz/ln x + sin(ln x)/(xz): x·z and ln x are shared and count once. Eight operations:
// ×, ÷, ÷, +, + (arithmetic) and exp, ln, sin (transcendental); the two adds are linear.
BOOST_AUTO_TEST_CASE(lecture_function_by_hand) {
    auto [x, z] = tl::variables<"x", "z">();
    auto f = exp(x * z) + x * z / log(x) + sin(log(x)) / (x * z);
    constexpr tl::cost_estimate c = tl::cost<decltype(f)>();
    static_assert(c.nodes == 10);
    static_assert(c.operations == 8);
    static_assert(c.ops.arithmetic == 5);
    static_assert(c.ops.transcendental == 3);
    static_assert(c.ops.multiply_adds == 0 && c.ops.reductions == 0 && c.ops.moves == 0 &&
                  c.ops.other == 0);
    static_assert(c.storage == 10);
    static_assert(c.stored_elements == 8); // scalar expressions: the plain sweeps store every node
    static_assert(c.outputs == 1);
    constexpr std::size_t T = tl::cost_estimate::transcendental_weight;
    static_assert(c.work == 5 + 3 * T);
    static_assert(c.linear_work == 2);
    static_assert(c.recomputed_work == 0);
    // derivative rules: the two quotients 1 each, exp (its value) 1, log (1/x) 1, sin (cos) T;
    // × and + are free
    static_assert(c.derivative_work == 4 + T);
    // tangents or adjoints: × 2, exp 1, ÷ 2 + 2, log 1, sin 1, + 2 + 2 (linear: 4)
    static_assert(c.propagation_work == 13 && c.linear_propagation == 4);
    const std::size_t work = 5 + 3 * T, partials = 4 + T;
    BOOST_TEST(tl::cost(f).work == work);
    BOOST_TEST(c.forward(2) == work + partials + 2 * 13u);
    BOOST_TEST(c.reverse() == work + partials + 13u);
    BOOST_TEST(c.reverse(3) == work + partials + 3 * 13u); // partials shared by unrolled rows
    BOOST_TEST(c.reverse(20) == work + 20 * (partials + 13u));
    BOOST_TEST(c.hvp() == 2 * c.reverse());
    BOOST_TEST(c.dense_hessian(2) == 3 * c.reverse());
    BOOST_TEST(c.hessian_by_columns(2) == 2 * c.hvp());
    BOOST_TEST(c.sparse_hessian(1) == c.hvp());
    BOOST_TEST(c.taylor(0) == work);
    BOOST_TEST(c.taylor(2) == work + 3 * 9u + 2 * 4u);
    // rule calls: 8 elementwise nodes, all active
    BOOST_TEST(c.value_mode().values == 8u);
    BOOST_TEST(c.reverse_mode().derivatives == 8u);
    BOOST_TEST(c.hvp_mode().derivatives == 16u);
    // restricted to one operation
    constexpr tl::cost_estimate logs = tl::cost<decltype(f)>("log");
    static_assert(logs.operations == 1 && logs.ops.transcendental == 1 && logs.ops.arithmetic == 0);
    static_assert(logs.work == tl::cost_estimate::transcendental_weight && logs.nodes == 10);
}

// Array operations: multiply-adds for matmul, matvec and dot, adds for sum, moves for slices.
BOOST_AUTO_TEST_CASE(array_operations_by_hand) {
    auto A = tl::variable<0, tl::matrix<2, 3>, "A">;
    auto B = tl::variable<1, tl::matrix<3, 4>, "B">;
    auto v = tl::variable<2, tl::vector<4>, "v">;
    auto f = sum(matvec(matmul(A, B), v)) + dot(tl::slice<0, 2>(v), tl::slice<2, 2>(v));
    constexpr tl::cost_estimate c = tl::cost<decltype(f)>();
    static_assert(c.ops.multiply_adds == 2 * 3 * 4 + 2 * 4 + 2);
    static_assert(c.ops.reductions == 2);
    static_assert(c.ops.moves == 4);
    static_assert(c.ops.arithmetic == 1 && c.ops.transcendental == 0);
    static_assert(c.work == 34 + 2 + 1);
    // every factor active: the product's multiply-adds once per factor (48 + 16 + 4), the sum's 2
    // adds, the + 2; the rules themselves are free (the partials are the operands)
    static_assert(c.propagation_work == 48 + 16 + 4 + 2 + 2 && c.derivative_work == 0);
    static_assert(c.nodes == 3 + 7);
    BOOST_TEST(c.storage == 6u + 12u + 4u + 8u + 2u + 1u + 2u + 2u + 1u + 1u);

    // softmax: one transcendental per operand element
    auto w = tl::variable<0, tl::vector<5>, "w">;
    constexpr tl::cost_estimate s = tl::cost<decltype(log_sum_exp(w * w))>();
    static_assert(s.ops.transcendental == 5 && s.ops.arithmetic == 5);
}

// The running example f(x, z) with x·z counted: one value-rule call per mode, one derivative-rule
// call per reverse sweep or dual sweep, two in a Hessian-vector product.
BOOST_AUTO_TEST_CASE(rule_calls_scalar) {
    auto [x, z] = tl::variables<"x", "z">();
    auto c = tt::make_counted(x * z);
    auto f = exp(c) + c / log(x) + sin(log(x)) / c;
    constexpr tl::cost_estimate k = tl::cost<decltype(f)>("counted");
    static_assert(k.value_mode().values == 1 && k.reverse_mode().values == 1 &&
                  k.reverse_mode().derivatives == 1);
    static_assert(k.forward_mode().derivatives == 1 && k.hvp_mode().values == 1 &&
                  k.hvp_mode().derivatives == 2);
    expect_mode_calls<tt::counted>(f, std::array{0.7, 1.3});
}

// Array expressions, where the fused sweeps inline single-use nodes into their consumers.
BOOST_AUTO_TEST_CASE(rule_calls_fused) {
    constexpr std::size_t n = 4;
    auto v = tl::variable<0, tl::vector<n>, "v">;
    const std::array p{0.3, -0.5, 1.1, 0.9};

    // not cheap: inlined into the sum for the value, stored for the reverse sweep; n calls each
    auto f = sum(tt::make_counted(v * v));
    static_assert(tl::cost<decltype(f)>("counted").reverse_mode().values == n);
    expect_mode_calls<tt::counted>(f, p);

    // cheap: recomputed by the reverse sweep (2n values with the value, n without it)
    auto h = sum(tt::make_counted_cheap(v * v));
    constexpr tl::cost_estimate ch = tl::cost<decltype(h)>("counted_cheap");
    static_assert(ch.reverse_mode(true).values == 2 * n && ch.reverse_mode(false).values == n);
    static_assert(ch.hvp_mode().values == 2 * n && ch.hvp_mode().derivatives == 3 * n);
    static_assert(ch.recomputed_value_calls == n && ch.skipped_root_calls == n);
    expect_mode_calls<tt::counted_cheap>(h, p);

    // a chain of two cheap nodes: the inner one is read again by the outer one's step
    auto k = sum(tt::make_counted_cheap(tt::make_counted_cheap(v * v)));
    constexpr tl::cost_estimate ck = tl::cost<decltype(k)>("counted_cheap");
    static_assert(ck.recomputed_value_calls == (1 + 2) * n);
    static_assert(ck.reverse_mode(true).values == 5 * n &&
                  ck.reverse_mode(true).derivatives == 2 * n);
    expect_mode_calls<tt::counted_cheap>(k, p);

    // shared: stored, once per element in every sweep
    auto s = tt::make_counted_cheap(v * v);
    auto g = sum(s * s + s);
    static_assert(tl::cost<decltype(g)>("counted_cheap").reverse_mode(true).values == n);
    expect_mode_calls<tt::counted_cheap>(g, p);

    // a slice of an inlined node evaluates only the elements it reads (in the value sweep; the
    // reverse sweep stores the whole operand)
    auto q = sum(tl::slice<1, 2>(tt::make_counted(v))) + sum(tt::make_counted(v * v) * v);
    constexpr tl::cost_estimate cq = tl::cost<decltype(q)>("counted");
    static_assert(cq.value_mode().values == 2 + n);
    static_assert(cq.reverse_mode().values == 2 * n);
    expect_mode_calls<tt::counted>(q, p);
}

// tl::jacobian takes the recommended mode: seen in the rule calls of a counted node, one
// reverse sweep per output in reverse mode, one dual sweep in forward mode.
BOOST_AUTO_TEST_CASE(jacobian_follows_the_recommendation) {
    auto expect_jacobian_calls = []<class F, std::size_t N>(
                                     const F& f, const std::array<double, N>& p, bool forward) {
        using Mode = tl::recommended_jacobian_mode_t<F, N>;
        BOOST_TEST((std::is_same_v<Mode, tl::forward_mode_t> == forward));
        static_assert(std::is_same_v<decltype(tl::recommended_mode<N>(f)), Mode>);
        static_assert(std::is_same_v<decltype(tl::recommended_jacobian_mode<F, N>()), Mode>);
        BOOST_TEST((tl::forward_is_cheaper<F, N>() == forward));
        const tl::cost_estimate c = tl::cost<F>("counted");
        const std::size_t m = c.outputs;
        tt::counted::reset();
        const auto J = tl::jacobian(f, p);
        if (forward) {
            expect_calls<tt::counted>(c.forward_mode());
        } else {
            expect_calls<tt::counted>({c.reverse_plan_value_calls + m * c.recomputed_value_calls,
                                       m * c.reverse_derivative_calls});
        }
        const auto Jf = tl::jacobian(f, p, tl::forward_mode);
        for (std::size_t i = 0; i < m; ++i)
            for (std::size_t j = 0; j < N; ++j)
                BOOST_TEST(J[i][j] == Jf[i][j], boost::test_tools::tolerance(1e-14));
        tt::counted::reset();
    };
    // a scalar function of many inputs: reverse
    auto v = tl::variable<0, tl::vector<20>, "v">;
    std::array<double, 20> q{};
    for (std::size_t i = 0; i < q.size(); ++i) q[i] = 0.1 * static_cast<double>(i) - 1.0;
    expect_jacobian_calls(sum(sin(tt::make_counted(v)) * v), q, false);
    // a vector function of one input: forward
    auto [a] = tl::variables<"a">();
    expect_jacobian_calls(tl::outputs(sin(tt::make_counted(a)), exp(a), a * a), std::array{0.4},
                          true);
    // square, 3 × 3: forward
    auto [x, y, z] = tl::variables<"x", "y", "z">();
    auto cx = tt::make_counted(x * y);
    auto F = tl::outputs(cx * z, sin(cx) + y, exp(z) - cx);
    // a tie in the model (the partials once, then 3 tangents or 3 adjoints), which forward wins
    static_assert(tl::cost<decltype(F)>().forward(3) == tl::cost<decltype(F)>().reverse(3));
    expect_jacobian_calls(F, std::array{0.2, -0.4, 0.9}, true);
    // and m outputs of n inputs with n > 2m: reverse
    auto w = tl::variable<0, tl::vector<8>, "w">;
    auto G = tl::outputs(sum(tt::make_counted(w) * w), dot(w, w));
    std::array<double, 8> r{};
    for (std::size_t i = 0; i < r.size(); ++i) r[i] = 0.2 * static_cast<double>(i) - 0.7;
    expect_jacobian_calls(G, r, false);
}

BOOST_AUTO_TEST_SUITE_END()
