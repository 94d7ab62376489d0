// tapeless/core/shape.hpp — shapes: scalar, vector<N>, matrix<R, C>, and the run-time extents
// vector<dynamic> and matrix<dynamic, C>.
//
// Every node of an expression has a shape known at compile time, except that the number of rows
// may be tl::dynamic: known only when the expression is evaluated (a list of points, a batch of
// samples). The structure stays static (which nodes, which operations, how many columns); only
// the row count is a run-time number. Arrays are stored flat, matrices row-major. A scalar
// broadcasts against any array in elementwise operations.
#ifndef TAPELESS_CORE_SHAPE_HPP
#define TAPELESS_CORE_SHAPE_HPP

#include <cstddef>
#include <limits>
#include <string>
#include <type_traits>

#include "config.hpp"

namespace tapeless {

// The extent of a dimension known only at run time: vector<dynamic>, matrix<dynamic, C>.
inline constexpr std::size_t dynamic = std::numeric_limits<std::size_t>::max();

struct scalar {
    static constexpr int rank = 0;
    static constexpr std::size_t rows = 1, cols = 1, size = 1;
};

template <std::size_t N>
struct vector {
    static_assert(N > 0, "tapeless::vector<N>: N must be at least 1");
    static constexpr int rank = 1;
    static constexpr std::size_t rows = N, cols = 1, size = N;
};

template <std::size_t R, std::size_t C>
struct matrix {
    static_assert(R > 0 && C > 0, "tapeless::matrix<R, C>: R and C must be at least 1");
    static_assert(C != dynamic, "tapeless::matrix<R, C>: only the rows may be tl::dynamic");
    static constexpr int rank = 2;
    static constexpr std::size_t rows = R, cols = C, size = R * C;
};

// A vector whose length is known at run time. size is tl::dynamic: code that needs a static size
// does not compile with it (graph/rows.hpp evaluates these nodes one row at a time).
template <>
struct vector<dynamic> {
    static constexpr int rank = 1;
    static constexpr std::size_t rows = dynamic, cols = 1, size = dynamic;
};

// A matrix of C columns and a run-time number of rows, stored row-major.
template <std::size_t C>
struct matrix<dynamic, C> {
    static_assert(C > 0 && C != dynamic,
                  "tapeless::matrix<tl::dynamic, C>: C must be a static number, at least 1");
    static constexpr int rank = 2;
    static constexpr std::size_t rows = dynamic, cols = C, size = dynamic;
};

template <class S>
inline constexpr bool is_shape_v = false;
template <>
inline constexpr bool is_shape_v<scalar> = true;
template <std::size_t N>
inline constexpr bool is_shape_v<vector<N>> = true;
template <std::size_t R, std::size_t C>
inline constexpr bool is_shape_v<matrix<R, C>> = true;

template <class S>
concept Shape = is_shape_v<S>;

template <class S>
concept ArrayShape = Shape<S> &&(S::rank > 0);

// Whether S has a run-time number of rows.
template <class S>
inline constexpr bool is_dynamic_v = S::rows == dynamic;

// "scalar", "vector<3>", "matrix<2, 3>", "vector<dynamic>"
template <Shape S>
std::string shape_name() {
    const auto rows = [] {
        return S::rows == dynamic ? std::string("dynamic") : std::to_string(S::rows);
    };
    if constexpr (S::rank == 0)
        return "scalar";
    else if constexpr (S::rank == 1)
        return "vector<" + rows() + ">";
    else
        return "matrix<" + rows() + ", " + std::to_string(S::cols) + ">";
}

namespace detail {
// The shape of an elementwise operation on operands of shapes A and B. The static_assert fires
// in an instantiation that names both shapes, e.g. broadcast<vector<3>, vector<4>>.
template <Shape A, Shape B>
struct broadcast {
    TAPELESS_REQUIRE((std::is_same_v<A, B> || A::rank == 0 || B::rank == 0),
                     "tapeless: shape mismatch: the operands of an elementwise operation must have "
                     "the same shape, or one of them must be a scalar");
    using type = std::conditional_t<A::rank == 0, B, A>;
};
} // namespace detail

template <Shape A, Shape B>
using broadcast_t = typename detail::broadcast<A, B>::type;

} // namespace tapeless

#endif
