// tapeless/modes/symbolic/simplify.hpp — the simplifying builders of symbolic derivatives.
//
// Simplification happens as the derivative is built, in small builders over node types
// (simplify_add, simplify_mul, ...) that look only at the top nodes of their operands with plain
// `if constexpr` on std::is_same and on node kinds (never requires-expressions or SFINAE over
// expression types):
//   literal folding; 0 + a = a, a − 0 = a, 0 − a = −a, 0·a = 0, 1·a = a, a/1 = a, 0/a = 0, a/a = 1,
//   −(−a) = a, a − a = 0, a + a = 2·a, k₁·a ± k₂·a = (k₁ ± k₂)·a, a·a = a², aⁿ·aᵐ = aⁿ⁺ᵐ,
//   aⁿ/aᵐ = aⁿ⁻ᵐ (also for a factor deep in a product: p·bⁿ·q / bᵐ);
//   literal coefficients move to the front (a·2·b → 2·(a·b)) and signs outwards (−a·b → −(a·b));
//   a + (−k·b) = a − k·b; (p/q)·b = (p·b)/q;
//   commutative operands in a canonical order (literals, then constants, variables by slot,
//   operations by structural hash), so a·b and b·a are one node and equal terms meet.
// f itself is first rebuilt through the same builders (its canonical form, so f's z·x and the
// derivative's x·z are one node), and so is the arithmetic inside each rule's result (−y/b).
#ifndef TAPELESS_MODES_SYMBOLIC_SIMPLIFY_HPP
#define TAPELESS_MODES_SYMBOLIC_SIMPLIFY_HPP

#include <cstdint>
#include <type_traits>

#include "../../core/expr.hpp"
#include "../../core/node.hpp"
#include "../../core/rational.hpp"
#include "../../ops/arithmetic.hpp"
#include "../../ops/power.hpp"

