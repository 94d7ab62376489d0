// Second derivatives: how many times the rules run, and the laws and values at domain edges (see
// hessian.cpp for the rest).

#include <tapeless/modes/hessian.hpp>
#include <tapeless/tapeless.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <tuple>
#include <type_traits>

#include <boost/test/unit_test.hpp>

#include "support/expect_second_order.hpp"
#include "support/mock_ops.hpp"

namespace tl = tapeless;
namespace tt = tapeless_test;
using namespace tl::literals;
namespace bt = boost::test_tools;

BOOST_AUTO_TEST_SUITE(hessian_edges)

// One Hessian-vector product evaluates each shared node's value rule once, and its derivative rule
// twice (once in the value sweep on duals, once in the reverse sweep): a constant times the work
// of one gradient (value once, derivative once). The dense Hessian costs the same rule calls; by
// columns, n times that.
BOOST_AUTO_TEST_CASE(rule_calls) {
    auto [x, z] = tl::variables<"x", "z">();
    auto c = tt::make_counted(x * z);
    auto f = c * c + sin(c) / c + exp(c);
    const std::array p{0.5, 2.0};
    tt::counted::reset();
    (void)tl::gradient(f, p);
    BOOST_TEST(tt::counted::values == 1);
    BOOST_TEST(tt::counted::derivatives == 1);
    tt::counted::reset();
    (void)tl::hvp(f, p, std::array{1.0, 1.0});
    BOOST_TEST(tt::counted::values == 1);
    BOOST_TEST(tt::counted::derivatives == 2);
    tt::counted::reset();
    (void)tl::hessian(f, p, tl::dense_mode);
    BOOST_TEST(tt::counted::values == 1);
    BOOST_TEST(tt::counted::derivatives == 2);
    tt::counted::reset();
    (void)tl::hessian(f, p, tl::hvp_mode);
    BOOST_TEST(tt::counted::values == 2);
    BOOST_TEST(tt::counted::derivatives == 4);
    // and the numbers: f = g(c), c = xz, g(c) = c² + sin(c)/c + e^c; H = g''(c) ∇c ∇cᵀ + g'(c) ∇²c
    const double cv = 1.0;
    const double d1 = 2 * cv + (std::cos(cv) * cv - std::sin(cv)) / (cv * cv) + std::exp(cv);
    const double d2 =
        2 + (-std::sin(cv) * cv * cv - 2 * (std::cos(cv) * cv - std::sin(cv))) / (cv * cv * cv) +
        std::exp(cv);
    const auto H = tl::hessian(f, p);
    BOOST_TEST(H[0][0] == d2 * 2.0 * 2.0, bt::tolerance(1e-13));
    BOOST_TEST(H[0][1] == d2 * 2.0 * 0.5 + d1, bt::tolerance(1e-13));
    BOOST_TEST(H[1][1] == d2 * 0.5 * 0.5, bt::tolerance(1e-13));
}

