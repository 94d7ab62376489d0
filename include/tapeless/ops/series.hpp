// tapeless/ops/series.hpp — the building blocks of the operations' Taylor rules.
//
// A truncated Taylor series x(t) = Σ_{k=0..K} x_k t^k is a raw array x[0..K] here (ops/ does not
// know the number type of numbers/taylor.hpp). Each op's `taylor<K>(...)` rule is written with
// these few recurrences (Griewank & Walther, "Evaluating Derivatives", 2nd ed., ch. 13), each
// O(K²):
//
//   product   (a b)_k   = Σ_{j=0..k} a_j b_{k−j}
//   quotient  y = a/b:   y_k = (a_k − Σ_{j=0..k−1} y_j b_{k−j}) / b_0
//   chain     y' = g x': y_k = (1/k) Σ_{j=1..k} j x_j g_{k−j}     (needs g up to k−1)
//   solve     u y' = x': y_k = (k x_k − Σ_{j=1..k−1} j y_j u_{k−j}) / (k u_0)
//
// Every op that is not linear builds its rule from these, computing coefficient k from the
// coefficients below it (the auxiliary series g or u it needs are carried along in a small local
// array). Where an op has no rule of its own, taylor_from_derivative (numbers/taylor.hpp) derives
// one from its first-derivative rule.
//
// A zero that is zero by structure (an accumulator before its first term, the higher coefficients
// of a constant series, a step function's) is written T{}, a number static_cast<T>(x): on plain
// numbers they are the same, and Taylor mode's second try (numbers/tracked_series.hpp) forms no
// product with the former.
#ifndef TAPELESS_OPS_SERIES_HPP
#define TAPELESS_OPS_SERIES_HPP

#include <array>
#include <cmath>
#include <cstddef>

#include "../core/config.hpp"

