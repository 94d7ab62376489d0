// tapeless/ops/power.hpp — sqrt, cbrt, square, and pow in its three forms:
//   pow(x, 3_c) or pow<3>(x)   integer literal exponent: powi<3>, exact repeated multiplication
//   pow(x, 2.5), pow(x, 0.5_c) constant real exponent: pow with a constant operand
//   pow(x, y)                  general: both operands are expressions
#ifndef TAPELESS_OPS_POWER_HPP
#define TAPELESS_OPS_POWER_HPP

#include "exp_log.hpp"

namespace tapeless {
namespace op {

template <int N>
struct powi;

// √x. Domain: x ≥ 0; at 0 the derivative is +inf, NaN for x < 0. d/dx √x = 1/(2√x) = 1/(2y).
struct sqrt : unary_elementwise {
    static constexpr std::string_view name = "sqrt", domain = "x >= 0";
    static constexpr latex_notation latex{"\\sqrt{#0}"};
    template <class T>
    static constexpr T value(const T& x) {
        using std::sqrt;
        return sqrt(x);
    }
    template <class X, class Y>
    static constexpr auto derivative(const X&, const Y& y) {
        return num<1>(y) / (num<2>(y) * y);
    }
    // Taylor: y² = x, so y_k = (x_k − Σ_{j=1..k−1} y_j y_{k−j}) / (2 y_0) (±inf/NaN at x_0 = 0).
    template <std::size_t K, class T>
    static constexpr void taylor(const T* x, T* y) {
        y[0] = value(x[0]);
        const T inv = static_cast<T>(1) / (static_cast<T>(2) * y[0]);
        TAPELESS_UNROLL
        for (std::size_t k = 1; k <= K; ++k) y[k] = series::sqrt_step(x, y, k, inv);
    }
};

// ∛x. Domain: all reals; the derivative is +inf at 0. d/dx ∛x = 1/(3 y²).
struct cbrt : unary_elementwise {
    static constexpr std::string_view name = "cbrt", domain = "all real x";
    static constexpr latex_notation latex{"\\sqrt[3]{#0}"};
    template <class T>
    static constexpr T value(const T& x) {
        using std::cbrt;
        return cbrt(x);
    }
    // Written y⁻²/3 rather than 1/(3y²): its own derivative is then −2y⁻³ y′/3, −inf at x = 0 (y⁻³
    // and y′ infinite), where the derivative of 3y² is 6 y y′ = 0 · inf.
    template <class X, class Y>
    static constexpr auto derivative(const X&, const Y& y) {
        return call_op<powi<-2>>(y) / num<3>(y);
    }
    // Taylor: x y' = (1/3) x' y, the power rule with r = 1/3 (valid for x_0 < 0 too). It divides by
    // x_0: at 0 and ±inf the coefficients come from the derivatives instead, written with y_0
    // (f⁽ʲ⁾/j! = binom(1/3, j) y_0^(1 − 3j), signed for x_0 = −0 and −inf, as ∛ is odd).
    template <std::size_t K, class T>
    static constexpr void taylor(const T* x, T* y) {
        y[0] = value(x[0]);
        const T r = static_cast<T>(1) / static_cast<T>(3);
        if (series::zero_or_not_finite(x[0])) {
            series::power_from_derivatives<K>(x, r, y[0], static_cast<T>(1), static_cast<T>(-3), y);
            return;
        }
        const T inv = static_cast<T>(1) / x[0];
        TAPELESS_UNROLL
        for (std::size_t k = 1; k <= K; ++k) y[k] = series::power_step(x, y, r, k, inv);
    }
};

// x². Domain: all reals. d/dx x² = 2x.
struct square : unary_elementwise {
    static constexpr bool singular = false; // (see core/node.hpp's singular_of)
    static constexpr bool cheap = true;     // recomputed in fused sweeps rather than stored
    static constexpr std::string_view name = "square", domain = "all real x";
    static constexpr latex_notation latex{"$0^{2}", latex_precedence::power};
    template <class T>
    static constexpr T value(const T& x) {
        return x * x;
    }
    template <class X, class Y>
    static constexpr auto derivative(const X& x, const Y&) {
        return num<2>(x) * x;
    }
    // Taylor: y_k = Σ_{j=0..k} x_j x_{k−j}.
    template <std::size_t K, class T>
    static constexpr void taylor(const T* x, T* y) {
        TAPELESS_UNROLL
        for (std::size_t k = 0; k <= K; ++k) y[k] = series::square(x, k);
    }
};

// x^N for an integer N known at compile time, by repeated squaring (exact for small N).
// Domain: all reals (x ≠ 0 when N < 0). d/dx x^N = N x^(N−1).
template <int N>
struct powi : unary_elementwise {
    // the first column of its rows in docs/edge-cases.md
    static constexpr std::string_view edge_rows = "pow(x, 3_c)";
    static constexpr bool singular = N < 0; // (see core/node.hpp's singular_of)
    static constexpr bool cheap = true;     // recomputed in fused sweeps rather than stored
    static constexpr std::string_view name = "powi", domain = N < 0 ? "x != 0" : "all real x";
    static constexpr std::uint64_t parameters = static_cast<std::uint64_t>(N);
    static constexpr int prec = precedence::power;
    static constexpr int exponent = N;
    template <class T>
    static constexpr T value(const T& x) {
        constexpr unsigned m = N < 0 ? static_cast<unsigned>(-N) : static_cast<unsigned>(N);
        if constexpr (N < 0) {
            // 1 / x^m, unless x^m overflows where the result is still representable
            // (pow<-2>(2e154) ≈ 2.5e-309): then (1/x)^m.
            const T r = static_cast<T>(1) / power<m>(x);
            if (r == static_cast<T>(0) && x - x == x - x) return power<m>(static_cast<T>(1) / x);
            return r;
        } else {
            return power<m>(x);
        }
    }
    // x^M by repeated squaring.
    template <unsigned M, class T>
    static constexpr T power(const T& x) {
        T r = static_cast<T>(1), b = x;
        for (unsigned e = M; e != 0; e >>= 1) {
            if (e & 1U) r = r * b;
            if (e > 1) b = b * b;
        }
        return r;
    }
    template <class X, class Y>
    static constexpr auto derivative(const X& x, const Y&) {
        if constexpr (N == 0)
            return num<0>(x);
        else if constexpr (N == 1)
            return num<1>(x);
        else if constexpr (N == 2)
            return num<2>(x) * x;
        else
            return num<N>(x) * call_op<powi<N - 1>>(x);
    }
    static constexpr rational fold(rational a) {
        rational r{1, 1};
        for (int k = 0; k < (N < 0 ? -N : N); ++k) r = r * a;
        return N < 0 ? rational{1, 1} / r : r;
    }
    // Taylor: repeated squaring of the series (exact, defined at x_0 = 0); for N < 0 the series
    // of 1/x is raised to −N. O(K² log |N|).
    template <std::size_t K, class T>
    static constexpr void taylor(const T* x, T* y) {
        constexpr unsigned m = N < 0 ? static_cast<unsigned>(-N) : static_cast<unsigned>(N);
        if constexpr (N < 0) {
            std::array<T, K + 1> r{};
            series::reciprocal<K>(x, r.data());
            series::integer_power<K>(r.data(), m, y);
        } else {
            series::integer_power<K>(x, m, y);
        }
        y[0] = value(x[0]);
    }
};

// a^b. Domain: a > 0 (a = 0 with b > 0 gives 0; a < 0 gives NaN unless b is an integer, as
// std::pow). ∂/∂a = b a^(b−1), ∂/∂b = log(a) a^b = log(a) y.
struct pow : binary_elementwise {
    // its derivative rule calls one (cost model)
    static constexpr bool transcendental_derivative = true;
    static constexpr std::string_view name = "pow", domain = "a > 0";
    static constexpr latex_notation latex{"$0^{#1}", latex_precedence::power};
    template <class T>
    static constexpr T value(const T& a, const T& b) {
        using std::pow;
        return pow(a, b);
    }
    template <class A, class B, class Y>
    static constexpr auto da(const A& a, const B& b, const Y&) {
        return b * call_op<pow>(a, b - num<1>(b));
    }
    template <class A, class B, class Y>
    static constexpr auto db(const A& a, const B&, const Y& y) {
        return call_op<log>(a) * y;
    }
    // Taylor: a constant integer exponent (b_k = 0 for k ≥ 1, |b| ≤ 64) multiplies the series by
    // itself (repeated squaring; for b < 0 the reciprocal series), exact for every a_0, 0 and
    // negative bases included. Another constant exponent uses a y' = b a' y:
    // y_k = (1/(k a_0)) Σ_{j<k} (b (k − j) − j) a_{k−j} y_j (inf/NaN at a_0 = 0, as the
    // derivatives; it divides by a_0, so it is not used for integers, where it lost accuracy as a_0
    // nears 0), except at a_0 = 0 and ±inf, where the coefficients come from the derivatives.
    // A varying exponent uses y = exp(b log a), i.e. y' = (b log a)' y (NaN for a_0 < 0, as the
    // derivative log(a) y).
    template <std::size_t K, class T>
    static constexpr void taylor(const T* a, const T* b, T* y) {
        bool constant = true;
        TAPELESS_UNROLL
        for (std::size_t k = 1; k <= K; ++k) constant = constant && b[k] == static_cast<T>(0);
        if (constant) {
            const T r = b[0];
            using std::floor;
            if (r >= static_cast<T>(-64) && r <= static_cast<T>(64) && floor(r) == r) {
                if (r >= static_cast<T>(0)) {
                    series::integer_power<K>(a, static_cast<unsigned>(r), y);
                } else {
                    std::array<T, K + 1> inv{};
                    series::reciprocal<K>(a, inv.data());
                    series::integer_power<K>(inv.data(), static_cast<unsigned>(-r), y);
                }
            } else if (series::zero_or_not_finite(a[0])) {
                // The recurrence divides by a_0: at 0 and ±inf the coefficients come from the
                // derivatives r (r − 1) ⋯ (r − j + 1) a_0^(r − j) / j! (inf at 0 for j > r, 0 at
                // inf).
                series::power_from_derivatives<K>(a, r, a[0], r, static_cast<T>(-1), y);
            } else {
                y[0] = value(a[0], r);
                const T inv = static_cast<T>(1) / a[0];
                TAPELESS_UNROLL
                for (std::size_t k = 1; k <= K; ++k) y[k] = series::power_step(a, y, r, k, inv);
            }
        } else {
            std::array<T, K + 1> l{}, m{};
            log::taylor<K>(a, l.data());
            TAPELESS_UNROLL
            for (std::size_t k = 1; k <= K; ++k) m[k] = series::product(b, l.data(), k);
            // exp's recurrence y' = m' y, started from pow's own value: m_0 = b_0 log a_0 is NaN at
            // pow(0, 0) and pow(1, nan), where y_0 = 1 and the higher coefficients are numbers.
            y[0] = value(a[0], b[0]);
            TAPELESS_UNROLL
            for (std::size_t k = 1; k <= K; ++k) y[k] = series::chain(m.data(), y, k);
            return;
        }
        y[0] = value(a[0], b[0]);
    }
};

} // namespace op

template <class X>
constexpr auto sqrt(const X& x) {
    return call_op<op::sqrt>(x);
}
template <class X>
constexpr auto cbrt(const X& x) {
    return call_op<op::cbrt>(x);
}
template <class X>
constexpr auto square(const X& x) {
    return call_op<op::square>(x);
}
// x^N for a compile-time integer N.
template <int N, class X>
constexpr auto pow(const X& x) {
    return call_op<op::powi<N>>(x);
}
// a^b; an integer literal exponent (pow(x, 3_c)) becomes powi<3>.
template <class A, class B>
constexpr auto pow(const A& a, const B& b) {
    if constexpr (Expression<B> && Expression<A>) {
        using NB = node_of<B>;
        if constexpr (NB::kind == node_kind::literal) {
            if constexpr (NB::value.den == 1 && NB::value.num >= -64 && NB::value.num <= 64)
                return call_op<op::powi<static_cast<int>(NB::value.num)>>(a);
            else
                return call_op<op::pow>(a, b);
        } else {
            return call_op<op::pow>(a, b);
        }
    } else {
        return call_op<op::pow>(a, b);
    }
}

} // namespace tapeless

#endif
