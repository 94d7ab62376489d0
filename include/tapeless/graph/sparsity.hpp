// tapeless/graph/sparsity.hpp — which second derivatives of a scalar expression can be non-zero,
// read off its DAG at compile time, and a colouring of the Hessian's columns that lets a few
// Hessian-vector products recover all of it.
//
// Dependencies: element i of every node gets the set of input elements it depends on (a bit set,
// at most max_pattern_inputs inputs): a variable's element depends on itself; an elementwise
// operation's element i on its operands' elements i (a scalar operand's element 0); a view's on
// the element it reads; concat's on its operands' elements in turn; any other operation (sum,
// matvec, softmax, ...) on everything its operands depend on.
// Second derivatives: the Hessian of f is a sum, over the operations, of adjoint-weighted second
// derivatives of each operation's element with respect to its operands, carried to the inputs
// by first derivatives. So ∂²f/∂x_j∂x_k can be non-zero only if some operation whose element
// depends on both x_j and x_k is not linear in the operands it reads (ops' `linear`: + and
// slice are linear, a · b is when a or b is constant, a / b when b is). Such an element adds all
// pairs of its dependency set to the pattern; an elementwise a_i · b_i only the pairs between
// a_i's and b_i's, a_i / b_i those and b_i's own. This is the pattern of every Hessian the modes
// compute, at every point: entries outside it are exact zeros.
// Colouring: columns j and k may share a colour when no row has a non-zero in both; the
// Hessian-vector product along the sum of a colour's unit vectors then holds each of those columns
// in its own rows (a tridiagonal Hessian needs 3 products whatever n). Greedy, in column order.
#ifndef TAPELESS_GRAPH_SPARSITY_HPP
#define TAPELESS_GRAPH_SPARSITY_HPP

#include <array>
#include <cstddef>
#include <cstdint>

#include "../core/array.hpp"
#include "../core/node.hpp"
#include "dag.hpp"

