// tapeless/ops/reduce.hpp — sum, mean, dot: arrays to scalars.
//
// On operands with run-time rows (tl::dynamic) the three are row reductions (graph/rows.hpp):
// y = row_scale(n) · Σ_i a_i for one operand, Σ_i a_i · b_i for two, n the number of elements.
// Each says `dynamic_extents` and gives row_scale; mean also needs at least one element.
#ifndef TAPELESS_OPS_REDUCE_HPP
#define TAPELESS_OPS_REDUCE_HPP

#include "arithmetic.hpp"
#include "common.hpp"

namespace tapeless {
namespace op {

// sum(a) = Σ a_i. Domain: any shape (a scalar sums to itself). ∂/∂a_i = 1.
struct sum : array_operation {
    static constexpr bool singular = false; // (see core/node.hpp's singular_of)
    static constexpr linearity linear = linearity::linear;
    static constexpr std::string_view name = "sum", domain = "all real a";
    static constexpr latex_notation latex{"\\sum $0", latex_precedence::unary};
    static constexpr fusion_kind fusion = fusion_kind::reduction;
    static constexpr bool dynamic_extents = true;
    template <class P>
    static constexpr P row_scale(std::size_t) {
        return static_cast<P>(1);
    }
    template <class SA>
    using result = scalar;
    // ∂y/∂a_i, the same for every i.
    template <class SA, class T>
    static constexpr T weight() {
        return static_cast<T>(1);
    }
    template <class SA, class T, class A>
    static constexpr void eval(T* out, const A& a) {
        T acc = a[0];
        for (std::size_t i = 1; i < SA::size; ++i) acc = acc + a[i];
        out[0] = acc;
    }
    template <std::size_t Operand, class SA, class T>
    static constexpr void vjp(T* a_bar, const T* y_bar, const T*, const T*) {
        for (std::size_t i = 0; i < SA::size; ++i) a_bar[i] = a_bar[i] + y_bar[0];
    }
    // Its tangent in the symbolic mode: sum(t), or n·t for a broadcast scalar t (n = SA::size).
    template <class SA, class T>
    static constexpr auto tangent(const T& t) {
        if constexpr (std::is_same_v<shape_of<T>, SA>)
            return make_node<sum>(t);
        else
            return num<static_cast<std::int64_t>(SA::size)>(t) * t;
    }
};

// mean(a) = Σ a_i / n. Domain: any shape. ∂/∂a_i = 1/n.
struct mean : array_operation {
    static constexpr bool singular = false; // (see core/node.hpp's singular_of)
    static constexpr linearity linear = linearity::linear;
    static constexpr std::string_view name = "mean", domain = "all real a";
    static constexpr fusion_kind fusion = fusion_kind::reduction;
    static constexpr bool dynamic_extents = true, needs_an_element = true;
    template <class P>
    static constexpr P row_scale(std::size_t n) {
        return static_cast<P>(1) / static_cast<P>(n);
    }
    template <class SA>
    using result = scalar;
    template <class SA, class T>
    static constexpr T weight() {
        return static_cast<T>(1) / static_cast<T>(SA::size);
    }
    template <class SA, class T, class A>
    static constexpr void eval(T* out, const A& a) {
        sum::eval<SA>(out, a);
        // (n is a plain number: on dual numbers a division by a dual n would multiply its zero
        // tangent by the quotient, NaN when the sum is inf or NaN)
        out[0] = out[0] / static_cast<passive_t<T>>(SA::size);
    }
    template <std::size_t Operand, class SA, class T>
    static constexpr void vjp(T* a_bar, const T* y_bar, const T*, const T*) {
        const T g = y_bar[0] / static_cast<passive_t<T>>(SA::size);
        for (std::size_t i = 0; i < SA::size; ++i) a_bar[i] = a_bar[i] + g;
    }
    // Its tangent in the symbolic mode (ops/common.hpp).
    template <class SA, class T>
    static constexpr auto tangent(const T& t) {
        return linear_map_tangent<mean, SA>(t);
    }
};

namespace detail {
template <Shape A, Shape B>
struct same_shape {
    TAPELESS_REQUIRE((std::is_same_v<A, B>),
                     "tapeless: shape mismatch: the operands of dot, mse and the cross-entropies "
                     "must have the same shape");
    using type = scalar;
};
} // namespace detail

// dot(a, b) = Σ a_i b_i over two arrays of the same shape. Domain: all reals.
// ∂/∂a_i = b_i, ∂/∂b_i = a_i.
struct dot : array_operation {
    // the first column of its rows in docs/edge-cases.md
    static constexpr std::string_view edge_rows = "dot(x, [2, 3])";
    static constexpr bool singular = false; // (see core/node.hpp's singular_of)
    static constexpr linearity linear = linearity::bilinear;
    static constexpr work_kind work = work_kind::contraction; // (cost model)
    static constexpr std::string_view name = "dot", domain = "all real a, b";
    static constexpr bool dynamic_extents = true;
    template <class P>
    static constexpr P row_scale(std::size_t) {
        return static_cast<P>(1);
    }
    template <class SA, class SB>
    using result = typename detail::same_shape<SA, SB>::type;
    // a, b: pointers, or readers of a passive operand's plain values (graph/sweep.hpp), so that a
    // constant factor multiplies the tangents without a product rule.
    template <class SA, class SB, class T, class A, class B>
    static constexpr void eval(T* out, const A& a, const B& b) {
        T acc = a[0] * b[0];
        for (std::size_t i = 1; i < SA::size; ++i) acc = acc + a[i] * b[i];
        out[0] = acc;
    }
    template <std::size_t Operand, class SA, class SB, class T>
    static constexpr void vjp(T* in_bar, const T* y_bar, const T*, const T* a, const T* b) {
        const T* other = Operand == 0 ? b : a;
        for (std::size_t i = 0; i < SA::size; ++i) in_bar[i] = in_bar[i] + y_bar[0] * other[i];
    }
    // One term of its tangent in the symbolic mode, dot(ta, b) + dot(a, tb): with t the tangent
    // of one operand and other the other operand, dot(t, other), or t·sum(other) for a broadcast
    // scalar t.
    template <class T, class Other>
    static constexpr auto tangent_term(const T& t, const Other& other) {
        if constexpr (std::is_same_v<shape_of<T>, shape_of<Other>>)
            return make_node<dot>(t, other);
        else
            return t * make_node<sum>(other);
    }
};

} // namespace op

template <Expression X>
constexpr auto sum(const X& x) {
    return make_node<op::sum>(x);
}
template <Expression X>
constexpr auto mean(const X& x) {
    return make_node<op::mean>(x);
}
template <class A, class B>
    requires(Expression<A> || Expression<B>)
constexpr auto dot(const A& a, const B& b) {
    return call_op<op::dot>(a, b);
}

} // namespace tapeless

#endif
