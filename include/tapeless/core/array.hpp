// tapeless/core/array.hpp — the value types that hold a node's value: T for a scalar,
// std::array<T, N> for vector<N>, tapeless::mat<T, R, C> (row-major) for matrix<R, C>,
// std::vector<T> for vector<dynamic> and matrix<dynamic, C> (row-major); and
// tapeless::row_matrix<T, R, C>, the rows of a Jacobian or Hessian, in place when small and on the
// heap when large.
#ifndef TAPELESS_CORE_ARRAY_HPP
#define TAPELESS_CORE_ARRAY_HPP

#include <algorithm>
#include <array>
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

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

// Results and workspaces up to this many bytes live in place (on the stack when the caller's
// object does); larger ones on the heap, so that no library function puts more than a few KB on
// the stack.
inline constexpr std::size_t small_bytes_limit = 4096;

[[noreturn]] inline void throw_index_out_of_range(const char* what, std::size_t index,
                                                  std::size_t bound) {
    throw std::out_of_range(std::string("tapeless: ") + what + " index " + std::to_string(index) +
                            " is out of range (it must be less than " + std::to_string(bound) +
                            ")");
}

// N zero-initialised elements: in place up to small_bytes_limit, on the heap beyond.
template <class T, std::size_t N, bool = (N * sizeof(T) <= small_bytes_limit)>
struct small_buffer {
    std::array<T, (N > 0 ? N : 1)> elements{};
    constexpr T* data() { return elements.data(); }
    constexpr const T* data() const { return elements.data(); }
    constexpr T& operator[](std::size_t i) { return elements[i]; }
    constexpr const T& operator[](std::size_t i) const { return elements[i]; }
};
template <class T, std::size_t N>
struct small_buffer<T, N, false> {
    std::unique_ptr<T[]> elements{new T[N]()};
    small_buffer() = default;
    small_buffer(small_buffer&&) noexcept = default;
    small_buffer& operator=(small_buffer&&) noexcept = default;
    small_buffer(const small_buffer& o) : elements(new T[N]) {
        std::copy(o.data(), o.data() + N, data());
    }
    small_buffer& operator=(const small_buffer& o) {
        if (this != &o) std::copy(o.data(), o.data() + N, data());
        return *this;
    }
    ~small_buffer() = default;
    T* data() { return elements.get(); }
    const T* data() const { return elements.get(); }
    T& operator[](std::size_t i) { return elements[i]; }
    const T& operator[](std::size_t i) const { return elements[i]; }
};

} // namespace detail

// R rows of C elements, zero-initialised, as a Jacobian or Hessian is returned: m[i] is row i (a
// std::array<T, C>), so m[i][j] reads like std::array<std::array<T, C>, R>. Stored in place up to
// detail::small_bytes_limit (4 KB) and on the heap beyond, so a 2000 × 2000 Hessian is built where
// it is returned and never on the stack; copies are deep, moves of a heap matrix are a pointer's.
// operator[] does not check its index (as std::array's); at(i) and at(i, j) throw
// std::out_of_range.
template <class T, std::size_t R, std::size_t C>
class row_matrix {
public:
    using row_type = std::array<T, C>;
    using value_type = row_type;
    static constexpr bool on_heap = R * C * sizeof(T) > detail::small_bytes_limit;

    static constexpr std::size_t rows() { return R; }
    static constexpr std::size_t cols() { return C; }
    // the number of rows, as for std::array of rows
    static constexpr std::size_t size() { return R; }

    constexpr row_type& operator[](std::size_t i) { return data()[i]; }
    constexpr const row_type& operator[](std::size_t i) const { return data()[i]; }
    constexpr row_type& at(std::size_t i) {
        if (i >= R) detail::throw_index_out_of_range("row_matrix: row", i, R);
        return data()[i];
    }
    constexpr const row_type& at(std::size_t i) const {
        if (i >= R) detail::throw_index_out_of_range("row_matrix: row", i, R);
        return data()[i];
    }
    constexpr T& at(std::size_t i, std::size_t j) {
        if (j >= C) detail::throw_index_out_of_range("row_matrix: column", j, C);
        return at(i)[j];
    }
    constexpr const T& at(std::size_t i, std::size_t j) const {
        if (j >= C) detail::throw_index_out_of_range("row_matrix: column", j, C);
        return at(i)[j];
    }

    constexpr row_type* data() { return rows_.data(); }
    constexpr const row_type* data() const { return rows_.data(); }
    constexpr row_type* begin() { return data(); }
    constexpr row_type* end() { return data() + R; }
    constexpr const row_type* begin() const { return data(); }
    constexpr const row_type* end() const { return data() + R; }

    // Element by element (NaN entries compare unequal, as in std::array's ==).
    friend constexpr bool operator==(const row_matrix& a, const row_matrix& b) {
        for (std::size_t i = 0; i < R; ++i)
            if (!(a[i] == b[i])) return false;
        return true;
    }

private:
    detail::small_buffer<row_type, R> rows_;
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
// Run-time rows: the elements, row-major.
template <class T>
struct value_type<T, vector<dynamic>> {
    using type = std::vector<T>;
};
template <class T, std::size_t C>
struct value_type<T, matrix<dynamic, C>> {
    using type = std::vector<T>;
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
