// tapeless/ops/trig.hpp — sin, cos, tan, asin, acos, atan, atan2.
#ifndef TAPELESS_OPS_TRIG_HPP
#define TAPELESS_OPS_TRIG_HPP

#include "power.hpp"

namespace tapeless {
namespace op {

struct cos;

// sin x. Domain: all finite reals (NaN at ±inf). d/dx sin x = cos x.
struct sin : unary_elementwise {
    static constexpr bool singular = false; // (see core/node.hpp's singular_of)
    static constexpr bool transcendental_derivative = true; // its derivative rule calls one (cost model)
    static constexpr std::string_view name = "sin", domain = "all real x";
    template <class T>
    static constexpr T value(const T& x) { using std::sin; return sin(x); }
    template <class X, class Y>
    static constexpr auto derivative(const X& x, const Y&) { return call_op<cos>(x); }
    // Taylor, with cos: s' = c x', c' = −s x': s_k = (1/k) Σ j x_j c_{k−j},
    // c_k = −(1/k) Σ j x_j s_{k−j}.
    template <std::size_t K, class T>
    static constexpr void sincos(const T* x, T* s, T* c) {
        using std::sin;
        using std::cos;
        s[0] = sin(x[0]);
        c[0] = cos(x[0]);
        TAPELESS_UNROLL for (std::size_t k = 1; k <= K; ++k) {
            s[k] = series::chain(x, c, k);
            c[k] = -series::chain(x, s, k);
        }
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
    static constexpr bool transcendental_derivative = true; // its derivative rule calls one (cost model)
    static constexpr std::string_view name = "cos", domain = "all real x";
    template <class T>
    static constexpr T value(const T& x) { using std::cos; return cos(x); }
    template <class X, class Y>
    static constexpr auto derivative(const X& x, const Y&) { return -call_op<sin>(x); }
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
    template <class T>
    static constexpr T value(const T& x) { using std::tan; return tan(x); }
    template <class X, class Y>
    static constexpr auto derivative(const X&, const Y& y) { return num<1>(y) + y * y; }
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
    template <class T>
    static constexpr T value(const T& x) { using std::asin; return asin(x); }
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
        TAPELESS_UNROLL for (std::size_t k = 1; k <= K; ++k) y[k] = series::solve(x, u.data(), y, k, static_cast<T>(1), inv);
    }
    // u = √(1 − x²), with 1 − x_0² as (1 − x_0)(1 + x_0) (accurate near ±1).
    template <std::size_t K, class T>
    static constexpr void sqrt_one_minus_square(const T* x, T* u) {
        using std::sqrt;
        std::array<T, K + 1> v{};
        v[0] = (static_cast<T>(1) - x[0]) * (static_cast<T>(1) + x[0]);
        TAPELESS_UNROLL for (std::size_t k = 1; k <= K; ++k) v[k] = -series::square(x, k);
        u[0] = sqrt(v[0]);
        const T inv = static_cast<T>(1) / (static_cast<T>(2) * u[0]);
        TAPELESS_UNROLL for (std::size_t k = 1; k <= K; ++k) u[k] = series::sqrt_step(v.data(), u, k, inv);
    }
};

// acos x. Domain: −1 ≤ x ≤ 1 (derivative −inf at ±1). d/dx acos x = −1/√(1 − x²).
struct acos : unary_elementwise {
    static constexpr std::string_view name = "acos", domain = "-1 <= x <= 1";
    template <class T>
    static constexpr T value(const T& x) { using std::acos; return acos(x); }
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
        TAPELESS_UNROLL for (std::size_t k = 1; k <= K; ++k) y[k] = series::solve(x, u.data(), y, k, static_cast<T>(-1), inv);
    }
};

namespace trig_detail {
// The n-th derivative of atan, n ≥ 1, for a runtime n, exact in the limits: 1/(1 + x²) for n = 1;
// −2x/(1 + x²)², written −2w³/(1 + w²)² with w = 1/x beyond |x| = 1 (no inf/inf at ±inf or
// overflow at big), for n = 2; beyond, (−1)^(n−1) (n−1)! sinⁿθ sin(nθ) with x = cot θ, θ in
// (0, π/2] for |x| (sin θ = 1/√(1 + x²)), and the parity f⁽ⁿ⁾(−x) = (−1)^(n+1) f⁽ⁿ⁾(x).
template <class T>
constexpr T atan_derivative_value(std::size_t n, const T& x) {
    using std::sqrt;
    using std::sin;
    using std::atan2;
    if (x != x) return x;
    const T one = static_cast<T>(1);
    if (n == 1) return one / (one + x * x);
    const bool negative = x < static_cast<T>(0);
    const T ax = negative ? -x : x;
    T r{};
    if (n == 2) {
        if (ax <= one) {
            const T u = one + ax * ax;
            r = -(static_cast<T>(2) * ax) / (u * u);
        } else {
            const T w = one / ax, u = one + w * w;
            r = -(static_cast<T>(2) * w * w * w) / (u * u);
        }
    } else {
        const T s = ax <= one ? one / sqrt(one + ax * ax) : (one / ax) / sqrt(one + (one / ax) * (one / ax));
        const T theta = atan2(one, ax);
        T sn = one, factorial = one;
        for (std::size_t k = 0; k < n; ++k) sn = sn * s;
        for (std::size_t k = 2; k < n; ++k) factorial = factorial * static_cast<T>(k);
        r = factorial * sn * sin(static_cast<T>(n) * theta);
        if (n % 2 == 0) r = -r; // (−1)^(n−1)
    }
    return negative && n % 2 == 0 ? -r : r;
}
} // namespace trig_detail

// The N-th derivative of atan (N ≥ 1): 1/(1 + x²), −2x/(1 + x²)², ... Domain: all reals. Its
// derivative is atan_derivative<N + 1>, so no rule differentiates 1/(1 + x²) by the quotient rule
// (−2x/(1 + x²)² is inf/inf at ±inf and overflows at big). It prints as atan_derivative<N>(x).
template <std::size_t N>
struct atan_derivative : unary_elementwise {
    static_assert(N >= 1, "tapeless: atan_derivative<N> is the N-th derivative of atan, N >= 1");
    static constexpr bool singular = false; // (see core/node.hpp's singular_of)
    static constexpr std::string_view covered_by = "atan"; // no rows of its own: atan's derivatives
    static constexpr std::string_view name = "atan_derivative", domain = "all real x";
    static constexpr std::string_view latex = "\\arctan";
    static constexpr std::size_t order = N;
    static constexpr std::uint64_t parameters = N;
    template <class T>
    static constexpr T value(const T& x) { return trig_detail::atan_derivative_value(N, x); }
    template <class X, class Y>
    static constexpr auto derivative(const X& x, const Y&) { return call_op<atan_derivative<N + 1>>(x); }
    // Taylor: the coefficients from the derivatives at x₀.
    template <std::size_t K, class T>
    static constexpr void taylor(const T* x, T* y) {
        series::taylor_by_derivatives<K>(x, y, value(x[0]), [](std::size_t j, const T& x0) {
            return trig_detail::atan_derivative_value(N + j, x0);
        });
    }
};

// atan x. Domain: all reals. d/dx atan x = 1/(1 + x²) (atan_derivative<1>).
struct atan : unary_elementwise {
    static constexpr bool singular = false; // (see core/node.hpp's singular_of)
    static constexpr std::string_view name = "atan", domain = "all real x";
    template <class T>
    static constexpr T value(const T& x) { using std::atan; return atan(x); }
    template <class X, class Y>
    static constexpr auto derivative(const X& x, const Y&) { return call_op<atan_derivative<1>>(x); }
    // Taylor: u y' = x' with u = 1 + x²; where u_0 overflows (|x_0| beyond 1.3e154, ±inf) the
    // recurrence is inf/inf, and the coefficients come from the derivatives at x₀ instead.
    template <std::size_t K, class T>
    static constexpr void taylor(const T* x, T* y) {
        std::array<T, K + 1> u{};
        u[0] = static_cast<T>(1) + x[0] * x[0];
        if (!(u[0] - u[0] == u[0] - u[0])) {
            series::taylor_by_derivatives<K>(x, y, value(x[0]), [](std::size_t j, const T& x0) {
                return trig_detail::atan_derivative_value(j, x0);
            });
            return;
        }
        TAPELESS_UNROLL for (std::size_t k = 1; k <= K; ++k) u[k] = series::square(x, k);
        y[0] = value(x[0]);
        const T inv = static_cast<T>(1) / u[0];
        TAPELESS_UNROLL for (std::size_t k = 1; k <= K; ++k) y[k] = series::solve(x, u.data(), y, k, static_cast<T>(1), inv);
    }
};

// atan2(a, b): the angle of the point (b, a). Domain: (a, b) ≠ (0, 0).
// ∂/∂a = b/(a² + b²), ∂/∂b = −a/(a² + b²).
struct atan2 : binary_elementwise {
    static constexpr std::string_view name = "atan2", domain = "(a, b) != (0, 0)";
    template <class T>
    static constexpr T value(const T& a, const T& b) { using std::atan2; return atan2(a, b); }
    template <class A, class B, class Y>
    static constexpr auto da(const A& a, const B& b, const Y&) { return b / (a * a + b * b); }
    template <class A, class B, class Y>
    static constexpr auto db(const A& a, const B& b, const Y&) { return -a / (a * a + b * b); }
    // Taylor: u y' = h with u = a² + b², h = b a' − a b' (h_m is the t^m coefficient of h):
    // y_k = (h_{k−1} − Σ_{j=1..k−1} j y_j u_{k−j}) / (k u_0).
    template <std::size_t K, class T>
    static constexpr void taylor(const T* a, const T* b, T* y) {
        std::array<T, K + 1> u{};
        TAPELESS_UNROLL for (std::size_t k = 0; k <= K; ++k) u[k] = series::square(a, k) + series::square(b, k);
        y[0] = value(a[0], b[0]);
        const T inv = static_cast<T>(1) / u[0];
        TAPELESS_UNROLL for (std::size_t k = 1; k <= K; ++k) {
            T h{};
            TAPELESS_UNROLL for (std::size_t i = 0; i < k; ++i)
                h = h + static_cast<T>(i + 1) * (b[k - 1 - i] * a[i + 1] - a[k - 1 - i] * b[i + 1]);
            TAPELESS_UNROLL for (std::size_t j = 1; j < k; ++j) h = h - static_cast<T>(j) * y[j] * u[k - j];
            y[k] = h * series::inverse<T>(k) * inv;
        }
    }
};

} // namespace op

template <class X>
constexpr auto sin(const X& x) { return call_op<op::sin>(x); }
template <class X>
constexpr auto cos(const X& x) { return call_op<op::cos>(x); }
template <class X>
constexpr auto tan(const X& x) { return call_op<op::tan>(x); }
template <class X>
constexpr auto asin(const X& x) { return call_op<op::asin>(x); }
template <class X>
constexpr auto acos(const X& x) { return call_op<op::acos>(x); }
template <class X>
constexpr auto atan(const X& x) { return call_op<op::atan>(x); }
template <class A, class B>
constexpr auto atan2(const A& a, const B& b) { return call_op<op::atan2>(a, b); }

} // namespace tapeless

#endif
