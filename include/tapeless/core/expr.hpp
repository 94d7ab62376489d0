// tapeless/core/expr.hpp — ex<V>, the handle users hold, and how operations build new handles.
//
// ex<V> carries its node as a non-type template argument V (an empty, structural node object).
// Argument-dependent lookup ignores non-type template arguments, so an operator call on handles
// never walks the expression type (clang's ADL over nested operator types is exponential).
// The handle owns the values of its runtime constants by value: `auto f = 2.0 * x;` never dangles.
#ifndef TAPELESS_CORE_EXPR_HPP
#define TAPELESS_CORE_EXPR_HPP

#include <array>
#include <cstddef>
#include <type_traits>

#include "array.hpp"
#include "node.hpp"

namespace tapeless {

// Storage for the runtime constants of an expression: empty when there are none.
template <std::size_t N>
struct const_store {
    std::array<double, N> values{};
    constexpr const double* data() const { return values.data(); }
    constexpr double* data() { return values.data(); }
};
template <>
struct const_store<0> {
    constexpr const double* data() const { return nullptr; }
    constexpr double* data() { return nullptr; }
};

template <auto V>
struct ex {
    using node_type = std::remove_cv_t<decltype(V)>;
    using shape = typename node_type::shape;
    static constexpr std::size_t const_count = node_type::const_end;
    // Instantiates the node's descriptor now, while the expression is being built bottom-up, so
    // that the graph code later never recurses through deep chains of uninstantiated types.
    static_assert(info_of<node_type>::value.size == shape::size);

