// tapeless/ops/piecewise.hpp — abs, relu, min, max, and the step functions their derivatives use.
//
// At their kinks these take a subgradient: d/dx |x| = 0 and d/dx relu x = 0 at x = 0; min and max
// give the whole derivative to their first argument on a tie (so d/dx max(x, x) = 1).
#ifndef TAPELESS_OPS_PIECEWISE_HPP
#define TAPELESS_OPS_PIECEWISE_HPP

#include "arithmetic.hpp"

namespace tapeless {
namespace op {

// sign x: −1, 0 or 1 (NaN for NaN). Domain: all reals. d/dx = 0.
struct sign : step_function<sign, unary_elementwise> {
    static constexpr std::string_view name = "sign", domain = "all real x";
    static constexpr latex_notation latex{"\\operatorname{sgn}\\left(#0\\right)"};
    template <class T>
    static constexpr T value(const T& x) {
        return x > static_cast<T>(0)   ? static_cast<T>(1)
               : x < static_cast<T>(0) ? static_cast<T>(-1)
                                       : x * static_cast<T>(0);
    }
};

// [x > 0]: 1 where x > 0, 0 where x ≤ 0, NaN for NaN (so relu′(NaN) is NaN). Domain: all reals.
// d/dx = 0.
struct positive : step_function<positive, unary_elementwise> {
    // no rows of its own: relu's derivative (docs/edge-cases.md)
    static constexpr std::string_view covered_by = "relu";
    static constexpr std::string_view name = "positive", domain = "all real x";
    static constexpr latex_notation latex{"\\left[#0 > 0\\right]"};
    template <class T>
    static constexpr T value(const T& x) {
        return x > static_cast<T>(0)    ? static_cast<T>(1)
               : x <= static_cast<T>(0) ? static_cast<T>(0)
                                        : x;
    }
};

// [a ≥ b]: 1 where a ≥ b, 0 where a < b, NaN if either is NaN (so the partials of min and max
// are NaN there). Domain: all reals. ∂/∂a = ∂/∂b = 0.
struct greater_equal : step_function<greater_equal, binary_elementwise> {
    // no rows of its own: max's and min's derivatives
    static constexpr std::string_view covered_by = "max";
    static constexpr std::string_view name = "greater_equal", domain = "all real a, b";
    static constexpr latex_notation latex{"\\left[#0 \\geq #1\\right]"};
    template <class T>
    static constexpr T value(const T& a, const T& b) {
        return a >= b ? static_cast<T>(1) : a < b ? static_cast<T>(0) : a + b;
    }
};

// |x|. Domain: all reals. d/dx |x| = sign x (0 at 0).
struct abs : unary_elementwise {
    static constexpr bool singular = false; // (see core/node.hpp's singular_of)
    static constexpr bool cheap = true;     // recomputed in fused sweeps rather than stored
    static constexpr std::string_view name = "abs", domain = "all real x";
    static constexpr latex_notation latex{"\\left|#0\\right|"};
    template <class T>
    static constexpr T value(const T& x) {
        using std::abs;
        return abs(x);
    }
    template <class X, class Y>
    static constexpr auto derivative(const X& x, const Y&) {
        return call_op<sign>(x);
    }
    // Taylor: the branch taken at x_0: y_k = sign(x_0) x_k (all 0 at the kink x_0 = 0).
    template <std::size_t K, class T>
    static constexpr void taylor(const T* x, T* y) {
        const T s = sign::value(x[0]);
        y[0] = value(x[0]);
        TAPELESS_UNROLL
        for (std::size_t k = 1; k <= K; ++k) y[k] = s * x[k];
    }
};

// relu x = max(x, 0). Domain: all reals; relu(NaN) = NaN, relu(−0) = −0.
// d/dx relu x = [x > 0] (0 at 0).
struct relu : unary_elementwise {
    static constexpr bool singular = false; // (see core/node.hpp's singular_of)
    static constexpr bool cheap = true;     // recomputed in fused sweeps rather than stored
    static constexpr std::string_view name = "relu", domain = "all real x";
    template <class T>
    static constexpr T value(const T& x) {
        return x < static_cast<T>(0) ? static_cast<T>(0) : x;
    }
    template <class X, class Y>
    static constexpr auto derivative(const X& x, const Y&) {
        return call_op<positive>(x);
    }
    // Taylor: the branch taken at x_0: y_k = [x_0 > 0] x_k (all 0 at the kink x_0 = 0).
    template <std::size_t K, class T>
    static constexpr void taylor(const T* x, T* y) {
        const T p = positive::value(x[0]);
        y[0] = value(x[0]);
        TAPELESS_UNROLL
        for (std::size_t k = 1; k <= K; ++k) y[k] = p * x[k];
    }
};

// min(a, b). Domain: all reals (NaN if either is NaN). ∂/∂a = [b ≥ a], ∂/∂b = 1 − [b ≥ a].
struct min : binary_elementwise {
    static constexpr bool singular = false; // (see core/node.hpp's singular_of)
    static constexpr bool cheap = true;     // recomputed in fused sweeps rather than stored
    static constexpr std::string_view name = "min", domain = "all real a, b";
    static constexpr latex_notation latex{"\\min\\left(#0, #1\\right)"};
    template <class T>
    static constexpr T value(const T& a, const T& b) {
        return (a != a || b != b) ? a + b : (b < a ? b : a);
    }
    template <class A, class B, class Y>
    static constexpr auto da(const A& a, const B& b, const Y&) {
        return call_op<greater_equal>(b, a);
    }
    template <class A, class B, class Y>
    static constexpr auto db(const A& a, const B& b, const Y&) {
        return num<1>(b) - call_op<greater_equal>(b, a);
    }
    // Taylor: the series of the operand chosen at t = 0 (a on a tie, as the derivative rule).
    template <std::size_t K, class T>
    static constexpr void taylor(const T* a, const T* b, T* y) {
        const T* c = b[0] >= a[0] ? a : b;
        y[0] = value(a[0], b[0]);
        // A NaN operand: the derivative rule's step [b ≥ a] is NaN, its own derivative the constant
        // 0, so y_k = NaN a_k + NaN b_k (convention 4 of docs/edge-cases.md): NaN wherever a
        // coefficient of an operand is a number, and a zero by structure where both are (the
        // higher coefficients of an input; Taylor mode's second try).
        const bool unordered = a[0] != a[0] || b[0] != b[0];
        TAPELESS_UNROLL
        for (std::size_t k = 1; k <= K; ++k) y[k] = unordered ? y[0] * a[k] + y[0] * b[k] : c[k];
    }
};

// max(a, b). Domain: all reals (NaN if either is NaN). ∂/∂a = [a ≥ b], ∂/∂b = 1 − [a ≥ b].
struct max : binary_elementwise {
    static constexpr bool singular = false; // (see core/node.hpp's singular_of)
    static constexpr bool cheap = true;     // recomputed in fused sweeps rather than stored
    static constexpr std::string_view name = "max", domain = "all real a, b";
    static constexpr latex_notation latex{"\\max\\left(#0, #1\\right)"};
    template <class T>
    static constexpr T value(const T& a, const T& b) {
        return (a != a || b != b) ? a + b : (b > a ? b : a);
    }
    template <class A, class B, class Y>
    static constexpr auto da(const A& a, const B& b, const Y&) {
        return call_op<greater_equal>(a, b);
    }
    template <class A, class B, class Y>
    static constexpr auto db(const A& a, const B& b, const Y&) {
        return num<1>(b) - call_op<greater_equal>(a, b);
    }
    // Taylor: the series of the operand chosen at t = 0 (a on a tie, as the derivative rule).
    template <std::size_t K, class T>
    static constexpr void taylor(const T* a, const T* b, T* y) {
        const T* c = a[0] >= b[0] ? a : b;
        y[0] = value(a[0], b[0]);
        // A NaN operand: the derivative rule's step [b ≥ a] is NaN, its own derivative the constant
        // 0, so y_k = NaN a_k + NaN b_k (convention 4 of docs/edge-cases.md): NaN wherever a
        // coefficient of an operand is a number, and a zero by structure where both are (the
        // higher coefficients of an input; Taylor mode's second try).
        const bool unordered = a[0] != a[0] || b[0] != b[0];
        TAPELESS_UNROLL
        for (std::size_t k = 1; k <= K; ++k) y[k] = unordered ? y[0] * a[k] + y[0] * b[k] : c[k];
    }
};

} // namespace op

template <class X>
constexpr auto sign(const X& x) {
    return call_op<op::sign>(x);
}
template <class X>
constexpr auto abs(const X& x) {
    return call_op<op::abs>(x);
}
template <class X>
constexpr auto relu(const X& x) {
    return call_op<op::relu>(x);
}
template <class A, class B>
constexpr auto min(const A& a, const B& b) {
    return call_op<op::min>(a, b);
}
template <class A, class B>
constexpr auto max(const A& a, const B& b) {
    return call_op<op::max>(a, b);
}

} // namespace tapeless

#endif