// At domain edges the modes agree with each other (NaN with NaN, infinities exactly), and the
// second derivatives are those of the documented rules.
BOOST_AUTO_TEST_CASE(domain_edges) {
    auto [x] = tl::variables<"x">();
    const double inf = std::numeric_limits<double>::infinity();
    const double tiny = std::numeric_limits<double>::denorm_min();
    auto second = [](const auto& f, double at) { return tl::hessian(f, std::array{at})[0][0]; };

    // saturation: σ'' = σ'(1 − 2σ), tanh'' = −2 tanh (1 − tanh²), softplus'' = σ'
    BOOST_TEST(second(sigmoid(x), 700.0) == 0.0);
    BOOST_TEST(second(sigmoid(x), -700.0) > 0.0); // ≈ e^{-700}, not 0 and not NaN
    BOOST_TEST(second(sigmoid(x), -700.0) == std::exp(-700.0), bt::tolerance(1e-12));
    BOOST_TEST(second(tanh(x), 700.0) == 0.0);
    BOOST_TEST(second(softplus(x), 700.0) == 0.0);
    BOOST_TEST(second(softplus(x), -700.0) == std::exp(-700.0), bt::tolerance(1e-12));
    // kinks: relu, abs, min, max and sign have second derivative 0 everywhere, 0 included
    BOOST_TEST(second(relu(x), 0.0) == 0.0);
    BOOST_TEST(second(abs(x), 0.0) == 0.0);
    BOOST_TEST(second(abs(x), -0.0) == 0.0);
    BOOST_TEST(second(max(x, x), 1.5) == 0.0);
    BOOST_TEST(second(min(x, 2.0 * x), 0.0) == 0.0);
    BOOST_TEST(second(sign(x), 0.0) == 0.0);
    // Where a first derivative is itself infinite (the poles of log, √, asin, acos at the domain's
    // edge; exp beyond overflow) the second derivative is ±inf: the root's adjoint 1 is passive
    // (no tangent), so forward-over-reverse never forms 0 · inf there (it gave NaN before).
    BOOST_TEST(second(log(x), 0.0) == -inf);
    BOOST_TEST(second(sqrt(x), 0.0) == -inf);
    BOOST_TEST(second(asin(x), 1.0) == inf);
    BOOST_TEST(second(acos(x), 1.0) == -inf);
    BOOST_TEST(second(exp(x), 710.0) == inf);
    for (auto mode : {0, 1, 2}) {
        auto h = [&](const auto& f, double at) {
            return mode == 0   ? tl::hessian(f, std::array{at}, tl::dense_mode)[0][0]
                   : mode == 1 ? tl::hessian(f, std::array{at}, tl::hvp_mode)[0][0]
                               : tl::hvp(f, std::array{at}, std::array{1.0})[0];
        };
        BOOST_TEST(h(log(x), 0.0) == -inf);
        BOOST_TEST(h(sqrt(x), 0.0) == -inf);
        BOOST_TEST(h(exp(x), 710.0) == inf);
    }
    BOOST_TEST(tl::value_gradient_and_hessian(log(x), std::array{0.0}).gradient[0] == inf);
    BOOST_TEST(tl::value_gradient_and_hessian(exp(x), std::array{710.0}).gradient[0] == inf);
    // just inside the edge the second derivatives are the rules' own: −1/x², −x^{−3/2}/4
    BOOST_TEST(second(log(x), 1e-150) == -1e300, bt::tolerance(1e-14));
    BOOST_TEST(second(sqrt(x), 1e-100) == -0.25e150, bt::tolerance(1e-14));
    BOOST_TEST(second(exp(x), 709.0) == std::exp(709.0), bt::tolerance(1e-14));
    BOOST_TEST(second(exp(x), -746.0) == 0.0);
    // denormals are not flushed
    BOOST_TEST(second(x * x * x, tiny) == 6 * tiny);

    // the laws between modes hold at every edge point
    tt::expect_second_order_at_edges(sigmoid(x) + tanh(x) + softplus(x),
                                     {std::array{700.0}, std::array{-700.0}, std::array{0.0}});
    tt::expect_second_order_at_edges(relu(x) + abs(x) + sign(x) + max(x, x) + min(x, 0.0),
                                     {std::array{0.0}, std::array{-0.0}});
    tt::expect_second_order_at_edges(log(x), {std::array{0.0}, std::array{tiny}, std::array{inf}});
    tt::expect_second_order_at_edges(sqrt(x) + cbrt(x), {std::array{0.0}, std::array{tiny}});
    tt::expect_second_order_at_edges(asin(x), {std::array{1.0}, std::array{-1.0}});
    tt::expect_second_order_at_edges(acos(x), {std::array{1.0}, std::array{-1.0}});
    tt::expect_second_order_at_edges(exp(x) + expm1(x), {std::array{710.0}, std::array{-746.0}});
    tt::expect_second_order_at_edges(atan(x) + log1p(x), {std::array{1e200}, std::array{-1.0}});
    tt::expect_second_order_at_edges(sinh(x) + cosh(x), {std::array{711.0}, std::array{-711.0}});
    tt::expect_second_order_at_edges(tl::pow<-2>(x) + square(x),
                                     {std::array{0.0}, std::array{1e-200}});
    auto [a, b] = tl::variables<"a", "b">();
    tt::expect_second_order_at_edges(atan2(a, b) + hypot(a, b),
                                     {std::array{0.0, 0.0}, std::array{1e-200, 1e200}});
    tt::expect_second_order_at_edges(pow(a, b), {std::array{0.0, 2.0}, std::array{0.0, 0.5}});
    tt::expect_second_order_at_edges(a / b, {std::array{1.0, 0.0}, std::array{0.0, 0.0}});

    auto z = tl::variable<0, tl::vector<3>, "z">;
    // softmax and log_sum_exp at ±700 (no overflow), the cross-entropies at saturated logits
    tt::expect_second_order_at_edges(
        log_sum_exp(z) + dot(softmax(z), std::array{1.0, 2.0, 3.0}),
        {std::array{700.0, 0.0, -700.0}, std::array{-700.0, -700.0, -700.0}});
    tt::expect_second_order_at_edges(
        binary_cross_entropy_with_logits(z, std::array{0.0, 1.0, 0.5}) +
            softmax_cross_entropy(z, std::array{0.0, 1.0, 0.0}),
        {std::array{700.0, -700.0, 0.0}, std::array{-700.0, 700.0, 700.0}});
}
BOOST_AUTO_TEST_SUITE_END()
