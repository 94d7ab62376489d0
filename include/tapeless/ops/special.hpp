// tapeless/ops/special.hpp — erf and lgamma, with the families of derivatives their rules need:
//   erf_derivative<N>   the N-th derivative of erf (N ≥ 1): (2/√π) (−1)^(N−1) H_(N−1)(x) e^(−x²)
//   polygamma<N>        ψ⁽ᴺ⁾, the (N + 1)-th derivative of lgamma (ψ⁽⁰⁾ = ψ, the digamma function)
//
// A derivative rule is written once for every mode with the library's operations and literals
// (ops/common.hpp), and 2/√π is no literal; and the rule −2x·erf′(x) for erf″ is 0 · inf at
// x = ±inf. So each derivative of erf is an operation of its own whose value function computes it
// (with the constant, and exactly ±0 where e^(−x²) underflows), and whose derivative rule is the
// next member of the family: erf′ = erf_derivative<1>, its derivative erf_derivative<2>, and so on,
// with no product in any rule. lgamma's derivatives are the polygamma functions in the same way.
// Their Taylor rules take the coefficients from the derivatives at x₀ (series::from_derivatives).
#ifndef TAPELESS_OPS_SPECIAL_HPP
#define TAPELESS_OPS_SPECIAL_HPP

#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <type_traits>

#include "common.hpp"
#include "series.hpp"

