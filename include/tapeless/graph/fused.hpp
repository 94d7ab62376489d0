// tapeless/graph/fused.hpp — fused sweeps: chains of elementwise nodes in one loop, no copies.
//
// The plain sweeps (sweep.hpp, reverse.hpp) store every node's value in memory. For array
// expressions that costs a store and a load per element per node, and the compiler cannot see
// through it: Rosenbrock in 10 variables measured several times slower than the plain loop with
// g++ (before and after the fused sweeps: docs/benchmarks.md, Gradients, "Fused sweeps").
// The fused sweeps store only what must be stored:
//   - a node is *inlined* into its consumer (computed on demand, element by element) when it is
//     elementwise, a view (slice, element) or a concat, has exactly one use, its consumer reads
//     each of its elements once (an elementwise node of the same size, a reduction such as sum, a
//     view or a concat), and,
//     for the reverse sweep, it is cheap to recompute (+ − × ÷, square, powi, abs, ...): the
//     reverse sweep recomputes an inlined subtree's values element by element rather than keeping
//     them. Everything else is *materialised* in storage at its dag offset, as before;
//   - variables are read from the inputs where they are, never copied; in the reverse sweep their
//     adjoints are added straight into the caller's gradient;
//   - a materialised node and its inlined subtree (a tree: every inlined node has one use) form
//     one loop. The value sweep evaluates the tree per element. The reverse sweep, per element,
//     passes the adjoint down the tree to its leaves, recomputing the (cheap) inlined values on
//     the way. (Keeping them in a recursive struct instead made g++ spill it to the stack with
//     failed store forwarding: Rosenbrock-10's gradient measured much slower, bench_gradient.)
// Which nodes are inlined is decided once per expression by plain constexpr code over the DAG
// (plan_of); the sweeps themselves are the same braced-init-list expansions as the plain ones.
// The modes use these sweeps only for expressions with array-shaped nodes (has_arrays).
#ifndef TAPELESS_GRAPH_FUSED_HPP
#define TAPELESS_GRAPH_FUSED_HPP

#include <array>
#include <cstddef>
#include <utility>

#include "../core/config.hpp"
#include "../core/node.hpp"
#include "../ops/common.hpp"
#include "dag.hpp"
#include "reverse.hpp"
#include "sweep.hpp"
#include "variables.hpp"

