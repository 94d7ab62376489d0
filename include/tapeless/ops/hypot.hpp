// tapeless/ops/hypot.hpp — hypot(a, b) = √(a² + b²) without overflow or underflow, and its first
// and second partial derivatives as a family of their own.
#ifndef TAPELESS_OPS_HYPOT_HPP
#define TAPELESS_OPS_HYPOT_HPP

#include "arithmetic.hpp"

namespace tapeless {
namespace op {

struct hypot;

namespace detail::hypot_partials {
// The point scaled to unit size (ops/common.hpp) and ĥ = √(â² + b̂²) in [1, √2].
template <class T>
struct scaled_point {
    T s, ah, bh, h;
    constexpr scaled_point(const T& a, const T& b) {
        using std::sqrt;
        const ::tapeless::detail::unit_scaled<T> u(a, b);
        s = u.s;
        ah = u.a;
        bh = u.b;
        h = sqrt(ah * ah + bh * bh);
    }
};

// ∂ᴹ_a ∂ᴺ_b hypot(a, b) for 1 ≤ M + N ≤ 2, with h = hypot(a, b): a/h, b/h, b²/h³, −ab/h³, a²/h³.
// Computed on the scaled point â = a/s, b̂ = b/s, ĥ = √(â² + b̂²) with s = max(|a|, |b|) (an infinite
// operand is ±1 there and a finite one beside it 0): the first partials are â/ĥ and b̂/ĥ, the
// second b̂²/(ĥ³ s), −â b̂/(ĥ³ s), â²/(ĥ³ s). So nothing overflows at big operands (where h is
// inf and a/h would be 0), the limits at infinite ones are exact (∂/∂a hypot(inf, 1) = 1, not
// inf/inf), and the origin, a cone's apex, gives NaN (0/0). On plain numbers where a² + b² is a
// normal number the first partials are a/√(a² + b²) and b/√(a² + b²).
template <class T>
constexpr T partial_value(std::size_t m, std::size_t n, const T& a, const T& b) {
    using std::sqrt;
    if constexpr (std::is_floating_point_v<T>) {
        if (m + n == 1) {
            const T u = a * a + b * b;
            if (u >= std::numeric_limits<T>::min() && u <= std::numeric_limits<T>::max())
                return (m == 1 ? a : b) / sqrt(u);
        }
    }
    const scaled_point<T> p(a, b);
    if (m + n == 1) return (m == 1 ? p.ah : p.bh) / p.h;
    const T numerator = m == 2 ? p.bh * p.bh : m == 1 ? -(p.ah * p.bh) : p.ah * p.ah;
    return numerator / (p.h * p.h * p.h) / p.s;
}
} // namespace detail::hypot_partials

// A partial derivative ∂ᴹ_a ∂ᴺ_b hypot(a, b), 1 ≤ M + N ≤ 2
// (detail::hypot_partials::partial_value). The third partials are products of these (with h =
// hypot(a, b) and P_mn = hypot_partial<m, n>): ∂a P20 = −3 P10 P20/h, ∂b P20 = ∂a P11 = P01 (2 P02
// − P20)/h, ∂b P11 = ∂a P02 = P10 (2 P20 − P02)/h, ∂b P02 = −3 P01 P02/h, each factor bounded or
// underflowing to 0 where h overflows. Domain: all real a, b (NaN at (0, 0)). It prints as
// hypot_partial<M, N>(a, b).
template <std::size_t M, std::size_t N>
struct hypot_partial : binary_elementwise {
    static_assert(M + N >= 1 && M + N <= 2, "tapeless: hypot_partial<M, N> is a first or second "
                                            "partial derivative of hypot, 1 <= M + N <= 2");
    // no rows of its own: hypot's derivatives
    static constexpr std::string_view covered_by = "hypot";
    static constexpr std::string_view name = "hypot_partial", domain = "all real a, b";
    static constexpr std::string_view latex_name = "\\operatorname{hypot}";
    static constexpr std::array<std::size_t, 2> orders{M, N};
    static constexpr std::uint64_t parameters = (std::uint64_t{M} << 32) | N;
    template <class T>
    static constexpr T value(const T& a, const T& b) {
        return detail::hypot_partials::partial_value(M, N, a, b);
    }

