// tapeless/graph/fused/values.hpp — the fused value sweep: a loop per stored node and inlined tree.
//
// Variables are read from the inputs where they are, never copied. A materialised node and its
// inlined subtree (a tree: every inlined node has one use) form one loop, which evaluates the tree
// per element; the steps are the same braced-init-list expansion as the plain sweep's.
#ifndef TAPELESS_GRAPH_FUSED_VALUES_HPP
#define TAPELESS_GRAPH_FUSED_VALUES_HPP

#include <cstddef>
#include <type_traits>
#include <utility>

#include "../../core/config.hpp"
#include "../../core/node.hpp"
#include "../../core/rational.hpp"
#include "../../ops/common.hpp"
#include "../dag.hpp"
#include "../sweep.hpp"
#include "plan.hpp"

namespace tapeless::graph {

// What the fused sweeps read and write: node storage, the inputs and constants, and in the reverse
// sweep the adjoints (of materialised nodes) and one gradient pointer per input slot.
template <class T>
struct fused_context {
    using value_type = T;
    T* values;
    const T* const* inputs;
    const double* constants;
    T* adjoints = nullptr;
    T* const* gradient = nullptr;

    // Element i of input slot s. A context may instead make inputs on the fly (forward mode builds
    // each seeded dual number in registers: see modes/gradient.hpp).
    TAPELESS_INLINE constexpr T input(std::size_t s, std::size_t i) const { return inputs[s][i]; }
};

namespace detail {

// Element i of node D as an Out: T, or on number types passive_t<T> for a node that depends on
// no variable (ops/common.hpp: passive operands), computed in plain numbers from the start (a
// literal is never built as a dual only to be taken apart again).
template <class Root, bool R, std::size_t D, class T, class Out, class Ctx>
TAPELESS_INLINE constexpr Out read_as(const Ctx& c, std::size_t i);

// Element i of node D (an operand's index: scalars are read at 0 by their consumer). On number
// types a node that depends on no variable is read as its plain value, so its consumer evaluates
// only the active operand's rule.
template <class Root, bool R, std::size_t D, class T, class Ctx>
TAPELESS_INLINE constexpr auto read(const Ctx& c, std::size_t i) {
    if constexpr (passive_node<Root, T>(D))
        return read_as<Root, R, D, T, passive_t<T>>(c, i);
    else
        return read_as<Root, R, D, T, T>(c, i);
}
template <class Root, bool R, std::size_t D, class T, class Out, class Ctx>
TAPELESS_INLINE constexpr Out read_as(const Ctx& c, std::size_t i) {
    constexpr const auto& g = dag_of<Root>;
    using N = type_at_t<Root, D>;
    constexpr bool plain = !std::is_same_v<Out, T>;
    if constexpr (N::kind == node_kind::variable) {
        if constexpr (plain)
            return passive(c.input(N::index, i));
        else
            return c.input(N::index, i);
    } else if constexpr (N::kind == node_kind::literal) {
        return to_value<Out>(N::value);
    } else if constexpr (!is_inlined<Root, R, D>) {
        if constexpr (plain)
            return passive(c.values[g.offset[D] + i]);
        else
            return c.values[g.offset[D] + i];
    } else {
        using Op = typename N::op;
        constexpr std::size_t c0 = child_index<Root, D, 0>;
        if constexpr (Op::fusion == fusion_kind::view) {
            return read<Root, R, c0, T>(c, Op::source(i));
        } else if constexpr (Op::fusion == fusion_kind::join) {
            constexpr std::size_t n0 = g.elements[c0];
            return i < n0 ? Out(read<Root, R, c0, T>(c, i))
                          : Out(read<Root, R, child_index<Root, D, 1>, T>(c, i - n0));
        } else if constexpr (N::arity == 1) {
            return apply_element<Op>(read<Root, R, c0, T>(c, i));
        } else {
            constexpr std::size_t c1 = child_index<Root, D, 1>;
            return apply_element<Op>(read<Root, R, c0, T>(c, g.info[c0]->rank == 0 ? 0 : i),
                                     read<Root, R, c1, T>(c, g.info[c1]->rank == 0 ? 0 : i));
        }
    }
}
template <class Root, bool R, std::size_t D, class T, class Ctx>
struct reader {
    const Ctx& c;
    TAPELESS_INLINE constexpr auto operator[](std::size_t i) const {
        return read<Root, R, D, T>(c, i);
    }
};

// Node D as a pointer, for operations that are not fused (matmul, softmax, ...): their operands
// are materialised, variables are the inputs themselves.
template <class Root, std::size_t D>
inline constexpr bool is_view = dag_of<Root>.info[D]->fusion == fusion_kind::view;

// (A view asked for as a pointer is an unstored view of something addressable: see make_plan.)
template <class Root, bool R, std::size_t D, class T>
TAPELESS_INLINE constexpr const T* pointer(const fused_context<T>& c) {
    using N = type_at_t<Root, D>;
    if constexpr (N::kind == node_kind::variable)
        return c.inputs[N::index];
    else if constexpr (is_view<Root, D> && is_inlined<Root, R, D>)
        return pointer<Root, R, child_index<Root, D, 0>, T>(c) + N::op::source(0);
    else
        return c.values + dag_of<Root>.offset[D];
}

// Operand S of node D as its consumer reads it: a reader for fusing consumers, else a pointer.
template <class Root, bool R, std::size_t D, std::size_t S, class T, class Ctx>
TAPELESS_INLINE constexpr auto operand(const Ctx& c) {
    constexpr std::size_t k = child_index<Root, D, S>;
    if constexpr (dag_of<Root>.info[D]->fusion == fusion_kind::none)
        return pointer<Root, R, k, T>(c);
    else
        return reader<Root, R, k, T, Ctx>{c};
}

// Computes materialised node D (every inlined descendant on the fly).
template <class Root, bool R, std::size_t D, class T, class Ctx>
TAPELESS_INLINE constexpr void fused_step(const Ctx& c) {
    constexpr const auto& g = dag_of<Root>;
    using N = type_at_t<Root, D>;
    T* out = c.values + g.offset[D];
    if constexpr (N::kind == node_kind::literal) {
        out[0] = to_value<T>(N::value);
    } else if constexpr (N::kind == node_kind::constant) {
        for (std::size_t i = 0; i < N::shape::size; ++i)
            out[i] = static_cast<T>(c.constants[N::offset + i]);
    } else if constexpr (N::kind == node_kind::operation && !is_inlined<Root, R, D>) {
        using Op = typename N::op;
        static_assert(N::arity <= 2, "tapeless: operations have at most two operands");
        if constexpr (g.info[D]->fusion == fusion_kind::none) {
            // an array operation on materialised operands: the plain sweep's step (sweep.hpp),
            // which reads a passive operand as plain values and clears a passive node's tangents
            const T* a = pointer<Root, R, child_index<Root, D, 0>, T>(c);
            const T* b = nullptr;
            if constexpr (N::arity == 2) b = pointer<Root, R, child_index<Root, D, 1>, T>(c);
            step_t<Root, D>::template run<passive_node<Root, T>(D), passive_child<Root, T>(D, 0),
                                          passive_child<Root, T>(D, 1)>(out, a, b, c);
        } else if constexpr (N::arity == 1) {
            eval_op<Op, typename child_t<N, 0>::shape>(out, operand<Root, R, D, 0, T>(c));
        } else {
            eval_op<Op, typename child_t<N, 0>::shape, typename child_t<N, 1>::shape>(
                out, operand<Root, R, D, 0, T>(c), operand<Root, R, D, 1, T>(c));
        }
    }
}

} // namespace detail

// The value sweep, fused: every materialised node's value into c.values (the root included unless
// it is read through: root_read_through).
// ForReverse selects the plan the reverse sweep expects (cheap nodes only inlined).
// SkipRoot: leave out the root when the reverse sweep does not read its value (a reduction, view
// or join at the root) and the caller does not want it.
template <class Root, bool ForReverse, bool SkipRoot = false, class Ctx>
TAPELESS_INLINE constexpr void fused_values(const Ctx& c) {
    using T = typename Ctx::value_type;
    constexpr const auto& g = dag_of<Root>;
    static_assert(detail::instantiate_types<Root>(std::make_index_sequence<g.size>{}));
    constexpr fusion_kind root = g.info[0]->fusion;
    constexpr bool skip = SkipRoot && (root == fusion_kind::reduction ||
                                       root == fusion_kind::view || root == fusion_kind::join);
    const auto expand = [&]<std::size_t... K>(std::index_sequence<K...>) TAPELESS_LAMBDA_INLINE {
        [[maybe_unused]] const int seq[] = {
            0, ((skip && g.order[K] == 0)
                    ? 0
                    : (detail::fused_step<Root, ForReverse, g.order[K], T>(c), 0))...};
    };
    expand(std::make_index_sequence<g.size>{});
}

// The root's value after a fused value sweep (a variable root is its input; a root read through is
// computed here).
template <class Root, bool ForReverse, class Ctx>
TAPELESS_INLINE constexpr auto fused_root(const Ctx& c, std::size_t i) {
    return detail::read<Root, ForReverse, 0, typename Ctx::value_type>(c, i);
}

} // namespace tapeless::graph

#endif