namespace tapeless::graph {

// Which nodes of a DAG are inlined into their consumer. make_plan(g, true) is the plan the reverse
// sweep uses: only cheap operations are inlined there, and no scalar elementwise node.
template <std::size_t N>
struct fusion_plan {
    std::array<bool, N> inlined{};
    // Views of something addressable: read through, never stored, but in the reverse sweep they
    // keep an adjoint of their own, added into their operand's by a loop of its own. (Passing it
    // straight through made two overlapping slices of one vector write overlapping, unaligned
    // parts of its adjoint in the same loop: every load then waited for a failed store forward.
    // Separate adjoints measured much faster on Rosenbrock-100's gradient, bench_gradient.)
    std::array<bool, N> transparent{};
    std::size_t stored = 0; // materialised operation nodes
};

// The longest chain of inlined nodes under a stored one.
inline constexpr std::size_t max_fused_depth = 8;

template <std::size_t N>
constexpr fusion_plan<N> make_plan(const dag<N>& g, bool for_reverse) {
    fusion_plan<N> p;
    for (std::size_t d = 1; d < N; ++d) {
        const node_info& n = *g.info[d];
        if (n.kind != node_kind::operation || g.uses[d] != 1) continue;
        const bool fusible = n.fusion == fusion_kind::elementwise ||
                             n.fusion == fusion_kind::view || n.fusion == fusion_kind::join;
        if (!fusible || (for_reverse && n.fusion == fusion_kind::elementwise && !n.cheap)) continue;
        // Scalar nodes gain nothing from recomputation in the reverse sweep: stored, they stay in
        // registers.
        if (for_reverse && n.rank == 0 && n.fusion == fusion_kind::elementwise) continue;
        const node_info& parent = *g.info[g.parent[d]];
        if (parent.fusion == fusion_kind::none) continue;
        // An elementwise consumer reads element i of an operand of its own size; a smaller (scalar)
        // operand is broadcast and would be recomputed for every element.
        if (parent.fusion == fusion_kind::elementwise && n.size != parent.size) continue;
        p.inlined[d] = true;
    }
    // Bounded depth: an inlined subtree is one expression in its consumer's loop (and one nested
    // template instantiation per level), and the reverse sweep recomputes it at every level of
    // the descent, so a long chain of single-use nodes is cut into stored pieces.
    std::array<std::size_t, N> height{};
    for (std::size_t k = 0; k < N; ++k) {
        const std::size_t d = g.order[k]; // children first
        if (!p.inlined[d]) continue;
        std::size_t h = 0;
        for (std::size_t s = 0; s < g.info[d]->arity; ++s)
            if (p.inlined[g.child[d][s]] && height[g.child[d][s]] > h) h = height[g.child[d][s]];
        height[d] = h + 1;
        if (height[d] > max_fused_depth) {
            p.inlined[d] = false;
            height[d] = 0;
        }
    }
    // A view of something addressable (a variable, a stored node, such a view) is never stored,
    // whatever its uses: it reads, and is read as a pointer, through its operand (a vector slice
    // is contiguous).
    for (std::size_t k = 0; k < N; ++k) {
        const std::size_t d = g.order[k]; // children first
        if (d == 0 || g.info[d]->kind != node_kind::operation ||
            g.info[d]->fusion != fusion_kind::view)
            continue;
        if (!p.inlined[g.child[d][0]]) p.inlined[d] = p.transparent[d] = true;
    }
    for (std::size_t d = 0; d < N; ++d)
        if (g.info[d]->kind == node_kind::operation && !p.inlined[d]) ++p.stored;
    return p;
}

template <class Root, bool ForReverse>
inline constexpr auto plan_of = make_plan(dag_of<Root>, ForReverse);

// The modes use the fused sweeps for expressions with array-shaped nodes. For all-scalar
// expressions the plain sweeps are as fast (stored scalars live in registers) and much cheaper to
// compile: their steps are shared by all nodes of one operation and shape, while fused steps are
// per node (measured with clang on the 200-node scalar case: docs/benchmarks.md, Compile time).
template <class Root>
inline constexpr bool has_arrays = [] {
    for (std::size_t d = 0; d < dag_of<Root>.size; ++d)
        if (dag_of<Root>.info[d]->rank > 0) return true;
    return false;
}();

// Whether some operation reads a variable (or a view of one) through a pointer rather than
// element by element.
template <class Root>
inline constexpr bool needs_input_pointers = [] {
    const auto& g = dag_of<Root>;
    for (std::size_t d = 0; d < g.size; ++d) {
        if (g.info[d]->kind != node_kind::operation || g.info[d]->fusion != fusion_kind::none)
            continue;
        for (std::size_t s = 0; s < g.info[d]->arity; ++s) {
            const node_info& k = *g.info[g.child[d][s]];
            if (k.kind == node_kind::variable || k.fusion == fusion_kind::view) return true;
        }
    }
    return false;
}();

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

// Whether the value sweep leaves the root out and fused_root computes each of its elements where
// it is read (straight into the caller's result): in the value sweeps' plan (the reverse sweep
// reads the root's stored values) for a root that is elementwise, a view or a concat. Stored, the
// root went through node storage on its way to the result, written as scalars and copied out
// with vector loads that waited for failed store forwards: part of why forward mode's 3x3 Lorenz
// Jacobian (a concat root of dual numbers) measured far behind the hand-written one
// (docs/benchmarks.md, Gradients, the Lorenz rows).
template <class Root, bool ForReverse>
inline constexpr bool root_read_through = [] {
    const fusion_kind k = dag_of<Root>.info[0]->fusion;
    return !ForReverse && has_arrays<Root> && Root::kind == node_kind::operation &&
           (k == fusion_kind::elementwise || k == fusion_kind::view || k == fusion_kind::join);
}();

namespace detail {

// Whether node D is computed where it is read (by its consumer, or the root by fused_root).
template <class Root, bool R, std::size_t D>
inline constexpr bool is_inlined = plan_of<Root, R>.inlined[D] ||
                                   (D == 0 && root_read_through<Root, R>);

template <class Root, std::size_t D, std::size_t S>
inline constexpr std::size_t child_index = dag_of<Root>.child[D][S];

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
template <class Root, std::size_t D>
inline constexpr bool is_transparent = plan_of<Root, true>.transparent[D];

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

// --- reverse -------------------------------------------------------------------------------------

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
    [&]<std::size_t... K>(std::index_sequence<K...>) TAPELESS_LAMBDA_INLINE {
        [[maybe_unused]] const int seq[] = {
            0, ((skip && g.order[K] == 0)
                    ? 0
                    : (detail::fused_step<Root, ForReverse, g.order[K], T>(c), 0))...};
    }
    (std::make_index_sequence<g.size>{});
}

// The reverse sweep, fused, after fused_values<Root, true>: c.adjoints holds the root's seed at
// offset[0] (everything else is zeroed here); adjoints of variables are added into c.gradient.
template <class Root, class T, class Ctx>
TAPELESS_INLINE constexpr void fused_adjoints(const Ctx& c, const T* seed) {
    constexpr const auto& g = dag_of<Root>;
    [&]<std::size_t... K>(std::index_sequence<K...>) TAPELESS_LAMBDA_INLINE {
        [[maybe_unused]] const int zero[] = {0, (detail::zero_adjoint<Root, K, T>(c), 0)...};
        if constexpr (Root::kind == node_kind::operation) {
            for (std::size_t i = 0; i < g.elements[0]; ++i) c.adjoints[g.offset[0] + i] = seed[i];
        } else if constexpr (Root::kind == node_kind::variable) {
            for (std::size_t i = 0; i < g.elements[0]; ++i) c.gradient[Root::index][i] += seed[i];
        }
        [[maybe_unused]] const int seq[] = {
            0, (detail::fused_reverse_step<Root, g.order[g.size - 1 - K], T>(c), 0)...};
    }
    (std::make_index_sequence<g.size>{});
}

// The root's value after a fused value sweep (a variable root is its input; a root read through is
// computed here).
template <class Root, bool ForReverse, class Ctx>
TAPELESS_INLINE constexpr auto fused_root(const Ctx& c, std::size_t i) {
    return detail::read<Root, ForReverse, 0, typename Ctx::value_type>(c, i);
}

// The sweeps the modes run: fused ones for expressions with array-shaped nodes, plain ones
// otherwise (has_arrays says why). Both leave every stored node's value at its dag offset, so
// fused_root reads the root after either.
//
// The value sweep (ForReverse: the plan run_adjoints expects; SkipRoot: see fused_values).
template <class Root, bool ForReverse, bool SkipRoot = false, class Ctx>
TAPELESS_INLINE constexpr void run_values(const Ctx& c) {
    if constexpr (has_arrays<Root>)
        fused_values<Root, ForReverse, SkipRoot>(c);
    else
        forward_values<Root>(c.values, c);
}

// One reverse sweep after run_values<Root, true>: the root's adjoint seeded with seed (the root's
// elements), the variables' adjoints added into c.gradient. It can be run again with another
// seed (one row of a Jacobian each). On number types (dual) the seed must carry no tangents (the
// second-order modes seed 1): the root's adjoint is read as passive (adjoint_passive).
template <class Root, class T, class Ctx>
TAPELESS_INLINE constexpr void run_adjoints(const Ctx& c, const T* seed) {
    if constexpr (has_arrays<Root>) {
        fused_adjoints<Root>(c, seed);
    } else {
        constexpr const auto& g = dag_of<Root>;
        for (std::size_t i = 0; i < g.storage; ++i) c.adjoints[i] = static_cast<T>(0);
        for (std::size_t i = 0; i < g.elements[0]; ++i) c.adjoints[g.offset[0] + i] = seed[i];
        reverse_adjoints<Root>(c.values, c.adjoints);
        add_variable_adjoints<Root>(c.adjoints, c.gradient);
    }
}

} // namespace tapeless::graph

#endif
