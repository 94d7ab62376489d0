// tapeless/modes/mixed_arithmetic.hpp — the operators a number type of the sweeps shares with
// plain numbers, written once.
//
// A number type D (tracked_dual, tracked_coefficient) derives from mixed_arithmetic<D> and
// defines + − · / on two D's; this base adds D op A and A op D for any arithmetic A (A becomes a
// constant D first), the compound assignments, and comparisons, which look at the value D::v
// only (so branches in generic code follow the values).
#ifndef TAPELESS_MODES_MIXED_ARITHMETIC_HPP
#define TAPELESS_MODES_MIXED_ARITHMETIC_HPP

#include <compare>
#include <type_traits>

namespace tapeless::detail {

template <class A>
concept plain_number = std::is_arithmetic_v<A>;

template <class D>
struct mixed_arithmetic {
    template <plain_number A>
    friend constexpr D operator+(const D& a, const A& b) { return a + D(b); }
    template <plain_number A>
    friend constexpr D operator+(const A& a, const D& b) { return D(a) + b; }
    template <plain_number A>
    friend constexpr D operator-(const D& a, const A& b) { return a - D(b); }
    template <plain_number A>
    friend constexpr D operator-(const A& a, const D& b) { return D(a) - b; }
    template <plain_number A>
    friend constexpr D operator*(const D& a, const A& b) { return a * D(b); }
    template <plain_number A>
    friend constexpr D operator*(const A& a, const D& b) { return D(a) * b; }
    template <plain_number A>
    friend constexpr D operator/(const D& a, const A& b) { return a / D(b); }
    template <plain_number A>
    friend constexpr D operator/(const A& a, const D& b) { return D(a) / b; }

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
