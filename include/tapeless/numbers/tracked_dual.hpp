// tapeless/numbers/tracked_dual.hpp — tracked_dual<T, N>: a dual number that knows which of its
// tangents are zero by structure, for the sweeps' NaN-free second try.
//
// On plain dual numbers a tangent that is zero because nothing seeds it (input i's tangent along
// input j, a zero component of a jvp's direction, everything downstream of those alone) still
// multiplies the partials it meets: 0 · inf = NaN where one operand's partial is infinite
// (∂/∂a (a/b) along b at b = 0), although reverse mode, which never forms that product, gives a
// number. A tracked_dual carries one flag per tangent, "live": set where the input is seeded with a
// non-zero tangent, and on every result of an operation with a live operand. A product of a
// partial and a tangent that is not live is not formed (it is zero), so tangents along a
// direction a node does not depend on stay exactly zero, as in reverse mode. A tangent that is
// zero by arithmetic (3x² · x′ at x = 0) stays live: its products with infinite partials are NaN,
// as they are in reverse mode (no silent zero where the derivative is not zero).
//
// The flags cost a branch per product, so the sweeps run on plain dual numbers and take this type
// only when a result's tangents hold a NaN (modes/gradient.hpp: dual_sweep; modes/hessian.hpp:
// dual_reverse_sweep): the fast path pays one NaN test of its results.
#ifndef TAPELESS_NUMBERS_TRACKED_DUAL_HPP
#define TAPELESS_NUMBERS_TRACKED_DUAL_HPP

#include <array>
#include <compare>
#include <cstddef>
#include <type_traits>

#include "dual.hpp"
#include "mixed_arithmetic.hpp"

namespace tapeless {

// (In namespace tapeless, not detail, so that generic rules' unqualified exp(x), log(x) find
// tapeless's operations by argument-dependent lookup, as they do for dual.)
template <class T, std::size_t N>
struct tracked_dual : detail::mixed_arithmetic<tracked_dual<T, N>> {
    static_assert(std::is_floating_point_v<T>,
                  "tapeless: tracked_dual holds floating-point numbers");
    using value_type = T;
    static constexpr std::size_t tangent_count = N;

    T v;
    std::array<T, N> d;
    std::array<bool, N> live; // false: the tangent is zero by structure

    constexpr tracked_dual() = default;
    // NOLINTNEXTLINE(google-explicit-constructor)
    constexpr tracked_dual(const T& value) : v(value), d{}, live{} {}
    template <class A>
        requires(std::is_arithmetic_v<A> && !std::is_same_v<A, T>)
    // NOLINTNEXTLINE(google-explicit-constructor)
    constexpr tracked_dual(const A& value) : tracked_dual(static_cast<T>(value)) {}

    // A plain number in mixed arithmetic (mixed_arithmetic.hpp): a constant.
    template <class A>
    static constexpr tracked_dual from_number(const A& x) {
        return tracked_dual(x);
    }
    // Tangent k set to t: live unless t is zero.
    constexpr void set_tangent(std::size_t k, const T& t) {
        d[k] = t;
        live[k] = t != static_cast<T>(0);
    }
    // The plain dual with the same value and tangents.
    constexpr dual<T, N> plain() const { return dual<T, N>(v, d); }

    // g · d[k], or zero where d[k] is zero by structure.
    constexpr T scaled(const T& g, std::size_t k) const {
        return live[k] ? g * d[k] : static_cast<T>(0);
    }

