// tapeless/graph/reverse.hpp — the reverse sweep: adjoints of every unique node, parents first.
//
// After the value sweep has filled every node's value, the reverse sweep visits the DAG in reverse
// topological order and adds each node's contribution ȳ · ∂y/∂child to its children's adjoints,
// using the operation's first-derivative rule. Each node is visited once, and its adjoint is
// complete when it is visited (all its parents come before it), so a shared subexpression's
// adjoint is accumulated over all its uses and propagated once: no repeated work. Children that
// do not depend on a variable (constants, literals) get no adjoint at all. Like the value sweep,
// the steps are expanded in a braced-init-list and templated on the operation and shapes only.
#ifndef TAPELESS_GRAPH_REVERSE_HPP
#define TAPELESS_GRAPH_REVERSE_HPP

#include <array>
#include <cstddef>
#include <utility>

#include "sweep.hpp"

namespace tapeless::graph {

// Which adjoints are passive on number types: an adjoint whose tangents are structurally zero.
// The root's seed carries no tangents (the second-order modes seed it with the constant 1), and a
// node's adjoint stays passive when every use of it is by a node with a passive adjoint through a
// constant partial derivative: a linear operation (+, −, sum, slice, ...), a product whose other
// factor depends on no variable, a quotient's numerator over such a denominator. The sweeps read a
// passive adjoint as its plain value, so ȳ · ∂y/∂x never multiplies a zero tangent by an infinite
// partial (at x = 0, ∂²√x/∂x² is −inf: H·v there is −inf, where the zero tangent of the seed times
// the infinite ∂√x/∂x made it NaN).
template <class Root>
inline constexpr auto adjoint_passive = [] {
    constexpr const auto& g = dag_of<Root>;
    std::array<bool, g.size> p{};
    for (std::size_t d = 0; d < g.size; ++d) p[d] = true;
    for (std::size_t k = g.size; k-- > 0;) { // parents before children
        const std::size_t d = g.order[k];
        const node_info& n = *g.info[d];
        if (n.kind != node_kind::operation) continue;
        for (std::size_t s = 0; s < n.arity; ++s) {
            const std::size_t other = n.arity == 2 ? g.child[d][1 - s] : npos;
            const bool other_constant = other != npos && !g.info[other]->active;
            const bool constant_partial =
                n.linear == linearity::linear ||
                (n.linear == linearity::bilinear && other_constant) ||
                (n.linear == linearity::numerator && s == 0 && other_constant);
            if (!(p[d] && constant_partial)) p[g.child[d][s]] = false;
        }
    }
    return p;
}();

// On number types: whether node d's adjoint is passive. Always false on plain numbers.
template <class Root, class T>
constexpr bool passive_adjoint(std::size_t d) {
    return carries_tangents<T> && adjoint_passive<Root>[d];
}

namespace detail {

// Leaves have no children: nothing to propagate.
template <class N>
struct reverse_step {
    template <bool, bool, bool = false, class T>
    static TAPELESS_INLINE constexpr void run(const T*, const T*, const T*, T*, const T*, T*) {}
};

template <class Op, class SA>
struct op_reverse_step1 {
    // ā += ȳ · dy/da
    template <bool ActiveA, bool, bool PassiveY = false, class T>
    static TAPELESS_INLINE constexpr void run(const T* y, const T* yb, const T* a, T* ab, const T*,
                                              T*) {
        if constexpr (ActiveA) {
            if constexpr (UnaryElementwise<Op>) {
                for (std::size_t i = 0; i < SA::size; ++i)
                    ab[i] = ab[i] + plain_if<PassiveY>(yb[i]) * Op::derivative(a[i], y[i]);
            } else {
                Op::template vjp<0, SA>(ab, yb, y, a);
            }
        }
    }
};

template <class Op, class SA, class SB>
struct op_reverse_step2 {
    // ā += ȳ · ∂y/∂a, b̄ += ȳ · ∂y/∂b; a broadcast scalar operand sums over the elements. On
    // number types an inactive operand enters the other's rule as its plain value.
    template <bool ActiveA, bool ActiveB, bool PassiveY = false, class T>
    static TAPELESS_INLINE constexpr void run(const T* y, const T* yb, const T* a, T* ab,
                                              const T* b, T* bb) {
        if constexpr (BinaryElementwise<Op>) {
            constexpr std::size_t n = broadcast_t<SA, SB>::size;
            constexpr bool sa = SA::rank == 0, sb = SB::rank == 0;
            if constexpr (ActiveA) {
                if constexpr (sa && n > 1) {
                    T acc = static_cast<T>(0);
                    for (std::size_t i = 0; i < n; ++i)
                        acc = acc + plain_if<PassiveY>(yb[i]) *
                                        Op::da(a[0], plain_if<!ActiveB>(b[sb ? 0 : i]), y[i]);
                    ab[0] = ab[0] + acc;
                } else {
                    for (std::size_t i = 0; i < n; ++i)
                        ab[i] = ab[i] + plain_if<PassiveY>(yb[i]) *
                                            Op::da(a[i], plain_if<!ActiveB>(b[sb ? 0 : i]), y[i]);
                }
            }
            if constexpr (ActiveB) {
                if constexpr (sb && n > 1) {
                    T acc = static_cast<T>(0);
                    for (std::size_t i = 0; i < n; ++i)
                        acc = acc + plain_if<PassiveY>(yb[i]) *
                                        Op::db(plain_if<!ActiveA>(a[sa ? 0 : i]), b[0], y[i]);
                    bb[0] = bb[0] + acc;
                } else {
                    for (std::size_t i = 0; i < n; ++i)
                        bb[i] = bb[i] + plain_if<PassiveY>(yb[i]) *
                                            Op::db(plain_if<!ActiveA>(a[sa ? 0 : i]), b[i], y[i]);
                }
            }
        } else {
            if constexpr (ActiveA) Op::template vjp<0, SA, SB>(ab, yb, y, a, b);
            if constexpr (ActiveB) Op::template vjp<1, SA, SB>(bb, yb, y, a, b);
        }
    }
};

template <class Op, class C0>
struct reverse_step<node<Op, C0>> : op_reverse_step1<Op, typename C0::shape> {};
template <class Op, class C0, class C1>
struct reverse_step<node<Op, C0, C1>>
    : op_reverse_step2<Op, typename C0::shape, typename C1::shape> {};

} // namespace detail

template <class Root, std::size_t D>
using reverse_step_t = detail::reverse_step<type_at_t<Root, D>>;

// Given every node's value (forward_values) and the root's adjoint seeded in adjoints (all other
// entries zero), accumulates the adjoint of every active node. Both arrays use dag.offset.
template <class Root, class T>
TAPELESS_INLINE constexpr void reverse_adjoints(const T* values, T* adjoints) {
    constexpr const auto& g = dag_of<Root>;
    static_assert(detail::instantiate_types<Root>(std::make_index_sequence<g.size>{}));
    const auto expand = [&]<std::size_t... K>(std::index_sequence<K...>) TAPELESS_LAMBDA_INLINE {
        [[maybe_unused]] const int seq[] = {
            0, (reverse_step_t<Root, g.order[g.size - 1 - K]>::template run<
                    g.child_active(g.order[g.size - 1 - K], 0),
                    g.child_active(g.order[g.size - 1 - K], 1),
                    passive_adjoint<Root, T>(g.order[g.size - 1 - K])>(
                    values + g.offset[g.order[g.size - 1 - K]],
                    adjoints + g.offset[g.order[g.size - 1 - K]],
                    values + g.child_offset(g.order[g.size - 1 - K], 0),
                    adjoints + g.child_offset(g.order[g.size - 1 - K], 0),
                    values + g.child_offset(g.order[g.size - 1 - K], 1),
                    adjoints + g.child_offset(g.order[g.size - 1 - K], 1)),
                0)...};
    };
    expand(std::make_index_sequence<g.size>{});
}

} // namespace tapeless::graph

#endif
