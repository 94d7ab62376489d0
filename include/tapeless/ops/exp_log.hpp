// tapeless/ops/exp_log.hpp — exp, log, log1p, expm1.
#ifndef TAPELESS_OPS_EXP_LOG_HPP
#define TAPELESS_OPS_EXP_LOG_HPP

#include "arithmetic.hpp"

namespace tapeless {
namespace op {

// exp x. Domain: all reals (overflows to +inf above ~709.78). d/dx exp x = exp x = y.
struct exp : unary_elementwise {
    static constexpr bool singular = false; // (see core/node.hpp's singular_of)
    static constexpr std::string_view name = "exp", domain = "all real x";
    static constexpr latex_notation latex{"e^{#0}", latex_precedence::power};
    template <class T>
    static constexpr T value(const T& x) {
        using std::exp;
        return exp(x);
    }
    template <class X, class Y>
    static constexpr auto derivative(const X&, const Y& y) {
        return y;
    }
    // Taylor: y' = y x', so y_k = (1/k) Σ_{j=1..k} j x_j y_{k−j}.
    template <std::size_t K, class T>
    static constexpr void taylor(const T* x, T* y) {
        y[0] = value(x[0]);
        TAPELESS_UNROLL
        for (std::size_t k = 1; k <= K; ++k) y[k] = series::chain(x, y, k);
    }
};

// log x (natural). Domain: x > 0; log 0 = −inf with derivative +inf, NaN for x < 0.
// d/dx log x = 1/x.
struct log : unary_elementwise {
    static constexpr std::string_view name = "log", domain = "x > 0";
    static constexpr latex_notation latex{"\\ln@0", latex_precedence::unary};
    template <class T>
    static constexpr T value(const T& x) {
        using std::log;
        return log(x);
    }
    template <class X, class Y>
    static constexpr auto derivative(const X& x, const Y&) {
        return num<1>(x) / x;
    }
    // Taylor: x y' = x', so y_k = (k x_k − Σ_{j=1..k−1} j y_j x_{k−j}) / (k x_0).
    template <std::size_t K, class T>
    static constexpr void taylor(const T* x, T* y) {
        y[0] = value(x[0]);
        const T inv = static_cast<T>(1) / x[0];
        TAPELESS_UNROLL
        for (std::size_t k = 1; k <= K; ++k)
            y[k] = series::solve(x, x, y, k, static_cast<T>(1), inv);
    }
};

// log(1 + x), accurate near 0. Domain: x > −1. d/dx = 1/(1 + x).
struct log1p : unary_elementwise {
    static constexpr std::string_view name = "log1p", domain = "x > -1";
    static constexpr latex_notation latex{"\\ln\\left(1 + #0\\right)", latex_precedence::unary};
    template <class T>
    static constexpr T value(const T& x) {
        using std::log1p;
        return log1p(x);
    }
    template <class X, class Y>
    static constexpr auto derivative(const X& x, const Y&) {
        return num<1>(x) / (num<1>(x) + x);
    }
    // Taylor: (1 + x) y' = x': the log rule with u = 1 + x (u_0 = 1 + x_0, u_k = x_k).
    template <std::size_t K, class T>
    static constexpr void taylor(const T* x, T* y) {
        std::array<T, K + 1> u{};
        TAPELESS_UNROLL
        for (std::size_t k = 0; k <= K; ++k) u[k] = x[k];
        u[0] = static_cast<T>(1) + x[0];
        y[0] = value(x[0]);
        const T inv = static_cast<T>(1) / u[0];
        TAPELESS_UNROLL
        for (std::size_t k = 1; k <= K; ++k)
            y[k] = series::solve(x, u.data(), y, k, static_cast<T>(1), inv);
    }
};

// exp x − 1, accurate near 0. Domain: all reals. d/dx = exp x = y + 1.
struct expm1 : unary_elementwise {
    static constexpr bool singular = false; // (see core/node.hpp's singular_of)
    static constexpr std::string_view name = "expm1", domain = "all real x";
    static constexpr latex_notation latex{"e^{#0} - 1", latex_precedence::additive};
    template <class T>
    static constexpr T value(const T& x) {
        using std::expm1;
        return expm1(x);
    }
    template <class X, class Y>
    static constexpr auto derivative(const X&, const Y& y) {
        return y + num<1>(y);
    }
    // Taylor: y' = (y + 1) x': the exp rule with g = y + 1.
    template <std::size_t K, class T>
    static constexpr void taylor(const T* x, T* y) {
        std::array<T, K + 1> g{};
        y[0] = value(x[0]);
        g[0] = y[0] + static_cast<T>(1);
        TAPELESS_UNROLL
        for (std::size_t k = 1; k <= K; ++k) g[k] = y[k] = series::chain(x, g.data(), k);
    }
};

} // namespace op

template <class X>
constexpr auto exp(const X& x) {
    return call_op<op::exp>(x);
}
template <class X>
constexpr auto log(const X& x) {
    return call_op<op::log>(x);
}
template <class X>
constexpr auto log1p(const X& x) {
    return call_op<op::log1p>(x);
}
template <class X>
constexpr auto expm1(const X& x) {
    return call_op<op::expm1>(x);
}

} // namespace tapeless

#endif