namespace tapeless::graph {

// Largest number of input elements for which tl::hessian derives a sparsity pattern (one 64-bit
// set per node element).
inline constexpr std::size_t max_pattern_inputs = 64;

template <std::size_t N>
struct hessian_pattern {
    std::array<std::uint64_t, N> column{}; // bit i of column[j]: H[i][j] may be non-zero
    std::array<std::size_t, N> color{};    // the colour of each column
    std::size_t colors = 0;                // how many colours (Hessian-vector products)
    // Throws std::out_of_range when i or j is not less than N.
    constexpr bool nonzero(std::size_t i, std::size_t j) const {
        if (i >= N)
            tapeless::detail::throw_index_out_of_range("hessian_pattern::nonzero: row", i, N);
        if (j >= N)
            tapeless::detail::throw_index_out_of_range("hessian_pattern::nonzero: column", j, N);
        return (column[j] >> i) & 1u;
    }
};

namespace detail {

template <std::size_t M>
constexpr std::size_t total_elements(const dag<M>& g) {
    std::size_t t = 0;
    for (std::size_t d = 0; d < M; ++d) t += g.elements[d];
    return t;
}

// Every pair (j, k) and (k, j) with j in u and k in v.
template <std::size_t N>
constexpr void add_pairs(hessian_pattern<N>& p, std::uint64_t u, std::uint64_t v) {
    for (std::size_t j = 0; j < N; ++j) {
        if ((u >> j) & 1u) p.column[j] |= v;
        if ((v >> j) & 1u) p.column[j] |= u;
    }
}

} // namespace detail

// The pattern and colouring of the Hessian of the expression whose DAG is g, with N input
// elements, slot s's element i being input element first[s] + i.
template <std::size_t N, std::size_t M, std::size_t Total, std::size_t S>
constexpr hessian_pattern<N> make_hessian_pattern(const dag<M>& g,
                                                  const std::array<std::size_t, S>& first) {
    static_assert(N <= max_pattern_inputs,
                  "tapeless: sparsity patterns are derived for up to 64 inputs");
    hessian_pattern<N> p;
    std::array<std::uint64_t, (Total > 0 ? Total : 1)> deps{};
    std::array<std::size_t, M> at{}; // where each node's sets start in deps
    for (std::size_t d = 0, o = 0; d < M; ++d) {
        at[d] = o;
        o += g.elements[d];
    }
    for (std::size_t k = 0; k < M; ++k) {
        const std::size_t d = g.order[k]; // children first
        const node_info& n = *g.info[d];
        std::uint64_t* out = deps.data() + at[d];
        // (data, tl::data, depends on nothing: it is held fixed)
        if (n.kind == node_kind::variable) {
            if (n.active)
                for (std::size_t i = 0; i < n.size; ++i)
                    out[i] = std::uint64_t{1} << (first[n.slot] + i);
            continue;
        }
        if (n.kind != node_kind::operation) continue; // literals and constants: no dependencies
        const std::size_t a = g.child[d][0], b = n.arity > 1 ? g.child[d][1] : npos;
        auto operand = [&](std::size_t c, std::size_t i) {
            return g.info[c]->size == 1 ? deps[at[c]] : deps[at[c] + i];
        };
        if (n.fusion == fusion_kind::elementwise) {
            for (std::size_t i = 0; i < n.size; ++i)
                out[i] = operand(a, i) | (b != npos ? operand(b, i) : 0);
        } else if (n.fusion == fusion_kind::view) {
            for (std::size_t i = 0; i < n.size; ++i) out[i] = deps[at[a] + n.view_begin + i];
        } else if (n.fusion == fusion_kind::join) {
            for (std::size_t i = 0; i < n.size; ++i)
                out[i] = i < g.elements[a] ? deps[at[a] + i] : deps[at[b] + i - g.elements[a]];
        } else {
            std::uint64_t all = 0;
            for (std::size_t s = 0; s < n.arity; ++s)
                for (std::size_t i = 0; i < g.elements[g.child[d][s]]; ++i)
                    all |= deps[at[g.child[d][s]] + i];
            for (std::size_t i = 0; i < n.size; ++i) out[i] = all;
        }
        const bool a_active = g.info[a]->active, b_active = b != npos && g.info[b]->active;
        if (n.linear == linearity::nonlinear) {
            for (std::size_t i = 0; i < n.size; ++i) detail::add_pairs(p, out[i], out[i]);
        } else if (n.fusion == fusion_kind::elementwise && n.linear == linearity::bilinear &&
                   a_active && b_active) {
            // a_i b_i: only the cross terms (a_i² only when a_i and b_i share an input)
            for (std::size_t i = 0; i < n.size; ++i)
                detail::add_pairs(p, operand(a, i), operand(b, i));
        } else if (n.fusion == fusion_kind::elementwise && n.linear == linearity::numerator &&
                   b_active) {
            // a_i / b_i: no ∂²/∂a²
            for (std::size_t i = 0; i < n.size; ++i) {
                detail::add_pairs(p, operand(a, i), operand(b, i));
                detail::add_pairs(p, operand(b, i), operand(b, i));
            }
        } else if (n.linear == linearity::bilinear && a_active && b_active) {
            for (std::size_t i = 0; i < n.size; ++i) detail::add_pairs(p, out[i], out[i]);
        }
    }
    // Greedy colouring: the lowest colour that no column sharing a row with j has.
    for (std::size_t j = 0; j < N; ++j) {
        std::uint64_t used = 0;
        for (std::size_t k = 0; k < j; ++k)
            if (p.column[j] & p.column[k]) used |= std::uint64_t{1} << p.color[k];
        std::size_t c = 0;
        while ((used >> c) & 1u) ++c;
        p.color[j] = c;
        if (c + 1 > p.colors) p.colors = c + 1;
    }
    return p;
}

// The Hessian pattern of expression Root with N input elements, slot s starting at First[s].
template <class Root, std::size_t N, auto First>
inline constexpr auto hessian_pattern_of =
    make_hessian_pattern<N, dag_of<Root>.size, detail::total_elements(dag_of<Root>)>(dag_of<Root>,
                                                                                     First);

} // namespace tapeless::graph

#endif