namespace tapeless::detail::symbolic {

// --- node predicates ----------------------------------------------------------------------------

template <class N>
inline constexpr bool is_zero_v = std::is_same_v<N, lit<rational{0, 1}>>;
template <class N>
inline constexpr bool is_one_v = std::is_same_v<N, lit<rational{1, 1}>>;

template <class Op, class N>
inline constexpr bool is_op_v = false;
template <class Op, class... Cs>
inline constexpr bool is_op_v<Op, node<Op, Cs...>> = true;

// Child S of an operation node, or no_child: conditions of `if constexpr` chains are substituted
// even where an earlier `&&` operand is false, so they must be well-formed for every node kind.
struct no_child {
    static constexpr node_kind kind = node_kind::operation;
    using shape = scalar;
    static constexpr std::size_t const_end = 0;
};
template <class N, std::size_t S>
struct safe_child {
    using type = no_child;
};
template <class Op, class C0, class... Cs>
struct safe_child<node<Op, C0, Cs...>, 0> {
    using type = C0;
};
template <class Op, class C0, class C1, class... Cs>
struct safe_child<node<Op, C0, C1, Cs...>, 1> {
    using type = C1;
};
template <class N, std::size_t S>
using arg_t = typename safe_child<N, S>::type;

// a·k with k a literal: the coefficient and the term.
template <class N>
struct scaled {
    static constexpr rational coefficient{1, 1};
    using term = N;
};
template <rational K, class T>
struct scaled<node<op::mul, lit<K>, T>> {
    static constexpr rational coefficient = K;
    using term = T;
};
template <class T>
struct scaled<node<op::neg, T>> {
    static constexpr rational coefficient{-1, 1};
    using term = T;
};

// The builders pass node types around in boxes: an ex<> handle would instantiate the node's
// descriptor (core/node.hpp) for every intermediate candidate, while a box costs nothing. Handles
// are made only for the operands of first-derivative rules, and each tangent's descriptor is
// instantiated once, bottom-up, when the tangent is complete.
template <class N>
struct box {
    using type = N;
};
template <class H>
struct unbox;
template <class N>
struct unbox<box<N>> {
    using type = N;
};
template <auto V>
struct unbox<ex<V>> {
    using type = node_of<ex<V>>;
};

template <class N>
constexpr auto handle() {
    return box<N>{};
}
template <rational R>
constexpr auto literal_handle() {
    return box<lit<R>>{};
}

template <class H>
using type_of = typename unbox<H>::type;

// --- canonical order of operands of + and · ---------------------------------------------------
// literals < constants (by slot) < variables (by slot) < operations (by structural hash).
template <class N>
constexpr int rank_of() {
    constexpr node_kind k = N::kind;
    return k == node_kind::literal    ? 0
           : k == node_kind::constant ? 1
           : k == node_kind::variable ? 2
                                      : 3;
}
template <class N>
constexpr std::uint64_t key_of() {
    if constexpr (N::kind == node_kind::variable)
        return N::index;
    else if constexpr (N::kind == node_kind::constant)
        return N::offset;
    else
        return info_of<N>::value.hash;
}
template <class A, class B>
constexpr bool before() {
    if constexpr (rank_of<A>() != rank_of<B>())
        return rank_of<A>() < rank_of<B>();
    else
        return key_of<A>() < key_of<B>();
}

// --- the builders -------------------------------------------------------------------------------

template <class A, class B>
constexpr auto simplify_add();
template <class A, class B>
constexpr auto simplify_sub();
template <class A, class B>
constexpr auto simplify_mul();
template <class A, class B>
constexpr auto simplify_div();
template <class A>
constexpr auto simplify_neg();

// k·t with k a literal.
template <rational K, class T>
constexpr auto scale() {
    if constexpr (K == rational{0, 1})
        return literal_handle<rational{0, 1}>();
    else if constexpr (K == rational{1, 1})
        return handle<T>();
    else if constexpr (K == rational{-1, 1})
        return simplify_neg<T>();
    else if constexpr (is_literal_v<T>)
        return literal_handle<K * T::value>();
    else if constexpr (is_op_v<op::neg, T> || (is_op_v<op::mul, T> && is_literal_v<arg_t<T, 0>>))
        return scale<K * scaled<T>::coefficient, typename scaled<T>::term>();
    else
        return handle<node<op::mul, lit<K>, T>>();
}

template <class A>
constexpr auto simplify_neg() {
    if constexpr (is_literal_v<A>)
        return literal_handle<-A::value>();
    else if constexpr (is_op_v<op::neg, A>)
        return handle<arg_t<A, 0>>();
    else if constexpr (is_op_v<op::mul, A> && is_literal_v<arg_t<A, 0>>)
        return scale<-arg_t<A, 0>::value, arg_t<A, 1>>();
    else if constexpr (is_op_v<op::sub, A>)
        return handle<node<op::sub, arg_t<A, 1>, arg_t<A, 0>>>();
    else
        return handle<node<op::neg, A>>();
}

template <class A, class B>
constexpr auto simplify_add() {
    using SA = scaled<A>;
    using SB = scaled<B>;
    if constexpr (is_zero_v<A>)
        return handle<B>();
    else if constexpr (is_zero_v<B>)
        return handle<A>();
    else if constexpr (is_literal_v<A> && is_literal_v<B>)
        return literal_handle<A::value + B::value>();
    else if constexpr (std::is_same_v<typename SA::term, typename SB::term>)
        return scale<SA::coefficient + SB::coefficient, typename SA::term>();
    else if constexpr (!is_literal_v<B> && SB::coefficient.num < 0)
        return simplify_sub<A, type_of<decltype(scale<-SB::coefficient, typename SB::term>())>>();
    else if constexpr (!is_literal_v<A> && SA::coefficient.num < 0)
        return simplify_sub<B, type_of<decltype(scale<-SA::coefficient, typename SA::term>())>>();
    else if constexpr (is_literal_v<B> && is_op_v<op::add, A> && is_literal_v<arg_t<A, 1>>)
        return simplify_add<arg_t<A, 0>, lit<arg_t<A, 1>::value + B::value>>();
    else if constexpr (is_op_v<op::add, A> &&
                       std::is_same_v<typename scaled<arg_t<A, 0>>::term, typename SB::term>)
        return simplify_add<type_of<decltype(simplify_add<arg_t<A, 0>, B>())>, arg_t<A, 1>>();
    else if constexpr (is_op_v<op::add, A> &&
                       std::is_same_v<typename scaled<arg_t<A, 1>>::term, typename SB::term>)
        return simplify_add<arg_t<A, 0>, type_of<decltype(simplify_add<arg_t<A, 1>, B>())>>();
    else if constexpr (is_literal_v<A>) // literals last: 2 * x + 1
        return handle<node<op::add, B, A>>();
    else if constexpr (is_literal_v<B> || before<A, B>())
        return handle<node<op::add, A, B>>();
    else
        return handle<node<op::add, B, A>>();
}

template <class A, class B>
constexpr auto simplify_sub() {
    using SA = scaled<A>;
    using SB = scaled<B>;
    if constexpr (is_zero_v<B>)
        return handle<A>();
    else if constexpr (is_zero_v<A>)
        return simplify_neg<B>();
    else if constexpr (is_literal_v<A> && is_literal_v<B>)
        return literal_handle<A::value - B::value>();
    else if constexpr (std::is_same_v<typename SA::term, typename SB::term>)
        return scale<SA::coefficient - SB::coefficient, typename SA::term>();
    else if constexpr (!is_literal_v<B> && SB::coefficient.num < 0)
        return simplify_add<A, type_of<decltype(scale<-SB::coefficient, typename SB::term>())>>();
    else if constexpr (is_op_v<op::neg, A>)
        return simplify_neg<type_of<decltype(simplify_add<arg_t<A, 0>, B>())>>();
    else if constexpr (is_literal_v<B> && is_op_v<op::add, A> && is_literal_v<arg_t<A, 1>>)
        return simplify_add<arg_t<A, 0>, lit<arg_t<A, 1>::value - B::value>>();
    else
        return handle<node<op::sub, A, B>>();
}

// Whether a·b is a power of one base: a·a, a·aⁿ, aⁿ·a, aⁿ·aᵐ (scalars, small positive exponents).
template <class N>
struct power_parts {
    using base = N;
    static constexpr int exponent = 1;
};
template <int K, class C>
    requires(K > 0 && K < 32)
struct power_parts<node<op::powi<K>, C>> {
    using base = C;
    static constexpr int exponent = K;
};
template <class A, class B>
inline constexpr bool same_base_v = [] {
    return std::is_same_v<typename power_parts<A>::base, typename power_parts<B>::base> &&
           std::is_same_v<typename A::shape, scalar> && A::kind != node_kind::literal;
}();

template <class A, class B>
constexpr auto simplify_mul() {
    if constexpr (is_zero_v<A> || is_zero_v<B>)
        return literal_handle<rational{0, 1}>();
    else if constexpr (is_one_v<A>)
        return handle<B>();
    else if constexpr (is_one_v<B>)
        return handle<A>();
    else if constexpr (is_literal_v<A> && is_literal_v<B>)
        return literal_handle<A::value * B::value>();
    else if constexpr (is_literal_v<B>)
        return simplify_mul<B, A>();
    else if constexpr (is_literal_v<A>)
        return scale<A::value * scaled<B>::coefficient, typename scaled<B>::term>();
    else if constexpr (is_op_v<op::neg, A> || (is_op_v<op::mul, A> && is_literal_v<arg_t<A, 0>>))
        return scale<scaled<A>::coefficient,
                     type_of<decltype(simplify_mul<typename scaled<A>::term, B>())>>();
    else if constexpr (is_op_v<op::neg, B> || (is_op_v<op::mul, B> && is_literal_v<arg_t<B, 0>>))
        return scale<scaled<B>::coefficient,
                     type_of<decltype(simplify_mul<A, typename scaled<B>::term>())>>();
    else if constexpr (is_op_v<op::div, A>)
        return simplify_div<type_of<decltype(simplify_mul<arg_t<A, 0>, B>())>, arg_t<A, 1>>();
    else if constexpr (is_op_v<op::div, B>)
        return simplify_div<type_of<decltype(simplify_mul<A, arg_t<B, 0>>())>, arg_t<B, 1>>();
    else if constexpr (same_base_v<A, B>)
        return handle<node<op::powi<power_parts<A>::exponent + power_parts<B>::exponent>,
                           typename power_parts<A>::base>>();
    else if constexpr (is_op_v<op::mul, B> && same_base_v<A, arg_t<B, 0>>) // a·(a·q) = a²·q
        return simplify_mul<type_of<decltype(simplify_mul<A, arg_t<B, 0>>())>, arg_t<B, 1>>();
    else if constexpr (is_op_v<op::mul, B> && same_base_v<A, arg_t<B, 1>>) // a·(p·a) = p·a²
        return simplify_mul<arg_t<B, 0>, type_of<decltype(simplify_mul<A, arg_t<B, 1>>())>>();
    else if constexpr (is_op_v<op::mul, A> && same_base_v<arg_t<A, 0>, B>) // (b·q)·b = b²·q
        return simplify_mul<type_of<decltype(simplify_mul<arg_t<A, 0>, B>())>, arg_t<A, 1>>();
    else if constexpr (is_op_v<op::mul, A> && same_base_v<arg_t<A, 1>, B>) // (p·b)·b = p·b²
        return simplify_mul<arg_t<A, 0>, type_of<decltype(simplify_mul<arg_t<A, 1>, B>())>>();
    else if constexpr (before<B, A>())
        return handle<node<op::mul, B, A>>();
    else
        return handle<node<op::mul, A, B>>();
}

// base^E for a compile-time E (E < 0: 1/base^−E).
template <class Base, int E>
constexpr auto power_quotient() {
    if constexpr (E == 0)
        return literal_handle<rational{1, 1}>();
    else if constexpr (E == 1)
        return handle<Base>();
    else if constexpr (E > 0)
        return handle<node<op::powi<E>, Base>>();
    else
        return simplify_div<lit<rational{1, 1}>, type_of<decltype(power_quotient<Base, -E>())>>();
}

// A divided by B, when a factor of A's product tree is a power of B's base (p·bⁿ·q / bᵐ =
// p·bⁿ⁻ᵐ·q); not_found otherwise. Only products are searched, so the cost is the size of A's
// top product.
struct not_found {};
template <class A, class B, int Depth = 0>
constexpr auto divide_out() {
    if constexpr (same_base_v<A, B>) {
        return power_quotient<typename power_parts<A>::base,
                              power_parts<A>::exponent - power_parts<B>::exponent>();
        // products deeper than 8 are not searched
    } else if constexpr (is_op_v<op::mul, A> && Depth < 8) {
        using L = decltype(divide_out<arg_t<A, 0>, B, Depth + 1>());
        if constexpr (!std::is_same_v<L, not_found>) {
            return simplify_mul<type_of<L>, arg_t<A, 1>>();
        } else {
            using R = decltype(divide_out<arg_t<A, 1>, B, Depth + 1>());
            if constexpr (!std::is_same_v<R, not_found>)
                return simplify_mul<arg_t<A, 0>, type_of<R>>();
            else
                return not_found{};
        }
    } else {
        return not_found{};
    }
}

template <class A, class B>
constexpr auto simplify_div() {
    if constexpr (is_zero_v<A>)
        return literal_handle<rational{0, 1}>();
    else if constexpr (is_one_v<B>)
        return handle<A>();
    else if constexpr (is_literal_v<A> && is_literal_v<B>)
        return literal_handle<A::value / B::value>();
    else if constexpr (std::is_same_v<A, B>)
        return literal_handle<rational{1, 1}>();
    else if constexpr (is_literal_v<B>)
        return simplify_mul<lit<rational{1, 1} / B::value>, A>();
    else if constexpr (is_op_v<op::neg, A>)
        return simplify_neg<type_of<decltype(simplify_div<arg_t<A, 0>, B>())>>();
    else if constexpr (is_op_v<op::neg, B>)
        return simplify_neg<type_of<decltype(simplify_div<A, arg_t<B, 0>>())>>();
    else if constexpr (!std::is_same_v<decltype(divide_out<A, B>()), not_found>) // (p·bⁿ·q)/bᵐ
        return divide_out<A, B>();
    else if constexpr (is_op_v<op::mul, B> &&
                       // a/(p·q), p in a
                       !std::is_same_v<decltype(divide_out<A, arg_t<B, 0>>()), not_found>)
        return simplify_div<type_of<decltype(divide_out<A, arg_t<B, 0>>())>, arg_t<B, 1>>();
    else if constexpr (is_op_v<op::mul, B> &&
                       // a/(p·q), q in a
                       !std::is_same_v<decltype(divide_out<A, arg_t<B, 1>>()), not_found>)
        return simplify_div<type_of<decltype(divide_out<A, arg_t<B, 1>>())>, arg_t<B, 0>>();
    else if constexpr (is_op_v<op::mul, A> && std::is_same_v<arg_t<A, 0>, B>) // (b·q)/b = q
        return handle<arg_t<A, 1>>();
    else if constexpr (is_op_v<op::mul, A> && std::is_same_v<arg_t<A, 1>, B>) // (p·b)/b = p
        return handle<arg_t<A, 0>>();
    else if constexpr (is_op_v<op::mul, B> && std::is_same_v<arg_t<B, 0>, A>) // a/(a·q) = 1/q
        return simplify_div<lit<rational{1, 1}>, arg_t<B, 1>>();
    else if constexpr (is_op_v<op::mul, B> && std::is_same_v<arg_t<B, 1>, A>) // a/(p·a) = 1/p
        return simplify_div<lit<rational{1, 1}>, arg_t<B, 0>>();
    else if constexpr (is_op_v<op::div, A>)
        return simplify_div<arg_t<A, 0>, type_of<decltype(simplify_mul<arg_t<A, 1>, B>())>>();
    else if constexpr (is_op_v<op::div, B>)
        return simplify_div<type_of<decltype(simplify_mul<A, arg_t<B, 1>>())>, arg_t<B, 0>>();
    else
        return handle<node<op::div, A, B>>();
}

template <class A, class B>
using add_t = type_of<decltype(simplify_add<A, B>())>;
template <class A, class B>
using sub_t = type_of<decltype(simplify_sub<A, B>())>;
template <class A, class B>
using mul_t = type_of<decltype(simplify_mul<A, B>())>;

template <class N>
struct canonical;

// Another operation with its children in canonical form.
template <class N>
struct rebuild_node;
template <class Op, class... Cs>
struct rebuild_node<node<Op, Cs...>> {
    using type = node<Op, typename canonical<Cs>::type...>;
};
template <class N>
constexpr auto rebuild() {
    return handle<typename rebuild_node<N>::type>();
}

// A first-derivative rule's result, rebuilt through the builders above down to the operands the
// rule was given (A, B, and the node Y itself): the rule's own arithmetic (−y/b, 2·x, ...) is then
// simplified like the chain rule's, while the operands (subexpressions of f) are kept as they are.
template <class R, class A, class B, class Y>
struct resimplify;

template <class R, class A, class B, class Y>
using resimplify_t = typename resimplify<R, A, B, Y>::type;

template <class R, class A, class B, class Y>
constexpr auto resimplify_node() {
    if constexpr (std::is_same_v<R, A> || std::is_same_v<R, B> || std::is_same_v<R, Y> ||
                  R::kind != node_kind::operation)
        return handle<R>();
    else if constexpr (is_op_v<op::add, R>)
        return simplify_add<resimplify_t<arg_t<R, 0>, A, B, Y>,
                            resimplify_t<arg_t<R, 1>, A, B, Y>>();
    else if constexpr (is_op_v<op::sub, R>)
        return simplify_sub<resimplify_t<arg_t<R, 0>, A, B, Y>,
                            resimplify_t<arg_t<R, 1>, A, B, Y>>();
    else if constexpr (is_op_v<op::mul, R>)
        return simplify_mul<resimplify_t<arg_t<R, 0>, A, B, Y>,
                            resimplify_t<arg_t<R, 1>, A, B, Y>>();
    else if constexpr (is_op_v<op::div, R>)
        return simplify_div<resimplify_t<arg_t<R, 0>, A, B, Y>,
                            resimplify_t<arg_t<R, 1>, A, B, Y>>();
    else if constexpr (is_op_v<op::neg, R>)
        return simplify_neg<resimplify_t<arg_t<R, 0>, A, B, Y>>();
    else
        return handle<R>();
}

template <class R, class A, class B, class Y>
struct resimplify {
    using type = type_of<decltype(resimplify_node<R, A, B, Y>())>;
};

// f in canonical form: every +, −, ·, ÷ and unary − of f rebuilt through the builders (memoised per
// node type, so linear in the DAG), so that f's own z·x and the derivative's x·z are one node.
template <class N>
struct canonical;

template <class N>
using canonical_t = typename canonical<N>::type;

template <class N>
constexpr auto canonical_node() {
    if constexpr (N::kind != node_kind::operation)
        return handle<N>();
    else if constexpr (is_op_v<op::add, N>)
        return simplify_add<canonical_t<arg_t<N, 0>>, canonical_t<arg_t<N, 1>>>();
    else if constexpr (is_op_v<op::sub, N>)
        return simplify_sub<canonical_t<arg_t<N, 0>>, canonical_t<arg_t<N, 1>>>();
    else if constexpr (is_op_v<op::mul, N>)
        return simplify_mul<canonical_t<arg_t<N, 0>>, canonical_t<arg_t<N, 1>>>();
    else if constexpr (is_op_v<op::div, N>)
        return simplify_div<canonical_t<arg_t<N, 0>>, canonical_t<arg_t<N, 1>>>();
    else if constexpr (is_op_v<op::neg, N>)
        return simplify_neg<canonical_t<arg_t<N, 0>>>();
    else
        return rebuild<N>();
}

template <class N>
struct canonical {
    using type = type_of<decltype(canonical_node<N>())>;
    static_assert(info_of<type>::value.size > 0);
};

} // namespace tapeless::detail::symbolic

#endif
