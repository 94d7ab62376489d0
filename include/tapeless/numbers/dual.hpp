// tapeless/numbers/dual.hpp — dual<T, N>: a number with N tangents, for forward mode.
//
// A dual number is an ordinary value type: use it in any generic code, with runtime loops and
// branches (comparisons look at the value only), or nested (dual<dual<double, 1>, n> carries
// second derivatives). Its arithmetic is written here; every other operation takes its derivative
// from the operation's rule in ops/: tl::sin(d) has value sin(d.v) and tangents cos(d.v) · d.d.
#ifndef TAPELESS_NUMBERS_DUAL_HPP
#define TAPELESS_NUMBERS_DUAL_HPP

#include <array>
#include <compare>
#include <cstddef>
#include <type_traits>

#include "../core/expr.hpp"
#include "../ops/common.hpp"
#include "mixed_arithmetic.hpp"

namespace tapeless {

template <class T, std::size_t N>
struct dual : detail::mixed_arithmetic<dual<T, N>> {
    using value_type = T;
    static constexpr std::size_t tangent_count = N;

    T v;                // the value
    std::array<T, N> d; // the tangents: directional derivatives along N directions

    // Like double: `dual x;` is uninitialised, `dual x{}` (and dual()) is zero with zero tangents.
    // (The sweeps' node storage is an array of duals that every sweep writes before it reads; a
    // zeroing default constructor made g++ clear it on every call where it could not see that.)
    constexpr dual() = default;
    // A constant: all tangents zero.
    constexpr dual(const T& value) : v(value), d{} {} // NOLINT(google-explicit-constructor)
    template <class A>
        requires(std::is_arithmetic_v<A> && !std::is_same_v<A, T>)
    // NOLINTNEXTLINE(google-explicit-constructor)
    constexpr dual(const A& value) : v(static_cast<T>(value)), d{} {}
    constexpr dual(const T& value, const std::array<T, N>& tangents) : v(value), d(tangents) {}

    // Input i of N: value x, tangent e_i.
    static constexpr dual seed(const T& x, std::size_t i) {
        dual r(x);
        r.d[i] = static_cast<T>(1);
        return r;
    }

    friend constexpr dual operator+(const dual& a) { return a; }
    friend constexpr dual operator-(const dual& a) {
        dual r;
        r.v = -a.v;
        for (std::size_t i = 0; i < N; ++i) r.d[i] = -a.d[i];
        return r;
    }
    // d(a + b) = da + db
    friend constexpr dual operator+(const dual& a, const dual& b) {
        dual r;
        r.v = a.v + b.v;
        for (std::size_t i = 0; i < N; ++i) r.d[i] = a.d[i] + b.d[i];
        return r;
    }
    // d(a − b) = da − db
    friend constexpr dual operator-(const dual& a, const dual& b) {
        dual r;
        r.v = a.v - b.v;
        for (std::size_t i = 0; i < N; ++i) r.d[i] = a.d[i] - b.d[i];
        return r;
    }
    // d(ab) = b da + a db
    friend constexpr dual operator*(const dual& a, const dual& b) {
        dual r;
        r.v = a.v * b.v;
        for (std::size_t i = 0; i < N; ++i) r.d[i] = a.d[i] * b.v + a.v * b.d[i];
        return r;
    }
    // d(a/b) = (da − (a/b) db) / b  (one division: the tangents multiply by 1/b)
    friend constexpr dual operator/(const dual& a, const dual& b) {
        dual r;
        r.v = a.v / b.v;
        const T inv = static_cast<T>(1) / b.v;
        for (std::size_t i = 0; i < N; ++i) r.d[i] = (a.d[i] - r.v * b.d[i]) * inv;
        return r;
    }
    // With a plain T on one side, only the dual side has tangents.
    friend constexpr dual operator+(const dual& a, const T& b) { return dual(a.v + b, a.d); }
    friend constexpr dual operator+(const T& a, const dual& b) { return dual(a + b.v, b.d); }
    friend constexpr dual operator-(const dual& a, const T& b) { return dual(a.v - b, a.d); }
    friend constexpr dual operator-(const T& a, const dual& b) { return dual(a, {}) - b; }
    friend constexpr dual operator*(const dual& a, const T& b) {
        dual r;
        r.v = a.v * b;
        for (std::size_t i = 0; i < N; ++i) r.d[i] = a.d[i] * b;
        return r;
    }
    friend constexpr dual operator*(const T& a, const dual& b) { return b * a; }
    friend constexpr dual operator/(const dual& a, const T& b) {
        dual r;
        r.v = a.v / b;
        for (std::size_t i = 0; i < N; ++i) r.d[i] = a.d[i] / b;
        return r;
    }
    friend constexpr dual operator/(const T& a, const dual& b) { return dual(a, {}) / b; }

