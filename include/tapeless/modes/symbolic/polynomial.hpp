// tapeless/modes/symbolic/polynomial.hpp — a derivative that is a polynomial, written out expanded.
//
// A derivative that is a polynomial in one variable with literal coefficients is also written out
// in expanded form, Σ c_k x^k by falling k (the chain-rule example's dF/dx = 16x³ + 8x; README,
// Sources), and that form is taken when its DAG is smaller. The coefficients are computed by
// constexpr code over the top of the derivative's DAG, memoised per node type; a node that is not
// polynomial stops the search at once.
#ifndef TAPELESS_MODES_SYMBOLIC_POLYNOMIAL_HPP
#define TAPELESS_MODES_SYMBOLIC_POLYNOMIAL_HPP

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "../../core/name.hpp"
#include "../../core/node.hpp"
#include "../../core/rational.hpp"
#include "../../graph/dag.hpp"
#include "../../ops/arithmetic.hpp"
#include "../../ops/power.hpp"
#include "simplify.hpp"

namespace tapeless::detail::symbolic {

inline constexpr int max_poly_degree = 24;

struct polynomial {
    bool ok = false;
    int degree = 0;
    rational c[max_poly_degree + 1]{};
};

// Rational arithmetic that reports overflow instead of throwing (a failed expansion is no error).
constexpr bool rational_mul(rational a, rational b, rational& r) {
    std::int64_t n = 0, d = 0;
    if (__builtin_mul_overflow(a.num, b.num, &n) || __builtin_mul_overflow(a.den, b.den, &d))
        return false;
    r = normalize({n, d});
    return true;
}
constexpr bool rational_add(rational a, rational b, rational& r) {
    std::int64_t x = 0, y = 0, n = 0, d = 0;
    if (__builtin_mul_overflow(a.num, b.den, &x) || __builtin_mul_overflow(b.num, a.den, &y) ||
        __builtin_add_overflow(x, y, &n) || __builtin_mul_overflow(a.den, b.den, &d))
        return false;
    r = normalize({n, d});
    return true;
}

constexpr polynomial poly_constant(rational v, int degree = 0) {
    polynomial p;
    p.ok = true;
    p.degree = degree;
    p.c[degree] = v;
    return p;
}
constexpr polynomial poly_add(const polynomial& a, const polynomial& b, std::int64_t sign) {
    polynomial r;
    if (!a.ok || !b.ok) return r;
    r.degree = a.degree > b.degree ? a.degree : b.degree;
    for (int k = 0; k <= r.degree; ++k)
        if (!rational_add(a.c[k], rational{sign * b.c[k].num, b.c[k].den}, r.c[k]))
            return polynomial{};
    r.ok = true;
    return r;
}
constexpr polynomial poly_mul(const polynomial& a, const polynomial& b) {
    polynomial r;
    if (!a.ok || !b.ok || a.degree + b.degree > max_poly_degree) return r;
    r.degree = a.degree + b.degree;
    for (int i = 0; i <= a.degree; ++i)
        for (int j = 0; j <= b.degree; ++j) {
            rational t{};
            if (!rational_mul(a.c[i], b.c[j], t) || !rational_add(r.c[i + j], t, r.c[i + j]))
                return polynomial{};
        }
    r.ok = true;
    return r;
}

// The polynomial of node N and its variable (void: none yet).
template <class N>
struct poly_of {
    static constexpr polynomial value{};
    using variable = void;
};
template <rational R>
struct poly_of<lit<R>> {
    static constexpr polynomial value = poly_constant(R);
    using variable = void;
};
template <std::size_t J, name Nm, bool A>
struct poly_of<var<J, scalar, Nm, A>> {
    static constexpr polynomial value = poly_constant(rational{1, 1}, 1);
    using variable = var<J, scalar, Nm, A>;
};

template <class VA, class VB>
inline constexpr bool same_variable_v =
    std::is_void_v<VA> || std::is_void_v<VB> || std::is_same_v<VA, VB>;

template <class Op, class A, class B>
constexpr polynomial poly_binary() {
    constexpr const polynomial& a = poly_of<A>::value;
    if constexpr (!a.ok) {
        return polynomial{};
    } else {
        constexpr const polynomial& b = poly_of<B>::value;
        if constexpr (!b.ok || !same_variable_v<typename poly_of<A>::variable,
                                                typename poly_of<B>::variable>)
            return polynomial{};
        else if constexpr (std::is_same_v<Op, op::add>)
            return poly_add(a, b, 1);
        else if constexpr (std::is_same_v<Op, op::sub>)
            return poly_add(a, b, -1);
        else
            return poly_mul(a, b);
    }
}
template <class Op, class A, class B>
    requires(std::is_same_v<Op, op::add> || std::is_same_v<Op, op::sub> ||
             std::is_same_v<Op, op::mul>)
struct poly_of<node<Op, A, B>> {
    static constexpr polynomial value = poly_binary<Op, A, B>();
    using variable =
        std::conditional_t<std::is_void_v<typename poly_of<A>::variable>,
                           typename poly_of<B>::variable, typename poly_of<A>::variable>;
};
template <class A>
struct poly_of<node<op::neg, A>> {
    static constexpr polynomial value =
        poly_add(poly_constant(rational{0, 1}), poly_of<A>::value, -1);
    using variable = typename poly_of<A>::variable;
};
template <int K, class A>
    requires(K >= 0 && K <= max_poly_degree)
struct poly_of<node<op::powi<K>, A>> {
    static constexpr polynomial power() {
        polynomial r = poly_constant(rational{1, 1});
        for (int k = 0; k < K; ++k) r = poly_mul(r, poly_of<A>::value);
        return r;
    }
    static constexpr polynomial value = power();
    using variable = typename poly_of<A>::variable;
};

// x^K as a node: 1, x, or powi<K>(x).
template <class V, int K>
constexpr auto monomial() {
    if constexpr (K == 0)
        return literal_handle<rational{1, 1}>();
    else if constexpr (K == 1)
        return handle<V>();
    else
        return handle<node<op::powi<K>, V>>();
}

// The terms of degree K and below, added to Acc (void: no term yet).
template <class P, class V, int K, class Acc>
constexpr auto expanded_terms() {
    if constexpr (K < 0) {
        if constexpr (std::is_void_v<Acc>)
            return literal_handle<rational{0, 1}>();
        else
            return handle<Acc>();
    } else {
        constexpr rational c = P::value.c[K];
        using M = type_of<decltype(monomial<V, K>())>;
        if constexpr (c.num == 0)
            return expanded_terms<P, V, K - 1, Acc>();
        else if constexpr (std::is_void_v<Acc>)
            return expanded_terms<P, V, K - 1, type_of<decltype(scale<c, M>())>>();
        else if constexpr (c.num > 0)
            return expanded_terms<P, V, K - 1,
                                  node<op::add, Acc, type_of<decltype(scale<c, M>())>>>();
        else
            return expanded_terms<P, V, K - 1,
                                  node<op::sub, Acc, type_of<decltype(scale<-c, M>())>>>();
    }
}

// Only derivatives of at most this many unique nodes are tried (the search recurses over the
// top of the DAG, and a polynomial that large is better left factored).
inline constexpr std::size_t max_expanded_size = 64;

template <class T>
constexpr auto expanded_if_polynomial();

// T, or its expanded form when T is a polynomial in one variable and the expanded form is smaller.
template <class T>
constexpr auto expanded_if_smaller() {
    if constexpr (graph::dag_of<T>.size > max_expanded_size) {
        return handle<T>();
    } else {
        return expanded_if_polynomial<T>();
    }
}
template <class T>
constexpr auto expanded_if_polynomial() {
    using P = poly_of<T>;
    if constexpr (!P::value.ok || std::is_void_v<typename P::variable>) {
        return handle<T>();
    } else {
        using E =
            type_of<decltype(expanded_terms<P, typename P::variable, P::value.degree, void>())>;
        if constexpr (graph::dag_of<E>.size < graph::dag_of<T>.size)
            return handle<E>();
        else
            return handle<T>();
    }
}

} // namespace tapeless::detail::symbolic

#endif
