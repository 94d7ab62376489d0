// tapeless/modes/cost.hpp — a compile-time cost model of the modes.
//
//   constexpr auto c = tl::cost(f);            // or tl::cost<decltype(f)>()
//   c.ops.transcendental, c.nodes, c.work     // what one value sweep does
//   c.forward(n), c.reverse(m), c.hvp()       // predicted work of the modes
//   tl::recommended_jacobian_mode<F, n>()     // tl::forward_mode_t{} or tl::reverse_mode_t{}
//
// Why a model: tl::jacobian has to choose forward or reverse mode before anything runs, and the
// choice depends on what the expression's sweeps do, which the types already say. So everything
// is read off the expression's DAG (graph/dag.hpp), so that a shared subexpression counts once,
// and off the fused sweeps' plans (graph/fused/plan.hpp), so that the cheap nodes the reverse
// sweep recomputes instead of storing are counted where they run. The results are operation
// counts, not times.
//
// The classes of operations, the unit (weighted element operations), the prediction of each mode
// and the rule-call counts are described in docs/design.md, "The cost model"; the members are
// listed in docs/reference/modes/cost.md.
#ifndef TAPELESS_MODES_COST_HPP
#define TAPELESS_MODES_COST_HPP

#include <array>
#include <cstddef>
#include <string_view>
#include <type_traits>
#include <utility>

#include "../core/expr.hpp"
#include "../core/node.hpp"
#include "../graph/dag.hpp"
#include "../graph/fused/plan.hpp"
#include "../graph/rows.hpp"
#include "gradient.hpp"

namespace tapeless {

// Element operations of one value sweep by class (docs/design.md, The cost model).
struct operation_counts {
    std::size_t arithmetic = 0;
    std::size_t transcendental = 0;
    std::size_t multiply_adds = 0;
    std::size_t reductions = 0;
    std::size_t moves = 0;
    std::size_t other = 0;
};

// How often the elementwise operations' rules run in one call of a mode.
struct rule_calls {
    std::size_t values = 0;
    std::size_t derivatives = 0;
};

struct cost_estimate {
    static constexpr std::size_t arithmetic_weight = 1, transcendental_weight = 16,
                                 multiply_add_weight = 1, reduction_weight = 1, move_weight = 0,
                                 other_weight = 1;
    // Reverse sweeps of a Jacobian that share their partials (docs/design.md, The cost model).
    static constexpr std::size_t unrolled_rows = 16;

    operation_counts ops{};
    std::size_t nodes = 0;              // unique nodes of the DAG, leaves included
    std::size_t operations = 0;         // unique operation nodes
    std::size_t storage = 0;            // elements of all node values (the plain sweeps' storage)
    std::size_t stored_elements = 0;    // elements of the operation nodes the reverse sweep stores
    std::size_t outputs = 0;            // elements of the root
    std::size_t work = 0;               // weighted element operations of one value sweep
    std::size_t linear_work = 0;        // the part of work done by operations declared linear
    std::size_t recomputed_work = 0;    // what the reverse sweep recomputes (cheap inlined nodes)
    std::size_t derivative_work = 0;    // the derivative rules of the active operations
    std::size_t propagation_work = 0;   // carrying one tangent forward or one adjoint back
    std::size_t linear_propagation = 0; // the part of it done by operations declared linear

    // Rule calls of the elementwise operations (docs/design.md, The cost model).
    std::size_t value_calls = 0;              // one value sweep (tl::value)
    std::size_t reverse_plan_value_calls = 0; // the value sweep that precedes a reverse sweep
    std::size_t recomputed_value_calls = 0;   // value rules run again by one reverse sweep
    std::size_t reverse_derivative_calls = 0; // derivative rules of one reverse sweep
    std::size_t skipped_root_calls = 0;       // value rules tl::gradient leaves out

    constexpr std::size_t value_sweep() const { return work; }
    constexpr std::size_t forward(std::size_t tangents) const {
        return work + derivative_work + tangents * propagation_work;
    }
    constexpr std::size_t reverse_sweep() const {
        return derivative_work + recomputed_work + propagation_work;
    }
    constexpr std::size_t reverse(std::size_t rows = 1) const {
        if (rows <= unrolled_rows)
            return work + derivative_work + recomputed_work + rows * propagation_work;
        return work + rows * reverse_sweep();
    }
    constexpr std::size_t hvp() const { return 2 * reverse(1); }
    constexpr std::size_t dense_hessian(std::size_t n) const { return (1 + n) * reverse(1); }
    constexpr std::size_t hessian_by_columns(std::size_t n) const { return n * hvp(); }
    constexpr std::size_t sparse_hessian(std::size_t colors) const { return colors * hvp(); }
    constexpr std::size_t taylor(std::size_t K) const {
        return work + K * (K + 1) / 2 * (propagation_work - linear_propagation) +
               K * linear_propagation;
    }
    // Whether forward mode with n tangents needs no more work than reverse mode with m rows.
    constexpr bool forward_is_cheaper(std::size_t n, std::size_t m) const {
        return forward(n) <= reverse(m);
    }

