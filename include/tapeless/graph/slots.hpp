// tapeless/graph/slots.hpp — which input slots an expression reads, and with what shapes;
// tl::next_slot and tl::variables_after, fresh variables numbered after an expression's slots.
#ifndef TAPELESS_GRAPH_SLOTS_HPP
#define TAPELESS_GRAPH_SLOTS_HPP

#include <array>
#include <cstddef>
#include <utility>

#include "../core/config.hpp"
#include "../core/variables.hpp"
#include "dag.hpp"

namespace tapeless::graph {

struct slot_shape {
    int rank = -1; // -1: the slot is not read by the expression
    std::size_t rows = 0, cols = 0;
    friend constexpr bool operator==(const slot_shape&, const slot_shape&) = default;
};

// The number of input slots an expression needs: one past the largest variable index it reads.
template <class Root>
inline constexpr std::size_t slot_count = [] {
    const auto& g = dag_of<Root>;
    std::size_t n = 0;
    for (std::size_t d = 0; d < g.size; ++d)
        if (g.info[d]->kind == node_kind::variable && g.info[d]->slot + 1 > n)
            n = g.info[d]->slot + 1;
    return n;
}();

// Two different variable nodes that read one input slot: under two names, with two shapes, or
// once as a variable and once as data. Identical variables are one node (one descriptor), so any
// second descriptor on a slot is a clash.
struct slot_clash {
    bool found = false;
    std::size_t slot = 0;
    const node_info* first = nullptr;  // the variable found first (depth-first, left operand first)
    const node_info* second = nullptr; // the other one
};

// How many inputs the expression takes: one past the last slot it reads, or more when one of its
// variables was made together with others (name::group: tl::variables<"x", "y", "z">() makes
// three, so 10 * (y - x) takes three inputs; a traced callable takes one per parameter).
template <class Root>
inline constexpr std::size_t declared_inputs = [] {
    const auto& g = dag_of<Root>;
    std::size_t n = slot_count<Root>;
    for (std::size_t d = 0; d < g.size; ++d)
        if (g.info[d]->kind == node_kind::variable && g.info[d]->label != nullptr &&
            g.info[d]->label->group > n)
            n = g.info[d]->label->group;
    return n;
}();

// Two variable nodes that are one variable: the same name (x from tl::variables<"x", "y">() and
// from tl::variable<0, tl::scalar, "x"> differ only in name::group), shape and kind.
constexpr bool same_variable(const node_info& a, const node_info& b) {
    const bool same_name = (a.label == nullptr || a.label->empty())
                               ? (b.label == nullptr || b.label->empty())
                               : (b.label != nullptr && *a.label == *b.label);
    return a.slot == b.slot && a.rank == b.rank && a.rows == b.rows && a.cols == b.cols &&
           a.active == b.active && same_name;
}

// The shape of each input slot, the variable node that reads it, and the first clash.
template <std::size_t Slots>
struct slot_table {
    std::array<slot_shape, Slots> shapes{};
    std::array<const node_info*, Slots> readers{}; // nullptr: the slot is not read
    bool consistent = true;                        // every slot read by one variable node only
    slot_clash clash{};
    constexpr bool all_scalar() const {
        for (const auto& s : shapes)
            if (s.rank > 0) return false;
        return true;
    }
};

template <class Root>
inline constexpr slot_table<slot_count<Root>> slots_of = [] {
    const auto& g = dag_of<Root>;
    slot_table<slot_count<Root>> t;
    for (std::size_t d = 0; d < g.size; ++d) {
        const node_info* n = g.info[d];
        if (n->kind != node_kind::variable) continue;
        const node_info*& reader = t.readers[n->slot];
        if (reader == nullptr) {
            reader = n;
            t.shapes[n->slot] = slot_shape{n->rank, n->rows, n->cols};
        } else if (reader != n && !same_variable(*reader, *n) && t.consistent) {
            t.consistent = false;
            t.clash = slot_clash{true, n->slot, reader, n};
        }
    }
    return t;
}();

// The DAG indices of the variable nodes that carry adjoints (not data), in discovery order.
template <class Root>
inline constexpr auto variable_nodes = [] {
    constexpr std::size_t n = [] {
        std::size_t k = 0;
        for (std::size_t d = 0; d < dag_of<Root>.size; ++d)
            if (dag_of<Root>.info[d]->kind == node_kind::variable && dag_of<Root>.info[d]->active)
                ++k;
        return k;
    }();
    std::array<std::size_t, n> v{};
    std::size_t k = 0;
    for (std::size_t d = 0; d < dag_of<Root>.size; ++d)
        if (dag_of<Root>.info[d]->kind == node_kind::variable && dag_of<Root>.info[d]->active)
            v[k++] = d;
    return v;
}();

// Adds the variables' adjoints (stored at their dag offsets) into gradient[slot], expanded at
// compile time (a runtime loop over the descriptors cost more than the whole reverse sweep of the
// running example f(x, z) = e^{xz} + xz / ln x + sin(ln x) / (xz); README, Sources).
template <class Root, class T>
TAPELESS_INLINE constexpr void add_variable_adjoints(const T* adjoints, T* const* gradient) {
    constexpr const auto& g = dag_of<Root>;
    constexpr const auto& vars = variable_nodes<Root>;
    const auto expand = [&]<std::size_t... K>(std::index_sequence<K...>) TAPELESS_LAMBDA_INLINE {
        [[maybe_unused]] const int seq[] = {
            0, (
                   [&]() TAPELESS_LAMBDA_INLINE {
                       T* dst = gradient[g.info[vars[K]]->slot];
                       for (std::size_t i = 0; i < g.elements[vars[K]]; ++i)
                           dst[i] = dst[i] + adjoints[g.offset[vars[K]] + i];
                   }(),
                   0)...};
    };
    expand(std::make_index_sequence<vars.size()>{});
}

} // namespace tapeless::graph

namespace tapeless {

// The first input slot after those the expression E reads (variables and data): 0 for an
// expression without variables.
template <Expression E>
inline constexpr std::size_t next_slot = graph::declared_inputs<node_of<E>>;

// Scalar variables for the input slots after those E reads, one per name, as a tuple for
// structured bindings: a part written on its own joins E without hand-numbered slots.
//   auto [k1, k2] = tl::variables<"k1", "k2">();
//   auto rate = k1 * exp(-k2);
//   auto [lambda] = tl::variables_after<decltype(rate), "lambda">();   // slot 2
template <Expression E, name... Names>
    requires(sizeof...(Names) > 0)
constexpr auto variables_after() {
    const auto expand = [&]<std::size_t... I>(std::index_sequence<I...>) {
        constexpr name names[] = {detail::grouped(Names, next_slot<E> + sizeof...(Names))...};
        return std::tuple{variable<next_slot<E> + I, scalar, names[I]>...};
    };
    return expand(std::make_index_sequence<sizeof...(Names)>{});
}

// N unnamed scalar variables for the input slots after those E reads.
template <Expression E, std::size_t N>
    requires(N > 0)
constexpr auto variables_after() {
    const auto expand = []<std::size_t... I>(std::index_sequence<I...>) {
        return std::tuple{
            variable<next_slot<E> + I, scalar, detail::grouped(name{}, next_slot<E> + N)>...};
    };
    return expand(std::make_index_sequence<N>{});
}

} // namespace tapeless

#endif
