// tapeless/core/name.hpp — a short compile-time string, usable as a template argument.
//
// Variable names live in the variable's type, so printing needs no runtime state and a variable
// handle is an empty object.
#ifndef TAPELESS_CORE_NAME_HPP
#define TAPELESS_CORE_NAME_HPP

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tapeless {

struct name {
    static constexpr std::size_t capacity = 31;
    char data[capacity + 1]{};
    // How many variables were made together with this one (tl::variables<"x", "y", "z">(): 3;
    // a traced callable's variables: its parameter count; 0: unknown). An expression takes that
    // many inputs even when it reads fewer of them (a component of F(x, y, z) that does not read
    // z), and no more. Not part of how a name prints or compares.
    std::uint32_t group = 0;

    constexpr name() = default;
    template <std::size_t N>
    constexpr name(const char (&s)[N]) { // NOLINT: implicit on purpose, name<"x">
        static_assert(N - 1 <= capacity,
                      "tapeless::name: a variable name has at most 31 characters");
        for (std::size_t i = 0; i + 1 < N; ++i) data[i] = s[i];
    }
    constexpr std::string_view view() const {
        std::size_t n = 0;
        while (n < capacity && data[n] != '\0') ++n;
        return {data, n};
    }
    constexpr bool empty() const { return data[0] == '\0'; }
    // The text only: x made by tl::variables<"x", "y">() and by tl::variable<0, tl::scalar, "x">
    // is one variable.
    friend constexpr bool operator==(const name& a, const name& b) {
        for (std::size_t i = 0; i <= capacity; ++i)
            if (a.data[i] != b.data[i]) return false;
        return true;
    }
};

namespace detail {

// "W1", "x0", ...: a letter and a number (nn's layers; a variable without a name prints as
// x<slot>).
constexpr name numbered(char letter, std::size_t k) {
    name n;
    n.data[0] = letter;
    char digits[24]{};
    std::size_t len = 0;
    do {
        digits[len++] = static_cast<char>('0' + k % 10);
        k /= 10;
    } while (k > 0);
    for (std::size_t i = 0; i < len; ++i) n.data[1 + i] = digits[len - 1 - i];
    return n;
}
// n as one of count variables made together (name::group).
constexpr name grouped(name n, std::size_t count) {
    n.group = static_cast<std::uint32_t>(count);
    return n;
}
} // namespace detail

} // namespace tapeless

#endif