    // Rule calls of the modes.
    constexpr rule_calls value_mode() const { return {value_calls, 0}; }
    // tl::value_and_gradient (WithValue) or tl::gradient in reverse mode.
    constexpr rule_calls reverse_mode(bool with_value = true) const {
        return {reverse_plan_value_calls + recomputed_value_calls -
                    (with_value ? 0 : skipped_root_calls),
                reverse_derivative_calls};
    }
    // tl::gradient(f, p, tl::forward_mode), tl::jvp: the value sweep on dual numbers.
    constexpr rule_calls forward_mode() const { return {value_calls, value_calls}; }
    // tl::hvp: the value sweep and the reverse sweep on dual<T, 1>.
    constexpr rule_calls hvp_mode() const {
        const std::size_t v = reverse_plan_value_calls + recomputed_value_calls;
        return {v, v + reverse_derivative_calls};
    }
};

namespace detail {

// What the cost model reads of node N's operation: its name (for cost<F>("name")), its work_kind
// and whether its derivative rule is transcendental (core/node.hpp).
struct op_traits {
    std::string_view name;
    work_kind work = work_kind::by_fusion;
    bool transcendental_derivative = false;
};
template <class N>
constexpr op_traits op_traits_of() {
    if constexpr (N::kind == node_kind::operation)
        return {N::op::name, detail::work_of<typename N::op>(),
                detail::transcendental_derivative_of<typename N::op>()};
    else
        return {};
}

template <class Root, std::size_t... D>
constexpr std::array<op_traits, sizeof...(D)> op_traits_table(std::index_sequence<D...>) {
    return {op_traits_of<graph::type_at_t<Root, D>>()...};
}

// Adds node d's element operations to c: its value, and when it is active its derivative rule and
// the multiply-adds that carry a tangent or an adjoint through it.
template <std::size_t N>
constexpr void count_node(const graph::dag<N>& g, const op_traits& t, std::size_t d,
                          cost_estimate& c) {
    const node_info& n = *g.info[d];
    const std::size_t size = g.elements[d];
    const std::size_t a = n.arity > 0 ? g.elements[g.child[d][0]] : 0;
    const std::size_t operand = a > size ? a : size;
    std::size_t active_operands = 0;
    for (std::size_t k = 0; k < n.arity; ++k)
        active_operands += g.info[g.child[d][k]]->active ? std::size_t{1} : std::size_t{0};
    operation_counts& o = c.ops;
    std::size_t w = 0, dw = 0, pw = 0;
    work_kind kind = t.work;
    if (kind == work_kind::by_fusion) {
        if (n.fusion == fusion_kind::view || n.fusion == fusion_kind::join)
            kind = work_kind::move;
        else if (n.fusion == fusion_kind::none)
            kind = work_kind::other;
    }
    if (kind == work_kind::contraction) {
        // matmul (m×k)(k×n): mk/m; matvec: mk/m; dot: a/1 (run-time rows: size / cols of them)
        const std::size_t rows = n.rows == dynamic ? size / n.cols : n.rows;
        const std::size_t inner = rows > 0 ? a / rows : 0;
        o.multiply_adds += size * inner;
        w = size * inner * cost_estimate::multiply_add_weight;
        pw = active_operands * w;
    } else if (kind == work_kind::exponentials) {
        o.transcendental += a;
        w = a * cost_estimate::transcendental_weight;
        dw = a * cost_estimate::arithmetic_weight;
        pw = 2 * a * cost_estimate::multiply_add_weight;
    } else if (kind == work_kind::arithmetic) {
        o.arithmetic += operand;
        w = operand * cost_estimate::arithmetic_weight;
        pw = active_operands * operand * cost_estimate::multiply_add_weight;
    } else if (kind == work_kind::move) {
        o.moves += size;
        w = size * cost_estimate::move_weight;
    } else if (n.fusion == fusion_kind::reduction) {
        o.reductions += a;
        w = a * cost_estimate::reduction_weight;
        pw = a * cost_estimate::reduction_weight;
    } else if (n.fusion == fusion_kind::elementwise) {
        if (n.cheap) {
            o.arithmetic += size;
            w = size * cost_estimate::arithmetic_weight;
        } else {
            o.transcendental += size;
            w = size * cost_estimate::transcendental_weight;
        }
        const bool rule_is_free = n.linear == linearity::linear || n.linear == linearity::bilinear;
        dw = rule_is_free
                 ? 0
                 : size * (t.transcendental_derivative ? cost_estimate::transcendental_weight
                                                       : cost_estimate::arithmetic_weight);
        pw = active_operands * size * cost_estimate::multiply_add_weight;
    } else {
        o.other += operand;
        w = operand * cost_estimate::other_weight;
        dw = operand * cost_estimate::other_weight;
        pw = active_operands * operand * cost_estimate::other_weight;
    }
    c.work += w;
    if (n.linear == linearity::linear) c.linear_work += w;
    if (n.active) {
        c.derivative_work += dw;
        c.propagation_work += pw;
        if (n.linear == linearity::linear) c.linear_propagation += pw;
    }
}

// How many elements of each node one read of its fused loop evaluates: all of them, except under
// a view, which reads only its own elements of its (inlined) operand.
template <std::size_t N>
constexpr std::array<std::size_t, N> evaluated_elements(const graph::dag<N>& g,
                                                        const graph::fusion_plan<N>& p) {
    std::array<std::size_t, N> ev{};
    for (std::size_t k = N; k-- > 0;) { // parents first
        const std::size_t d = g.order[k];
        ev[d] = g.elements[d];
        if (d == 0 || !p.inlined[d] || p.transparent[d]) continue;
        const std::size_t parent = g.parent[d];
        const fusion_kind pf = g.info[parent]->fusion;
        if ((pf == fusion_kind::view || pf == fusion_kind::elementwise) && ev[parent] < ev[d])
            ev[d] = ev[parent];
    }
    return ev;
}

// The cost of Root's operations, or only of those named only (when not empty).
template <class Root>
constexpr cost_estimate make_cost(std::string_view only) {
    constexpr const auto& g = graph::dag_of<Root>;
    constexpr std::size_t N = g.size;
    constexpr auto traits = op_traits_table<Root>(std::make_index_sequence<N>{});
    constexpr bool fused = graph::has_arrays<Root>;
    const auto& fwd = graph::plan_of<Root, false>;
    const auto& rev = graph::plan_of<Root, true>;
    const auto ev_f = evaluated_elements(g, fwd);
    const auto ev_r = evaluated_elements(g, rev);
    cost_estimate c;
    c.nodes = N;
    c.storage = g.storage;
    c.outputs = g.elements[0];
    // reads[d]: how many times the reverse sweep reads inlined node d's value per element;
    // top[d]: the stored node whose loop computes d.
    std::array<std::size_t, N> reads{}, top{};
    const fusion_kind root_kind = g.info[0]->fusion;
    const bool root_skipped = fused && g.info[0]->kind == node_kind::operation &&
                              (root_kind == fusion_kind::reduction ||
                               root_kind == fusion_kind::view || root_kind == fusion_kind::join);
    for (std::size_t k = N; k-- > 0;) { // parents first
        const std::size_t d = g.order[k];
        const node_info& n = *g.info[d];
        if (n.kind != node_kind::operation) continue;
        const bool counted = only.empty() || traits[d].name == only;
        if (counted) ++c.operations;
        const std::size_t before = c.work;
        if (counted) count_node(g, traits[d], d, c);
        const bool inlined = fused && rev.inlined[d] && !rev.transparent[d];
        top[d] = d;
        if (inlined) {
            const std::size_t parent = g.parent[d];
            const node_info& pn = *g.info[parent];
            top[d] = top[parent];
            const bool parent_inlined = rev.inlined[parent] && !rev.transparent[parent];
            if (!parent_inlined)
                reads[d] = pn.active && pn.fusion == fusion_kind::elementwise ? 1 : 0;
            else if (pn.fusion == fusion_kind::elementwise)
                reads[d] = reads[parent] + (pn.active ? 1 : 0);
            else
                reads[d] = reads[parent];
        } else if (counted) {
            c.stored_elements += g.elements[d];
        }
        if (!counted || n.fusion != fusion_kind::elementwise) continue;
        const std::size_t ef = fused ? ev_f[d] : g.elements[d];
        const std::size_t er = fused ? ev_r[d] : g.elements[d];
        c.value_calls += ef;
        c.reverse_plan_value_calls += er;
        if (n.active) c.reverse_derivative_calls += g.elements[d];
        if (inlined) {
            const std::size_t times = reads[d] + (n.active ? 1 : 0);
            c.recomputed_value_calls += times * er;
            c.recomputed_work += times * (c.work - before) * er / g.elements[d];
            if (root_skipped && top[d] == 0) c.skipped_root_calls += er;
        }
    }
    return c;
}

template <class Root>
inline constexpr cost_estimate cost_of = make_cost<Root>({});

// The cost of an expression with run-time rows when every extent has `rows` elements (less what
// drop_front and drop_back take): each node counted with that many elements, a row node once per
// loop that evaluates it (one per stage from its own: x − mean(x) needs two). The row sweeps
// (graph/rows.hpp) store only the head and tail nodes; the gradient recomputes every row operation
// unless it takes one pass (graph::detail::single_pass).
template <class Root>
constexpr cost_estimate make_row_cost(std::size_t rows) {
    constexpr const auto& g0 = graph::dag_of<Root>;
    constexpr const auto& p = graph::rows_of<Root>;
    constexpr std::size_t N = g0.size;
    constexpr auto traits = op_traits_table<Root>(std::make_index_sequence<N>{});
    graph::dag<N> g = g0;
    for (std::size_t d = 0; d < N; ++d) {
        if (p.role[d] != graph::row_role::row) continue;
        const std::size_t cut = p.extent_cut[p.extent[d]];
        g.elements[d] = (rows > cut ? rows - cut : 0) * g.info[d]->cols;
    }
    cost_estimate c;
    c.nodes = N;
    c.storage = p.storage + p.registers;
    c.outputs = g.elements[0];
    for (std::size_t k = N; k-- > 0;) {
        const std::size_t d = g.order[k];
        const node_info& n = *g.info[d];
        if (n.kind != node_kind::operation) continue;
        ++c.operations;
        const std::size_t before = c.work;
        count_node(g, traits[d], d, c);
        const bool row = p.role[d] == graph::row_role::row;
        if (!row) c.stored_elements += g.elements[d];
        // a row node of stage s is evaluated by the loops of stages s .. stages − 1
        const std::size_t loops = row ? p.stages - p.stage[d] : 1;
        const std::size_t once = c.work - before;
        c.work += (loops - 1) * once;
        if (n.fusion != fusion_kind::elementwise) continue;
        c.value_calls += loops * g.elements[d];
        c.reverse_plan_value_calls += loops * g.elements[d];
        if (n.active) c.reverse_derivative_calls += loops * g.elements[d];
        if (row && !graph::detail::single_pass<Root>) {
            c.recomputed_value_calls += loops * g.elements[d];
            c.recomputed_work += loops * once;
        }
    }
    return c;
}

} // namespace detail

// The cost model of expression F (docs/design.md, The cost model).
template <class F>
constexpr cost_estimate cost() {
    static_assert(Expression<F>, "tapeless::cost<F>(): F must be a tapeless expression");
    static_assert(!graph::has_dynamic<node_of<F>>,
                  "tapeless::cost<F>(): F has run-time rows (tl::dynamic): its cost depends on "
                  "their number, tl::cost_at<F>(rows)");
    return detail::cost_of<node_of<F>>;
}

// The cost model of F with `rows` run-time rows in every extent (F without run-time rows:
// cost<F>()): the counts are functions of the extents, here evaluated at one.
template <class F>
constexpr cost_estimate cost_at(std::size_t rows) {
    static_assert(Expression<F>, "tapeless::cost_at<F>(rows): F must be a tapeless expression");
    if constexpr (graph::has_dynamic<node_of<F>>)
        return detail::make_row_cost<node_of<F>>(rows);
    else
        return detail::cost_of<node_of<F>>;
}
template <class F>
constexpr cost_estimate cost_at(const F&, std::size_t rows) {
    return cost_at<F>(rows);
}
template <class F>
constexpr cost_estimate cost(const F&) {
    return cost<F>();
}
// The same, counting only the operations named op (Op::name: "exp", "matmul", ...); nodes,
// storage and outputs are still those of the whole expression.
template <class F>
constexpr cost_estimate cost(std::string_view op) {
    static_assert(Expression<F>, "tapeless::cost<F>(op): F must be a tapeless expression");
    static_assert(!graph::has_dynamic<node_of<F>>,
                  "tapeless::cost<F>(op): F has run-time rows (tl::dynamic): tl::cost_at<F>(rows)");
    return detail::make_cost<node_of<F>>(op);
}

// The cheaper mode for the Jacobian of F with n input elements: forward (n tangents in one sweep)
// when it needs no more work than reverse (one value sweep, one reverse sweep per output).
template <class F, std::size_t InputCount>
constexpr bool forward_mode_recommended() {
    constexpr cost_estimate c = cost<F>();
    return c.forward_is_cheaper(InputCount, c.outputs);
}

template <class F, std::size_t InputCount>
using recommended_jacobian_mode_t =
    std::conditional_t<forward_mode_recommended<F, InputCount>(), forward_mode_t, reverse_mode_t>;

template <class F, std::size_t InputCount>
constexpr recommended_jacobian_mode_t<F, InputCount> recommended_jacobian_mode() {
    return recommended_jacobian_mode_t<F, InputCount>{};
}

// recommended_mode<n>(f): the same for an expression object.
template <std::size_t InputCount, class F>
constexpr recommended_jacobian_mode_t<F, InputCount> recommended_mode(const F&) {
    return recommended_jacobian_mode_t<F, InputCount>{};
}

} // namespace tapeless

#endif
