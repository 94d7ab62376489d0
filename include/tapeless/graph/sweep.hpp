// tapeless/graph/sweep.hpp — the value sweep: every unique node once, children first.
//
// Each node of the DAG becomes one step, expanded in a braced-init-list (clang caps fold
// expressions at 256 elements; a braced list has no such limit) so the optimiser sees one
// straight-line function. A step is templated on the operation and its operand shapes only, never
// on the expression type, and gets its storage offsets as constant arguments: steps are shared
// between nodes of the same kind, and no per-node symbol carries the expression type.
#ifndef TAPELESS_GRAPH_SWEEP_HPP
#define TAPELESS_GRAPH_SWEEP_HPP

#include <cstddef>
#include <utility>

#include "../core/config.hpp"
#include "../core/node.hpp"
#include "../ops/common.hpp"
#include "dag.hpp"

namespace tapeless::graph {

// What a sweep reads besides node values: the inputs (one pointer per variable slot, already of
// the sweep's scalar type) and the handle's runtime constants.
template <class T>
struct sweep_context {
    const T* const* inputs;
    const double* constants;

    // Element i of input slot s (forward mode's context makes seeded dual numbers here instead).
    TAPELESS_INLINE constexpr T input(std::size_t s, std::size_t i) const { return inputs[s][i]; }
};

namespace detail {
template <class N>
struct step;

template <std::size_t I, class S, name Nm, bool A>
struct step<var<I, S, Nm, A>> {
    template <bool, bool, bool, class T, class C>
    static TAPELESS_INLINE constexpr void run(T* out, const T*, const T*, const C& ctx) {
        for (std::size_t i = 0; i < S::size; ++i) out[i] = ctx.input(I, i);
    }
};
template <rational R>
struct step<lit<R>> {
    template <bool, bool, bool, class T, class C>
    static TAPELESS_INLINE constexpr void run(T* out, const T*, const T*, const C&) {
        out[0] = to_value<T>(R);
    }
};
template <std::size_t O, class S>
struct step<cst<O, S>> {
    template <bool, bool, bool, class T, class C>
    static TAPELESS_INLINE constexpr void run(T* out, const T*, const T*, const C& ctx) {
        for (std::size_t i = 0; i < S::size; ++i) out[i] = static_cast<T>(ctx.constants[O + i]);
    }
};
// Operand x of a step, read as its plain value when it is passive (ops/common.hpp).
template <bool Passive, class T>
struct passive_reader {
    const T* p;
    TAPELESS_INLINE constexpr auto operator[](std::size_t i) const {
        return plain_if<Passive>(p[i]);
    }
};

// On number types (dual, taylor), a node that depends on no variable keeps no tangents: its
// value is stored with them cleared (an array operation computed on zero tangents may have made
// 0 · inf = NaN ones).
template <class T>
TAPELESS_INLINE constexpr void clear_tangents(T* out, std::size_t n) {
    if constexpr (carries_tangents<T>)
        for (std::size_t i = 0; i < n; ++i) out[i] = T(passive(out[i]));
}

// Whether an operation evaluates from readers of plain values (every elementwise operation, and
// array operations whose eval takes generic operands, such as dot); others get the T arrays.
template <class Op, class SA, class SB, class T>
concept accepts_passive = BinaryElementwise<Op> ||
    requires(T* out, passive_reader<true, T> a, passive_reader<false, T> b) {
    Op::template eval<SA, SB>(out, a, b);
};

// Inactive: the node depends on no variable. PA, PB: that operand is passive. All three are
// false on plain numbers, where they change nothing (one instantiation per operation and shape).
template <class Op, class SA>
struct op_step1 {
    template <bool Inactive, bool PA, bool PB, class T, class C>
    static TAPELESS_INLINE constexpr void run(T* out, const T* a, const T*, const C&) {
        if constexpr (Inactive && UnaryElementwise<Op>) {
            eval_op<Op, SA>(out, passive_reader<true, T>{a});
        } else {
            eval_op<Op, SA>(out, a);
            if constexpr (Inactive) clear_tangents(out, Op::template result<SA>::size);
        }
    }
};
template <class Op, class SA, class SB>
struct op_step2 {
    template <bool Inactive, bool PA, bool PB, class T, class C>
    static TAPELESS_INLINE constexpr void run(T* out, const T* a, const T* b, const C&) {
        if constexpr ((PA || PB) && accepts_passive<Op, SA, SB, T>) {
            eval_op<Op, SA, SB>(out, passive_reader<PA, T>{a}, passive_reader<PB, T>{b});
        } else {
            eval_op<Op, SA, SB>(out, a, b);
            if constexpr (Inactive) clear_tangents(out, Op::template result<SA, SB>::size);
        }
    }
};
template <class Op, class C0>
struct step<node<Op, C0>> : op_step1<Op, typename C0::shape> {};
template <class Op, class C0, class C1>
struct step<node<Op, C0, C1>> : op_step2<Op, typename C0::shape, typename C1::shape> {};

template <class...>
struct type_list {};

// Instantiates type_at<Root, d> for d = 0, 1, ... in order, so no lookup recurses deeply.
template <class Root, std::size_t... D>
constexpr bool instantiate_types(std::index_sequence<D...>) {
    using all = type_list<type_at_t<Root, D>...>;
    return sizeof(all) > 0;
}
} // namespace detail

// On number types: whether node d depends on no variable, and whether child s of node d is
// passive (an operand whose derivatives are structurally zero). Always false on plain numbers.
template <class Root, class T>
constexpr bool passive_node(std::size_t d) {
    return carries_tangents<T> && !dag_of<Root>.info[d]->active;
}
template <class Root, class T>
constexpr bool passive_child(std::size_t d, std::size_t s) {
    return carries_tangents<T> && dag_of<Root>.child[d][s] != npos &&
           !dag_of<Root>.child_active(d, s);
}

// The step that computes node d of Root's DAG.
template <class Root, std::size_t D>
using step_t = detail::step<type_at_t<Root, D>>;

// Computes the value of every node of Root's DAG into storage (dag_of<Root>.storage elements).
// ctx: a sweep_context<T>, or a context with the same members (inputs, constants, input(s, i)).
template <class Root, class T, class Ctx>
TAPELESS_INLINE constexpr void forward_values(T* storage, const Ctx& ctx) {
    constexpr const auto& g = dag_of<Root>;
    static_assert(detail::instantiate_types<Root>(std::make_index_sequence<g.size>{}));
    const auto expand = [&]<std::size_t... K>(std::index_sequence<K...>) TAPELESS_LAMBDA_INLINE {
        [[maybe_unused]] const int seq[] = {
            0, (step_t<Root, g.order[K]>::template run<passive_node<Root, T>(g.order[K]),
                                                       passive_child<Root, T>(g.order[K], 0),
                                                       passive_child<Root, T>(g.order[K], 1)>(
                    storage + g.offset[g.order[K]], storage + g.child_offset(g.order[K], 0),
                    storage + g.child_offset(g.order[K], 1), ctx),
                0)...};
    };
    expand(std::make_index_sequence<g.size>{});
}

} // namespace tapeless::graph

#endif
