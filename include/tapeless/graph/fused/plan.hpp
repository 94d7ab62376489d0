// tapeless/graph/fused/plan.hpp — the fused sweeps' plan: which nodes are stored, which inlined.
//
// The fused sweeps store only what must be stored:
//   - a node is *inlined* into its consumer (computed on demand, element by element) when it is
//     elementwise, a view (slice, element) or a concat, has exactly one use, its consumer reads
//     each of its elements once (an elementwise node of the same size, a reduction such as sum, a
//     view or a concat), and,
//     for the reverse sweep, it is cheap to recompute (+ − × ÷, square, powi, abs, ...): the
//     reverse sweep recomputes an inlined subtree's values element by element rather than keeping
//     them. Everything else is *materialised* in storage at its dag offset, as before;
//   - a view of something addressable (a variable, a stored node, such a view) is never stored:
//     it reads, and is read as a pointer, through its operand.
// Which nodes are inlined is decided once per expression by plain constexpr code over the DAG
// (plan_of); the sweeps themselves are the same braced-init-list expansions as the plain ones.
#ifndef TAPELESS_GRAPH_FUSED_PLAN_HPP
#define TAPELESS_GRAPH_FUSED_PLAN_HPP

#include <array>
#include <cstddef>

#include "../../core/node.hpp"
#include "../dag.hpp"

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

// Whether node D is a view that the reverse sweep's plan reads through but gives an adjoint of its
// own (fusion_plan::transparent).
template <class Root, std::size_t D>
inline constexpr bool is_transparent = plan_of<Root, true>.transparent[D];

} // namespace detail

} // namespace tapeless::graph

#endif
