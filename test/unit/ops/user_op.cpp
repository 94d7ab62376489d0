// An operation defined outside the library (docs/adding-an-op.md): softsign x = x / (1 + |x|) in
// the test's own namespace, with its derivative and Taylor rules, through every mode — value
// (scalar, vector, plain numbers), reverse and forward mode against finite differences, second
// order (dense, by columns, sparse, hvp against forward-over-forward), Taylor coefficients, and
// the symbolic derivative — with the helpers a library operation is tested with.
#include <tapeless/tapeless.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <string_view>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "support/elementwise.hpp"
#include "support/expect_derivatives.hpp"
#include "support/expect_second_order.hpp"
#include "support/expect_taylor.hpp"
#include "support/numdiff.hpp"
#include "support/values.hpp"

namespace tl = tapeless;
namespace tt = tapeless_test;

namespace user {

// softsign x = x / (1 + |x|). Domain: all finite x (NaN at ±inf: inf/inf).
// d/dx softsign x = 1/(1 + |x|)² (continuous; the second derivative jumps at 0).
struct softsign_op : tl::unary_elementwise {
    static constexpr std::string_view name = "softsign", domain = "all finite x";
    static constexpr bool cheap = true;
    template <class T>
    static constexpr T value(const T& x) {
        using std::abs;
        return x / (static_cast<T>(1) + abs(x));
    }
    template <class X, class Y>
    static constexpr auto derivative(const X& x, const Y&) {
        return tl::pow<-2>(tl::num<1>(x) + tl::abs(x));
    }
    // Taylor: on the branch taken at x_0 (s = sign x_0), y = x / u with u = 1 + s x.
    template <std::size_t K, class T>
    static constexpr void taylor(const T* x, T* y) {
        const T s = tl::op::sign::value(x[0]);
        std::array<T, K + 1> u{};
        u[0] = static_cast<T>(1) + s * x[0];
        for (std::size_t k = 1; k <= K; ++k) u[k] = s * x[k];
        const T inv = static_cast<T>(1) / u[0];
        y[0] = x[0] * inv;
        for (std::size_t k = 1; k <= K; ++k) y[k] = tl::series::quotient(x, u.data(), y, k, inv);
    }
};

template <class X>
constexpr auto softsign(const X& x) {
    return tl::call_op<softsign_op>(x);
}

} // namespace user

BOOST_AUTO_TEST_SUITE(user_op)

BOOST_AUTO_TEST_CASE(value_matches_the_formula) {
    // Bit for bit: the same operations in the same order, edge points included (NaN at ±inf).
    tt::check_unary<double>(
        "softsign", [](const auto& v) { return user::softsign(v); },
        [](double t) { return t / (1.0 + std::fabs(t)); }, {-3.0, -0.25, 0.5, 10.0}, tt::exact);
}

BOOST_AUTO_TEST_CASE(derivative_rule) {
    tt::check_derivative<user::softsign_op>("softsign", {-3.0L, -0.25L, 0.5L, 10.0L});
}

BOOST_AUTO_TEST_CASE(first_derivatives_in_every_mode) {
    auto [x, z] = tl::variables<"x", "z">();
    tt::expect_derivatives(user::softsign(x * z) + sin(x),
                           {std::array{0.5, -1.5}, std::array{-2.0, 0.25}});
    auto w = tl::variable<0, tl::vector<4>, "w">;
    tt::expect_derivatives(sum(user::softsign(w) * w), {std::array{0.5, -1.5, 2.0, -0.1}});
}

BOOST_AUTO_TEST_CASE(second_derivatives_in_every_mode) {
    auto [x, z] = tl::variables<"x", "z">();
    tt::expect_second_order(user::softsign(x * z) + sin(x),
                            {std::array{0.5, -1.5}, std::array{-2.0, 0.25}});
    auto w = tl::variable<0, tl::vector<4>, "w">;
    const auto f = sum(user::softsign(w));
    tt::expect_second_order(f, {std::array{0.5, -1.5, 2.0, -0.1}});
    // Elementwise and not linear: a diagonal pattern, one colour.
    BOOST_TEST(tl::hessian_pattern(f, std::array{0.5, -1.5, 2.0, -0.1}).colors == 1u);
    // At the kink, the modes agree with each other (the second derivative is 0 there, as |x|'s).
    tt::expect_second_order_at_edges(user::softsign(x * z) + sin(x), {std::array{0.0, 1.0}});
}

BOOST_AUTO_TEST_CASE(taylor_coefficients) {
    auto [x, z] = tl::variables<"x", "z">();
    tt::expect_taylor(user::softsign(x * z) + sin(x),
                      {std::array{0.5, -1.5}, std::array{-2.0, 0.25}});
    tt::expect_taylor_without_differences(user::softsign(x * z), {std::array{0.0, 1.0}});
}

BOOST_AUTO_TEST_CASE(taylor_rule_agrees_with_the_one_from_the_derivative_rule) {
    // The op's own Taylor rule against the one numbers/taylor.hpp derives from its derivative rule
    // (what an op without a `taylor` member gets), on both sides of the kink.
    for (const double x0 : {0.4, -1.1}) {
        const std::array x{x0, 1.1, -0.3, 0.7, 0.2, -0.9};
        std::array<double, 6> own{}, derived{};
        user::softsign_op::taylor<5>(x.data(), own.data());
        tl::detail::taylor_from_derivative<user::softsign_op, 5>(x.data(), derived.data());
        for (std::size_t k = 0; k < 6; ++k)
            BOOST_TEST(tt::close(own[k], derived[k], 1e-12, 1e-15), "x0 " << x0 << ", c" << k);
    }
}

BOOST_AUTO_TEST_CASE(symbolic_derivative) {
    auto [x, z] = tl::variables<"x", "z">();
    const auto f = user::softsign(x * z) + sin(x);
    const std::array p{0.5, -1.5};
    const auto g = tl::gradient(f, p);
    BOOST_TEST(tt::close(tl::value(tl::derivative(f, x), p), g[0], 1e-14));
    BOOST_TEST(tt::close(tl::value(tl::derivative(f, z), p), g[1], 1e-14));
    const auto H = tl::hessian(f, p);
    BOOST_TEST(tt::close(tl::value(tl::derivative<2>(f, x), p), H[0][0], 1e-13));
    BOOST_TEST(tt::close(tl::value(tl::derivative(f, x, z), p), H[0][1], 1e-13));
    BOOST_TEST(tl::to_string(tl::derivative(f, x)) == "cos(x) + z * (1 + abs(x * z))^(-2)");
}

BOOST_AUTO_TEST_CASE(cost_and_printing) {
    auto w = tl::variable<0, tl::vector<4>, "w">;
    const auto f = sum(user::softsign(w));
    constexpr auto c = tl::cost<decltype(f)>();
    BOOST_TEST(c.ops.arithmetic == 4u); // cheap: counted as arithmetic
    BOOST_TEST(c.ops.transcendental == 0u);
    BOOST_TEST(c.ops.reductions == 4u);
    BOOST_TEST(tl::to_string(f) == "sum(softsign(w))");
    BOOST_TEST(tl::to_latex(f).find("\\operatorname{softsign}") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
