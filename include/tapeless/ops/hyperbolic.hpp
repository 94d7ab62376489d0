// tapeless/ops/hyperbolic.hpp — sinh, cosh, tanh.
#ifndef TAPELESS_OPS_HYPERBOLIC_HPP
#define TAPELESS_OPS_HYPERBOLIC_HPP

#include "arithmetic.hpp"

namespace tapeless {
namespace op {

struct cosh;

// sinh x. Domain: all reals (±inf beyond ~710). d/dx sinh x = cosh x.
struct sinh : unary_elementwise {
    static constexpr bool singular = false; // (see core/node.hpp's singular_of)
    // its derivative rule calls one (cost model)
    static constexpr bool transcendental_derivative = true;
    static constexpr std::string_view name = "sinh", domain = "all real x";
    static constexpr latex_notation latex{"\\sinh@0", latex_precedence::unary};
    template <class T>
    static constexpr T value(const T& x) {
        using std::sinh;
        return sinh(x);
    }
    template <class X, class Y>
    static constexpr auto derivative(const X& x, const Y&) {
        return call_op<cosh>(x);
    }
    // Taylor, with cosh: s' = c x', c' = s x'.
    template <std::size_t K, class T>
    static constexpr void sinhcosh(const T* x, T* s, T* c) {
        using std::cosh;
        using std::sinh;
        s[0] = sinh(x[0]);
        c[0] = cosh(x[0]);
        series::derivative_pair<K, 1>(x, s, c);
    }
    template <std::size_t K, class T>
    static constexpr void taylor(const T* x, T* y) {
        std::array<T, K + 1> c{};
        sinhcosh<K>(x, y, c.data());
    }
};

// cosh x. Domain: all reals. d/dx cosh x = sinh x.
struct cosh : unary_elementwise {
    static constexpr bool singular = false; // (see core/node.hpp's singular_of)
    // its derivative rule calls one (cost model)
    static constexpr bool transcendental_derivative = true;
    static constexpr std::string_view name = "cosh", domain = "all real x";
    static constexpr latex_notation latex{"\\cosh@0", latex_precedence::unary};
    template <class T>
    static constexpr T value(const T& x) {
        using std::cosh;
        return cosh(x);
    }
    template <class X, class Y>
    static constexpr auto derivative(const X& x, const Y&) {
        return call_op<sinh>(x);
    }
    // Taylor: together with sinh (sinh::sinhcosh).
    template <std::size_t K, class T>
    static constexpr void taylor(const T* x, T* y) {
        std::array<T, K + 1> s{};
        sinh::sinhcosh<K>(x, s.data(), y);
    }
};

// tanh x. Domain: all reals (saturates to ±1). d/dx tanh x = 1 − tanh² x = 1 − y².
struct tanh : unary_elementwise {
    static constexpr bool singular = false; // (see core/node.hpp's singular_of)
    static constexpr std::string_view name = "tanh", domain = "all real x";
    static constexpr latex_notation latex{"\\tanh@0", latex_precedence::unary};
    template <class T>
    static constexpr T value(const T& x) {
        using std::tanh;
        return tanh(x);
    }
    template <class X, class Y>
    static constexpr auto derivative(const X&, const Y& y) {
        return num<1>(y) - y * y;
    }
    // Taylor: y' = (1 − y²) x', so y_k = (1/k) Σ j x_j w_{k−j} with w = 1 − y².
    template <std::size_t K, class T>
    static constexpr void taylor(const T* x, T* y) {
        std::array<T, K + 1> w{};
        y[0] = value(x[0]);
        w[0] = static_cast<T>(1) - y[0] * y[0];
        TAPELESS_UNROLL for (std::size_t k = 1; k <= K; ++k) {
            y[k] = series::chain(x, w.data(), k);
            w[k] = -series::square(y, k);
        }
    }
};

} // namespace op

template <class X>
constexpr auto sinh(const X& x) {
    return call_op<op::sinh>(x);
}
template <class X>
constexpr auto cosh(const X& x) {
    return call_op<op::cosh>(x);
}
template <class X>
constexpr auto tanh(const X& x) {
    return call_op<op::tanh>(x);
}

} // namespace tapeless

#endif
