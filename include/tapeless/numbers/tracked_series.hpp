// tapeless/numbers/tracked_series.hpp — tracked_coefficient<T>: a Taylor coefficient that knows
// whether it is zero by structure, for Taylor mode's NaN-free second try.
//
// The Taylor recurrences (ops/series.hpp) sum products of coefficients. Many coefficients are zero
// by structure: an input's coefficients beyond c₁ (the line p + t·dir has no curvature), c₁ of an
// input whose direction component is 0, a constant's, a step function's. Where such a 0 meets an
// infinite coefficient the IEEE product is NaN (c₂ of x² at x = inf: 2·x₀·x₂ + x₁² = inf·0 + 1),
// though the exact coefficient is a number. taylor<tracked_coefficient<T>, K> runs every rule
// unchanged on coefficients that carry a flag, "live": false for a value-initialised coefficient
// (T{}: the structural zeros above), true for every number made from a value (T(x), constants,
// the value coefficient c₀, results of functions). A product with a coefficient that is not live
// is not formed (it is zero and not live); a sum is live if a term is. A coefficient that is zero
// by arithmetic stays live, so 0 · inf stays NaN where it is not a structural zero.
//
// Taylor mode runs on plain coefficients and takes this type only where a result holds a NaN
// coefficient (modes/taylor_coefficients.hpp).
#ifndef TAPELESS_NUMBERS_TRACKED_SERIES_HPP
#define TAPELESS_NUMBERS_TRACKED_SERIES_HPP

#include <cmath>
#include <compare>
#include <type_traits>

#include "mixed_arithmetic.hpp"

namespace tapeless::detail::tracked {

template <class T>
struct tracked_coefficient : mixed_arithmetic<tracked_coefficient<T>> {
    static_assert(std::is_floating_point_v<T>,
                  "tapeless: tracked_coefficient holds floating-point numbers");
    using value_type = T;
    T v{};
    bool live{}; // false: zero by structure

    constexpr tracked_coefficient() = default;
    template <class A>
        requires std::is_arithmetic_v<A>
    // NOLINTNEXTLINE(google-explicit-constructor)
    constexpr tracked_coefficient(const A& x) : v(static_cast<T>(x)), live(true) {}
    // The value, so that a user operation's rule written with std::exp(x) compiles here too (its
    // result is a number: live).
    constexpr operator T() const { return v; } // NOLINT(google-explicit-constructor)

    // A plain number in mixed arithmetic (mixed_arithmetic.hpp): a constant.
    template <class A>
    static constexpr tracked_coefficient from_number(const A& x) {
        return tracked_coefficient(x);
    }
    static constexpr tracked_coefficient of(const T& x, bool is_live) {
        tracked_coefficient r;
        r.v = is_live ? x : T{};
        r.live = is_live;
        return r;
    }

    friend constexpr tracked_coefficient operator+(const tracked_coefficient& a) { return a; }
    friend constexpr tracked_coefficient operator-(const tracked_coefficient& a) {
        return of(-a.v, a.live);
    }
    friend constexpr tracked_coefficient operator+(const tracked_coefficient& a,
                                                   const tracked_coefficient& b) {
        tracked_coefficient r;
        r.v = a.v + b.v;
        r.live = a.live || b.live;
        return r;
    }
    friend constexpr tracked_coefficient operator-(const tracked_coefficient& a,
                                                   const tracked_coefficient& b) {
        tracked_coefficient r;
        r.v = a.v - b.v;
        r.live = a.live || b.live;
        return r;
    }
    friend constexpr tracked_coefficient operator*(const tracked_coefficient& a,
                                                   const tracked_coefficient& b) {
        return a.live && b.live ? of(a.v * b.v, true) : tracked_coefficient{};
    }
    friend constexpr tracked_coefficient operator/(const tracked_coefficient& a,
                                                   const tracked_coefficient& b) {
        return a.live ? of(a.v / b.v, true) : tracked_coefficient{};
    }
};

// The functions the operations' value rules call (unqualified, after `using std::f`): the value
// of <cmath>'s function, live.
#define TAPELESS_TRACKED_UNARY(f)                                                                  \
    template <class T>                                                                             \
    constexpr tracked_coefficient<T> f(const tracked_coefficient<T>& x) {                          \
        using std::f;                                                                              \
        return tracked_coefficient<T>(f(x.v));                                                     \
    }
#define TAPELESS_TRACKED_BINARY(f)                                                                 \
    template <class T>                                                                             \
    constexpr tracked_coefficient<T> f(const tracked_coefficient<T>& a,                            \
                                       const tracked_coefficient<T>& b) {                          \
        using std::f;                                                                              \
        return tracked_coefficient<T>(f(a.v, b.v));                                                \
    }
TAPELESS_TRACKED_UNARY(abs)
TAPELESS_TRACKED_UNARY(fabs)
TAPELESS_TRACKED_UNARY(floor)
TAPELESS_TRACKED_UNARY(exp)
TAPELESS_TRACKED_UNARY(expm1)
TAPELESS_TRACKED_UNARY(log)
TAPELESS_TRACKED_UNARY(log1p)
TAPELESS_TRACKED_UNARY(sqrt)
TAPELESS_TRACKED_UNARY(cbrt)
TAPELESS_TRACKED_UNARY(sin)
TAPELESS_TRACKED_UNARY(cos)
TAPELESS_TRACKED_UNARY(tan)
TAPELESS_TRACKED_UNARY(asin)
TAPELESS_TRACKED_UNARY(acos)
TAPELESS_TRACKED_UNARY(atan)
TAPELESS_TRACKED_UNARY(sinh)
TAPELESS_TRACKED_UNARY(cosh)
TAPELESS_TRACKED_UNARY(tanh)
TAPELESS_TRACKED_BINARY(pow)
TAPELESS_TRACKED_BINARY(atan2)
TAPELESS_TRACKED_BINARY(hypot)
#undef TAPELESS_TRACKED_UNARY
#undef TAPELESS_TRACKED_BINARY

} // namespace tapeless::detail::tracked

namespace tapeless::detail {
using tracked::tracked_coefficient;
} // namespace tapeless::detail

#endif
