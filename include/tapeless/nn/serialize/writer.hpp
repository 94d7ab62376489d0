// tapeless/nn/serialize/writer.hpp — save_tensors: a model file encoded and written atomically.
#ifndef TAPELESS_NN_SERIALIZE_WRITER_HPP
#define TAPELESS_NN_SERIALIZE_WRITER_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <span>
#include <tuple>
#include <vector>

#include "atomic_file.hpp"
#include "bytes.hpp"
#include "format.hpp"

namespace tapeless::nn {

namespace detail::serialize {

inline void put_header(std::vector<std::uint8_t>& out, const element_type& type,
                       std::span<const tensor_shape> shapes) {
    for (const char c : magic) out.push_back(static_cast<std::uint8_t>(c));
    put_le(out, model_format_version);
    put_le(out, type.code);
    put_le(out, static_cast<std::uint32_t>(shapes.size()));
    for (const auto& s : shapes) {
        put_le(out, s.rank);
        for (std::uint32_t d = 0; d < s.rank; ++d) put_le(out, s.dims[d]);
    }
}

// The whole file: header, elements, checksum.
template <class... Tensors>
std::vector<std::uint8_t> encode(const Tensors&... t) {
    using T = element_of<Tensors...>;
    static_assert(sizeof...(Tensors) <= std::numeric_limits<std::uint32_t>::max());
    constexpr std::array<tensor_shape, sizeof...(Tensors)> shapes{traits_of<Tensors>::shape...};
    std::vector<std::uint8_t> out;
    out.reserve(header_bytes(shapes) + (traits_of<Tensors>::size + ...) * sizeof(T) + 4);
    put_header(out, element_type_of<T>(), shapes);
    (put_elements(out, std::span<const T>(data_of(t), traits_of<Tensors>::size)), ...);
    put_le(out, crc32_of(out));
    return out;
}

// save_tensors, with the test hooks of save_options.
template <class... Tensors>
void save_tensors_with(const std::filesystem::path& file, const save_options& options,
                       const Tensors&... t) {
    if constexpr (check_tensor_list<false, Tensors...>())
        write_atomically(file, encode(t...), options);
}

} // namespace detail::serialize

// Writes the tensors to `file` (format: nn/serialize/format.hpp), atomically replacing any file
// there. Throws model_error naming the file if it cannot be written; the old file is then
// untouched.
template <class... Tensors>
void save_tensors(const std::filesystem::path& file, const Tensors&... t) {
    detail::serialize::save_tensors_with(file, detail::serialize::save_options{}, t...);
}

// The same with the tensors in a tuple: save_tensors(file, std::tie(w, b)), or a tuple of values.
template <class... Ts>
void save_tensors(const std::filesystem::path& file, const std::tuple<Ts...>& tensors) {
    std::apply([&file](const auto&... t) { save_tensors(file, t...); }, tensors);
}

} // namespace tapeless::nn

#endif
