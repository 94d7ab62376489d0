// tapeless/nn/serialize/bytes.hpp — little-endian integers and elements, and the CRC-32 of a file.
//
// Elements go through std::bit_cast to an unsigned integer, and that goes out byte by byte, so the
// file is little-endian on any host (a big-endian machine converts; no host-order raw dump is
// ever made) and NaN payloads, −0 and subnormals come back bit for bit.
#ifndef TAPELESS_NN_SERIALIZE_BYTES_HPP
#define TAPELESS_NN_SERIALIZE_BYTES_HPP

#include <zlib.h>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>
#include <vector>

namespace tapeless::nn::detail::serialize {

template <class U>
void put_le(std::vector<std::uint8_t>& out, U v) {
    for (std::size_t k = 0; k < sizeof(U); ++k)
        out.push_back(static_cast<std::uint8_t>(v >> (8 * k)));
}

template <class U>
U get_le(const std::uint8_t* p) {
    U v = 0;
    for (std::size_t k = 0; k < sizeof(U); ++k)
        v |= static_cast<U>(static_cast<U>(p[k]) << (8 * k));
    return v;
}

template <class T>
using bits_of = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;

template <class T>
void put_elements(std::vector<std::uint8_t>& out, std::span<const T> elements) {
    for (const T x : elements) put_le(out, std::bit_cast<bits_of<T>>(x));
}

template <class T>
const std::uint8_t* get_elements(const std::uint8_t* p, std::span<T> elements) {
    for (T& x : elements) {
        x = std::bit_cast<T>(get_le<bits_of<T>>(p));
        p += sizeof(T);
    }
    return p;
}

// zlib's crc32 takes at most a uInt of bytes per call.
inline std::uint32_t crc32_of(std::span<const std::uint8_t> bytes) {
    uLong crc = ::crc32(0L, nullptr, 0);
    while (!bytes.empty()) {
        const std::size_t n = std::min<std::size_t>(bytes.size(), std::size_t{1} << 30);
        crc = ::crc32(crc, bytes.data(), static_cast<uInt>(n));
        bytes = bytes.subspan(n);
    }
    return static_cast<std::uint32_t>(crc);
}

} // namespace tapeless::nn::detail::serialize

#endif
