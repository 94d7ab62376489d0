// tapeless/core/name.hpp — a short compile-time string, usable as a template argument.
//
// Variable names live in the variable's type, so printing needs no runtime state and a variable
// handle is an empty object.
#ifndef TAPELESS_CORE_NAME_HPP
#define TAPELESS_CORE_NAME_HPP

#include <cstddef>
#include <string_view>

namespace tapeless {

struct name {
    static constexpr std::size_t capacity = 31;
    char data[capacity + 1]{};

    constexpr name() = default;
    template <std::size_t N>
    constexpr name(const char (&s)[N]) { // NOLINT: implicit on purpose, name<"x">
        static_assert(N - 1 <= capacity, "tapeless::name: a variable name has at most 31 characters");
        for (std::size_t i = 0; i + 1 < N; ++i) data[i] = s[i];
    }
    constexpr std::string_view view() const {
        std::size_t n = 0;
        while (n < capacity && data[n] != '\0') ++n;
        return {data, n};
    }
    constexpr bool empty() const { return data[0] == '\0'; }
    friend constexpr bool operator==(const name&, const name&) = default;
};

} // namespace tapeless

#endif
