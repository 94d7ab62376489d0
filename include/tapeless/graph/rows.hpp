// tapeless/graph/rows.hpp — sweeps over run-time rows: expressions on vector<dynamic> and
// matrix<dynamic, C>.
//
// An expression with run-time extents keeps a static DAG; only the number of rows of some nodes is
// a run-time number n. Every node is one of three kinds (row_plan):
//   head  a node of static shape that depends on no row node: the parameters a, b, c of
//         a·exp(b·x) + c, literals, constants. Computed once, stored.
//   row   a node with run-time rows: a row variable (x), an operation that reads an input
//         (drop_front, drop_back, gather), matvec of a matrix<dynamic, C> input (row by row), or
//         an elementwise operation with a row operand. Never stored as an array: evaluated one
//         element at a time, in a register.
//   tail  a node of static shape that depends on a row node: a row reduction (sum, mean, dot of
//         row nodes) and what is computed from reductions. Stored.
// The value sweep computes the head, then one loop over the rows that evaluates every row node of
// that row and adds it into the reductions, then the tail. The reverse sweep runs the tail's rules
// backwards (parents first), which gives each reduction's adjoint; then one loop over the rows
// that recomputes the row's values and passes the adjoints down through its row nodes into the
// row variables' gradients (element i of each) and the head's adjoints (summed over the rows);
// then the head's rules backwards. Nothing of size n is stored: the storage is static (head and
// tail nodes, one register per row node), so these sweeps allocate nothing whatever n is.
//
// Row nodes that meet in an elementwise operation must have the same length; row variables that
// never meet may not (sum(x) + sum(y)). Extents that meet form a group, one loop each; the
// run-time check (modes/rows.hpp) compares the lengths of every two extents that meet in a node,
// before anything is computed. A row node that reads a reduction of rows (x − mean(x)) is
// computed in a later loop than the one that sums them: the loops run stage by stage.
#ifndef TAPELESS_GRAPH_ROWS_HPP
#define TAPELESS_GRAPH_ROWS_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "../core/config.hpp"
#include "reverse.hpp"
#include "slots.hpp"
#include "sweep.hpp"

namespace tapeless::graph {

enum class row_role : std::uint8_t { head, row, tail };

template <std::size_t N, std::size_t Slots>
struct row_plan {
    std::array<row_role, N> role{};
    // head and tail nodes: where the value starts in the static storage; row operations: their
    // register; nodes that read an input (row variables, drop_front, drop_back, gather): unused
    std::array<std::size_t, N> offset{};
    std::size_t storage = 0, registers = 0;
    // Row nodes read inputs directly (reads[d]: a variable, or an operation with a row_access) or
    // compute elementwise. A reading node reads input slot read_slot[d]; a gather's indices are
    // input slot index_slot[d].
    std::array<bool, N> reads{};
    std::array<row_access, N> access{};
    std::array<std::size_t, N> read_slot{}, index_slot{}, shift{};
    // An extent: the length of input slot extent_slot[e] in units of extent_per[e] elements (1, or
    // the C of a matrix<dynamic, C> read row by row) less extent_cut[e]. Row nodes have one
    // (extent[d]), as row reductions (their operand's).
    std::array<std::size_t, N> extent{};
    std::array<std::size_t, N> extent_slot{}, extent_cut{}, extent_per{};
    std::size_t extents = 0;
    // Extents that meet in an elementwise operation form a group, swept in one loop: each
    // extent's group, the number of groups, and the first extent of each (the group's length).
    std::array<std::size_t, N> group{}, representative{};
    std::size_t groups = 0;
    // Stages: a row node that reads a reduction of rows (x − mean(x)) needs a loop over the rows
    // after the one that sums them. stage[d] of a row node is the loop that computes it, the
    // first after every fixed operand it reads is known; ready[d] of a head or tail node is the
    // stage from which its value is known (0 for the head; one past its operand's stage for a row
    // reduction; the latest of its operands' for any other tail node). stages: loops of each group.
    std::array<std::size_t, N> stage{}, ready{};
    std::size_t stages = 1;
    // The slots read as a gather's indices (bound to integers), and those read as numbers.
    std::array<bool, (Slots > 0 ? Slots : 1)> index_input{}, number_input{};

