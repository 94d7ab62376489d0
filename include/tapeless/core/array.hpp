// tapeless/core/array.hpp — the value types that hold a node's value: T for a scalar,
// std::array<T, N> for vector<N>, tapeless::mat<T, R, C> (row-major) for matrix<R, C>.
#ifndef TAPELESS_CORE_ARRAY_HPP
#define TAPELESS_CORE_ARRAY_HPP

#include <array>
#include <cstddef>
#include <type_traits>

#include "shape.hpp"

namespace tapeless {

// A dense R x C matrix stored row-major; an aggregate, so mat<double, 2, 2>{{1, 2, 3, 4}} works.
template <class T, std::size_t R, std::size_t C>
struct mat {
    std::array<T, R * C> data{};

    static constexpr std::size_t rows() { return R; }
    static constexpr std::size_t cols() { return C; }
    static constexpr std::size_t size() { return R * C; }
    constexpr T& operator()(std::size_t r, std::size_t c) { return data[r * C + c]; }
    constexpr const T& operator()(std::size_t r, std::size_t c) const { return data[r * C + c]; }
    constexpr T* begin() { return data.data(); }
    constexpr T* end() { return data.data() + R * C; }
    constexpr const T* begin() const { return data.data(); }
    constexpr const T* end() const { return data.data() + R * C; }
    friend constexpr bool operator==(const mat&, const mat&) = default;
};

namespace detail {
template <class T, class S>
struct value_type;
template <class T>
struct value_type<T, scalar> {
    using type = T;
};
template <class T, std::size_t N>
struct value_type<T, vector<N>> {
    using type = std::array<T, N>;
};
template <class T, std::size_t R, std::size_t C>
struct value_type<T, matrix<R, C>> {
    using type = mat<T, R, C>;
};
} // namespace detail

// The type holding a value of shape S with elements of type T.
template <class T, Shape S>
using value_t = typename detail::value_type<T, S>::type;

// The contiguous elements of an array value.
template <class T, std::size_t N>
constexpr T* data_of(std::array<T, N>& a) {
    return a.data();
}
template <class T, std::size_t N>
constexpr const T* data_of(const std::array<T, N>& a) {
    return a.data();
}
template <class T, std::size_t R, std::size_t C>
constexpr T* data_of(mat<T, R, C>& m) {
    return m.data.data();
}
template <class T, std::size_t R, std::size_t C>
constexpr const T* data_of(const mat<T, R, C>& m) {
    return m.data.data();
}

} // namespace tapeless

#endif