    // Comparisons look at the value only, so branches in generic code follow the values (with a
    // plain number of another type: mixed_arithmetic.hpp).
    friend constexpr bool operator==(const dual& a, const T& b) { return a.v == b; }
    friend constexpr auto operator<=>(const dual& a, const T& b) { return a.v <=> b; }

    // Any other arithmetic type on one side (2.0, 2) becomes a T first (mixed_arithmetic.hpp):
    // for nested duals (dual<dual<double, 1>, n>) 2.0 would otherwise convert to dual and to T
    // alike (ambiguous).
    template <class A>
    static constexpr T from_number(const A& x) {
        return static_cast<T>(x);
    }
};

template <class X>
concept Dual = NumberOf<X, dual>;

// A passive dual is its plain value (ops/common.hpp: passive operands); nested duals all the way
// down.
template <class T, std::size_t N>
struct passive_traits<dual<T, N>> {
    using type = passive_t<T>;
    static constexpr type value(const dual<T, N>& x) { return passive(x.v); }
};

// Every operation of ops/ on dual numbers, from its first-derivative rule.
template <class Op, class X>
    requires Dual<X>
struct unary_dispatch<Op, X> {
    static constexpr X apply(const X& x) {
        X r;
        r.v = Op::value(x.v);
        const auto g = Op::derivative(x.v, r.v);
        for (std::size_t i = 0; i < X::tangent_count; ++i) r.d[i] = g * x.d[i];
        return r;
    }
};

// Operands of a binary operation on duals: at least one dual, neither an expression.
template <class A, class B>
concept DualOperands = !Expression<A> && !Expression<B> && (Dual<A> || Dual<B>);

template <class Op, class A, class B>
    requires DualOperands<A, B>
struct binary_dispatch<Op, A, B> {
    using D = std::conditional_t<Dual<A>, A, B>;
    using V = typename D::value_type;
    using P = passive_t<D>;
    // The operation's value with one operand passive: plain arithmetic, or again this dispatch for
    // nested duals.
    template <class X, class Y>
    static constexpr V inner(const X& x, const Y& y) {
        if constexpr (std::is_arithmetic_v<V>)
            return Op::value(static_cast<V>(x), static_cast<V>(y));
        else
            return apply_element<Op>(x, y);
    }
    static constexpr D apply(const A& a, const B& b) {
        if constexpr (Dual<A> && Dual<B>) {
            D r;
            r.v = Op::value(a.v, b.v);
            const auto ga = Op::da(a.v, b.v, r.v);
            const auto gb = Op::db(a.v, b.v, r.v);
            for (std::size_t i = 0; i < D::tangent_count; ++i) r.d[i] = ga * a.d[i] + gb * b.d[i];
            return r;
        } else if constexpr (Dual<A>) {
            // b is passive (a number, or a value with no tangents): only ∂/∂a is evaluated.
            const P pb = static_cast<P>(b);
            D r;
            r.v = inner(a.v, pb);
            const auto g = Op::da(a.v, pb, r.v);
            for (std::size_t i = 0; i < D::tangent_count; ++i) r.d[i] = g * a.d[i];
            return r;
        } else {
            const P pa = static_cast<P>(a);
            D r;
            r.v = inner(pa, b.v);
            const auto g = Op::db(pa, b.v, r.v);
            for (std::size_t i = 0; i < D::tangent_count; ++i) r.d[i] = g * b.d[i];
            return r;
        }
    }
};

} // namespace tapeless

#endif
