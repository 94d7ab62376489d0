// tapeless/ops/hypot.hpp — hypot(a, b) = √(a² + b²) without overflow or underflow.
#ifndef TAPELESS_OPS_HYPOT_HPP
#define TAPELESS_OPS_HYPOT_HPP

#include "arithmetic.hpp"

namespace tapeless {
namespace op {

// hypot(a, b). Domain: all reals (the derivative is NaN at (0, 0)). ∂/∂a = a/y, ∂/∂b = b/y.
struct hypot : binary_elementwise {
    static constexpr std::string_view name = "hypot", domain = "all real a, b";
    template <class T>
    static constexpr T value(const T& a, const T& b) { using std::hypot; return hypot(a, b); }
    template <class A, class B, class Y>
    static constexpr auto da(const A& a, const B&, const Y& y) { return a / y; }
    template <class A, class B, class Y>
    static constexpr auto db(const A&, const B& b, const Y& y) { return b / y; }
    // Taylor: y² = a² + b², the sqrt rule on v = a² + b² (y_0 from std::hypot; NaN at (0, 0)).
    template <std::size_t K, class T>
    static constexpr void taylor(const T* a, const T* b, T* y) {
        std::array<T, K + 1> v{};
        TAPELESS_UNROLL for (std::size_t k = 1; k <= K; ++k) v[k] = series::square(a, k) + series::square(b, k);
        y[0] = value(a[0], b[0]);
        const T inv = static_cast<T>(1) / (static_cast<T>(2) * y[0]);
        TAPELESS_UNROLL for (std::size_t k = 1; k <= K; ++k) y[k] = series::sqrt_step(v.data(), y, k, inv);
    }
};

} // namespace op

template <class A, class B>
constexpr auto hypot(const A& a, const B& b) { return call_op<op::hypot>(a, b); }

} // namespace tapeless

#endif
