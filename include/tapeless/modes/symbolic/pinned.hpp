// tapeless/modes/symbolic/pinned.hpp — f's runtime constants while its derivative is built.
//
// The derivative refers to f's constants by their slots in f's handle. While it is built, f's cst
// nodes are replaced by `pinned` nodes (freeze), which operations never renumber, and the finished
// derivative has them turned back into cst nodes of the same slots (thaw).
#ifndef TAPELESS_MODES_SYMBOLIC_PINNED_HPP
#define TAPELESS_MODES_SYMBOLIC_PINNED_HPP

#include <cstddef>

#include "../../core/node.hpp"

namespace tapeless {

namespace detail::symbolic {

// A runtime constant of f while its derivative is built: slot O of f's handle. Its const_end is 0,
// so make_node never renumbers it (which it does to cst nodes when two handles meet).
template <std::size_t O, class S>
struct pinned {
    static constexpr node_kind kind = node_kind::constant;
    using shape = S;
    static constexpr std::size_t offset = O;
    static constexpr std::size_t const_end = 0;
};

} // namespace detail::symbolic

template <std::size_t O, class S>
struct info_of<detail::symbolic::pinned<O, S>> {
    static constexpr node_info value = detail::constant_info<S>(4, O);
};

namespace detail::symbolic {

template <class N, bool = (N::const_end > 0)>
struct freeze {
    using type = N;
};
template <std::size_t O, class S>
struct freeze<cst<O, S>, true> {
    using type = pinned<O, S>;
};
template <class Op, class... Cs>
struct freeze<node<Op, Cs...>, true> {
    using type = node<Op, typename freeze<Cs>::type...>;
    static_assert(info_of<type>::value.size == type::shape::size); // descriptors bottom-up
};

template <class N>
inline constexpr bool has_pinned = false;
template <std::size_t O, class S>
inline constexpr bool has_pinned<pinned<O, S>> = true;
template <class Op, class... Cs>
inline constexpr bool has_pinned<node<Op, Cs...>> = (has_pinned<Cs> || ...);

template <class N, bool = has_pinned<N>>
struct thaw {
    using type = N;
};
template <std::size_t O, class S>
struct thaw<pinned<O, S>, true> {
    using type = cst<O, S>;
};
template <class Op, class... Cs>
struct thaw<node<Op, Cs...>, true> {
    using type = node<Op, typename thaw<Cs>::type...>;
    static_assert(info_of<type>::value.size == type::shape::size);
};

} // namespace detail::symbolic

} // namespace tapeless

#endif
