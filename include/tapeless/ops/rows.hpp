// tapeless/ops/rows.hpp — operations that pick elements of run-time rows: drop_front<K>,
// drop_back<K> and gather.
//
//   tl::drop_front<1>(w) - tl::drop_back<1>(w)    w_{i+1} − w_i, i = 0 .. n−2 (w of n elements)
//   tl::gather(x, pairs_i)                         x[pairs_i[k]] for every k
//
// On vector<dynamic> each reads an input (a variable or data) where it is, element by element,
// in the row sweeps (graph/rows.hpp: core/node.hpp's row_access says how); its adjoint adds into
// the input's gradient at the element read, so a gather's adjoint is a scatter-add, right when an
// index repeats. The indices of a gather are an input of their own, tl::indices<I, Name>: a
// std::vector or std::span of integers (any integral type), checked against the length of what
// they index once per call (tl::index_error), not in the loop. On a static vector<N>,
// drop_front<K> and drop_back<K> are slice<K, N − K> and slice<0, N − K>.
#ifndef TAPELESS_OPS_ROWS_HPP
#define TAPELESS_OPS_ROWS_HPP

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common.hpp"
#include "linalg.hpp"

namespace tapeless {

// The indices of a gather: input slot I, a run-time list of integers (not differentiated).
template <std::size_t I, name Name = name{}>
inline constexpr ex_t<var<I, vector<dynamic>, Name, false>> indices{};

namespace op {

namespace detail {
template <class S>
struct dynamic_vector_only {
    TAPELESS_REQUIRE((std::is_same_v<S, vector<dynamic>>),
                     "tapeless: drop_front, drop_back and gather take a vector<dynamic> here (on a "
                     "static vector<N>, drop_front and drop_back are slices)");
    using type = vector<dynamic>;
};
} // namespace detail

// drop_front<K>(v) = (v_K, ..., v_{n−1}), n − K elements. Domain: all reals. ∂y_i/∂v_{i+K} = 1.
template <std::size_t K>
struct drop_front : array_operation {
    static constexpr std::string_view edge_rows = ""; // picks elements: no edges of its own
    static constexpr bool singular = false;
    static constexpr linearity linear = linearity::linear;
    static constexpr std::string_view name = "drop_front", domain = "all real v";
    static constexpr std::uint64_t parameters = K;
    static constexpr bool dynamic_extents = true;
    static constexpr row_access row_read = row_access::drop_front;
    static constexpr work_kind work = work_kind::move; // (cost model: one read per element)
    static constexpr std::size_t row_shift = K;
    template <class S>
    using result = typename detail::dynamic_vector_only<S>::type;
};

// drop_back<K>(v) = (v_0, ..., v_{n−1−K}), n − K elements. Domain: all reals. ∂y_i/∂v_i = 1.
template <std::size_t K>
struct drop_back : array_operation {
    static constexpr std::string_view edge_rows = "";
    static constexpr bool singular = false;
    static constexpr linearity linear = linearity::linear;
    static constexpr std::string_view name = "drop_back", domain = "all real v";
    static constexpr std::uint64_t parameters = K;
    static constexpr bool dynamic_extents = true;
    static constexpr row_access row_read = row_access::drop_back;
    static constexpr work_kind work = work_kind::move;
    static constexpr std::size_t row_shift = K;
    template <class S>
    using result = typename detail::dynamic_vector_only<S>::type;
};

// gather(x, idx)_k = x_{idx_k}, as many elements as idx. Domain: 0 ≤ idx_k < the length of x.
// ∂y_k/∂x_j = 1 where j = idx_k: the adjoint adds ȳ_k into x̄_{idx_k} (a scatter-add).
struct gather : array_operation {
    static constexpr std::string_view edge_rows = "";
    static constexpr bool singular = false;
    static constexpr linearity linear = linearity::linear;
    static constexpr std::string_view name = "gather", domain = "0 <= idx_k < length of x";
    static constexpr bool dynamic_extents = true;
    static constexpr row_access row_read = row_access::gather;
    static constexpr work_kind work = work_kind::move;
    template <class SX, class SI>
    using result = typename detail::dynamic_vector_only<SI>::type;
};

} // namespace op

namespace detail {
template <class X>
constexpr void require_input_operand() {
    static_assert(node_of<X>::kind == node_kind::variable,
                  "tapeless: drop_front, drop_back and gather on run-time rows read an input (a "
                  "variable or data) directly: apply them to the input, then compute with the "
                  "result");
}
} // namespace detail

// The elements of x after the first K.
template <std::size_t K, Expression X>
constexpr auto drop_front(const X& x) {
    using S = shape_of<X>;
    if constexpr (is_dynamic_v<S>) {
        detail::require_input_operand<X>();
        return make_node<op::drop_front<K>>(x);
    } else {
        static_assert(S::rank == 1 && K < S::size,
                      "tapeless::drop_front<K>(v): v must be a vector of more than K elements");
        return slice<K, S::size - K>(x);
    }
}

// The elements of x but the last K.
template <std::size_t K, Expression X>
constexpr auto drop_back(const X& x) {
    using S = shape_of<X>;
    if constexpr (is_dynamic_v<S>) {
        detail::require_input_operand<X>();
        return make_node<op::drop_back<K>>(x);
    } else {
        static_assert(S::rank == 1 && K < S::size,
                      "tapeless::drop_back<K>(v): v must be a vector of more than K elements");
        return slice<0, S::size - K>(x);
    }
}

// x[idx[k]] for every k: idx are tl::indices, x a vector variable or data (static or run-time
// length).
template <Expression X, Expression I>
constexpr auto gather(const X& x, const I& idx) {
    detail::require_input_operand<X>();
    static_assert(shape_of<X>::rank == 1, "tapeless::gather(x, idx): x must be a vector");
    static_assert(node_of<I>::kind == node_kind::variable && !node_of<I>::active &&
                      std::is_same_v<shape_of<I>, vector<dynamic>>,
                  "tapeless::gather(x, idx): idx must be tl::indices<I, Name>, a run-time list of "
                  "integers");
    return make_node<op::gather>(x, idx);
}

} // namespace tapeless

#endif
