// tapeless/modes/symbolic/tangent.hpp — the tangent of each kind of node: a derivative's nodes.
//
// A derivative is built by forward (tangent) propagation over the expression type. The tangent of
// a node with respect to the input slot of x is a node type, computed by a class template
// specialised per node kind (tangent<N, I>), from the children's tangents and the operation's
// first-derivative rule in ops/ applied to expression handles (sin's rule returns cos(x), so the
// rule itself builds the derivative's nodes). The compiler memoises tangent<N, I> per node type,
// so the work follows the DAG, not the tree, and a subexpression of f that the derivative needs
// (e^{xz} in the derivative of e^{xz}) is the same type and so the same node as in f.
// Why forward and not reverse accumulation: with one input direction, forward propagation builds
// exactly one term per node (d(op(a, b)) = op_a·da + op_b·db), needs no sum over a node's parents
// (which would need the parents of each node, i.e. the whole graph, before any term is built), and
// composes: derivative<3> is three passes of the same template. Reverse accumulation pays off with
// many inputs at once, which a single symbolic derivative does not have.
// Array operations take part through the tangent rule they declare (`tangent<SA>(t)` or
// `tangent_term(t, other)` on the op); the others stop at require_forward_rule's static_assert.
#ifndef TAPELESS_MODES_SYMBOLIC_TANGENT_HPP
#define TAPELESS_MODES_SYMBOLIC_TANGENT_HPP

#include <cstddef>
#include <type_traits>

#include "../../core/config.hpp"
#include "../../core/expr.hpp"
#include "../../core/node.hpp"
#include "../../ops/common.hpp"
#include "pinned.hpp"
#include "simplify.hpp"

namespace tapeless::detail::symbolic {

// The operations without a forward rule here. The message names the operation only.
template <class Op>
struct require_forward_rule {
    TAPELESS_REQUIRE(sizeof(Op) == 0,
                     "tapeless::derivative(f, x): f contains an array operation that has no "
                     "symbolic derivative (supported: elementwise operations, sum, mean, dot, "
                     "slice, element, transpose)");
    using type = lit<rational{0, 1}>;
};

template <class N, std::size_t I>
struct tangent;

template <std::size_t J, class S, name Nm, bool A, std::size_t I>
struct tangent<var<J, S, Nm, A>, I> {
    using type = lit<rational{A && J == I ? 1 : 0, 1}>;
};
template <rational R, std::size_t I>
struct tangent<lit<R>, I> {
    using type = lit<rational{0, 1}>;
};
template <std::size_t O, class S, std::size_t I>
struct tangent<pinned<O, S>, I> {
    using type = lit<rational{0, 1}>;
};

// The node type of a derivative rule's result, R. A rule that creates a runtime constant
// (std::log(2.0) * y) cannot be kept in a symbolic derivative, whose constants are the
// expression's own: rules write constants as literals (num<N, D>(y), operations on them).
template <class R>
struct constant_free_rule {
    static_assert(
        R::const_end == 0,
        "tapeless::derivative: a derivative rule of this operation creates a runtime "
        "constant (such as std::log(2.0) * y), which a symbolic derivative cannot keep; "
        "write the rule's constants as literals: tl::num<N, D>(y), or operations on them");
    using type = R;
};
template <class Handle>
using rule_node_t = typename constant_free_rule<type_of<Handle>>::type;

template <class Op, class C, class TC>
constexpr auto unary_tangent() {
    using N = node<Op, C>;
    using SC = typename C::shape;
    static_assert(sizeof(N) > 0);
    if constexpr (is_zero_v<TC>) {
        return literal_handle<rational{0, 1}>();
    } else if constexpr (UnaryElementwise<Op>) {
        using raw = rule_node_t<decltype(Op::derivative(ex_t<C>{}, ex_t<N>{}))>;
        using rule = resimplify_t<raw, C, C, N>;
        return simplify_mul<rule, TC>();
    } else if constexpr (requires { Op::template tangent<SC>(ex_t<TC>{}); }) {
        // a linear array operation's own tangent rule (sum, mean, slice, element, transpose),
        // its arithmetic simplified like a derivative rule's
        using raw = type_of<decltype(Op::template tangent<SC>(ex_t<TC>{}))>;
        return handle<resimplify_t<raw, TC, TC, TC>>();
    } else {
        return handle<typename require_forward_rule<Op>::type>();
    }
}

// One term of an elementwise binary operation's tangent: ∂op/∂a · ta (K = 0) or ∂op/∂b · tb.
template <class Op, class A, class B, std::size_t K, class T>
constexpr auto partial_term() {
    using N = node<Op, A, B>;
    if constexpr (is_zero_v<T>)
        return literal_handle<rational{0, 1}>();
    else if constexpr (K == 0) {
        using raw = rule_node_t<decltype(Op::da(ex_t<A>{}, ex_t<B>{}, ex_t<N>{}))>;
        return simplify_mul<resimplify_t<raw, A, B, N>, T>();
    } else {
        using raw = rule_node_t<decltype(Op::db(ex_t<A>{}, ex_t<B>{}, ex_t<N>{}))>;
        return simplify_mul<resimplify_t<raw, A, B, N>, T>();
    }
}

// One term of a bilinear array operation's tangent (dot: dot(t, other), or t · sum(other) for a
// broadcast t), from the operation's own rule, tangent_term.
template <class Op, class T, class Other>
constexpr auto bilinear_term() {
    if constexpr (is_zero_v<T>) {
        return literal_handle<rational{0, 1}>();
    } else {
        using raw = type_of<decltype(Op::tangent_term(ex_t<T>{}, ex_t<Other>{}))>;
        return handle<resimplify_t<raw, T, Other, T>>();
    }
}

template <class Op, class A, class B, class TA, class TB>
constexpr auto binary_tangent() {
    if constexpr (is_zero_v<TA> && is_zero_v<TB>) {
        return literal_handle<rational{0, 1}>();
    } else if constexpr (BinaryElementwise<Op>) {
        return simplify_add<type_of<decltype(partial_term<Op, A, B, 0, TA>())>,
                            type_of<decltype(partial_term<Op, A, B, 1, TB>())>>();
    } else if constexpr (requires { Op::tangent_term(ex_t<A>{}, ex_t<B>{}); }) {
        return simplify_add<type_of<decltype(bilinear_term<Op, TA, B>())>,
                            type_of<decltype(bilinear_term<Op, TB, A>())>>();
    } else {
        return handle<typename require_forward_rule<Op>::type>();
    }
}

template <class Op, class C, std::size_t I>
struct tangent<node<Op, C>, I> {
    using type = type_of<decltype(unary_tangent<Op, C, typename tangent<C, I>::type>())>;
    static_assert(info_of<type>::value.size > 0); // descriptors bottom-up
};
template <class Op, class A, class B, std::size_t I>
struct tangent<node<Op, A, B>, I> {
    using type = type_of<decltype(binary_tangent<Op, A, B, typename tangent<A, I>::type,
                                                 typename tangent<B, I>::type>())>;
    static_assert(info_of<type>::value.size > 0);
};

} // namespace tapeless::detail::symbolic

#endif
