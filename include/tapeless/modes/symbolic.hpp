// tapeless/modes/symbolic.hpp — symbolic derivatives: tl::derivative(f, x) is an expression.
//
//   auto [x, z] = tl::variables<"x", "z">();
//   auto f   = x * x * z;
//   auto fx  = tl::derivative(f, x);         // 2 * x * z, an ex<...> handle like any other
//   auto fxx = tl::derivative<2>(f, x);      // 2 * z
//   auto fxz = tl::derivative(f, x, z);      // ∂/∂z ∂/∂x f = 2 * x
//   tl::value(fx, p); tl::to_string(fx); tl::to_latex(fx); tl::gradient(fx, p); ...
//
// How: forward (tangent) propagation over the expression type. The tangent of a node with respect
// to the input slot of x is a node type, computed by a class template specialised per node kind
// (tangent<N, I>), from the children's tangents and the operation's first-derivative rule in ops/
// applied to expression handles (sin's rule returns cos(x), so the rule itself builds the
// derivative's nodes). The compiler memoises tangent<N, I> per node type, so the work follows the
// DAG, not the tree, and a subexpression of f that the derivative needs (e^{xz} in the derivative
// of e^{xz}) is the same type and so the same node as in f.
// Why forward and not reverse accumulation: with one input direction, forward propagation builds
// exactly one term per node (d(op(a, b)) = op_a·da + op_b·db), needs no sum over a node's parents
// (which would need the parents of each node, i.e. the whole graph, before any term is built), and
// composes: derivative<3> is three passes of the same template. Reverse accumulation pays off with
// many inputs at once, which a single symbolic derivative does not have.
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
// A derivative that is a polynomial in one variable with literal coefficients is also written out
// expanded, Σ c_k x^k, and that form is kept when its DAG is smaller (the chain-rule example's
// d/dx (2x² + 1)² = 16 * x^3 + 8 * x; README, Sources).
// The identities 0·a = 0 and 0/a = 0 are applied symbolically: where the numeric modes compute
// 0·inf = NaN (a dual tangent through √z at z = 0, say), the symbolic derivative has no such term.
// In every other respect its value agrees with reverse mode (test/unit/symbolic.cpp).
//
// Runtime constants: the derivative refers to f's constants by their slots in f's handle and
// carries a copy of them (while it is built, constants are `pinned` nodes that operations never
// renumber), so `tl::derivative(2.0 * x * x, x)` owns its 2.0.
//
// Scope: x must be a scalar variable and f scalar-valued. Array-shaped nodes inside f are
// supported for the elementwise operations and the array operations that declare a tangent rule
// (`tangent<SA>(t)` or `tangent_term(t, other)` on the op: sum, mean, dot, slice, element,
// transpose; this file names none of them); a scalar-shaped tangent of an array-shaped node stands
// for the same value in every element. matvec, matmul, concat, softmax, log_sum_exp and the losses
// declare none: a static_assert says so.
#ifndef TAPELESS_MODES_SYMBOLIC_HPP
#define TAPELESS_MODES_SYMBOLIC_HPP

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "../core/config.hpp"
#include "../core/expr.hpp"
#include "../core/node.hpp"
#include "../graph/dag.hpp"
#include "../ops/arithmetic.hpp"
#include "../ops/common.hpp"
#include "../ops/power.hpp"
#include "inputs.hpp"

