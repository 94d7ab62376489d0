// tapeless/core/variables.hpp — variables and compile-time literals.
//
//   auto [x, z] = tl::variables<"x", "z">();          // scalar inputs 0 and 1, named
//   auto [a, b] = tl::variables<2>();                   // scalar inputs 0 and 1, printed x0, x1
//   auto w = tl::variable<0, tl::vector<3>, "w">;       // an array-shaped input
//   auto X = tl::data<1, tl::matrix<32, 784>, "X">;     // an input held fixed (zero derivatives)
//   using namespace tl::literals;  auto f = 2_c * x + 0.5_c;   // literals fold at compile time
#ifndef TAPELESS_CORE_VARIABLES_HPP
#define TAPELESS_CORE_VARIABLES_HPP

#include <cstddef>
#include <tuple>
#include <utility>

#include "expr.hpp"

namespace tapeless {

// The handle of input slot I, of shape S, printed as Name (or x<I> when Name is empty).
template <std::size_t I, Shape S = scalar, name Name = name{}>
inline constexpr ex_t<var<I, S, Name>> variable{};

// The handle of input slot I as data: read like a variable, but held fixed (a batch of inputs,
// targets). Derivatives with respect to it are zero in every mode and cost nothing: no adjoint is
// propagated into it (a network's gradient skips the batch's), no tangent seeded.
template <std::size_t I, Shape S = scalar, name Name = name{}>
inline constexpr ex_t<var<I, S, Name, false>> data{};

// Scalar variables for input slots 0, 1, ..., one per name, as a tuple for structured bindings.
template <name... Names>
    requires(sizeof...(Names) > 0)
constexpr auto variables() {
    const auto expand = [&]<std::size_t... I>(std::index_sequence<I...>) {
        constexpr name names[] = {detail::grouped(Names, sizeof...(Names))...};
        return std::tuple{variable<I, scalar, names[I]>...};
    };
    return expand(std::make_index_sequence<sizeof...(Names)>{});
}

// N unnamed scalar variables for input slots 0 .. N-1.
template <std::size_t N>
    requires(N > 0)
constexpr auto variables() {
    const auto expand = []<std::size_t... I>(std::index_sequence<I...>) {
        return std::tuple{variable<I, scalar, detail::grouped(name{}, N)>...};
    };
    return expand(std::make_index_sequence<N>{});
}

// The literal N/D as an expression.
template <rational R>
inline constexpr ex_t<lit<normalize(R)>> literal{};

namespace literals {
// 2_c, 0.5_c, 1e-3_c: exact rationals in the type, folded at compile time.
template <char... Cs>
constexpr auto operator""_c() {
    return ex_t<lit<detail::parse_literal<Cs...>()>>{};
}
} // namespace literals

} // namespace tapeless

#endif