    friend constexpr tracked_dual operator+(const tracked_dual& a) { return a; }
    // −a: the plain dual's negation, with a's live tangents.
    friend constexpr tracked_dual operator-(const tracked_dual& a) {
        const dual<T, N> n = -a.plain();
        tracked_dual r = a;
        r.v = n.v;
        r.d = n.d;
        return r;
    }
    friend constexpr tracked_dual operator+(const tracked_dual& a, const tracked_dual& b) {
        tracked_dual r;
        r.v = a.v + b.v;
        for (std::size_t k = 0; k < N; ++k) {
            r.d[k] = a.d[k] + b.d[k];
            r.live[k] = a.live[k] || b.live[k];
        }
        return r;
    }
    friend constexpr tracked_dual operator-(const tracked_dual& a, const tracked_dual& b) {
        return a + -b;
    }
    friend constexpr tracked_dual operator*(const tracked_dual& a, const tracked_dual& b) {
        tracked_dual r;
        r.v = a.v * b.v;
        for (std::size_t k = 0; k < N; ++k) {
            r.d[k] = a.scaled(b.v, k) + b.scaled(a.v, k);
            r.live[k] = a.live[k] || b.live[k];
        }
        return r;
    }
    // d(a/b) = (da − (a/b) db) · (1/b)
    friend constexpr tracked_dual operator/(const tracked_dual& a, const tracked_dual& b) {
        tracked_dual r;
        r.v = a.v / b.v;
        const T inv = static_cast<T>(1) / b.v;
        for (std::size_t k = 0; k < N; ++k) {
            r.live[k] = a.live[k] || b.live[k];
            const T num = (a.live[k] ? a.d[k] : static_cast<T>(0)) - b.scaled(r.v, k);
            r.d[k] = r.live[k] ? num * inv : static_cast<T>(0);
        }
        return r;
    }
};

namespace detail {
template <class X>
concept TrackedDual = NumberOf<X, tracked_dual>;

// Tangent k of a number of the sweeps set to t (dual: stored; tracked_dual: stored and marked live
// unless zero). Inlined: the seeding loops of the dense Hessian's K tangents ran slower where g++
// kept this a call (measured: docs/benchmarks.md, Second derivatives, the second try).
template <class D, class V>
TAPELESS_INLINE constexpr void set_tangent(D& x, std::size_t k, const V& t) {
    if constexpr (TrackedDual<D>)
        x.set_tangent(k, static_cast<typename D::value_type>(t));
    else
        x.d[k] = t;
}

} // namespace detail

template <class T, std::size_t N>
struct passive_traits<tracked_dual<T, N>> {
    using type = T;
    static constexpr T value(const tracked_dual<T, N>& x) { return x.v; }
};

// Every operation of ops/ on tracked duals, from its first-derivative rule, as for dual.
template <class Op, class X>
    requires detail::TrackedDual<X>
struct unary_dispatch<Op, X> {
    static constexpr X apply(const X& x) {
        X r;
        r.v = Op::value(x.v);
        const auto g = Op::derivative(x.v, r.v);
        r.live = x.live;
        for (std::size_t k = 0; k < X::tangent_count; ++k) r.d[k] = x.scaled(g, k);
        return r;
    }
};

// Operands of a binary operation on tracked duals: at least one, neither an expression.
template <class A, class B>
concept TrackedDualOperands =
    !Expression<A> && !Expression<B> && (detail::TrackedDual<A> || detail::TrackedDual<B>);

template <class Op, class A, class B>
    requires TrackedDualOperands<A, B>
struct binary_dispatch<Op, A, B> {
    using D = std::conditional_t<detail::TrackedDual<A>, A, B>;
    using V = typename D::value_type;
    static constexpr D apply(const A& a, const B& b) {
        D r;
        if constexpr (detail::TrackedDual<A> && detail::TrackedDual<B>) {
            r.v = Op::value(a.v, b.v);
            const auto ga = Op::da(a.v, b.v, r.v);
            const auto gb = Op::db(a.v, b.v, r.v);
            for (std::size_t k = 0; k < D::tangent_count; ++k) {
                r.d[k] = a.scaled(ga, k) + b.scaled(gb, k);
                r.live[k] = a.live[k] || b.live[k];
            }
        } else if constexpr (detail::TrackedDual<A>) {
            const V pb = static_cast<V>(b);
            r.v = Op::value(a.v, pb);
            const auto g = Op::da(a.v, pb, r.v);
            r.live = a.live;
            for (std::size_t k = 0; k < D::tangent_count; ++k) r.d[k] = a.scaled(g, k);
        } else {
            const V pa = static_cast<V>(a);
            r.v = Op::value(pa, b.v);
            const auto g = Op::db(pa, b.v, r.v);
            r.live = b.live;
            for (std::size_t k = 0; k < D::tangent_count; ++k) r.d[k] = b.scaled(g, k);
        }
        return r;
    }
};

} // namespace tapeless

#endif
