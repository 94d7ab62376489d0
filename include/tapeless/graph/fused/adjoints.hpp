// tapeless/graph/fused/adjoints.hpp — the fused reverse sweep: adjoints passed down inlined trees.
//
// Per element of a stored node, the reverse sweep passes the adjoint down the node's inlined tree
// to its leaves, recomputing the (cheap) inlined values on the way, and adds the adjoints of
// variables straight into the caller's gradient. (Keeping the values in a recursive struct instead
// made g++ spill it to the stack with failed store forwarding: Rosenbrock-10's gradient measured
// much slower, bench_gradient.)
#ifndef TAPELESS_GRAPH_FUSED_ADJOINTS_HPP
#define TAPELESS_GRAPH_FUSED_ADJOINTS_HPP

#include <cstddef>
#include <type_traits>
#include <utility>

#include "../../core/config.hpp"
#include "../../core/node.hpp"
#include "../../ops/common.hpp"
#include "../dag.hpp"
#include "../reverse.hpp"
#include "plan.hpp"
#include "values.hpp"

namespace tapeless::graph {

namespace detail {

// Where node D's adjoint is accumulated: a variable's in the gradient, a stored node's or a
// transparent view's at its dag offset.
template <class Root, std::size_t D, class T>
TAPELESS_INLINE constexpr T* adjoint_pointer(const fused_context<T>& c) {
    using N = type_at_t<Root, D>;
    if constexpr (N::kind == node_kind::variable)
        return c.gradient[N::index];
    else
        return c.adjoints + dag_of<Root>.offset[D];
}

// Nodes that carry an adjoint of their own in the reverse sweep.
template <class Root, std::size_t D>
inline constexpr bool has_adjoint =
    (dag_of<Root>.info[D]->kind == node_kind::operation) && dag_of<Root>.info[D]->active &&
    (!is_inlined<Root, true, D> || is_transparent<Root, D>);

template <class Root, std::size_t D, class T, class Ctx, class Y>
TAPELESS_INLINE constexpr void back(const Ctx& c, std::size_t i, const Y& yb);

// ȳ times both partials of a binary elementwise node at element i, passed to its active operands
// (a passive operand enters the rule as its plain value and gets nothing). Both partials are
// computed before either operand's adjoint is written (stores may alias reads).
template <class Root, class Op, std::size_t C0, std::size_t C1, bool S0, bool S1, class T,
          class Ctx, class Y, class A, class B, class V>
TAPELESS_INLINE constexpr void back_binary(const Ctx& c, std::size_t i, const Y& yb, const A& a,
                                           const B& b, const V& y) {
    constexpr const auto& g = dag_of<Root>;
    constexpr bool a0 = g.info[C0]->active, a1 = g.info[C1]->active;
    if constexpr (a0 && a1) {
        const auto ga = yb * Op::da(a, b, y);
        const auto gb = yb * Op::db(a, b, y);
        back<Root, C0, T>(c, S0 ? 0 : i, ga);
        back<Root, C1, T>(c, S1 ? 0 : i, gb);
    } else if constexpr (a0) {
        back<Root, C0, T>(c, S0 ? 0 : i, yb * Op::da(a, b, y));
    } else if constexpr (a1) {
        back<Root, C1, T>(c, S1 ? 0 : i, yb * Op::db(a, b, y));
    }
}

// Adds yb, the adjoint of element i of node D, into D's adjoint: for a stored node or a variable
// directly, for an inlined node through its operands. An inlined subtree is cheap by construction
// (plan_of<Root, true>), so its operand values are recomputed here rather than kept: the optimiser
// shares the recomputation with the value computed by the caller.
template <class Root, std::size_t D, class T, class Ctx, class Y>
TAPELESS_INLINE constexpr void back(const Ctx& c, std::size_t i, const Y& yb) {
    constexpr const auto& g = dag_of<Root>;
    if constexpr (!g.info[D]->active) {
        return;
    } else if constexpr (!is_inlined<Root, true, D> || is_transparent<Root, D>) {
        T* a = adjoint_pointer<Root, D, T>(c);
        a[i] = a[i] + yb;
    } else {
        using Op = typename type_at_t<Root, D>::op;
        constexpr std::size_t c0 = child_index<Root, D, 0>;
        if constexpr (is_view<Root, D>) {
            back<Root, c0, T>(c, Op::source(i), yb);
        } else if constexpr (g.info[D]->fusion == fusion_kind::join) {
            constexpr std::size_t n0 = g.elements[c0];
            if (i < n0)
                back<Root, c0, T>(c, i, yb);
            else
                back<Root, child_index<Root, D, 1>, T>(c, i - n0, yb);
        } else if constexpr (g.info[D]->arity == 1) {
            const auto a = read<Root, true, c0, T>(c, i);
            back<Root, c0, T>(c, i, yb * Op::derivative(a, apply_element<Op>(a)));
        } else {
            constexpr std::size_t c1 = child_index<Root, D, 1>;
            constexpr bool s0 = g.info[c0]->rank == 0, s1 = g.info[c1]->rank == 0;
            const auto a = read<Root, true, c0, T>(c, s0 ? 0 : i);
            const auto b = read<Root, true, c1, T>(c, s1 ? 0 : i);
            const auto y = apply_element<Op>(a, b);
            back_binary<Root, Op, c0, c1, s0, s1, T>(c, i, yb, a, b, y);
        }
    }
}

// Propagates materialised node D's adjoint to its operands (through their inlined subtrees).
template <class Root, std::size_t D, class T, class Ctx>
TAPELESS_INLINE constexpr void fused_reverse_step(const Ctx& c) {
    constexpr const auto& g = dag_of<Root>;
    using N = type_at_t<Root, D>;
    if constexpr (has_adjoint<Root, D>) {
        using Op = typename N::op;
        const T* y = c.values + g.offset[D]; // (not read for views and reductions)
        const T* ybp = c.adjoints + g.offset[D];
        // ȳ of element i: its plain value when the adjoint is passive (graph/reverse.hpp)
        const auto yb = [ybp](std::size_t i) TAPELESS_LAMBDA_INLINE {
            return plain_if<passive_adjoint<Root, T>(D)>(ybp[i]);
        };
        constexpr std::size_t c0 = child_index<Root, D, 0>;
        constexpr fusion_kind kind = g.info[D]->fusion;
        if constexpr (kind == fusion_kind::reduction) {
            using W = std::remove_cvref_t<decltype(yb(0))>;
            const W w = yb(0) * Op::template weight<typename child_t<N, 0>::shape, W>();
            for (std::size_t i = 0; i < g.elements[c0]; ++i) back<Root, c0, T>(c, i, w);
        } else if constexpr (kind == fusion_kind::view) {
            for (std::size_t i = 0; i < N::shape::size; ++i)
                back<Root, c0, T>(c, Op::source(i), yb(i));
        } else if constexpr (kind == fusion_kind::join) {
            constexpr std::size_t n0 = g.elements[c0], c1 = child_index<Root, D, 1>;
            for (std::size_t i = 0; i < n0; ++i) back<Root, c0, T>(c, i, yb(i));
            for (std::size_t i = n0; i < N::shape::size; ++i) back<Root, c1, T>(c, i - n0, yb(i));
        } else if constexpr (kind == fusion_kind::elementwise && N::arity == 1) {
            for (std::size_t i = 0; i < N::shape::size; ++i)
                back<Root, c0, T>(c, i,
                                  yb(i) * Op::derivative(read<Root, true, c0, T>(c, i), y[i]));
        } else if constexpr (kind == fusion_kind::elementwise) {
            constexpr std::size_t c1 = child_index<Root, D, 1>;
            constexpr bool s0 = g.info[c0]->rank == 0, s1 = g.info[c1]->rank == 0;
            for (std::size_t i = 0; i < N::shape::size; ++i) {
                const auto a = read<Root, true, c0, T>(c, s0 ? 0 : i);
                const auto b = read<Root, true, c1, T>(c, s1 ? 0 : i);
                back_binary<Root, Op, c0, c1, s0, s1, T>(c, i, yb(i), a, b, y[i]);
            }
        } else {
            // Not fused: the operation's own vector-Jacobian product on stored operands.
            constexpr std::size_t c1 = g.child[D][1] == npos ? c0 : g.child[D][1];
            using step = reverse_step<N>;
            step::template run<g.child_active(D, 0), g.child_active(D, 1)>(
                y, ybp, pointer<Root, true, c0, T>(c), adjoint_pointer<Root, c0, T>(c),
                pointer<Root, true, c1, T>(c), adjoint_pointer<Root, c1, T>(c));
        }
    }
}

template <class Root, std::size_t D, class T>
TAPELESS_INLINE constexpr void zero_adjoint(const fused_context<T>& c) {
    constexpr const auto& g = dag_of<Root>;
    if constexpr (has_adjoint<Root, D>)
        for (std::size_t i = 0; i < g.elements[D]; ++i)
            c.adjoints[g.offset[D] + i] = static_cast<T>(0);
}

} // namespace detail

// The reverse sweep, fused, after fused_values<Root, true>: c.adjoints holds the root's seed at
// offset[0] (everything else is zeroed here); adjoints of variables are added into c.gradient.
template <class Root, class T, class Ctx>
TAPELESS_INLINE constexpr void fused_adjoints(const Ctx& c, const T* seed) {
    constexpr const auto& g = dag_of<Root>;
    const auto expand = [&]<std::size_t... K>(std::index_sequence<K...>) TAPELESS_LAMBDA_INLINE {
        [[maybe_unused]] const int zero[] = {0, (detail::zero_adjoint<Root, K, T>(c), 0)...};
        if constexpr (Root::kind == node_kind::operation) {
            for (std::size_t i = 0; i < g.elements[0]; ++i) c.adjoints[g.offset[0] + i] = seed[i];
        } else if constexpr (Root::kind == node_kind::variable) {
            for (std::size_t i = 0; i < g.elements[0]; ++i) c.gradient[Root::index][i] += seed[i];
        }
        [[maybe_unused]] const int seq[] = {
            0, (detail::fused_reverse_step<Root, g.order[g.size - 1 - K], T>(c), 0)...};
    };
    expand(std::make_index_sequence<g.size>{});
}

} // namespace tapeless::graph

#endif