namespace tapeless {
namespace op {

namespace detail::special {

// The N-th derivative of erf, N ≥ 1, for a runtime N: (2/√π) (−1)^(N−1) H_(N−1)(x) e^(−x²), with
// the physicists' Hermite polynomials H_0 = 1, H_1 = 2x, H_(k+1) = 2x H_k − 2k H_(k−1). Where
// x² > 800, e^(−x²) is below the smallest denormal and the exact value rounds to a zero, signed as
// (−1)^(N−1) H_(N−1)(x) (whose leading term is (2x)^(N−1)); NaN gives NaN.
template <class T>
constexpr T erf_derivative_value(std::size_t n, const T& x) {
    using std::exp;
    if (x != x) return x;
    const bool odd = (n - 1) % 2 == 1;
    if (x * x > static_cast<T>(800)) {
        // sign of (−1)^(n−1) (2x)^(n−1): negative when n − 1 is odd and x > 0
        const bool negative = odd && x > static_cast<T>(0);
        return negative ? -static_cast<T>(0) : static_cast<T>(0);
    }
    T h0 = static_cast<T>(1), h1 = static_cast<T>(2) * x;
    T h = h0;
    if (n >= 2) {
        h = h1;
        for (std::size_t k = 1; k + 1 < n; ++k) {
            const T next = static_cast<T>(2) * x * h1 - static_cast<T>(2 * k) * h0;
            h0 = h1;
            h1 = next;
            h = h1;
        }
    }
    const T two_over_sqrt_pi = static_cast<T>(1.1283791670955125738961589031215452L);
    const T v = two_over_sqrt_pi * h * exp(-(x * x));
    return odd ? -v : v;
}

// ψ⁽ⁿ⁾(x), for a runtime n. The recurrence ψ⁽ⁿ⁾(x) = ψ⁽ⁿ⁾(x + 1) + (−1)^(n+1) n!/x^(n+1) moves x to
// z ≥ 10 + n, where the asymptotic series holds to double precision:
//   ψ(z)   = ln z − 1/(2z) − Σ_k B_2k / (2k z^2k)
//   ψ⁽ⁿ⁾(z) = (−1)^(n+1) [ (n−1)!/z^n + n!/(2 z^(n+1)) + Σ_k B_2k (2k+n−1)! / ((2k)! z^(2k+n)) ]
// (k = 1..9, Bernoulli numbers B_2..B_18). At a pole (0, −1, −2, ...) a term is ±inf: ψ(+0) = −inf,
// ψ(−0) = +inf, as the limits from above and below. Below −10⁴ (and at −inf) the recurrence would
// take too many steps: NaN there.
template <class T>
constexpr T polygamma_value(std::size_t n, const T& x) {
    using std::log;
    if (x != x) return x;
    // (T may be a Taylor coefficient type)
    if (x < static_cast<T>(-10000)) return static_cast<T>(std::numeric_limits<double>::quiet_NaN());
    const T sign = n % 2 == 0 ? static_cast<T>(-1) : static_cast<T>(1); // (−1)^(n+1)
    T factorial = static_cast<T>(1);                                    // n!
    for (std::size_t k = 2; k <= n; ++k) factorial = factorial * static_cast<T>(k);
    T shifted = static_cast<T>(0);
    T z = x;
    const T bound = static_cast<T>(10 + n);
    while (z < bound) {
        T p = z; // z^(n+1)
        for (std::size_t k = 0; k < n; ++k) p = p * z;
        shifted = shifted + sign * factorial / p;
        z = z + static_cast<T>(1);
    }
    // B_2k for k = 1..9
    constexpr long double bernoulli[] = {1.0L / 6,   -1.0L / 30,     1.0L / 42,
                                         -1.0L / 30, 5.0L / 66,      -691.0L / 2730,
                                         7.0L / 6,   -3617.0L / 510, 43867.0L / 798};
    const T inv = static_cast<T>(1) / z;
    const T inv2 = inv * inv;
    T r{};
    if (n == 0) {
        T zk = inv2; // z^(−2k)
        T s = static_cast<T>(0);
        for (std::size_t k = 1; k <= 9; ++k) {
            s = s + static_cast<T>(bernoulli[k - 1] / static_cast<long double>(2 * k)) * zk;
            zk = zk * inv2;
        }
        r = log(z) - inv / static_cast<T>(2) - s;
    } else {
        T zn = static_cast<T>(1); // z^(−n)
        for (std::size_t k = 0; k < n; ++k) zn = zn * inv;
        const T factorial_n1 = factorial / static_cast<T>(n); // (n−1)!
        T s = factorial_n1 * zn + factorial * zn * inv / static_cast<T>(2);
        // c_k = (2k+n−1)!/(2k)!, updated from k to k + 1 by (2k+n)(2k+n+1)/((2k+1)(2k+2))
        long double c = 1;
        // (n+1)!/2! for k = 1
        for (std::size_t j = 2; j <= n + 1; ++j) c *= static_cast<long double>(j);
        c /= 2;
        T zk = zn * inv2;
        for (std::size_t k = 1; k <= 9; ++k) {
            s = s + static_cast<T>(bernoulli[k - 1] * c) * zk;
            const long double a = static_cast<long double>(2 * k + n),
                              b = static_cast<long double>(2 * k);
            c = c * a * (a + 1) / ((b + 1) * (b + 2));
            zk = zk * inv2;
        }
        r = sign * s;
    }
    return shifted + r;
}

// log |Γ(x)| without the global `signgam` that std::lgamma writes (a data race between threads).
// On the number types of the modes: a Taylor coefficient converts to its value; a dual number
// (nested forward mode calls value rules on duals) takes tl::lgamma by argument-dependent lookup.
template <class T>
T log_gamma(const T& x) {
    if constexpr (std::is_floating_point_v<T>) {
#if defined(__GLIBC__)
        int sign = 0;
        if constexpr (std::is_same_v<T, float>)
            return ::lgammaf_r(x, &sign);
        else if constexpr (std::is_same_v<T, long double>)
            return ::lgammal_r(x, &sign);
        else
            return ::lgamma_r(x, &sign);
#else
        using std::lgamma;
        return lgamma(x);
#endif
    } else if constexpr (requires {
                             typename T::value_type;
                             requires std::is_convertible_v<const T&, typename T::value_type>;
                         }) {
        return static_cast<T>(log_gamma(static_cast<typename T::value_type>(x)));
    } else {
        using std::lgamma;
        return lgamma(x);
    }
}

} // namespace detail::special

// The N-th derivative of erf (N ≥ 1): erf′(x) = (2/√π) e^(−x²), erf″(x) = −2x erf′(x), ...
// Domain: all reals. Its derivative is erf_derivative<N + 1>. It prints as erf_derivative<N>(x).
template <std::size_t N>
struct erf_derivative : derivative_family<erf_derivative, N> {
    static_assert(N >= 1, "tapeless: erf_derivative<N> is the N-th derivative of erf, N >= 1");
    static constexpr bool singular = false; // (see core/node.hpp's singular_of)
    // its derivative rule calls one (cost model)
    static constexpr bool transcendental_derivative = true;
    // no rows of its own: erf's derivatives (docs/edge-cases.md)
    static constexpr std::string_view covered_by = "erf";
    static constexpr std::string_view name = "erf_derivative", domain = "all real x";
    static constexpr std::string_view latex_name = "\\operatorname{erf}";
    template <class T>
    static constexpr T member_value(std::size_t n, const T& x) {
        return detail::special::erf_derivative_value(n, x);
    }
};

// erf x = (2/√π) ∫₀ˣ e^(−t²) dt. Domain: all reals (±1 at ±inf). d/dx erf x = (2/√π) e^(−x²).
struct erf : unary_elementwise {
    static constexpr bool singular = false; // (see core/node.hpp's singular_of)
    // its derivative rule calls one (cost model)
    static constexpr bool transcendental_derivative = true;
    static constexpr std::string_view name = "erf", domain = "all real x";
    template <class T>
    static constexpr T value(const T& x) {
        using std::erf;
        return erf(x);
    }
    template <class X, class Y>
    static constexpr auto derivative(const X& x, const Y&) {
        return call_op<erf_derivative<1>>(x);
    }
    // Taylor: the coefficients from the derivatives at x₀, erf⁽ʲ⁾(x₀)/j!.
    template <std::size_t K, class T>
    static constexpr void taylor(const T* x, T* y) {
        series::taylor_by_derivatives<K>(x, y, value(x[0]), [](std::size_t j, const T& x0) {
            return detail::special::erf_derivative_value(j, x0);
        });
    }
};

// ψ⁽ᴺ⁾(x), the (N + 1)-th derivative of lgamma: ψ⁽⁰⁾ = Γ′/Γ (digamma), ψ⁽¹⁾ (trigamma), ...
// Domain: x > −10⁴, poles at 0, −1, −2, ... (±inf there). Its derivative is polygamma<N + 1>. It
// prints as polygamma<N>(x).
template <std::size_t N>
struct polygamma : derivative_family<polygamma, N> {
    // its derivative rule calls one (cost model)
    static constexpr bool transcendental_derivative = true;
    // no rows of its own: lgamma's derivatives
    static constexpr std::string_view covered_by = "lgamma";
    static constexpr std::string_view name = "polygamma", domain = "x > -1e4, x not 0, -1, -2, ...";
    static constexpr std::string_view latex_name = "\\psi";
    template <class T>
    static constexpr T member_value(std::size_t n, const T& x) {
        return detail::special::polygamma_value(n, x);
    }
};

// log |Γ(x)|. Domain: all reals but 0, −1, −2, ... (+inf there, and at ±inf).
// d/dx lgamma x = ψ(x), the digamma function (polygamma<0>).
struct lgamma : unary_elementwise {
    // its derivative rule calls one (cost model)
    static constexpr bool transcendental_derivative = true;
    static constexpr std::string_view name = "lgamma", domain = "x not 0, -1, -2, ...";
    static constexpr latex_notation latex{"\\ln\\Gamma\\left(#0\\right)", latex_precedence::unary};
    template <class T>
    static T value(const T& x) {
        return detail::special::log_gamma(x);
    }
    template <class X, class Y>
    static constexpr auto derivative(const X& x, const Y&) {
        return call_op<polygamma<0>>(x);
    }
    // Taylor: the coefficients from the derivatives at x₀, ψ⁽ʲ⁻¹⁾(x₀)/j!.
    template <std::size_t K, class T>
    static constexpr void taylor(const T* x, T* y) {
        series::taylor_by_derivatives<K>(x, y, value(x[0]), [](std::size_t j, const T& x0) {
            return detail::special::polygamma_value(j - 1, x0);
        });
    }
};

} // namespace op

template <class X>
constexpr auto erf(const X& x) {
    return call_op<op::erf>(x);
}
template <class X>
constexpr auto lgamma(const X& x) {
    return call_op<op::lgamma>(x);
}
// ψ⁽ᴺ⁾(x); digamma(x) is polygamma<0>(x).
template <int N, class X>
constexpr auto polygamma(const X& x) {
    static_assert(N >= 0, "tapeless::polygamma<N>(x): the order N is the number of derivatives of "
                          "digamma, 0 or more");
    return call_op<op::polygamma<static_cast<std::size_t>(N < 0 ? 0 : N)>>(x);
}
template <class X>
constexpr auto digamma(const X& x) {
    return call_op<op::polygamma<0>>(x);
}

} // namespace tapeless

#endif
