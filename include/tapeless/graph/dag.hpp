// tapeless/graph/dag.hpp — the compile-time DAG of an expression.
//
// Every node type has one constexpr descriptor (core/node.hpp) pointing at its children's
// descriptors. Two subexpressions of the same type share one descriptor, so walking descriptors
// visits the DAG, not the tree. An iterative depth-first search with a hashed visited set (plain
// constexpr code, run once to count and once to fill std::arrays) gives:
//   - the unique nodes in discovery order, with the (parent, child slot) through which each was
//     found: type_at<Root, d> recovers node d's type in O(1) from its parent's type;
//   - a topological order (children before parents: the DFS post-order);
//   - each node's children, fan-out, size and storage offset.
// Nothing here recurses over the expression type, prints it or hashes its name.
#ifndef TAPELESS_GRAPH_DAG_HPP
#define TAPELESS_GRAPH_DAG_HPP

#include <array>
#include <cstddef>
#include <cstdint>

#include "../core/node.hpp"

namespace tapeless::graph {

inline constexpr std::size_t max_arity = 3;
inline constexpr std::size_t npos = static_cast<std::size_t>(-1);

namespace detail {

// A minimal growable array for constant evaluation. std::vector works too, but its allocator and
// iterator layers make clang's constexpr interpreter several times slower on large graphs.
template <class T>
struct buffer {
    T* data = nullptr;
    std::size_t size = 0, capacity = 0;

    constexpr buffer() = default;
    constexpr explicit buffer(std::size_t n, const T& fill) : data(new T[n]), size(n), capacity(n) {
        for (std::size_t i = 0; i < n; ++i) data[i] = fill;
    }
    buffer(const buffer&) = delete;
    buffer& operator=(const buffer&) = delete;
    constexpr ~buffer() { delete[] data; }

    constexpr void push_back(const T& v) {
        if (size == capacity) {
            const std::size_t cap = capacity == 0 ? 64 : 2 * capacity;
            T* bigger = new T[cap];
            for (std::size_t i = 0; i < size; ++i) bigger[i] = data[i];
            delete[] data;
            data = bigger;
            capacity = cap;
        }
        data[size++] = v;
    }
    constexpr T& operator[](std::size_t i) { return data[i]; }
    constexpr const T& operator[](std::size_t i) const { return data[i]; }
    constexpr T& back() { return data[size - 1]; }
    constexpr void pop_back() { --size; }
    constexpr bool empty() const { return size == 0; }
    constexpr void swap(buffer& other) {
        T* d = data;
        data = other.data;
        other.data = d;
        std::size_t n = size;
        size = other.size;
        other.size = n;
        n = capacity;
        capacity = other.capacity;
        other.capacity = n;
    }
};

// What one depth-first search finds.
struct search_result {
    buffer<const node_info*> nodes;          // discovery order
    buffer<std::size_t> parent, slot, order; // order: post-order of discovery indices
    buffer<std::array<std::size_t, max_arity>> child;
    buffer<std::size_t> uses;
};

// Open-addressing set from descriptor to discovery index, keyed by the structural hash; equal
// hashes are told apart by the descriptor's address.
struct visited_set {
    buffer<const node_info*> keys;
    buffer<std::size_t> values;
    std::size_t count = 0;

    constexpr explicit visited_set(std::size_t capacity)
        : keys(capacity, nullptr), values(capacity, 0) {}

