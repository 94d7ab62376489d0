// tapeless/graph/fused.hpp — fused sweeps: chains of elementwise nodes in one loop, no copies.
//
// The plain sweeps (sweep.hpp, reverse.hpp) store every node's value in memory. For array
// expressions that costs a store and a load per element per node, and the compiler cannot see
// through it: Rosenbrock in 10 variables measured several times slower than the plain loop with
// g++ (before and after the fused sweeps: docs/benchmarks.md, Gradients, "Fused sweeps").
// The fused sweeps store only what must be stored:
//   - a node is *inlined* into its consumer (computed on demand, element by element) when it can
//     be, and everything else is *materialised* in storage at its dag offset (fused/plan.hpp);
//   - the value sweep evaluates a stored node and its inlined subtree in one loop, reading the
//     variables where they are (fused/values.hpp);
//   - the reverse sweep passes each element's adjoint down the same subtree, recomputing its
//     cheap values, and adds the variables' adjoints straight into the caller's gradient
//     (fused/adjoints.hpp).
// The modes use these sweeps only for expressions with array-shaped nodes (has_arrays).
// This header includes the three parts and holds run_values and run_adjoints, the sweeps the
// modes call.
#ifndef TAPELESS_GRAPH_FUSED_HPP
#define TAPELESS_GRAPH_FUSED_HPP

#include <cstddef>

#include "../core/config.hpp"
#include "dag.hpp"
#include "fused/adjoints.hpp"
#include "fused/plan.hpp"
#include "fused/values.hpp"
#include "reverse.hpp"
#include "slots.hpp"
#include "sweep.hpp"

namespace tapeless::graph {

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