    constexpr std::size_t group_of(std::size_t d) const { return group[extent[d]]; }
};

// Whether node d's shape has run-time rows.
constexpr bool has_run_time_rows(const node_info& n) {
    return n.rank > 0 && n.rows == dynamic;
}

template <class Root>
inline constexpr bool has_dynamic = [] {
    const auto& g = dag_of<Root>;
    for (std::size_t d = 0; d < g.size; ++d)
        if (has_run_time_rows(*g.info[d])) return true;
    return false;
}();

template <class Root>
inline constexpr auto rows_of = [] {
    constexpr const auto& g = dag_of<Root>;
    constexpr std::size_t slots = slot_count<Root>;
    row_plan<g.size, slots> p;
    // the extent (slot, cut), numbered on first sight
    const auto extent_of = [&](std::size_t slot, std::size_t cut, std::size_t per) {
        for (std::size_t e = 0; e < p.extents; ++e)
            if (p.extent_slot[e] == slot && p.extent_cut[e] == cut && p.extent_per[e] == per)
                return e;
        p.extent_slot[p.extents] = slot;
        p.extent_cut[p.extents] = cut;
        p.extent_per[p.extents] = per;
        return p.extents++;
    };
    // extent groups: union-find over the extents
    std::array<std::size_t, g.size> up{};
    for (std::size_t e = 0; e < g.size; ++e) up[e] = e;
    const auto find = [&](std::size_t e) {
        while (up[e] != e) e = up[e];
        return e;
    };
    for (std::size_t k = 0; k < g.size; ++k) {
        const std::size_t d = g.order[k];
        const node_info& n = *g.info[d];
        if (n.kind == node_kind::variable && k + 1 == g.size) p.number_input[n.slot] = true;
        for (std::size_t s = 0; s < n.arity; ++s) {
            const node_info& c = *g.info[g.child[d][s]];
            if (c.kind != node_kind::variable) continue;
            if (n.row_read == row_access::gather && s == 1)
                p.index_input[c.slot] = true;
            else
                p.number_input[c.slot] = true;
        }
        if (has_run_time_rows(n)) {
            p.role[d] = row_role::row;
            if (n.kind == node_kind::variable) {
                p.reads[d] = true;
                p.read_slot[d] = n.slot;
                p.extent[d] = extent_of(n.slot, 0, 1);
            } else if (n.row_read == row_access::by_row) {
                const node_info& x = *g.info[g.child[d][0]];
                p.access[d] = row_access::by_row;
                p.read_slot[d] = x.slot;
                p.extent[d] = extent_of(x.slot, 0, x.cols);
                p.offset[d] = p.registers++;
            } else if (n.row_read != row_access::none) {
                const node_info& x = *g.info[g.child[d][0]];
                p.reads[d] = true;
                p.access[d] = n.row_read;
                p.read_slot[d] = x.slot;
                p.shift[d] = n.row_shift;
                if (n.row_read == row_access::gather) {
                    p.index_slot[d] = g.info[g.child[d][1]]->slot;
                    p.extent[d] = p.extent[g.child[d][1]];
                } else {
                    p.extent[d] = extent_of(x.slot, n.row_shift, 1);
                }
            } else {
                std::size_t first = npos;
                for (std::size_t s = 0; s < n.arity; ++s) {
                    const std::size_t c = g.child[d][s];
                    if (p.role[c] != row_role::row) continue;
                    if (first == npos)
                        first = p.extent[c];
                    else
                        up[find(p.extent[c])] = find(first);
                }
                p.extent[d] = first;
                p.offset[d] = p.registers++;
            }
            for (std::size_t k2 = 0; k2 < n.arity; ++k2) {
                const std::size_t c = g.child[d][k2];
                const std::size_t at = p.role[c] == row_role::row ? p.stage[c] : p.ready[c];
                if (at > p.stage[d]) p.stage[d] = at;
            }
            if (p.stage[d] + 1 > p.stages) p.stages = p.stage[d] + 1;
            continue;
        }
        bool tail = false;
        for (std::size_t s = 0; s < n.arity; ++s) {
            const std::size_t c = g.child[d][s];
            if (p.role[c] == row_role::row) {
                p.extent[d] = p.extent[c];
                if (s > 0 && p.role[g.child[d][0]] == row_role::row)
                    up[find(p.extent[c])] = find(p.extent[g.child[d][0]]);
            }
            if (p.role[c] != row_role::head) tail = true;
        }
        p.role[d] = tail ? row_role::tail : row_role::head;
        p.offset[d] = p.storage;
        p.storage += n.size;
        for (std::size_t k2 = 0; k2 < n.arity; ++k2) {
            const std::size_t c = g.child[d][k2];
            const std::size_t at = p.role[c] == row_role::row ? p.stage[c] + 1 : p.ready[c];
            if (at > p.ready[d]) p.ready[d] = at;
        }
    }
    for (std::size_t e = 0; e < p.extents; ++e) {
        if (find(e) == e) {
            p.representative[p.groups] = e;
            p.group[e] = p.groups++;
        }
    }
    for (std::size_t e = 0; e < p.extents; ++e) p.group[e] = p.group[find(e)];
    return p;
}();

// Whether node d is a row reduction: a tail node with a row operand.
template <class Root>
constexpr bool row_reduction(std::size_t d) {
    constexpr const auto& g = dag_of<Root>;
    constexpr const auto& p = rows_of<Root>;
    if (p.role[d] != row_role::tail) return false;
    for (std::size_t s = 0; s < g.arity[d]; ++s)
        if (p.role[g.child[d][s]] == row_role::row) return true;
    return false;
}

// What the row sweeps read and write. values and adjoints: the static storage (rows_of offsets);
// gradient: one pointer per input slot (nullptr for a slot without one); rows: the number of
// elements of each extent group; root_rows: where a root with run-time rows writes its value (or
// reads its adjoint seed), element by element.
template <class T, class Ctx>
struct row_state {
    T* values;
    T* adjoints;
    T* const* gradient;
    const std::size_t* rows;
    const Ctx& ctx;
};

namespace detail {

// Where node C (which reads an input) reads it for element i.
template <class Root, std::size_t C, class S>
TAPELESS_INLINE constexpr std::size_t read_position(const S& st, std::size_t i) {
    constexpr const auto& p = rows_of<Root>;
    if constexpr (p.access[C] == row_access::drop_front)
        return i + p.shift[C];
    else if constexpr (p.access[C] == row_access::gather)
        return st.ctx.template index<p.index_slot[C]>(i);
    else
        return i;
}

// Node C's element i while sweeping the rows: an input's element (a row variable, drop_front,
// drop_back, gather), a row operation's register, or a head node's (scalar) value.
template <class Root, std::size_t C, class T, class S>
TAPELESS_INLINE constexpr T row_operand(const S& st, const T* regs, std::size_t i) {
    constexpr const auto& p = rows_of<Root>;
    if constexpr (p.role[C] == row_role::row && p.reads[C])
        return st.ctx.input(p.read_slot[C], read_position<Root, C>(st, i));
    else if constexpr (p.role[C] == row_role::row)
        return regs[p.offset[C]];
    else
        return st.values[p.offset[C]];
}

// Adds v into the adjoint of node C for element i (into the gradient of the input it reads, at
// the element it reads, for a node that reads an input).
template <class Root, std::size_t C, class T, class S, class V>
TAPELESS_INLINE constexpr void row_add_adjoint(const S& st, T* regs_bar, std::size_t i,
                                               const V& v) {
    constexpr const auto& p = rows_of<Root>;
    if constexpr (!dag_of<Root>.info[C]->active) {
    } else if constexpr (p.role[C] == row_role::row && p.reads[C]) {
        T& dst = st.gradient[p.read_slot[C]][read_position<Root, C>(st, i)];
        dst = dst + v;
    } else if constexpr (p.role[C] == row_role::row) {
        regs_bar[p.offset[C]] = regs_bar[p.offset[C]] + v;
    } else {
        st.adjoints[p.offset[C]] = st.adjoints[p.offset[C]] + v;
    }
}

template <class N>
struct row_rule;

// An elementwise operation on row operands: its value and its adjoint rule for one element.
template <class Op, class C0>
struct row_rule<node<Op, C0>> {
    template <class Root, std::size_t D, std::size_t K0, std::size_t, class T, class S>
    static TAPELESS_INLINE constexpr void value(const S& st, T* regs, std::size_t i) {
        const T a = row_operand<Root, K0>(st, regs, i);
        if constexpr (passive_node<Root, T>(D))
            regs[rows_of<Root>.offset[D]] = T(apply_element<Op>(passive(a)));
        else
            regs[rows_of<Root>.offset[D]] = apply_element<Op>(a);
    }
    template <class Root, std::size_t D, std::size_t K0, std::size_t, class T, class S>
    static TAPELESS_INLINE constexpr void adjoint(const S& st, const T* regs, T* regs_bar,
                                                  std::size_t i) {
        if constexpr (dag_of<Root>.child_active(D, 0)) {
            constexpr bool py = passive_adjoint<Root, T>(D);
            const T a = row_operand<Root, K0>(st, regs, i);
            row_add_adjoint<Root, K0>(st, regs_bar, i,
                                      plain_if<py>(regs_bar[rows_of<Root>.offset[D]]) *
                                          Op::derivative(a, regs[rows_of<Root>.offset[D]]));
        }
    }
};

template <class Op, class C0, class C1>
struct row_rule<node<Op, C0, C1>> {
    template <class Root, std::size_t D, std::size_t K0, std::size_t K1, class T, class S>
    static TAPELESS_INLINE constexpr void value(const S& st, T* regs, std::size_t i) {
        const T a = row_operand<Root, K0>(st, regs, i);
        const T b = row_operand<Root, K1>(st, regs, i);
        T& out = regs[rows_of<Root>.offset[D]];
        out = apply_element<Op>(as_operand<T>(plain_if<passive_child<Root, T>(D, 0)>(a)),
                                as_operand<T>(plain_if<passive_child<Root, T>(D, 1)>(b)));
        if constexpr (passive_node<Root, T>(D)) clear_tangents(&out, 1);
    }
    template <class Root, std::size_t D, std::size_t K0, std::size_t K1, class T, class S>
    static TAPELESS_INLINE constexpr void adjoint(const S& st, const T* regs, T* regs_bar,
                                                  std::size_t i) {
        constexpr const auto& g = dag_of<Root>;
        constexpr bool active_a = g.child_active(D, 0), active_b = g.child_active(D, 1);
        constexpr bool py = passive_adjoint<Root, T>(D);
        const T a = row_operand<Root, K0>(st, regs, i);
        const T b = row_operand<Root, K1>(st, regs, i);
        const T& y = regs[rows_of<Root>.offset[D]];
        const auto yb = plain_if<py>(regs_bar[rows_of<Root>.offset[D]]);
        if constexpr (active_a)
            row_add_adjoint<Root, K0>(st, regs_bar, i, yb * Op::da(a, plain_if<!active_b>(b), y));
        if constexpr (active_b)
            row_add_adjoint<Root, K1>(st, regs_bar, i, yb * Op::db(plain_if<!active_a>(a), b, y));
    }
};

template <class Root, std::size_t D>
using row_rule_t = row_rule<type_at_t<Root, D>>;

template <class Root, std::size_t D>
using op_at_t = typename type_at_t<Root, D>::op;

// An operation applied to row i of a matrix<dynamic, C> input (operand 0) and its static operand
// 1, with the operation's own rules on a matrix<1, C> (row_access::by_row: matvec(X, w)).
template <class Root, std::size_t D>
struct by_row_shapes {
    static constexpr std::size_t c0 = dag_of<Root>.child[D][0], c1 = dag_of<Root>.child[D][1];
    static constexpr std::size_t cols = dag_of<Root>.info[c0]->cols;
    using row = matrix<1, cols>;
    using other = typename type_at_t<Root, c1>::shape;
};

// Row i of the input operand 0 of node D, as T.
template <class Root, std::size_t D, class T, class S>
TAPELESS_INLINE constexpr auto by_row_read(const S& st, std::size_t i) {
    constexpr std::size_t cols = by_row_shapes<Root, D>::cols;
    std::array<T, cols> x{};
    for (std::size_t c = 0; c < cols; ++c)
        x[c] = st.ctx.input(rows_of<Root>.read_slot[D], i * cols + c);
    return x;
}

template <class Root, std::size_t D, class T, class S>
TAPELESS_INLINE constexpr void by_row_value(const S& st, T* regs, std::size_t i) {
    using B = by_row_shapes<Root, D>;
    const auto x = by_row_read<Root, D, T>(st, i);
    T y{};
    op_at_t<Root, D>::template eval<typename B::row, typename B::other>(
        &y, x.data(), st.values + rows_of<Root>.offset[B::c1]);
    regs[rows_of<Root>.offset[D]] = y;
}

template <class Root, std::size_t D, class T, class S>
TAPELESS_INLINE constexpr void by_row_adjoint(const S& st, const T* regs, T* regs_bar,
                                              std::size_t i) {
    using B = by_row_shapes<Root, D>;
    using Op = op_at_t<Root, D>;
    constexpr const auto& g = dag_of<Root>;
    constexpr const auto& p = rows_of<Root>;
    const auto x = by_row_read<Root, D, T>(st, i);
    const T* w = st.values + p.offset[B::c1];
    const T* y = regs + p.offset[D];
    const T* yb = regs_bar + p.offset[D];
    if constexpr (g.child_active(D, 0)) {
        std::array<T, B::cols> xb{};
        Op::template vjp<0, typename B::row, typename B::other>(xb.data(), yb, y, x.data(), w);
        T* dst = st.gradient[p.read_slot[D]] + i * B::cols;
        for (std::size_t c = 0; c < B::cols; ++c) dst[c] = dst[c] + xb[c];
    }
    if constexpr (g.child_active(D, 1))
        Op::template vjp<1, typename B::row, typename B::other>(st.adjoints + p.offset[B::c1], yb,
                                                                y, x.data(), w);
}

// Calls f.template operator()<d>() for every node d of Root's DAG in topological order (children
// first), or parents first: one call per node, expanded in a braced-init-list (clang caps fold
// expressions at 256 elements, graph/sweep.hpp).
template <class Root, bool ParentsFirst, class F>
TAPELESS_INLINE constexpr void each_node(const F& f) {
    constexpr const auto& g = dag_of<Root>;
    const auto expand = [&]<std::size_t... K>(std::index_sequence<K...>) TAPELESS_LAMBDA_INLINE {
        [[maybe_unused]] const int seq[] = {
            0, (f.template operator()<g.order[ParentsFirst ? g.size - 1 - K : K]>(), 0)...};
    };
    expand(std::make_index_sequence<g.size>{});
}

// The rows of extent group Grp up to stage Stage, element i: every row operation's value into its
// register, in topological order (an earlier stage's row nodes again: a register lives for one
// loop).
template <class Root, std::size_t Grp, std::size_t Stage, class T, class S>
TAPELESS_INLINE constexpr void row_values(const S& st, T* regs, std::size_t i) {
    each_node<Root, false>([&]<std::size_t D>() TAPELESS_LAMBDA_INLINE {
        constexpr const auto& g = dag_of<Root>;
        constexpr const auto& p = rows_of<Root>;
        if constexpr (p.role[D] == row_role::row && !p.reads[D] && p.group_of(D) == Grp &&
                      p.stage[D] <= Stage) {
            if constexpr (p.access[D] == row_access::by_row)
                by_row_value<Root, D>(st, regs, i);
            else
                row_rule_t<Root, D>::template value<Root, D, g.child[D][0], g.child[D][1]>(st, regs,
                                                                                           i);
        }
    });
}

// The head and tail nodes whose value is known from stage Ready on, one step each in topological
// order (row reductions excepted: their loop computes them).
template <class Root, std::size_t Ready, class T, class S>
TAPELESS_INLINE constexpr void fixed_values(const S& st) {
    each_node<Root, false>([&]<std::size_t D>() TAPELESS_LAMBDA_INLINE {
        constexpr const auto& g = dag_of<Root>;
        constexpr const auto& p = rows_of<Root>;
        constexpr std::size_t c0 = g.child[D][0] == npos ? D : g.child[D][0];
        constexpr std::size_t c1 = g.child[D][1] == npos ? D : g.child[D][1];
        if constexpr (p.role[D] != row_role::row && p.ready[D] == Ready && !row_reduction<Root>(D))
            step_t<Root, D>::template run<passive_node<Root, T>(D), passive_child<Root, T>(D, 0),
                                          passive_child<Root, T>(D, 1)>(
                st.values + p.offset[D], st.values + p.offset[c0], st.values + p.offset[c1],
                st.ctx);
    });
}

// Their reverse steps, parents first.
template <class Root, std::size_t Ready, class T, class S>
TAPELESS_INLINE constexpr void fixed_adjoints(const S& st) {
    each_node<Root, true>([&]<std::size_t D>() TAPELESS_LAMBDA_INLINE {
        constexpr const auto& g = dag_of<Root>;
        constexpr const auto& p = rows_of<Root>;
        constexpr std::size_t c0 = g.child[D][0] == npos ? D : g.child[D][0];
        constexpr std::size_t c1 = g.child[D][1] == npos ? D : g.child[D][1];
        if constexpr (p.role[D] != row_role::row && p.ready[D] == Ready && !row_reduction<Root>(D))
            reverse_step_t<Root, D>::template run<g.child_active(D, 0), g.child_active(D, 1),
                                                  passive_adjoint<Root, T>(D)>(
                st.values + p.offset[D], st.adjoints + p.offset[D], st.values + p.offset[c0],
                st.adjoints + p.offset[c0], st.values + p.offset[c1], st.adjoints + p.offset[c1]);
    });
}

// Calls f.template operator()<d>() for every row reduction d over the rows of extent group Grp
// at stage Stage.
template <class Root, std::size_t Grp, std::size_t Stage, class F>
TAPELESS_INLINE constexpr void each_reduction(const F& f) {
    each_node<Root, false>([&]<std::size_t D>() TAPELESS_LAMBDA_INLINE {
        constexpr const auto& p = rows_of<Root>;
        if constexpr (row_reduction<Root>(D) && p.group_of(D) == Grp && p.ready[D] == Stage + 1)
            f.template operator()<D>();
    });
}

// Reduction D's term for element i: a_i, or a_i · b_i.
template <class Root, std::size_t D, class T, class S>
TAPELESS_INLINE constexpr T reduction_term(const S& st, const T* regs, std::size_t i) {
    constexpr const auto& g = dag_of<Root>;
    const T a = row_operand<Root, g.child[D][0]>(st, regs, i);
    if constexpr (g.arity[D] == 1) {
        return a;
    } else {
        const T b = row_operand<Root, g.child[D][1]>(st, regs, i);
        return as_operand<T>(plain_if<passive_child<Root, T>(D, 0)>(a)) *
               as_operand<T>(plain_if<passive_child<Root, T>(D, 1)>(b));
    }
}

template <class Root, std::size_t D>
inline constexpr std::size_t reduction_index = [] {
    std::size_t k = 0;
    for (std::size_t j = 0; j < dag_of<Root>.size; ++j) {
        const std::size_t d = dag_of<Root>.order[j];
        if (d == D) return k;
        if (row_reduction<Root>(d)) ++k;
    }
    return k;
}();

template <class Root>
inline constexpr std::size_t reduction_count = [] {
    std::size_t k = 0;
    for (std::size_t d = 0; d < dag_of<Root>.size; ++d)
        if (row_reduction<Root>(d)) ++k;
    return k;
}();

// The reductions of group Grp at stage Stage from their sums over its n rows:
// y = row_scale(n) · Σ.
template <class Root, std::size_t Grp, std::size_t Stage, class T, class S>
TAPELESS_INLINE constexpr void finish_reductions(const S& st, const T* acc, std::size_t n) {
    each_reduction<Root, Grp, Stage>([&]<std::size_t D>() TAPELESS_LAMBDA_INLINE {
        using Op = op_at_t<Root, D>;
        T& y = st.values[rows_of<Root>.offset[D]];
        y = acc[reduction_index<Root, D>] * Op::template row_scale<passive_t<T>>(n);
        if constexpr (passive_node<Root, T>(D)) clear_tangents(&y, 1);
    });
}

// Whether the root has run-time rows computed in the loop of group Grp at stage Stage.
template <class Root, std::size_t Grp, std::size_t Stage>
constexpr bool root_in_loop() {
    constexpr const auto& p = rows_of<Root>;
    return p.role[0] == row_role::row && p.group_of(0) == Grp && p.stage[0] == Stage;
}

// The loop of the value sweep for group Grp at stage Stage.
template <class Root, std::size_t Grp, std::size_t Stage, class T, class S>
TAPELESS_INLINE constexpr void row_group_forward(const S& st, T* root_out) {
    constexpr const auto& p = rows_of<Root>;
    constexpr std::size_t reductions = reduction_count<Root>;
    std::array<T, (reductions > 0 ? reductions : 1)> acc{};
    std::array<T, (p.registers > 0 ? p.registers : 1)> regs{};
    const std::size_t n = st.rows[Grp];
    for (std::size_t i = 0; i < n; ++i) {
        row_values<Root, Grp, Stage>(st, regs.data(), i);
        each_reduction<Root, Grp, Stage>([&]<std::size_t D>() TAPELESS_LAMBDA_INLINE {
            constexpr std::size_t r = reduction_index<Root, D>;
            acc[r] = acc[r] + reduction_term<Root, D>(st, regs.data(), i);
        });
        if constexpr (root_in_loop<Root, Grp, Stage>())
            root_out[i] = row_operand<Root, 0>(st, regs.data(), i);
    }
    finish_reductions<Root, Grp, Stage>(st, acc.data(), n);
}

// Reduction D's adjoint (times its scale) passed to its operands' element i.
template <class Root, std::size_t D, class T, class S, class Y>
TAPELESS_INLINE constexpr void reduction_adjoint(const S& st, const T* regs, T* regs_bar,
                                                 std::size_t i, const Y& yb) {
    constexpr const auto& g = dag_of<Root>;
    constexpr std::size_t c0 = g.child[D][0];
    if constexpr (g.arity[D] == 1) {
        row_add_adjoint<Root, c0>(st, regs_bar, i, yb);
    } else {
        constexpr std::size_t c1 = g.child[D][1];
        constexpr bool aa = g.child_active(D, 0), ab = g.child_active(D, 1);
        const T a = row_operand<Root, c0>(st, regs, i);
        const T b = row_operand<Root, c1>(st, regs, i);
        if constexpr (aa) row_add_adjoint<Root, c0>(st, regs_bar, i, yb * plain_if<!ab>(b));
        if constexpr (ab) row_add_adjoint<Root, c1>(st, regs_bar, i, yb * plain_if<!aa>(a));
    }
}

// The row operations' adjoint rules for element i of group Grp up to stage Stage, parents first.
template <class Root, std::size_t Grp, std::size_t Stage, class T, class S>
TAPELESS_INLINE constexpr void row_adjoints(const S& st, const T* regs, T* regs_bar,
                                            std::size_t i) {
    each_node<Root, true>([&]<std::size_t D>() TAPELESS_LAMBDA_INLINE {
        constexpr const auto& g = dag_of<Root>;
        constexpr const auto& p = rows_of<Root>;
        if constexpr (p.role[D] == row_role::row && !p.reads[D] && p.group_of(D) == Grp &&
                      p.stage[D] <= Stage) {
            if constexpr (p.access[D] == row_access::by_row)
                by_row_adjoint<Root, D>(st, regs, regs_bar, i);
            else
                row_rule_t<Root, D>::template adjoint<Root, D, g.child[D][0], g.child[D][1]>(
                    st, regs, regs_bar, i);
        }
    });
}

// The loop of the reverse sweep for group Grp at stage Stage: each row recomputed, the adjoints
// that stage's reductions and row root pass down, through every row node of the stage and the
// earlier ones it reads. With Values, also the value sweep's loop (one pass: the reductions'
// adjoints were known before their values, see single_pass).
template <class Root, std::size_t Grp, std::size_t Stage, bool Values, class T, class S>
TAPELESS_INLINE constexpr void row_group_reverse(const S& st, const T* seed_rows) {
    constexpr const auto& p = rows_of<Root>;
    std::array<T, (p.registers > 0 ? p.registers : 1)> regs{}, regs_bar{};
    const std::size_t n = st.rows[Grp];
    // each reduction's adjoint times its scale, read in the loop
    constexpr std::size_t reductions = reduction_count<Root>;
    std::array<T, (reductions > 0 ? reductions : 1)> scaled{};
    each_reduction<Root, Grp, Stage>([&]<std::size_t D>() TAPELESS_LAMBDA_INLINE {
        using Op = op_at_t<Root, D>;
        scaled[reduction_index<Root, D>] =
            st.adjoints[rows_of<Root>.offset[D]] * Op::template row_scale<passive_t<T>>(n);
    });
    std::array<T, (reductions > 0 ? reductions : 1)> acc{};
    for (std::size_t i = 0; i < n; ++i) {
        row_values<Root, Grp, Stage>(st, regs.data(), i);
        if constexpr (Values)
            each_reduction<Root, Grp, Stage>([&]<std::size_t D>() TAPELESS_LAMBDA_INLINE {
                constexpr std::size_t r = reduction_index<Root, D>;
                acc[r] = acc[r] + reduction_term<Root, D>(st, regs.data(), i);
            });
        for (auto& r : regs_bar) r = static_cast<T>(0);
        if constexpr (root_in_loop<Root, Grp, Stage>()) regs_bar[p.offset[0]] = seed_rows[i];
        each_reduction<Root, Grp, Stage>([&]<std::size_t D>() TAPELESS_LAMBDA_INLINE {
            reduction_adjoint<Root, D>(
                st, regs.data(), regs_bar.data(), i,
                plain_if<passive_adjoint<Root, T>(D)>(scaled[reduction_index<Root, D>]));
        });
        row_adjoints<Root, Grp, Stage>(st, regs.data(), regs_bar.data(), i);
    }
    if constexpr (Values) finish_reductions<Root, Grp, Stage>(st, acc.data(), n);
}

// Whether the reductions' adjoints can be known before their values: one stage, and every tail
// operation passes adjoints to its active operands through partial derivatives that read head
// values only (a linear operation; a product or a quotient's numerator whose other operand is a
// head node). Then one loop over the rows computes each row's values and passes its adjoints down
// at once (row_value_and_gradient), where two loops would compute the rows twice.
template <class Root>
inline constexpr bool single_pass = [] {
    constexpr const auto& g = dag_of<Root>;
    constexpr const auto& p = rows_of<Root>;
    if (p.role[0] == row_role::row || p.stages > 1) return false;
    for (std::size_t d = 0; d < g.size; ++d) {
        const node_info& n = *g.info[d];
        if (p.role[d] != row_role::tail || n.kind != node_kind::operation || row_reduction<Root>(d))
            continue;
        for (std::size_t s = 0; s < n.arity; ++s) {
            if (!g.child_active(d, s)) continue;
            const bool other_head = n.arity == 2 && p.role[g.child[d][1 - s]] == row_role::head;
            const bool constant = n.linear == linearity::linear ||
                                  (n.linear == linearity::bilinear && other_head) ||
                                  (n.linear == linearity::numerator && s == 0 && other_head);
            if (!constant) return false;
        }
    }
    return true;
}();

// Calls f.template operator()<Stage>() for Stage = 0 .. stages − 1 (or from the last down), and
// per stage f.template operator()<Grp, Stage>() per group.
template <class Root, std::size_t Stage, class F>
TAPELESS_INLINE constexpr void each_group(const F& f) {
    [&]<std::size_t... Grp>(std::index_sequence<Grp...>) TAPELESS_LAMBDA_INLINE {
        (f.template operator()<Grp, Stage>(), ...);
    }
    (std::make_index_sequence<rows_of<Root>.groups>{});
}

} // namespace detail

// The value sweep over run-time rows, stage by stage: the fixed nodes known at that stage, then
// each extent group's loop (reductions summed, a row root's elements written to root_out); after
// the last stage, the rest of the tail.
template <class Root, class T, class S>
TAPELESS_INLINE constexpr void row_forward(const S& st, T* root_out) {
    static_assert(detail::instantiate_types<Root>(std::make_index_sequence<dag_of<Root>.size>{}));
    [&]<std::size_t... Stage>(std::index_sequence<Stage...>) TAPELESS_LAMBDA_INLINE {
        ((detail::fixed_values<Root, Stage, T>(st),
          detail::each_group<Root, Stage>(
              [&]<std::size_t Grp, std::size_t At>() TAPELESS_LAMBDA_INLINE {
                  detail::row_group_forward<Root, Grp, At>(st, root_out);
              })),
         ...);
    }
    (std::make_index_sequence<rows_of<Root>.stages>{});
    detail::fixed_values<Root, rows_of<Root>.stages, T>(st);
}

// The reverse sweep over run-time rows, after row_forward: st.adjoints zeroed with the root's
// adjoint seeded (a root of static shape), or seed_rows the root's adjoint element by element (a
// row root). The stages in reverse: the fixed nodes known from the stage after, then each group's
// loop. Adds every active variable's adjoint: head variables' into st.adjoints (the caller copies
// them out), row variables' straight into st.gradient.
template <class Root, class T, class S>
TAPELESS_INLINE constexpr void row_reverse(const S& st, const T* seed_rows) {
    constexpr std::size_t stages = rows_of<Root>.stages;
    [&]<std::size_t... K>(std::index_sequence<K...>) TAPELESS_LAMBDA_INLINE {
        ((detail::fixed_adjoints<Root, stages - K, T>(st),
          detail::each_group<Root, stages - 1 - K>(
              [&]<std::size_t Grp, std::size_t At>() TAPELESS_LAMBDA_INLINE {
                  detail::row_group_reverse<Root, Grp, At, false>(st, seed_rows);
              })),
         ...);
    }
    (std::make_index_sequence<stages>{});
    detail::fixed_adjoints<Root, 0, T>(st);
}

// The value and the adjoints: st.adjoints zeroed, the root's adjoint seeded (a root of static
// shape) or seed_rows (a row root). In one loop over the rows where single_pass allows (the tail's
// rules run first, on zero values they do not read), else row_forward then row_reverse.
template <class Root, class T, class S>
TAPELESS_INLINE constexpr void row_value_and_gradient(const S& st, const T* seed_rows) {
    if constexpr (detail::single_pass<Root>) {
        static_assert(
            detail::instantiate_types<Root>(std::make_index_sequence<dag_of<Root>.size>{}));
        detail::fixed_values<Root, 0, T>(st);
        detail::fixed_adjoints<Root, 1, T>(st);
        detail::each_group<Root, 0>([&]<std::size_t Grp, std::size_t At>() TAPELESS_LAMBDA_INLINE {
            detail::row_group_reverse<Root, Grp, At, true>(st, seed_rows);
        });
        detail::fixed_values<Root, 1, T>(st);
        detail::fixed_adjoints<Root, 0, T>(st);
    } else {
        row_forward<Root, T>(st, static_cast<T*>(nullptr));
        row_reverse<Root, T>(st, seed_rows);
    }
}

} // namespace tapeless::graph

#endif
