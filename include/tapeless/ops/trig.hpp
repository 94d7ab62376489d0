// tapeless/ops/trig.hpp — sin, cos, tan, asin, acos, atan, atan2, and the derivatives of atan and
// atan2 as families of their own.
#ifndef TAPELESS_OPS_TRIG_HPP
#define TAPELESS_OPS_TRIG_HPP

#include "power.hpp"

namespace tapeless {
namespace op {

struct cos;

// sin x. Domain: all finite reals (NaN at ±inf). d/dx sin x = cos x.
struct sin : unary_elementwise {
    static constexpr bool singular = false; // (see core/node.hpp's singular_of)
    // its derivative rule calls one (cost model)
    static constexpr bool transcendental_derivative = true;
    static constexpr std::string_view name = "sin", domain = "all real x";
    static constexpr latex_notation latex{"\\sin@0", latex_precedence::unary};
    template <class T>
    static constexpr T value(const T& x) {
        using std::sin;
        return sin(x);
    }
    template <class X, class Y>
    static constexpr auto derivative(const X& x, const Y&) {
        return call_op<cos>(x);
    }
    // Taylor, with cos: s' = c x', c' = −s x': s_k = (1/k) Σ j x_j c_{k−j},
    // c_k = −(1/k) Σ j x_j s_{k−j}.
    template <std::size_t K, class T>
    static constexpr void sincos(const T* x, T* s, T* c) {
        using std::cos;
        using std::sin;
        s[0] = sin(x[0]);
        c[0] = cos(x[0]);
        series::derivative_pair<K, -1>(x, s, c);
    }
    template <std::size_t K, class T>
    static constexpr void taylor(const T* x, T* y) {
        std::array<T, K + 1> c{};
        sincos<K>(x, y, c.data());
    }
};

// cos x. Domain: all finite reals. d/dx cos x = −sin x.
struct cos : unary_elementwise {
    static constexpr bool singular = false; // (see core/node.hpp's singular_of)
    // its derivative rule calls one (cost model)
    static constexpr bool transcendental_derivative = true;
    static constexpr std::string_view name = "cos", domain = "all real x";
    static constexpr latex_notation latex{"\\cos@0", latex_precedence::unary};
    template <class T>
    static constexpr T value(const T& x) {
        using std::cos;
        return cos(x);
    }
    template <class X, class Y>
    static constexpr auto derivative(const X& x, const Y&) {
        return -call_op<sin>(x);
    }
    // Taylor: together with sin (sin::sincos).
    template <std::size_t K, class T>
    static constexpr void taylor(const T* x, T* y) {
        std::array<T, K + 1> s{};
        sin::sincos<K>(x, s.data(), y);
    }
};

// tan x. Domain: x ≠ π/2 + kπ. d/dx tan x = 1 + tan² x = 1 + y².
struct tan : unary_elementwise {
    static constexpr std::string_view name = "tan", domain = "x != pi/2 + k pi";
    static constexpr latex_notation latex{"\\tan@0", latex_precedence::unary};
    template <class T>
    static constexpr T value(const T& x) {
        using std::tan;
        return tan(x);
    }
    template <class X, class Y>
    static constexpr auto derivative(const X&, const Y& y) {
        return num<1>(y) + y * y;
    }
    // Taylor: y' = (1 + y²) x', so y_k = (1/k) Σ j x_j w_{k−j} with w = 1 + y².
    template <std::size_t K, class T>
    static constexpr void taylor(const T* x, T* y) {
        std::array<T, K + 1> w{};
        y[0] = value(x[0]);
        w[0] = static_cast<T>(1) + y[0] * y[0];
        TAPELESS_UNROLL for (std::size_t k = 1; k <= K; ++k) {
            y[k] = series::chain(x, w.data(), k);
            w[k] = series::square(y, k);
        }
    }
};

// asin x. Domain: −1 ≤ x ≤ 1 (derivative +inf at ±1). d/dx asin x = 1/√(1 − x²).
struct asin : unary_elementwise {
    static constexpr std::string_view name = "asin", domain = "-1 <= x <= 1";
    static constexpr latex_notation latex{"\\arcsin@0", latex_precedence::unary};
    template <class T>
    static constexpr T value(const T& x) {
        using std::asin;
        return asin(x);
    }
    template <class X, class Y>
    static constexpr auto derivative(const X& x, const Y&) {
        return num<1>(x) / call_op<sqrt>(num<1>(x) - x * x);
    }
    // Taylor: u y' = x' with u = √(1 − x²) (its own series by the sqrt rule):
    // y_k = (k x_k − Σ_{j=1..k−1} j y_j u_{k−j}) / (k u_0) (±inf at x_0 = ±1).
    template <std::size_t K, class T>
    static constexpr void taylor(const T* x, T* y) {
        std::array<T, K + 1> u{};
        sqrt_one_minus_square<K>(x, u.data());
        y[0] = value(x[0]);
        const T inv = static_cast<T>(1) / u[0];
        TAPELESS_UNROLL
        for (std::size_t k = 1; k <= K; ++k)
            y[k] = series::solve(x, u.data(), y, k, static_cast<T>(1), inv);
    }
    // u = √(1 − x²), with 1 − x_0² as (1 − x_0)(1 + x_0) (accurate near ±1).
    template <std::size_t K, class T>
    static constexpr void sqrt_one_minus_square(const T* x, T* u) {
        using std::sqrt;
        std::array<T, K + 1> v{};
        v[0] = (static_cast<T>(1) - x[0]) * (static_cast<T>(1) + x[0]);
        TAPELESS_UNROLL
        for (std::size_t k = 1; k <= K; ++k) v[k] = -series::square(x, k);
        u[0] = sqrt(v[0]);
        const T inv = static_cast<T>(1) / (static_cast<T>(2) * u[0]);
        TAPELESS_UNROLL
        for (std::size_t k = 1; k <= K; ++k) u[k] = series::sqrt_step(v.data(), u, k, inv);
    }
};

// acos x. Domain: −1 ≤ x ≤ 1 (derivative −inf at ±1). d/dx acos x = −1/√(1 − x²).
struct acos : unary_elementwise {
    static constexpr std::string_view name = "acos", domain = "-1 <= x <= 1";
    static constexpr latex_notation latex{"\\arccos@0", latex_precedence::unary};
    template <class T>
    static constexpr T value(const T& x) {
        using std::acos;
        return acos(x);
    }
    template <class X, class Y>
    static constexpr auto derivative(const X& x, const Y&) {
        return num<-1>(x) / call_op<sqrt>(num<1>(x) - x * x);
    }
    // Taylor: u y' = −x' with u = √(1 − x²) (see asin).
    template <std::size_t K, class T>
    static constexpr void taylor(const T* x, T* y) {
        std::array<T, K + 1> u{};
        asin::sqrt_one_minus_square<K>(x, u.data());
        y[0] = value(x[0]);
        const T inv = static_cast<T>(1) / u[0];
        TAPELESS_UNROLL
        for (std::size_t k = 1; k <= K; ++k)
            y[k] = series::solve(x, u.data(), y, k, static_cast<T>(-1), inv);
    }
};

namespace detail::trig {
// The n-th derivative of atan, n ≥ 1, for a runtime n, exact in the limits: 1/(1 + x²) for n = 1;
// −2x/(1 + x²)², written −2w³/(1 + w²)² with w = 1/x beyond |x| = 1 (no inf/inf at ±inf or
// overflow at big), for n = 2; beyond, (−1)^(n−1) (n−1)! sinⁿθ sin(nθ) with x = cot θ, θ in
// (0, π/2] for |x| (sin θ = 1/√(1 + x²)), and the parity f⁽ⁿ⁾(−x) = (−1)^(n+1) f⁽ⁿ⁾(x).
template <class T>
constexpr T atan_derivative_value(std::size_t n, const T& x) {
    using std::atan2;
    using std::sin;
    using std::sqrt;
    if (x != x) return x;
    const T one = static_cast<T>(1);
    if (n == 1) return one / (one + x * x);
    const bool negative = x < static_cast<T>(0);
    const T ax = negative ? -x : x;
    // w = min(|x|, 1/|x|), so that w² neither overflows nor underflows; u = 1 + w²
    const bool small = ax <= one;
    const T w = small ? ax : one / ax, u = one + w * w;
    T r{};
    if (n == 2) {
        r = -(static_cast<T>(2) * (small ? w : w * w * w)) / (u * u);
    } else {
        const T s = (small ? one : w) / sqrt(u); // sin θ = 1/√(1 + x²)
        const T theta = atan2(one, ax);
        T sn = one, factorial = one;
        for (std::size_t k = 0; k < n; ++k) sn = sn * s;
        for (std::size_t k = 2; k < n; ++k) factorial = factorial * static_cast<T>(k);
        r = factorial * sn * sin(static_cast<T>(n) * theta);
        if (n % 2 == 0) r = -r; // (−1)^(n−1)
    }
    return negative && n % 2 == 0 ? -r : r;
}
} // namespace detail::trig

// The N-th derivative of atan (N ≥ 1): 1/(1 + x²), −2x/(1 + x²)², ... Domain: all reals. Its
// derivative is atan_derivative<N + 1>, so no rule differentiates 1/(1 + x²) by the quotient rule
// (−2x/(1 + x²)² is inf/inf at ±inf and overflows at big). It prints as atan_derivative<N>(x).
template <std::size_t N>
struct atan_derivative : derivative_family<atan_derivative, N> {
    static_assert(N >= 1, "tapeless: atan_derivative<N> is the N-th derivative of atan, N >= 1");
    static constexpr bool singular = false;                // (see core/node.hpp's singular_of)
    static constexpr std::string_view covered_by = "atan"; // no rows of its own: atan's derivatives
    static constexpr std::string_view name = "atan_derivative", domain = "all real x";
    static constexpr std::string_view latex_name = "\\arctan";
    template <class T>
    static constexpr T member_value(std::size_t n, const T& x) {
        return detail::trig::atan_derivative_value(n, x);
    }
};

// atan x. Domain: all reals. d/dx atan x = 1/(1 + x²) (atan_derivative<1>).
struct atan : unary_elementwise {
    static constexpr bool singular = false; // (see core/node.hpp's singular_of)
    static constexpr std::string_view name = "atan", domain = "all real x";
    static constexpr latex_notation latex{"\\arctan@0", latex_precedence::unary};
    template <class T>
    static constexpr T value(const T& x) {
        using std::atan;
        return atan(x);
    }
    template <class X, class Y>
    static constexpr auto derivative(const X& x, const Y&) {
        return call_op<atan_derivative<1>>(x);
    }
    // Taylor: u y' = x' with u = 1 + x²; where u_0 overflows (|x_0| beyond 1.3e154, ±inf) the
    // recurrence is inf/inf, and the coefficients come from the derivatives at x₀ instead.
    template <std::size_t K, class T>
    static constexpr void taylor(const T* x, T* y) {
        std::array<T, K + 1> u{};
        u[0] = static_cast<T>(1) + x[0] * x[0];
        if (!(u[0] - u[0] == u[0] - u[0])) {
            series::taylor_by_derivatives<K>(x, y, value(x[0]), [](std::size_t j, const T& x0) {
                return detail::trig::atan_derivative_value(j, x0);
            });
            return;
        }
        TAPELESS_UNROLL
        for (std::size_t k = 1; k <= K; ++k) u[k] = series::square(x, k);
        y[0] = value(x[0]);
        const T inv = static_cast<T>(1) / u[0];
        TAPELESS_UNROLL
        for (std::size_t k = 1; k <= K; ++k)
            y[k] = series::solve(x, u.data(), y, k, static_cast<T>(1), inv);
    }
};

namespace detail::trig {
// A complex number of any number type (std::complex takes only float, double and long double;
// these functions also run on the dual numbers of nested modes).
template <class T>
struct complex_pair {
    T re, im;
};
template <class T>
constexpr complex_pair<T> times(const complex_pair<T>& x, const complex_pair<T>& y) {
    return {x.re * y.re - x.im * y.im, x.re * y.im + x.im * y.re};
}
// Im(iᴹ x): multiplying by i turns (re, im) into (−im, re).
template <class T>
constexpr T imaginary_after_turns(std::size_t m, const complex_pair<T>& x) {
    switch (m % 4) {
    case 0:
        return x.im;
    case 1:
        return x.re;
    case 2:
        return -x.im;
    default:
        return -x.re;
    }
}

// w^k, k ≥ 1.
template <class T>
constexpr complex_pair<T> power(const complex_pair<T>& w, std::size_t k) {
    complex_pair<T> r = w;
    for (std::size_t j = 1; j < k; ++j) r = times(r, w);
    return r;
}
// (−1)^(k−1) (k−1)!, the factor of d^k/dz^k log z = (−1)^(k−1) (k−1)! z^(−k), k ≥ 1.
template <class T>
constexpr T log_derivative_factor(std::size_t k) {
    T r = static_cast<T>(k % 2 == 0 ? -1 : 1);
    for (std::size_t j = 2; j < k; ++j) r = r * static_cast<T>(j);
    return r;
}

// The point z = b + i a of atan2(a, b) as s·ẑ, ẑ = b̂ + i â scaled to unit size (ops/common.hpp:
// |ẑ|² = â² + b̂² lies in [1, 2]), and w = 1/ẑ = (b̂ − i â)/|ẑ|².
template <class T>
struct scaled_point {
    T s, w_re, w_im;
    constexpr scaled_point(const T& a, const T& b) {
        const ::tapeless::detail::unit_scaled<T> u(a, b);
        const T q = static_cast<T>(1) / (u.a * u.a + u.b * u.b);
        s = u.s;
        w_re = u.b * q;
        w_im = -u.a * q;
    }
};

// ∂ᴹ_a ∂ᴺ_b atan2(a, b) for k = M + N ≥ 1. atan2(a, b) = Im log z with z = b + i a, and log z is
// analytic: ∂/∂b = d/dz, ∂/∂a = i d/dz, so the partial is Im[iᴹ (−1)^(k−1) (k−1)! z^(−k)]. z^(−k) =
// w^k / s^k on the scaled point, divided by s one factor at a time: no a² + b² to overflow (at
// big operands) or underflow (at denormal ones), and exactly 0 where an operand is infinite. For k
// = 1 on plain numbers, where a² + b² is a normal number the familiar b/(a² + b²) and −a/(a² + b²).
template <class T>
constexpr T atan2_partial_value(std::size_t m, std::size_t n, const T& a, const T& b) {
    const std::size_t k = m + n;
    if constexpr (std::is_floating_point_v<T>) {
        if (k == 1) {
            const T u = a * a + b * b;
            if (u >= std::numeric_limits<T>::min() && u <= std::numeric_limits<T>::max())
                return m == 1 ? b / u : -a / u;
        }
    }
    const scaled_point<T> p(a, b);
    T r = log_derivative_factor<T>(k) *
          imaginary_after_turns(m, power(complex_pair<T>{p.w_re, p.w_im}, k));
    for (std::size_t j = 0; j < k; ++j) r = r / p.s;
    return r;
}
} // namespace detail::trig

// The partial derivative ∂ᴹ_a ∂ᴺ_b atan2(a, b), M + N ≥ 1: b/(a² + b²) is atan2_partial<1, 0>,
// −a/(a² + b²) atan2_partial<0, 1>. Domain: (a, b) ≠ (0, 0). Its partials are the next members of
// the family, so no rule differentiates b/(a² + b²) by the quotient rule (a² + b² overflows at
// big operands and is inf/inf at infinite ones). It prints as atan2_partial<M, N>(a, b).
template <std::size_t M, std::size_t N>
struct atan2_partial : binary_elementwise {
    static_assert(M + N >= 1,
                  "tapeless: atan2_partial<M, N> is a partial derivative of atan2, M + N >= 1");
    // no rows of its own: atan2's derivatives
    static constexpr std::string_view covered_by = "atan2";
    static constexpr std::string_view name = "atan2_partial", domain = "(a, b) != (0, 0)";
    static constexpr std::string_view latex_name = "\\operatorname{atan2}";
    static constexpr std::array<std::size_t, 2> orders{M, N};
    static constexpr std::uint64_t parameters = (std::uint64_t{M} << 32) | N;
    template <class T>
    static constexpr T value(const T& a, const T& b) {
        return detail::trig::atan2_partial_value(M, N, a, b);
    }
    template <class A, class B, class Y>
    static constexpr auto da(const A& a, const B& b, const Y&) {
        return call_op<atan2_partial<M + 1, N>>(a, b);
    }
    template <class A, class B, class Y>
    static constexpr auto db(const A& a, const B& b, const Y&) {
        return call_op<atan2_partial<M, N + 1>>(a, b);
    }
    // Taylor: p = z^r with r = −(M + N) on the complex series z = b + i a, from z p' = r z' p
    // (series::power_step's recurrence, 1/z_0 = w/s); y_k = (−1)^(r+1) (−r−1)! Im(iᴹ p_k).
    template <std::size_t K, class T>
    static constexpr void taylor(const T* a, const T* b, T* y) {
        constexpr std::size_t k = M + N;
        const detail::trig::scaled_point<T> p(a[0], b[0]);
        const detail::trig::complex_pair<T> w{p.w_re, p.w_im};
        std::array<detail::trig::complex_pair<T>, K + 1> c{};
        c[0] = detail::trig::power(w, k);
        for (std::size_t j = 0; j < k; ++j) c[0] = {c[0].re / p.s, c[0].im / p.s};
        const T factor = detail::trig::log_derivative_factor<T>(k);
        const T r = -static_cast<T>(k);
        y[0] = value(a[0], b[0]);
        TAPELESS_UNROLL for (std::size_t n = 1; n <= K; ++n) {
            detail::trig::complex_pair<T> acc{T{}, T{}};
            TAPELESS_UNROLL for (std::size_t j = 0; j < n; ++j) {
                const T weight = r * static_cast<T>(n - j) - static_cast<T>(j);
                const auto t =
                    detail::trig::times(detail::trig::complex_pair<T>{b[n - j], a[n - j]}, c[j]);
                acc = {acc.re + weight * t.re, acc.im + weight * t.im};
            }
            const auto q = detail::trig::times(acc, w);
            c[n] = {q.re * series::inverse<T>(n) / p.s, q.im * series::inverse<T>(n) / p.s};
            y[n] = factor * detail::trig::imaginary_after_turns(M, c[n]);
        }
    }
};

// atan2(a, b): the angle of the point (b, a). Domain: (a, b) ≠ (0, 0).
// ∂/∂a = b/(a² + b²) and ∂/∂b = −a/(a² + b²) (atan2_partial<1, 0> and <0, 1>).
struct atan2 : binary_elementwise {
    static constexpr std::string_view name = "atan2", domain = "(a, b) != (0, 0)";
    template <class T>
    static constexpr T value(const T& a, const T& b) {
        using std::atan2;
        return atan2(a, b);
    }
    template <class A, class B, class Y>
    static constexpr auto da(const A& a, const B& b, const Y&) {
        return call_op<atan2_partial<1, 0>>(a, b);
    }
    template <class A, class B, class Y>
    static constexpr auto db(const A& a, const B& b, const Y&) {
        return call_op<atan2_partial<0, 1>>(a, b);
    }
    // Taylor: y = Im L with L = log z on the complex series z = b + i a: z L' = z', so
    // L_k = (k z_k − Σ_{j=1..k−1} j L_j z_{k−j}) / (k z_0), with 1/z_0 = w/s (no a² + b² to
    // overflow; L_k = 0 where an operand is infinite).
    template <std::size_t K, class T>
    static constexpr void taylor(const T* a, const T* b, T* y) {
        y[0] = value(a[0], b[0]);
        if constexpr (K > 0) {
            const detail::trig::scaled_point<T> p(a[0], b[0]);
            const detail::trig::complex_pair<T> w{p.w_re, p.w_im};
            std::array<detail::trig::complex_pair<T>, K + 1> l{};
            TAPELESS_UNROLL for (std::size_t k = 1; k <= K; ++k) {
                detail::trig::complex_pair<T> acc{T{}, T{}};
                TAPELESS_UNROLL for (std::size_t j = 1; j < k; ++j) {
                    const auto t = detail::trig::times(
                        l[j], detail::trig::complex_pair<T>{b[k - j], a[k - j]});
                    acc = {acc.re + static_cast<T>(j) * t.re, acc.im + static_cast<T>(j) * t.im};
                }
                // 1/k after the product with w: (k z_k − acc)·w keeps products that acc/k would
                // round away at denormal operands (atan2(den, 1)).
                const detail::trig::complex_pair<T> d{static_cast<T>(k) * b[k] - acc.re,
                                                      static_cast<T>(k) * a[k] - acc.im};
                const auto q = detail::trig::times(d, w);
                l[k] = {q.re * series::inverse<T>(k) / p.s, q.im * series::inverse<T>(k) / p.s};
                y[k] = l[k].im;
            }
        }
    }
};

} // namespace op

template <class X>
constexpr auto sin(const X& x) {
    return call_op<op::sin>(x);
}
template <class X>
constexpr auto cos(const X& x) {
    return call_op<op::cos>(x);
}
template <class X>
constexpr auto tan(const X& x) {
    return call_op<op::tan>(x);
}
template <class X>
constexpr auto asin(const X& x) {
    return call_op<op::asin>(x);
}
template <class X>
constexpr auto acos(const X& x) {
    return call_op<op::acos>(x);
}
template <class X>
constexpr auto atan(const X& x) {
    return call_op<op::atan>(x);
}
template <class A, class B>
constexpr auto atan2(const A& a, const B& b) {
    return call_op<op::atan2>(a, b);
}

} // namespace tapeless

#endif
