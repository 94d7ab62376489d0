// tapeless/ops/activation.hpp — sigmoid and softplus, in forms that do not overflow.
#ifndef TAPELESS_OPS_ACTIVATION_HPP
#define TAPELESS_OPS_ACTIVATION_HPP

#include "exp_log.hpp"

namespace tapeless {
namespace op {

// σ(x) = 1/(1 + e^−x). Domain: all reals. Evaluated as 1/(1 + e^−x) for x ≥ 0 and e^x/(1 + e^x)
// for x < 0, so e^|x| never overflows (σ(±700) = 1 and ≈ 1e−304, σ(±inf) = 1 and 0).
// d/dx σ(x) = σ(x)(1 − σ(x)) = y(1 − y).
struct sigmoid : unary_elementwise {
    static constexpr bool singular = false; // (see core/node.hpp's singular_of)
    static constexpr std::string_view name = "sigmoid", domain = "all real x";
    static constexpr latex_notation latex{"\\sigma\\left(#0\\right)"};
    template <class T>
    static constexpr T value(const T& x) {
        using std::exp;
        if (x >= static_cast<T>(0)) return static_cast<T>(1) / (static_cast<T>(1) + exp(-x));
        const T e = exp(x);
        return e / (static_cast<T>(1) + e);
    }
    template <class X, class Y>
    static constexpr auto derivative(const X&, const Y& y) {
        return y * (num<1>(y) - y);
    }
    // Taylor: y' = w x' with w = y − y², so y_k = (1/k) Σ j x_j w_{k−j}.
    template <std::size_t K, class T>
    static constexpr void taylor(const T* x, T* y) {
        std::array<T, K + 1> w{};
        y[0] = value(x[0]);
        w[0] = y[0] * (static_cast<T>(1) - y[0]);
        TAPELESS_UNROLL for (std::size_t k = 1; k <= K; ++k) {
            y[k] = series::chain(x, w.data(), k);
            w[k] = y[k] - series::square(y, k);
        }
    }
};

// softplus x = log(1 + e^x). Domain: all reals. Evaluated as max(x, 0) + log1p(e^−|x|): no
// overflow (softplus(700) = 700, softplus(−700) ≈ 1e−304). d/dx softplus x = σ(x).
struct softplus : unary_elementwise {
    static constexpr bool singular = false; // (see core/node.hpp's singular_of)
    // its derivative rule calls one (cost model)
    static constexpr bool transcendental_derivative = true;
    static constexpr std::string_view name = "softplus", domain = "all real x";
    template <class T>
    static constexpr T value(const T& x) {
        using std::abs;
        using std::exp;
        using std::log1p;
        const T m = x > static_cast<T>(0) ? x : static_cast<T>(0);
        return m + log1p(exp(-abs(x)));
    }
    template <class X, class Y>
    static constexpr auto derivative(const X& x, const Y&) {
        return call_op<sigmoid>(x);
    }
    // Taylor: y' = σ(x) x', with σ's series (to order K − 1) by the sigmoid rule.
    template <std::size_t K, class T>
    static constexpr void taylor(const T* x, T* y) {
        y[0] = value(x[0]);
        if constexpr (K > 0) {
            std::array<T, K> s{};
            sigmoid::taylor<K - 1>(x, s.data());
            TAPELESS_UNROLL
            for (std::size_t k = 1; k <= K; ++k) y[k] = series::chain(x, s.data(), k);
        }
    }
};

} // namespace op

template <class X>
constexpr auto sigmoid(const X& x) {
    return call_op<op::sigmoid>(x);
}
template <class X>
constexpr auto softplus(const X& x) {
    return call_op<op::softplus>(x);
}

} // namespace tapeless

#endif
