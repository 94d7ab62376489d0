// tapeless/ops/arithmetic.hpp — + − × ÷ and unary minus, with the operators that build them.
#ifndef TAPELESS_OPS_ARITHMETIC_HPP
#define TAPELESS_OPS_ARITHMETIC_HPP

#include "common.hpp"

namespace tapeless {
namespace op {

// a + b. Domain: all reals. ∂/∂a = 1, ∂/∂b = 1.
struct add : binary_elementwise {
    // the first column of its rows in docs/edge-cases.md
    static constexpr std::string_view edge_rows = "+";
    static constexpr bool singular = false; // (see core/node.hpp's singular_of)
    static constexpr linearity linear = linearity::linear;
    static constexpr bool cheap = true; // recomputed in fused sweeps rather than stored
    static constexpr std::string_view name = "add", symbol = "+", domain = "all real a, b";
    static constexpr int prec = precedence::additive;
    template <class T>
    static constexpr T value(const T& a, const T& b) {
        return a + b;
    }
    template <class A, class B, class Y>
    static constexpr auto da(const A& a, const B&, const Y&) {
        return num<1>(a);
    }
    template <class A, class B, class Y>
    static constexpr auto db(const A&, const B& b, const Y&) {
        return num<1>(b);
    }
    static constexpr rational fold(rational a, rational b) { return a + b; }
    // Taylor: (a + b)_k = a_k + b_k.
    template <std::size_t K, class T>
    static constexpr void taylor(const T* a, const T* b, T* y) {
        TAPELESS_UNROLL
        for (std::size_t k = 0; k <= K; ++k) y[k] = a[k] + b[k];
    }
};

// a − b. Domain: all reals. ∂/∂a = 1, ∂/∂b = −1.
struct sub : binary_elementwise {
    // the first column of its rows in docs/edge-cases.md
    static constexpr std::string_view edge_rows = "-";
    static constexpr bool singular = false; // (see core/node.hpp's singular_of)
    static constexpr linearity linear = linearity::linear;
    static constexpr bool cheap = true; // recomputed in fused sweeps rather than stored
    static constexpr std::string_view name = "sub", symbol = "-", domain = "all real a, b";
    static constexpr int prec = precedence::additive;
    template <class T>
    static constexpr T value(const T& a, const T& b) {
        return a - b;
    }
    template <class A, class B, class Y>
    static constexpr auto da(const A& a, const B&, const Y&) {
        return num<1>(a);
    }
    template <class A, class B, class Y>
    static constexpr auto db(const A&, const B& b, const Y&) {
        return num<-1>(b);
    }
    static constexpr rational fold(rational a, rational b) { return a - b; }
    // Taylor: (a − b)_k = a_k − b_k.
    template <std::size_t K, class T>
    static constexpr void taylor(const T* a, const T* b, T* y) {
        TAPELESS_UNROLL
        for (std::size_t k = 0; k <= K; ++k) y[k] = a[k] - b[k];
    }
};

// a · b. Domain: all reals. ∂/∂a = b, ∂/∂b = a.
struct mul : binary_elementwise {
    // the first column of its rows in docs/edge-cases.md
    static constexpr std::string_view edge_rows = "*";
    static constexpr bool singular = false; // (see core/node.hpp's singular_of)
    static constexpr linearity linear = linearity::bilinear;
    static constexpr bool cheap = true; // recomputed in fused sweeps rather than stored
    static constexpr std::string_view name = "mul", symbol = "*", domain = "all real a, b";
    static constexpr int prec = precedence::multiplicative;
    template <class T>
    static constexpr T value(const T& a, const T& b) {
        return a * b;
    }
    template <class A, class B, class Y>
    static constexpr auto da(const A&, const B& b, const Y&) {
        return b;
    }
    template <class A, class B, class Y>
    static constexpr auto db(const A& a, const B&, const Y&) {
        return a;
    }
    static constexpr rational fold(rational a, rational b) { return a * b; }
    // Taylor: (a b)_k = Σ_{j=0..k} a_j b_{k−j}.
    template <std::size_t K, class T>
    static constexpr void taylor(const T* a, const T* b, T* y) {
        TAPELESS_UNROLL
        for (std::size_t k = 0; k <= K; ++k) y[k] = series::product(a, b, k);
    }
};

// a / b. Domain: b ≠ 0 (IEEE: ±inf or NaN at b = 0). ∂/∂a = 1/b, ∂/∂b = −a/b² = −y/b.
struct div : binary_elementwise {
    // the first column of its rows in docs/edge-cases.md
    static constexpr std::string_view edge_rows = "/";
    static constexpr linearity linear = linearity::numerator;
    static constexpr bool cheap = true; // recomputed in fused sweeps rather than stored
    static constexpr std::string_view name = "div", symbol = "/", domain = "b != 0";
    static constexpr int prec = precedence::multiplicative;
    template <class T>
    static constexpr T value(const T& a, const T& b) {
        return a / b;
    }
    // ∂y/∂a = 1/b, ∂y/∂b = −y · (1/b): written with the same reciprocal, so that one division
    // serves both partials (on dual numbers, where a division is several, it was the most
    // expensive part of the 2×2 Hessian: docs/benchmarks.md, Second derivatives).
    template <class A, class B, class Y>
    static constexpr auto da(const A&, const B& b, const Y&) {
        return num<1>(b) / b;
    }
    template <class A, class B, class Y>
    static constexpr auto db(const A&, const B& b, const Y& y) {
        return -y * (num<1>(b) / b);
    }
    static constexpr rational fold(rational a, rational b) { return a / b; }
    // Taylor: y_k = (a_k − Σ_{j<k} y_j b_{k−j}) / b_0.
    template <std::size_t K, class T>
    static constexpr void taylor(const T* a, const T* b, T* y) {
        y[0] = a[0] / b[0];
        const T inv = static_cast<T>(1) / b[0];
        TAPELESS_UNROLL
        for (std::size_t k = 1; k <= K; ++k) y[k] = series::quotient(a, b, y, k, inv);
    }
};

// −x. Domain: all reals. d/dx = −1.
struct neg : unary_elementwise {
    // the first column of its rows in docs/edge-cases.md
    static constexpr std::string_view edge_rows = "-x";
    static constexpr bool singular = false; // (see core/node.hpp's singular_of)
    static constexpr linearity linear = linearity::linear;
    static constexpr bool cheap = true; // recomputed in fused sweeps rather than stored
    static constexpr std::string_view name = "neg", symbol = "-", domain = "all real x";
    static constexpr int prec = precedence::unary;
    template <class T>
    static constexpr T value(const T& x) {
        return -x;
    }
    template <class X, class Y>
    static constexpr auto derivative(const X& x, const Y&) {
        return num<-1>(x);
    }
    static constexpr rational fold(rational a) { return -a; }
    // Taylor: y_k = −x_k.
    template <std::size_t K, class T>
    static constexpr void taylor(const T* x, T* y) {
        TAPELESS_UNROLL
        for (std::size_t k = 0; k <= K; ++k) y[k] = -x[k];
    }
};

} // namespace op

// The operators apply when at least one operand is an expression; the other may be an expression,
// a number or an array of numbers (a runtime constant).
template <class A, class B>
    requires(Expression<A> || Expression<B>)
constexpr auto operator+(const A& a, const B& b) {
    if constexpr (Expression<A> && Expression<B>)
        return make_node<op::add>(a, b); // the common case, one template layer less
    else
        return call_op<op::add>(a, b);
}
template <class A, class B>
    requires(Expression<A> || Expression<B>)
constexpr auto operator-(const A& a, const B& b) {
    if constexpr (Expression<A> && Expression<B>)
        return make_node<op::sub>(a, b); // the common case, one template layer less
    else
        return call_op<op::sub>(a, b);
}
template <class A, class B>
    requires(Expression<A> || Expression<B>)
constexpr auto operator*(const A& a, const B& b) {
    if constexpr (Expression<A> && Expression<B>)
        return make_node<op::mul>(a, b); // the common case, one template layer less
    else
        return call_op<op::mul>(a, b);
}
template <class A, class B>
    requires(Expression<A> || Expression<B>)
constexpr auto operator/(const A& a, const B& b) {
    if constexpr (Expression<A> && Expression<B>)
        return make_node<op::div>(a, b); // the common case, one template layer less
    else
        return call_op<op::div>(a, b);
}
template <Expression X>
constexpr auto operator-(const X& x) {
    return call_op<op::neg>(x);
}
template <Expression X>
constexpr const X& operator+(const X& x) {
    return x;
}

} // namespace tapeless

#endif