    template <std::size_t I, std::size_t J, class A, class B>
    static constexpr auto family(const A& a, const B& b) {
        return call_op<hypot_partial<I, J>>(a, b);
    }
    template <class A, class B, class Y>
    static constexpr auto da(const A& a, const B& b, const Y& y) {
        if constexpr (M + N == 1)
            return family<M + 1, N>(a, b);
        else if constexpr (M == 2)
            return num<-3>(y) * family<1, 0>(a, b) * y / call_op<hypot>(a, b);
        else if constexpr (M == 1)
            return family<0, 1>(a, b) * (num<2>(y) * family<0, 2>(a, b) - family<2, 0>(a, b)) /
                   call_op<hypot>(a, b);
        else
            return family<1, 0>(a, b) * (num<2>(y) * family<2, 0>(a, b) - y) / call_op<hypot>(a, b);
    }
    template <class A, class B, class Y>
    static constexpr auto db(const A& a, const B& b, const Y& y) {
        if constexpr (M + N == 1)
            return family<M, N + 1>(a, b);
        else if constexpr (M == 2)
            return family<0, 1>(a, b) * (num<2>(y) * family<0, 2>(a, b) - y) / call_op<hypot>(a, b);
        else if constexpr (M == 1)
            return family<1, 0>(a, b) * (num<2>(y) * family<2, 0>(a, b) - family<0, 2>(a, b)) /
                   call_op<hypot>(a, b);
        else
            return num<-3>(y) * family<0, 1>(a, b) * y / call_op<hypot>(a, b);
    }
    // Taylor: with h the series of hypot, q = a/h and r = b/h by the quotient recurrence (q_0, r_0
    // and y_0 from the scaled values; where h_0 is inf their higher coefficients are 0), then
    // P20 = r²/h, P11 = −q r/h, P02 = q²/h.
    template <std::size_t K, class T>
    static constexpr void taylor(const T* a, const T* b, T* y);
};

// hypot(a, b). Domain: all reals (the derivative is NaN at (0, 0)). ∂/∂a = a/h and ∂/∂b = b/h
// (hypot_partial<1, 0> and <0, 1>), computed without forming a² + b².
struct hypot : binary_elementwise {
    // its partials take a square root (cost model)
    static constexpr bool transcendental_derivative = true;
    static constexpr std::string_view name = "hypot", domain = "all real a, b";
    template <class T>
    static constexpr T value(const T& a, const T& b) {
        using std::hypot;
        return hypot(a, b);
    }
    template <class A, class B, class Y>
    static constexpr auto da(const A& a, const B& b, const Y&) {
        return call_op<hypot_partial<1, 0>>(a, b);
    }
    template <class A, class B, class Y>
    static constexpr auto db(const A& a, const B& b, const Y&) {
        return call_op<hypot_partial<0, 1>>(a, b);
    }
    // Taylor: y² = a² + b², so y y' = a a' + b b'; coefficient k ≥ 1 of that, with its j = 0 and
    // j = k terms taken apart and the rest summed symmetrically:
    // y_k = P10 a_k + P01 b_k + (1/(2 y_0)) Σ_{j=1..k−1} (a_j a_{k−j} + b_j b_{k−j} − y_j y_{k−j}),
    // with P10 = a_0/y_0, P01 = b_0/y_0 and 1/y_0 from the scaled point (detail::hypot_partials).
    // No a² + b² to overflow (the series of hypot(big, 1) is exact, and so is that of hypot(big,
    // big), whose value overflows), and where an operand is infinite the coefficients are P10 a_k +
    // P01 b_k (the limit: hypot(inf + t, 1) = inf + t).
    template <std::size_t K, class T>
    static constexpr void taylor(const T* a, const T* b, T* y) {
        y[0] = value(a[0], b[0]);
        if constexpr (K > 0) {
            const detail::hypot_partials::scaled_point<T> p(a[0], b[0]);
            const T pa = p.ah / p.h, pb = p.bh / p.h;
            // 1/(2 y_0), also where y_0 overflows
            const T inv = static_cast<T>(1) / (static_cast<T>(2) * p.h) / p.s;
            TAPELESS_UNROLL for (std::size_t k = 1; k <= K; ++k) {
                T acc{};
                TAPELESS_UNROLL
                for (std::size_t j = 1; j < k; ++j)
                    acc = acc + (a[j] * a[k - j] + b[j] * b[k - j] - y[j] * y[k - j]);
                y[k] = pa * a[k] + pb * b[k] + acc * inv;
            }
        }
    }
};

template <std::size_t M, std::size_t N>
template <std::size_t K, class T>
constexpr void hypot_partial<M, N>::taylor(const T* a, const T* b, T* y) {
    std::array<T, K + 1> h{}, q{}, r{}, inv_h{};
    hypot::taylor<K>(a, b, h.data());
    q[0] = detail::hypot_partials::partial_value(1, 0, a[0], b[0]);
    r[0] = detail::hypot_partials::partial_value(0, 1, a[0], b[0]);
    const T inv = static_cast<T>(1) / h[0];
    TAPELESS_UNROLL for (std::size_t k = 1; k <= K; ++k) {
        q[k] = series::quotient(a, h.data(), q.data(), k, inv);
        r[k] = series::quotient(b, h.data(), r.data(), k, inv);
    }
    if constexpr (M + N == 1) {
        for (std::size_t k = 0; k <= K; ++k) y[k] = M == 1 ? q[k] : r[k];
    } else {
        series::reciprocal<K>(h.data(), inv_h.data());
        std::array<T, K + 1> u{};
        for (std::size_t k = 0; k <= K; ++k)
            u[k] = M == 2   ? series::square(r.data(), k)
                   : M == 1 ? -series::product(q.data(), r.data(), k)
                            : series::square(q.data(), k);
        y[0] = value(a[0], b[0]);
        TAPELESS_UNROLL
        for (std::size_t k = 1; k <= K; ++k) y[k] = series::product(u.data(), inv_h.data(), k);
    }
}

} // namespace op

template <class A, class B>
constexpr auto hypot(const A& a, const B& b) {
    return call_op<op::hypot>(a, b);
}

} // namespace tapeless

#endif