    [[no_unique_address]] const_store<const_count> consts{};
};

template <class N>
using ex_t = ex<N{}>;

template <class X>
inline constexpr bool is_ex_v = false;
template <auto V>
inline constexpr bool is_ex_v<ex<V>> = true;

// A tapeless expression handle.
template <class X>
concept Expression = is_ex_v<std::remove_cvref_t<X>>;

template <class X>
using node_of = typename std::remove_cvref_t<X>::node_type;
template <class X>
using shape_of = typename std::remove_cvref_t<X>::shape;

// Plain numbers, and arrays of them, become runtime constants when they meet an expression.
template <class X>
concept Arithmetic =
    std::is_arithmetic_v<std::remove_cvref_t<X>> && !std::is_same_v<std::remove_cvref_t<X>, bool>;

namespace detail {
template <class X>
inline constexpr bool is_constant_array_v = false;
template <class T, std::size_t N>
inline constexpr bool is_constant_array_v<std::array<T, N>> = std::is_arithmetic_v<T>;
template <class T, std::size_t R, std::size_t C>
inline constexpr bool is_constant_array_v<mat<T, R, C>> = std::is_arithmetic_v<T>;
} // namespace detail

template <class X>
concept ConstantArray = detail::is_constant_array_v<std::remove_cvref_t<X>>;

// Anything that can stand as an operand next to an expression.
template <class X>
concept Operand = Expression<X> || Arithmetic<X> || ConstantArray<X>;

// --- runtime constants ------------------------------------------------------------------------

// tl::constant(2.5), tl::constant(std::array{...}): a runtime constant as an expression.
template <Arithmetic X>
constexpr auto constant(const X& x) {
    ex_t<cst<0, scalar>> e;
    e.consts.values[0] = static_cast<double>(x);
    return e;
}
template <class T, std::size_t N>
    requires std::is_arithmetic_v<T>
constexpr auto constant(const std::array<T, N>& a) {
    ex_t<cst<0, vector<N>>> e;
    for (std::size_t i = 0; i < N; ++i) e.consts.values[i] = static_cast<double>(a[i]);
    return e;
}
template <class T, std::size_t R, std::size_t C>
    requires std::is_arithmetic_v<T>
constexpr auto constant(const mat<T, R, C>& m) {
    ex_t<cst<0, matrix<R, C>>> e;
    for (std::size_t i = 0; i < R * C; ++i) e.consts.values[i] = static_cast<double>(m.data[i]);
    return e;
}

// --- building nodes ---------------------------------------------------------------------------

namespace detail {
// Whether Op applied to these children folds to a literal: all children are literals and Op
// defines fold(). The requires-expression is only ever substituted with literal types: clang
// keeps the text of a failed requirement's diagnostic, and printing an expression type costs
// time exponential in its depth.
template <class Op, class... Cs>
constexpr bool can_fold() {
    if constexpr ((is_literal_v<Cs> && ...)) {
        if constexpr (requires { Op::fold(Cs::value...); })
            return true;
        else
            return false;
    } else {
        return false;
    }
}
} // namespace detail

// The handle of Op applied to one expression. Literals are folded when Op defines fold().
template <class Op, auto A>
constexpr auto make_node(const ex<A>& a) {
    using CA = node_of<ex<A>>;
    if constexpr (detail::can_fold<Op, CA>()) {
        return ex_t<lit<Op::fold(CA::value)>>{};
    } else {
        return ex_t<node<Op, CA>>{a.consts};
    }
}

// The handle of Op applied to two expressions; the right operand's constants are renumbered to
// follow the left operand's.
template <class Op, auto A, auto B>
constexpr auto make_node(const ex<A>& a, const ex<B>& b) {
    using CA = node_of<ex<A>>;
    using CB = shift_t<node_of<ex<B>>, CA::const_end>;
    if constexpr (detail::can_fold<Op, CA, CB>()) {
        return ex_t<lit<Op::fold(CA::value, CB::value)>>{};
    } else {
        using N = node<Op, CA, CB>;
        ex_t<N> r;
        if constexpr (N::const_end > 0) {
            for (std::size_t i = 0; i < CA::const_end; ++i) r.consts.data()[i] = a.consts.data()[i];
            for (std::size_t i = CA::const_end; i < N::const_end; ++i)
                r.consts.data()[i] = b.consts.data()[i - CA::const_end];
        }
        return r;
    }
}

// --- dispatch: one entry point per operation for every kind of argument -----------------------
// tl::sin(x) works on expressions (call_op builds a node), on plain numbers (it computes), and on
// the number types of the modes (dual, taylor), which specialise these templates in their headers.

template <class Op, class X, class = void>
struct unary_dispatch {
    static_assert(sizeof(X) == 0,
                  "tapeless: the argument of this operation must be a tapeless expression, an "
                  "arithmetic value, or a tapeless number type (dual, taylor)");
};
template <class Op, class X>
    requires Arithmetic<X>
struct unary_dispatch<Op, X> {
    static constexpr auto apply(const X& x) {
        using T = std::conditional_t<std::is_floating_point_v<X>, X, double>;
        return Op::value(static_cast<T>(x));
    }
};

template <class Op, class A, class B, class = void>
struct binary_dispatch {
    static_assert(sizeof(A) == 0,
                  "tapeless: an operand of this operation is neither a tapeless expression nor an "
                  "arithmetic value (or a std::array / tapeless::mat of them)");
};
template <class Op, class A, class B>
    requires Arithmetic<A> && Arithmetic<B>
struct binary_dispatch<Op, A, B> {
    static constexpr auto apply(const A& a, const B& b) {
        using T = std::conditional_t<std::is_floating_point_v<std::common_type_t<A, B>>,
                                     std::common_type_t<A, B>, double>;
        return Op::value(static_cast<T>(a), static_cast<T>(b));
    }
};

// Expressions go straight to make_node: every template layer between an operator and its node
// is one more function whose name carries the expression type (compile time and symbol size).
template <class Op, class X>
constexpr auto call_op(const X& x) {
    if constexpr (Expression<X>)
        return make_node<Op>(x);
    else
        return unary_dispatch<Op, X>::apply(x);
}
template <class Op, class A, class B>
constexpr auto call_op(const A& a, const B& b) {
    if constexpr (Expression<A> && Expression<B>)
        return make_node<Op>(a, b);
    else if constexpr (Expression<A> && Operand<B>)
        return make_node<Op>(a, constant(b));
    else if constexpr (Operand<A> && Expression<B>)
        return make_node<Op>(constant(a), b);
    else
        return binary_dispatch<Op, A, B>::apply(a, b);
}

} // namespace tapeless

#endif