    constexpr std::size_t find(const node_info* n) const {
        const std::size_t mask = keys.size - 1;
        for (std::size_t i = static_cast<std::size_t>(n->hash) & mask;; i = (i + 1) & mask) {
            if (keys[i] == nullptr) return npos;
            if (keys[i] == n) return values[i];
        }
    }
    constexpr void insert(const node_info* n, std::size_t v) {
        if (2 * (count + 1) > keys.size) grow();
        const std::size_t mask = keys.size - 1;
        std::size_t i = static_cast<std::size_t>(n->hash) & mask;
        while (keys[i] != nullptr) i = (i + 1) & mask;
        keys[i] = n;
        values[i] = v;
        ++count;
    }
    constexpr void grow() {
        visited_set bigger(keys.size * 2);
        for (std::size_t i = 0; i < keys.size; ++i)
            if (keys[i] != nullptr) bigger.insert(keys[i], values[i]);
        keys.swap(bigger.keys);
        values.swap(bigger.values);
    }
};

struct frame {
    std::size_t node = 0, next = 0;
};

// The iterative depth-first search; with Full = false it only discovers (to count the nodes).
template <bool Full>
constexpr void search(const node_info* root, search_result& r) {
    visited_set seen(128);
    buffer<frame> stack;
    auto discover = [&](const node_info* n, std::size_t parent, std::size_t slot) {
        const std::size_t d = r.nodes.size;
        r.nodes.push_back(n);
        if constexpr (Full) {
            r.parent.push_back(parent);
            r.slot.push_back(slot);
            r.child.push_back({npos, npos, npos});
            r.uses.push_back(0);
        }
        seen.insert(n, d);
        stack.push_back({d, 0});
        return d;
    };
    discover(root, npos, 0);
    while (!stack.empty()) {
        frame& f = stack.back();
        const node_info* n = r.nodes[f.node];
        if (f.next < n->arity) {
            const std::size_t s = f.next++;
            const std::size_t parent = f.node; // f may dangle once discover() grows the stack
            const node_info* c = n->children[s];
            std::size_t d = seen.find(c);
            if (d == npos) d = discover(c, parent, s);
            if constexpr (Full) {
                r.child[parent][s] = d;
                ++r.uses[d];
            }
        } else {
            if constexpr (Full) r.order.push_back(f.node);
            stack.pop_back();
        }
    }
}

constexpr std::size_t count_nodes(const node_info* root) {
    search_result r;
    search<false>(root, r);
    return r.nodes.size;
}

} // namespace detail

// The DAG of an expression with N unique nodes. Node indices are discovery indices (the root is
// 0); order lists them children-first.
template <std::size_t N>
struct dag {
    static constexpr std::size_t size = N;
    std::array<std::size_t, N> parent{}, slot{}; // through which parent and child slot d was found
    // topological order, children first; order[N-1] = 0
    std::array<std::size_t, N> order{};
    std::array<std::size_t, N> position{}; // position[d]: where d stands in order
    std::array<std::array<std::size_t, max_arity>, N> child{}; // children of d (npos: none)
    std::array<const node_info*, N> info{}; // the descriptor of d: kind, shape, input slot
    std::array<std::size_t, N> arity{};
    std::array<std::size_t, N> uses{};     // how many times d is an operand (fan-out)
    std::array<std::size_t, N> elements{}; // number of elements of d's shape
    std::array<std::size_t, N> offset{};   // where d's value starts in the value storage
    std::size_t storage = 0;               // total number of elements of all node values

    // Where the value of child s of node d starts.
    constexpr std::size_t child_offset(std::size_t d, std::size_t s) const {
        return child[d][s] == npos ? 0 : offset[child[d][s]];
    }
    // Whether child s of node d depends on a variable (and so needs its adjoint).
    constexpr bool child_active(std::size_t d, std::size_t s) const {
        return child[d][s] != npos && info[child[d][s]]->active;
    }
};

template <std::size_t N>
constexpr dag<N> build(const node_info* root) {
    detail::search_result r;
    detail::search<true>(root, r);
    dag<N> g;
    for (std::size_t d = 0; d < N; ++d) {
        g.parent[d] = r.parent[d];
        g.slot[d] = r.slot[d];
        g.child[d] = r.child[d];
        g.info[d] = r.nodes[d];
        g.arity[d] = r.nodes[d]->arity;
        g.uses[d] = r.uses[d];
        g.elements[d] = r.nodes[d]->size;
    }
    std::size_t off = 0;
    for (std::size_t k = 0; k < N; ++k) {
        const std::size_t d = r.order[k];
        g.order[k] = d;
        g.position[d] = k;
        g.offset[d] = off;
        off += g.elements[d];
    }
    g.storage = off;
    return g;
}

// The DAG of the expression whose root node type is Root.
template <class Root>
inline constexpr auto
    dag_of = build<detail::count_nodes(&info_of<Root>::value)>(&info_of<Root>::value);

// Whether some operation of Root's DAG may have a singular point (core/node.hpp's singular_of):
// where none has, no partial is infinite at finite inputs and finite intermediate values.
template <class Root>
inline constexpr bool may_be_singular = [] {
    const auto& g = dag_of<Root>;
    for (std::size_t d = 0; d < g.size; ++d)
        if (g.info[d]->singular) return true;
    return false;
}();

// The type of node d of Root's DAG, derived from the node that discovered it. Instantiate in
// increasing d (as the sweeps do) and each step is O(1) with shallow template recursion.
template <class Root, std::size_t D>
struct type_at {
    using type =
        child_t<typename type_at<Root, dag_of<Root>.parent[D]>::type, dag_of<Root>.slot[D]>;
};
template <class Root>
struct type_at<Root, 0> {
    using type = Root;
};

template <class Root, std::size_t D>
using type_at_t = typename type_at<Root, D>::type;

} // namespace tapeless::graph

#endif
