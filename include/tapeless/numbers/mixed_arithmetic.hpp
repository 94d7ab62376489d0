// tapeless/numbers/mixed_arithmetic.hpp — the operators a number type of the sweeps shares with
// plain numbers, written once.
//
// A number type D (dual, tracked_dual, tracked_coefficient) derives from mixed_arithmetic<D> and
// defines + − · / on two D's (and, if it likes, on a D and a plain value); this base adds D op A
// and A op D for any arithmetic A, the compound assignments, and comparisons, which look at the
// value D::v only (so branches in generic code follow the values). A becomes D::from_number(a)
// first: a constant D, or for dual<T, N> a T (so that 2.0 * x is n + 1 products, and for nested
// duals 2.0 converts to the inner dual, not ambiguously to both).
#ifndef TAPELESS_NUMBERS_MIXED_ARITHMETIC_HPP
#define TAPELESS_NUMBERS_MIXED_ARITHMETIC_HPP

#include <compare>
#include <type_traits>

namespace tapeless::detail {

template <class A>
concept plain_number = std::is_arithmetic_v<A>;

template <class D>
struct mixed_arithmetic {
    template <plain_number A>
    friend constexpr D operator+(const D& a, const A& b) {
        return a + D::from_number(b);
    }
    template <plain_number A>
    friend constexpr D operator+(const A& a, const D& b) {
        return D::from_number(a) + b;
    }
    template <plain_number A>
    friend constexpr D operator-(const D& a, const A& b) {
        return a - D::from_number(b);
    }
    template <plain_number A>
    friend constexpr D operator-(const A& a, const D& b) {
        return D::from_number(a) - b;
    }
    template <plain_number A>
    friend constexpr D operator*(const D& a, const A& b) {
        return a * D::from_number(b);
    }
    template <plain_number A>
    friend constexpr D operator*(const A& a, const D& b) {
        return D::from_number(a) * b;
    }
    template <plain_number A>
    friend constexpr D operator/(const D& a, const A& b) {
        return a / D::from_number(b);
    }
    template <plain_number A>
    friend constexpr D operator/(const A& a, const D& b) {
        return D::from_number(a) / b;
    }

    friend constexpr D& operator+=(D& a, const D& b) { return a = a + b; }
    friend constexpr D& operator-=(D& a, const D& b) { return a = a - b; }
    friend constexpr D& operator*=(D& a, const D& b) { return a = a * b; }
    friend constexpr D& operator/=(D& a, const D& b) { return a = a / b; }

    friend constexpr bool operator==(const D& a, const D& b) { return a.v == b.v; }
    friend constexpr auto operator<=>(const D& a, const D& b) { return a.v <=> b.v; }
    template <plain_number A>
    friend constexpr bool operator==(const D& a, const A& b) {
        return a.v == static_cast<typename D::value_type>(b);
    }
    template <plain_number A>
    friend constexpr auto operator<=>(const D& a, const A& b) {
        return a.v <=> static_cast<typename D::value_type>(b);
    }
};

} // namespace tapeless::detail

#endif