namespace tapeless {

namespace symbolic_detail {

// A runtime constant of f while its derivative is built: slot O of f's handle. Its const_end is 0,
// so make_node never renumbers it (which it does to cst nodes when two handles meet).
template <std::size_t O, class S>
struct pinned {
    static constexpr node_kind kind = node_kind::constant;
    using shape = S;
    static constexpr std::size_t offset = O;
    static constexpr std::size_t const_end = 0;
};

} // namespace symbolic_detail

template <std::size_t O, class S>
struct info_of<symbolic_detail::pinned<O, S>> {
    static constexpr node_info value = detail::constant_info<S>(4, O);
};

namespace symbolic_detail {

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

// --- constants: f's cst nodes become pinned nodes, and back --------------------------------------

template <class N, bool = (N::const_end > 0)>
struct freeze {
    using type = N;
};
template <std::size_t O, class S>
struct freeze<cst<O, S>, true> {
    using type = pinned<O, S>;
};
template <class Op, class... Cs>
struct freeze<node<Op, Cs...>, true> {
    using type = node<Op, typename freeze<Cs>::type...>;
    static_assert(info_of<type>::value.size == type::shape::size); // descriptors bottom-up
};

template <class N>
inline constexpr bool has_pinned = false;
template <std::size_t O, class S>
inline constexpr bool has_pinned<pinned<O, S>> = true;
template <class Op, class... Cs>
inline constexpr bool has_pinned<node<Op, Cs...>> = (has_pinned<Cs> || ...);

template <class N, bool = has_pinned<N>>
struct thaw {
    using type = N;
};
template <std::size_t O, class S>
struct thaw<pinned<O, S>, true> {
    using type = cst<O, S>;
};
template <class Op, class... Cs>
struct thaw<node<Op, Cs...>, true> {
    using type = node<Op, typename thaw<Cs>::type...>;
    static_assert(info_of<type>::value.size == type::shape::size);
};

// --- tangents -----------------------------------------------------------------------------------

// The operations without a forward rule here. The message names the operation only.
template <class Op>
struct require_forward_rule {
    TAPELESS_REQUIRE(sizeof(Op) == 0,
                     "tapeless::derivative(f, x): f contains an array operation that has no "
                     "symbolic derivative (supported: elementwise operations, sum, mean, dot, "
                     "slice, element, transpose)");
    using type = lit<rational{0, 1}>;
};

template <class N, std::size_t I>
struct tangent;

template <std::size_t J, class S, name Nm, bool A, std::size_t I>
struct tangent<var<J, S, Nm, A>, I> {
    using type = lit<rational{A && J == I ? 1 : 0, 1}>;
};
template <rational R, std::size_t I>
struct tangent<lit<R>, I> {
    using type = lit<rational{0, 1}>;
};
template <std::size_t O, class S, std::size_t I>
struct tangent<pinned<O, S>, I> {
    using type = lit<rational{0, 1}>;
};

// The node type of a derivative rule's result, R. A rule that creates a runtime constant
// (std::log(2.0) * y) cannot be kept in a symbolic derivative, whose constants are the
// expression's own: rules write constants as literals (num<N, D>(y), operations on them).
template <class R>
struct constant_free_rule {
    static_assert(
        R::const_end == 0,
        "tapeless::derivative: a derivative rule of this operation creates a runtime "
        "constant (such as std::log(2.0) * y), which a symbolic derivative cannot keep; "
        "write the rule's constants as literals: tl::num<N, D>(y), or operations on them");
    using type = R;
};
template <class Handle>
using rule_node_t = typename constant_free_rule<type_of<Handle>>::type;

template <class Op, class C, class TC>
constexpr auto unary_tangent() {
    using N = node<Op, C>;
    using SC = typename C::shape;
    static_assert(sizeof(N) > 0);
    if constexpr (is_zero_v<TC>) {
        return literal_handle<rational{0, 1}>();
    } else if constexpr (UnaryElementwise<Op>) {
        using raw = rule_node_t<decltype(Op::derivative(ex_t<C>{}, ex_t<N>{}))>;
        using rule = resimplify_t<raw, C, C, N>;
        return simplify_mul<rule, TC>();
    } else if constexpr (requires { Op::template tangent<SC>(ex_t<TC>{}); }) {
        // a linear array operation's own tangent rule (sum, mean, slice, element, transpose),
        // its arithmetic simplified like a derivative rule's
        using raw = type_of<decltype(Op::template tangent<SC>(ex_t<TC>{}))>;
        return handle<resimplify_t<raw, TC, TC, TC>>();
    } else {
        return handle<typename require_forward_rule<Op>::type>();
    }
}

// One term of an elementwise binary operation's tangent: ∂op/∂a · ta (K = 0) or ∂op/∂b · tb.
template <class Op, class A, class B, std::size_t K, class T>
constexpr auto partial_term() {
    using N = node<Op, A, B>;
    if constexpr (is_zero_v<T>)
        return literal_handle<rational{0, 1}>();
    else if constexpr (K == 0) {
        using raw = rule_node_t<decltype(Op::da(ex_t<A>{}, ex_t<B>{}, ex_t<N>{}))>;
        return simplify_mul<resimplify_t<raw, A, B, N>, T>();
    } else {
        using raw = rule_node_t<decltype(Op::db(ex_t<A>{}, ex_t<B>{}, ex_t<N>{}))>;
        return simplify_mul<resimplify_t<raw, A, B, N>, T>();
    }
}

// One term of a bilinear array operation's tangent (dot: dot(t, other), or t · sum(other) for a
// broadcast t), from the operation's own rule, tangent_term.
template <class Op, class T, class Other>
constexpr auto bilinear_term() {
    if constexpr (is_zero_v<T>) {
        return literal_handle<rational{0, 1}>();
    } else {
        using raw = type_of<decltype(Op::tangent_term(ex_t<T>{}, ex_t<Other>{}))>;
        return handle<resimplify_t<raw, T, Other, T>>();
    }
}

template <class Op, class A, class B, class TA, class TB>
constexpr auto binary_tangent() {
    if constexpr (is_zero_v<TA> && is_zero_v<TB>) {
        return literal_handle<rational{0, 1}>();
    } else if constexpr (BinaryElementwise<Op>) {
        return simplify_add<type_of<decltype(partial_term<Op, A, B, 0, TA>())>,
                            type_of<decltype(partial_term<Op, A, B, 1, TB>())>>();
    } else if constexpr (requires { Op::tangent_term(ex_t<A>{}, ex_t<B>{}); }) {
        return simplify_add<type_of<decltype(bilinear_term<Op, TA, B>())>,
                            type_of<decltype(bilinear_term<Op, TB, A>())>>();
    } else {
        return handle<typename require_forward_rule<Op>::type>();
    }
}

template <class Op, class C, std::size_t I>
struct tangent<node<Op, C>, I> {
    using type = type_of<decltype(unary_tangent<Op, C, typename tangent<C, I>::type>())>;
    static_assert(info_of<type>::value.size > 0); // descriptors bottom-up
};
template <class Op, class A, class B, std::size_t I>
struct tangent<node<Op, A, B>, I> {
    using type = type_of<decltype(binary_tangent<Op, A, B, typename tangent<A, I>::type,
                                                 typename tangent<B, I>::type>())>;
    static_assert(info_of<type>::value.size > 0);
};

// --- polynomials in one variable: the expanded form ----------------------------------------------
// A derivative that is a polynomial in one variable with literal coefficients is also written out
// in expanded form, Σ c_k x^k by falling k (the chain-rule example's dF/dx = 16x³ + 8x), and that
// form is taken when its DAG is smaller. The coefficients are computed by constexpr code over the
// top of the derivative's DAG, memoised per node type; a node that is not polynomial stops the
// search at once.

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

// --- checks on the arguments (messages name integers, never the expression) ---------------------

template <bool IsVariable, int Rank>
constexpr void check_variable() {
    TAPELESS_REQUIRE(IsVariable,
                     "tapeless::derivative(f, x): x must be a variable (tl::variable or "
                     "tl::variables), not an expression");
    TAPELESS_REQUIRE(Rank == 0, "tapeless::derivative(f, x): x must be a scalar variable");
}
template <int Rank>
constexpr void check_scalar_function() {
    TAPELESS_REQUIRE(Rank == 0, "tapeless::derivative(f, x): f must be scalar-valued");
}

// The frozen, canonical form of node D of Root's DAG and its tangent, instantiated for every node
// children first (the DAG's topological order): each step then finds its children's results
// ready, so template recursion stays shallow however deep the expression (a chain of a few
// hundred operations would otherwise exceed the compiler's instantiation depth).
template <class Root, std::size_t I, std::size_t D>
using tangent_at =
    typename tangent<canonical_t<typename freeze<graph::type_at_t<Root, D>>::type>, I>::type;

template <class...>
struct type_list {};

template <class Root, std::size_t I, std::size_t... K>
constexpr bool instantiate_in_order(std::index_sequence<K...>) {
    constexpr const auto& g = graph::dag_of<Root>;
    using discovered = type_list<graph::type_at_t<Root, K>...>; // type_at in discovery order first
    using tangents = type_list<tangent_at<Root, I, g.order[K]>...>;
    return sizeof(discovered) + sizeof(tangents) > 0;
}

template <auto F, auto X>
constexpr auto derivative_once(const ex<F>& f, const ex<X>&) {
    using Root = node_of<ex<F>>;
    using V = node_of<ex<X>>;
    check_variable<V::kind == node_kind::variable, V::shape::rank>();
    check_scalar_function<Root::shape::rank>();
    detail::check_one_variable_per_slot<Root>();
    if constexpr (V::kind == node_kind::variable) detail::check_same_variable<Root, V>();
    if constexpr (V::kind == node_kind::variable && V::shape::rank == 0 && Root::shape::rank == 0) {
        static_assert(instantiate_in_order<Root, V::index>(
            std::make_index_sequence<graph::dag_of<Root>.size>{}));
        using T =
            type_of<decltype(expanded_if_smaller<typename tangent<
                                 canonical_t<typename freeze<Root>::type>, V::index>::type>())>;
        using D = typename thaw<T>::type;
        ex_t<D> d;
        if constexpr (D::const_end > 0)
            for (std::size_t i = 0; i < D::const_end; ++i) d.consts.data()[i] = f.consts.data()[i];
        return d;
    } else {
        return literal_handle<rational{0, 1}>();
    }
}

} // namespace symbolic_detail

// The derivative of f with respect to the scalar variable x, as a simplified expression.
// With several variables, the mixed partial: derivative(f, x, z) = ∂/∂z (∂f/∂x).
template <Expression F, Expression X, Expression... Xs>
constexpr auto derivative(const F& f, const X& x, const Xs&... xs) {
    if constexpr (sizeof...(Xs) == 0)
        return symbolic_detail::derivative_once(f, x);
    else
        return derivative(symbolic_detail::derivative_once(f, x), xs...);
}

// The K-th derivative of f with respect to x (K = 0: f itself).
template <std::size_t K, Expression F, Expression X>
constexpr auto derivative(const F& f, const X& x) {
    if constexpr (K == 0)
        return f;
    else
        return derivative<K - 1>(symbolic_detail::derivative_once(f, x), x);
}

} // namespace tapeless

#endif
