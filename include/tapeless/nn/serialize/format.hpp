// tapeless/nn/serialize/format.hpp — the model file format: its layout and the tensors it can hold.
//
// File format, version 1. Integers are unsigned, fixed-width and little-endian and are written
// byte by byte (no struct is dumped, so neither padding nor the host's byte order reaches the
// file):
//
//   offset  size          field
//   0       8             magic "TLMODEL\0"
//   8       u32           format version: 1
//   12      u32           element type: 1 = float32, 2 = float64 (IEEE 754 binary32 / binary64)
//   16      u32           tensor count n
//   20      per tensor    u32 rank (1 or 2), then one u64 per dimension (a matrix: rows, columns)
//   ...     data          the tensors' elements, tensor after tensor, each tensor row-major; an
//                         element is the little-endian bytes of its IEEE bit pattern (4 or 8)
//   end-4   u32           CRC-32 of every byte before it (zlib's crc32, the CRC of gzip and PNG)
//
// What a file can hold is described by tensor_traits (anything else is a static_assert), and
// check_tensor_list says at compile time what is wrong with a list of tensors.
#ifndef TAPELESS_NN_SERIALIZE_FORMAT_HPP
#define TAPELESS_NN_SERIALIZE_FORMAT_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>

#include "../../core/array.hpp"

namespace tapeless::nn {

// The format version this header writes and the newest it reads.
inline constexpr std::uint32_t model_format_version = 1;

// A tensor of static shape over memory owned elsewhere: Rows elements (Cols = 0, a vector) or a
// Rows × Cols row-major matrix starting at `data`. Saved and loaded like a std::array or a
// tapeless::mat of that shape (a model's flat parameters are saved through views of its layers).
template <class T, std::size_t Rows, std::size_t Cols = 0>
struct tensor_view {
    T* data;
    friend constexpr T* data_of(const tensor_view& v) noexcept { return v.data; }
};

namespace detail::serialize {

inline constexpr std::array<char, 8> magic{'T', 'L', 'M', 'O', 'D', 'E', 'L', '\0'};

// ---- the element types and tensor shapes a file can hold ---------------------------------------

struct element_type {
    std::uint32_t code;
    std::size_t bytes;
    const char* name;
};
inline constexpr std::array<element_type, 2> element_types{{{1, 4, "float32"}, {2, 8, "float64"}}};

template <class T>
inline constexpr bool is_element = std::is_same_v<T, float> || std::is_same_v<T, double>;

template <class T>
constexpr const element_type& element_type_of() {
    static_assert(std::numeric_limits<T>::is_iec559 && (sizeof(T) == 4 || sizeof(T) == 8),
                  "tapeless::nn: model files hold IEEE 754 binary32 or binary64 elements");
    return sizeof(T) == 4 ? element_types[0] : element_types[1];
}

// A rank-1 shape has dims[1] == 0, so that shapes compare with ==.
struct tensor_shape {
    std::uint32_t rank = 1;
    std::array<std::uint64_t, 2> dims{};
    friend bool operator==(const tensor_shape&, const tensor_shape&) = default;
};

inline std::string to_string(const tensor_shape& s) {
    std::string text = std::to_string(s.dims[0]);
    if (s.rank == 2) text += "×" + std::to_string(s.dims[1]);
    return text;
}

// What save_tensors and load_tensors accept; `element` is void for anything else.
template <class X>
struct tensor_traits {
    static constexpr bool is_tensor = false;
    using element = void;
};
template <class T, std::size_t N>
struct tensor_traits<std::array<T, N>> {
    static constexpr bool is_tensor = is_element<T>;
    using element = T;
    static constexpr tensor_shape shape{1, {N, 0}};
    static constexpr std::size_t size = N;
};
template <class T, std::size_t R, std::size_t C>
struct tensor_traits<mat<T, R, C>> {
    static constexpr bool is_tensor = is_element<T>;
    using element = T;
    static constexpr tensor_shape shape{2, {R, C}};
    static constexpr std::size_t size = R * C;
};
template <class T, std::size_t R, std::size_t C>
struct tensor_traits<tensor_view<T, R, C>> {
    static constexpr bool is_tensor = is_element<std::remove_const_t<T>> && R > 0;
    using element = std::remove_const_t<T>;
    static constexpr tensor_shape shape =
        C == 0 ? tensor_shape{1, {R, 0}} : tensor_shape{2, {R, C}};
    static constexpr std::size_t size = C == 0 ? R : R * C;
};

template <class X>
using traits_of = tensor_traits<std::remove_cv_t<X>>;

template <class X, class... Rest>
inline constexpr bool same_element =
    (std::is_same_v<typename traits_of<X>::element, typename traits_of<Rest>::element> && ...);

// The compile-time checks of a tensor list (Load: the tensors receive values). True if they pass;
// otherwise a static_assert has said what is wrong, and the caller compiles nothing more.
template <bool Load, class... Tensors>
constexpr bool check_tensor_list() {
    constexpr bool some = sizeof...(Tensors) > 0;
    constexpr bool all_tensors = (traits_of<Tensors>::is_tensor && ...);
    constexpr bool one_element = !some || !all_tensors || same_element<Tensors...>;
    constexpr bool writable = !Load || (!std::is_const_v<Tensors> && ...);
    static_assert(some, "tapeless::nn::save_tensors and load_tensors need at least one tensor");
    static_assert(all_tensors,
                  "tapeless::nn::save_tensors and load_tensors: every argument must be a tensor, "
                  "a std::array<T, N> or a tapeless::mat<T, R, C> with T float or double (a "
                  "scalar is a std::array<T, 1>)");
    static_assert(one_element,
                  "tapeless::nn::save_tensors and load_tensors: the tensors of one file must "
                  "have one element type, all float or all double");
    static_assert(writable, "tapeless::nn::load_tensors: the tensors receive the loaded values, "
                            "so none of them may be const");
    return some && all_tensors && one_element && writable;
}

template <class... Tensors>
using element_of = typename traits_of<std::tuple_element_t<0, std::tuple<Tensors...>>>::element;

// The bytes of a file's header.
inline std::size_t header_bytes(std::span<const tensor_shape> shapes) {
    std::size_t n = magic.size() + 3 * 4;
    for (const auto& s : shapes) n += 4 + 8 * std::size_t{s.rank};
    return n;
}

} // namespace detail::serialize

} // namespace tapeless::nn

#endif
