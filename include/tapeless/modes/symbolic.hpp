// tapeless/modes/symbolic.hpp — symbolic derivatives: tl::derivative(f, x) is an expression.
//
//   auto [x, z] = tl::variables<"x", "z">();
//   auto f   = x * x * z;
//   auto fx  = tl::derivative(f, x);         // 2 * x * z, an ex<...> handle like any other
//   auto fxx = tl::derivative<2>(f, x);      // 2 * z
//   auto fxz = tl::derivative(f, x, z);      // ∂/∂z ∂/∂x f = 2 * x
//   tl::value(fx, p); tl::to_string(fx); tl::to_latex(fx); tl::gradient(fx, p); ...
//
// The derivative is built by forward (tangent) propagation over the expression type
// (symbolic/tangent.hpp) and simplified as it is built (symbolic/simplify.hpp); one that is a
// polynomial in one variable is also written out expanded, and that form is kept when its DAG is
// smaller (symbolic/polynomial.hpp). This header checks the arguments and holds the entry points.
// The identities 0·a = 0 and 0/a = 0 are applied symbolically: where the numeric modes compute
// 0·inf = NaN (a dual tangent through √z at z = 0, say), the symbolic derivative has no such term.
// In every other respect its value agrees with reverse mode (test/unit/modes/symbolic.cpp).
//
// Runtime constants: the derivative refers to f's constants by their slots in f's handle and
// carries a copy of them (symbolic/pinned.hpp), so `tl::derivative(2.0 * x * x, x)` owns its 2.0.
//
// Scope: x must be a scalar variable and f scalar-valued. Array-shaped nodes inside f are
// supported for the elementwise operations and the array operations that declare a tangent rule
// (`tangent<SA>(t)` or `tangent_term(t, other)` on the op: sum, mean, dot, slice, element,
// transpose; the symbolic mode names none of them); a scalar-shaped tangent of an array-shaped
// node stands for the same value in every element. matvec, matmul, concat, softmax, log_sum_exp
// and the losses declare none: a static_assert says so.
#ifndef TAPELESS_MODES_SYMBOLIC_HPP
#define TAPELESS_MODES_SYMBOLIC_HPP

#include <cstddef>
#include <utility>

#include "../core/config.hpp"
#include "../core/expr.hpp"
#include "../core/node.hpp"
#include "../graph/dag.hpp"
#include "inputs.hpp"
#include "symbolic/pinned.hpp"
#include "symbolic/polynomial.hpp"
#include "symbolic/simplify.hpp"
#include "symbolic/tangent.hpp"

namespace tapeless {

namespace detail::symbolic {

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

} // namespace detail::symbolic

// The derivative of f with respect to the scalar variable x, as a simplified expression.
// With several variables, the mixed partial: derivative(f, x, z) = ∂/∂z (∂f/∂x).
template <Expression F, Expression X, Expression... Xs>
constexpr auto derivative(const F& f, const X& x, const Xs&... xs) {
    if constexpr (sizeof...(Xs) == 0)
        return detail::symbolic::derivative_once(f, x);
    else
        return derivative(detail::symbolic::derivative_once(f, x), xs...);
}

// The K-th derivative of f with respect to x (K = 0: f itself).
template <std::size_t K, Expression F, Expression X>
constexpr auto derivative(const F& f, const X& x) {
    if constexpr (K == 0)
        return f;
    else
        return derivative<K - 1>(detail::symbolic::derivative_once(f, x), x);
}

} // namespace tapeless

#endif