namespace tapeless::series {

// Coefficient k of the product a·b.
template <class T>
TAPELESS_INLINE constexpr T product(const T* a, const T* b, std::size_t k) {
    T s = a[0] * b[k];
    TAPELESS_UNROLL
    for (std::size_t j = 1; j <= k; ++j) s = s + a[j] * b[k - j];
    return s;
}

// Coefficient k of the square a·a (the symmetric half of the product).
template <class T>
TAPELESS_INLINE constexpr T square(const T* a, std::size_t k) {
    T s{};
    TAPELESS_UNROLL
    for (std::size_t j = 0; 2 * j < k; ++j) s = s + a[j] * a[k - j];
    s = s + s;
    if (k % 2 == 0) s = s + a[k / 2] * a[k / 2];
    return s;
}

// Σ_{j=1..k} j x_j g_{k−j}, the numerator of the chain rule for coefficient k ≥ 1.
template <class T>
TAPELESS_INLINE constexpr T chain_sum(const T* x, const T* g, std::size_t k) {
    T s = x[1] * g[k - 1];
    TAPELESS_UNROLL
    for (std::size_t j = 2; j <= k; ++j) s = s + static_cast<T>(j) * x[j] * g[k - j];
    return s;
}

// The divisions of the recurrences are multiplications by a reciprocal computed once per op
// (`inv`: 1/b_0, 1/u_0, 1/(2 y_0), 1/x_0) and by 1/k (a constant once the loop over k is
// unrolled): a division has many times the latency of a multiplication, and these sit on the
// dependence chain from coefficient k − 1 to k. (With inv = ±inf at a pole, a zero numerator
// gives NaN and a non-zero one ±inf, as the divisions would.)

// 1/k as T.
template <class T>
TAPELESS_INLINE constexpr T inverse(std::size_t k) {
    return static_cast<T>(1) / static_cast<T>(k);
}

// Coefficient k ≥ 1 of y with y' = g x' (g known up to k − 1).
template <class T>
TAPELESS_INLINE constexpr T chain(const T* x, const T* g, std::size_t k) {
    return chain_sum(x, g, k) * inverse<T>(k);
}

// The series of a pair of functions that are each other's derivatives up to a sign, s' = c x' and
// c' = σ s x' (sin and cos: σ = −1; sinh and cosh: σ = +1), from s_0 and c_0 already in s[0],
// c[0]: s_k = chain(x, c, k), c_k = σ chain(x, s, k).
template <std::size_t K, int Sigma, class T>
TAPELESS_INLINE constexpr void derivative_pair(const T* x, T* s, T* c) {
    static_assert(Sigma == 1 || Sigma == -1);
    TAPELESS_UNROLL
    for (std::size_t k = 1; k <= K; ++k) {
        s[k] = chain(x, c, k);
        c[k] = Sigma > 0 ? chain(x, s, k) : -chain(x, s, k);
    }
}

// Coefficient k ≥ 1 of y with u y' = s x' (u known up to k − 1, y up to k − 1; s = ±1;
// inv = 1/u_0).
template <class T>
TAPELESS_INLINE constexpr T solve(const T* x, const T* u, const T* y, std::size_t k, const T& s,
                                  const T& inv) {
    T acc = s * static_cast<T>(k) * x[k];
    TAPELESS_UNROLL
    for (std::size_t j = 1; j < k; ++j) acc = acc - static_cast<T>(j) * y[j] * u[k - j];
    return acc * inverse<T>(k) * inv;
}

// Coefficient k ≥ 1 of a/b (y known up to k − 1; inv = 1/b_0).
template <class T>
TAPELESS_INLINE constexpr T quotient(const T* a, const T* b, const T* y, std::size_t k,
                                     const T& inv) {
    T acc = a[k];
    TAPELESS_UNROLL
    for (std::size_t j = 0; j < k; ++j) acc = acc - y[j] * b[k - j];
    return acc * inv;
}

// Coefficient k ≥ 1 of √x given y = √x up to k − 1 (inv = 1/(2 y_0)).
template <class T>
TAPELESS_INLINE constexpr T sqrt_step(const T* x, const T* y, std::size_t k, const T& inv) {
    T acc = x[k];
    TAPELESS_UNROLL
    for (std::size_t j = 1; j < k; ++j) acc = acc - y[j] * y[k - j];
    return acc * inv;
}

// Coefficient k ≥ 1 of x^r (r constant, x_0 ≠ 0), from x y' = r x' y (inv = 1/x_0):
// y_k = (1/(k x_0)) Σ_{j=0..k−1} (r (k − j) − j) x_{k−j} y_j.
template <class T>
TAPELESS_INLINE constexpr T power_step(const T* x, const T* y, const T& r, std::size_t k,
                                       const T& inv) {
    T acc{};
    TAPELESS_UNROLL
    for (std::size_t j = 0; j < k; ++j)
        acc = acc + (r * static_cast<T>(k - j) - static_cast<T>(j)) * x[k - j] * y[j];
    return acc * inverse<T>(k) * inv;
}

// y = x^M by repeated squaring of series (exact for polynomials; defined at x_0 = 0). The first
// factor is taken as it is rather than multiplied into the series 1 (whose zero coefficients
// times an infinite one would be NaN: x² at x_0 = big).
template <std::size_t K, class T>
constexpr void integer_power(const T* x, unsigned m, T* y) {
    std::array<T, K + 1> b{}, r{}, t{};
    TAPELESS_UNROLL for (std::size_t k = 0; k <= K; ++k) {
        b[k] = x[k];
        r[k] = k == 0 ? static_cast<T>(1) : T{};
    }
    bool first = true;
    for (unsigned e = m; e != 0; e >>= 1) {
        if (e & 1U) {
            if (first) {
                r = b;
                first = false;
            } else {
                TAPELESS_UNROLL
                for (std::size_t k = 0; k <= K; ++k) t[k] = product(r.data(), b.data(), k);
                r = t;
            }
        }
        if (e > 1) {
            TAPELESS_UNROLL
            for (std::size_t k = 0; k <= K; ++k) t[k] = square(b.data(), k);
            b = t;
        }
    }
    TAPELESS_UNROLL
    for (std::size_t k = 0; k <= K; ++k) y[k] = r[k];
}

// y = f(x) from the derivatives of f at x_0: d[j] = f⁽ʲ⁾(x_0)/j! for j = 1..K (Faà di Bruno):
// y_k = Σ_{j=1..k} d_j [t^k] (x − x_0)^j. O(K³); for the points where a recurrence that divides
// by x_0 is undefined (x_0 = 0 or ±inf for x^r), since the derivatives themselves are then
// infinite or zero rather than 0/0. x − x_0 has a structural zero at t⁰, so (x − x_0)^j's
// coefficients below j are structural zeros too, and the second try forms no product with them.
template <std::size_t K, class T>
constexpr void from_derivatives(const T* x, const T* d, T* y) {
    std::array<T, K + 1> p{}, q{}, t{};
    TAPELESS_UNROLL for (std::size_t k = 1; k <= K; ++k) {
        p[k] = x[k];
        q[k] = x[k];
        y[k] = T{};
    }
    TAPELESS_UNROLL for (std::size_t j = 1; j <= K; ++j) {
        TAPELESS_UNROLL
        for (std::size_t k = j; k <= K; ++k) y[k] = y[k] + d[j] * q[k];
        if (j == K) break;
        TAPELESS_UNROLL for (std::size_t k = 0; k <= K; ++k) {
            T s{};
            TAPELESS_UNROLL
            for (std::size_t i = 1; i < k; ++i) s = s + q[i] * p[k - i];
            t[k] = s;
        }
        q = t;
    }
}

// The Taylor rule of a function whose derivatives of every order are value functions:
// coefficient 0 is y0, and d_j = f⁽ʲ⁾(x₀)/j! with f⁽ʲ⁾(x₀) = derivative(j, x₀)
// (series::from_derivatives).
template <std::size_t K, class T, class F>
constexpr void taylor_by_derivatives(const T* x, T* y, const T& y0, F derivative) {
    std::array<T, K + 1> d{};
    T factorial = static_cast<T>(1);
    TAPELESS_UNROLL for (std::size_t j = 1; j <= K; ++j) {
        factorial = factorial * static_cast<T>(j);
        d[j] = derivative(j, x[0]) / factorial;
    }
    y[0] = y0;
    from_derivatives<K>(x, d.data(), y);
}

// y = x^r (r constant) where x_0 is 0 or ±inf and power_step's division by x_0 is undefined: the
// coefficients from the derivatives f⁽ʲ⁾(x_0)/j! = binom(r, j) · base^(p + q j), with base^(p + q
// j) standing for x_0^(r − j) (base = x_0, p = r, q = −1; ∛x: base = ∛x_0, p = 1, q = −3, so that
// the odd root keeps its sign at −0 and −inf). y_0 is the caller's.
template <std::size_t K, class T>
constexpr void power_from_derivatives(const T* x, const T& r, const T& base, const T& p, const T& q,
                                      T* y) {
    using std::pow;
    std::array<T, K + 1> d{};
    T binomial = static_cast<T>(1);
    TAPELESS_UNROLL for (std::size_t j = 1; j <= K; ++j) {
        binomial = binomial * (r - static_cast<T>(j - 1)) * inverse<T>(j);
        d[j] = binomial * pow(base, p + q * static_cast<T>(j));
    }
    from_derivatives<K>(x, d.data(), y);
}

// True where x_0 is ±0 or not finite: the recurrences that divide by x_0 (x^r for a real r, ∛x)
// are undefined there.
template <class T>
TAPELESS_INLINE constexpr bool zero_or_not_finite(const T& x0) {
    return x0 == static_cast<T>(0) || !(x0 - x0 == x0 - x0);
}

// y = 1/x (x_0 ≠ 0).
template <std::size_t K, class T>
constexpr void reciprocal(const T* x, T* y) {
    y[0] = static_cast<T>(1) / x[0];
    TAPELESS_UNROLL for (std::size_t k = 1; k <= K; ++k) {
        T acc{};
        TAPELESS_UNROLL
        for (std::size_t j = 0; j < k; ++j) acc = acc - y[j] * x[k - j];
        y[k] = acc * y[0];
    }
}

} // namespace tapeless::series

#endif
