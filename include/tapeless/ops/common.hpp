// tapeless/ops/common.hpp — what every operation shares: its category, numbers in rules, and
// the loops that evaluate a node from its children's values.
//
// An operation is a plain struct in namespace tapeless::op with
//   name                      how it prints and its identity in the DAG's structural hash
//   result<Shapes...>         its shape rule (a failed rule is a static_assert naming the shapes)
//   value / eval              its value
//   taylor<K>                 elementwise ops: the Taylor rule on raw coefficient arrays
//                             (series.hpp)
//   derivative / da, db / vjp its first-derivative rule, written once, generically: the same
//                             line runs on doubles, on dual and Taylor numbers, and on expression
//                             handles (where it yields the symbolic derivative)
//   domain                    where it is defined, as text (and in the comment)
//   linear                    optional: linear, bilinear or linear in the numerator (core/node.hpp:
//                             linearity), for the Hessian's sparsity pattern
// Elementwise operations derive from unary_elementwise or binary_elementwise and give their rule
// for one element; the loops over arrays (with scalar broadcasting) are here, written once.
#ifndef TAPELESS_OPS_COMMON_HPP
#define TAPELESS_OPS_COMMON_HPP

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>
#include <type_traits>

#include "../core/expr.hpp"
#include "../core/shape.hpp"
#include "series.hpp"

namespace tapeless {

// --- categories -------------------------------------------------------------------------------

struct unary_elementwise {
    template <class S>
    using result = S;
    static constexpr fusion_kind fusion = fusion_kind::elementwise;
    static constexpr bool dynamic_extents = true; // (core/node.hpp)
};
struct binary_elementwise {
    template <class A, class B>
    using result = broadcast_t<A, B>;
    static constexpr fusion_kind fusion = fusion_kind::elementwise;
    static constexpr bool dynamic_extents = true;
};
// Operations that are not elementwise (sum, matmul, softmax, ...) define result<> and eval<>.
struct array_operation {};

template <class Op>
concept UnaryElementwise = std::is_base_of_v<unary_elementwise, Op>;
template <class Op>
concept BinaryElementwise = std::is_base_of_v<binary_elementwise, Op>;

// How an operation prints: infix operators carry a symbol and a precedence; everything else
// prints as name(arguments).
namespace precedence {
inline constexpr int additive = 1, multiplicative = 2, unary = 3, power = 4, atom = 5;
}

// How an operation prints in LaTeX (io/to_latex.hpp), for an operation that is not an operator
// and not written \operatorname{name}(arguments): a pattern in which #0 and #1 stand for the
// arguments as printed, @0 for an argument set off as a function's (\sin x, \sin\left(x
// z\right)) and $0 for one that is parenthesised unless it binds tighter than a power (the base
// of x^{2} or of x^{\top}); and how tightly the result binds, on this scale:
namespace latex_precedence {
inline constexpr int additive = 1, multiplicative = 2, unary = 3, fraction = 4, power = 5, atom = 6;
}
struct latex_notation {
    std::string_view pattern;
    int prec = latex_precedence::atom;
};

// --- passive operands ---------------------------------------------------------------------------

// A *passive* value is one whose derivatives are structurally zero: a constant, a literal, data,
// or a node that depends on no variable. The sweeps on number types (dual, taylor) know from the
// DAG which operands are passive and pass them as their plain value (passive(x)), so an operation
// with a passive operand evaluates only the active operand's rule: the exponent's partial of
// pow(x, 2.0) is never computed, and no zero tangent is multiplied by an infinite partial (0 · inf
// is NaN in IEEE arithmetic, while the term is structurally absent). The number types specialise
// passive_traits in their own headers; for arithmetic types passive(x) is x.
template <class T, class = void>
struct passive_traits {
    using type = T;
    static constexpr const T& value(const T& x) { return x; }
};
template <class T>
using passive_t = typename passive_traits<T>::type;
template <class T>
TAPELESS_INLINE constexpr passive_t<T> passive(const T& x) {
    return passive_traits<T>::value(x);
}
// x, or its plain value when Plain (on plain numbers the same: passive(x) is x).
template <bool Plain, class T>
TAPELESS_INLINE constexpr auto plain_if(const T& x) {
    if constexpr (Plain)
        return passive(x);
    else
        return x;
}
// X is Number<T, N> for some T and N, const or a reference: the number types of the modes
// (dual, tracked_dual, taylor) each name their concept this way (Dual<X> is NumberOf<X, dual>).
template <class X, template <class, std::size_t> class Number>
inline constexpr bool is_number_of_v = false;
template <class T, std::size_t N, template <class, std::size_t> class Number>
inline constexpr bool is_number_of_v<Number<T, N>, Number> = true;
template <class X, template <class, std::size_t> class Number>
concept NumberOf = is_number_of_v<std::remove_cvref_t<X>, Number>;

// Whether T carries derivatives (a dual or Taylor number): only then does passivity matter.
template <class T>
inline constexpr bool carries_tangents = !std::is_same_v<passive_t<T>, T>;

// An operand read in a sweep on T: a passive plain value stays plain, anything else becomes a T.
template <class T, class X>
TAPELESS_INLINE constexpr auto as_operand(const X& x) {
    if constexpr (carries_tangents<T> && std::is_same_v<X, passive_t<T>>)
        return x;
    else
        return static_cast<T>(x);
}

// --- numbers in derivative rules ----------------------------------------------------------------

// num<N, D>(x): the number N/D as the same kind of thing as x: a literal when x is an expression,
// a T when x is a T, and on the number types of the modes their plain value type (passive: a
// number in a rule has no tangents, so 2 · x on a dual is two products, not a product rule with a
// zero tangent that 0 · inf would turn into NaN).
template <std::int64_t N, std::int64_t D = 1, class X>
constexpr auto num(const X&) {
    using P = passive_t<X>;
    if constexpr (Expression<X>)
        return ex_t<lit<normalize(rational{N, D})>>{};
    else if constexpr (D == 1)
        return static_cast<P>(N);
    else
        return static_cast<P>(N) / static_cast<P>(D);
}

// --- evaluation loops ---------------------------------------------------------------------------

// One element of an elementwise operation: Op::value on numbers (anything that carries no
// tangents); on the number types of the modes (dual, taylor) their dispatch, which applies the
// operation's derivative rule rather than differentiating through the way value() computes (so
// every mode uses the same rule).
template <class Op, class T>
TAPELESS_INLINE constexpr T apply_element(const T& x) {
    if constexpr (!carries_tangents<T>)
        return Op::value(x);
    else
        return unary_dispatch<Op, T>::apply(x);
}
template <class Op, class T>
TAPELESS_INLINE constexpr T apply_element(const T& a, const T& b) {
    if constexpr (!carries_tangents<T>)
        return Op::value(a, b);
    else
        return binary_dispatch<Op, T, T>::apply(a, b);
}
// One operand passive (a plain value), the other a number type: only the active operand's rule.
template <class Op, class A, class B>
    requires(!std::is_same_v<A, B>)
TAPELESS_INLINE constexpr auto apply_element(const A& a, const B& b) {
    return binary_dispatch<Op, A, B>::apply(a, b);
}

// out = Op(a), elementwise. Operands are pointers or, in fused sweeps, readers with operator[].
template <UnaryElementwise Op, Shape SA, class T, class A>
TAPELESS_INLINE constexpr void eval_op(T* out, const A& a) {
    for (std::size_t i = 0; i < SA::size; ++i) out[i] = apply_element<Op>(as_operand<T>(a[i]));
}

// out = Op(a, b), elementwise; a scalar operand broadcasts.
template <BinaryElementwise Op, Shape SA, Shape SB, class T, class A, class B>
TAPELESS_INLINE constexpr void eval_op(T* out, const A& a, const B& b) {
    constexpr std::size_t n = broadcast_t<SA, SB>::size;
    for (std::size_t i = 0; i < n; ++i)
        out[i] = apply_element<Op>(as_operand<T>(a[SA::rank == 0 ? 0 : i]),
                                   as_operand<T>(b[SB::rank == 0 ? 0 : i]));
}

// Array operations evaluate themselves.
template <class Op, Shape... S, class T, class... P>
    requires(!UnaryElementwise<Op> && !BinaryElementwise<Op>)
TAPELESS_INLINE constexpr void eval_op(T* out, const P&... in) {
    Op::template eval<S...>(out, in...);
}

// --- tangents of linear array operations, for the symbolic mode -------------------------------

// The tangent of Op(a) for an Op that keeps or picks elements (transpose, slice, element, mean),
// given a's tangent t (an expression): Op(t) where t has a's shape SA; where t is a scalar standing
// for the same tangent in every element of a (a broadcast), t itself. The symbolic mode
// (modes/symbolic.hpp) reads an array operation's `tangent<SA>(t)` (unary) or `tangent_term(t,
// other)` (bilinear) and knows no array operation by type.
template <class Op, class SA, class T>
constexpr auto linear_map_tangent(const T& t) {
    if constexpr (std::is_same_v<shape_of<T>, SA>)
        return make_node<Op>(t);
    else
        return t;
}

// --- derivative families ------------------------------------------------------------------------

// The N-th member of a family of unary operations f⁽ᴺ⁾ whose members are each other's derivatives
// (erf_derivative<N>, polygamma<N>, atan_derivative<N>): its derivative rule is one call of member
// N + 1, and its Taylor rule takes the coefficients from the derivatives at x₀,
// f⁽ᴺ⁺ʲ⁾(x₀)/j! (series::taylor_by_derivatives). Member<N> provides
// `static T member_value(std::size_t n, const T& x)`, the value of member n for a runtime n, and
// its own name, domain, flags and printing (`latex`); it prints as name<N>(x) (`order`).
template <template <std::size_t> class Member, std::size_t N>
struct derivative_family : unary_elementwise {
    static constexpr std::size_t order = N;
    static constexpr std::uint64_t parameters = N;
    template <class T>
    static constexpr T value(const T& x) {
        return Member<N>::member_value(N, x);
    }
    template <class X, class Y>
    static constexpr auto derivative(const X& x, const Y&) {
        return call_op<Member<N + 1>>(x);
    }
    template <std::size_t K, class T>
    static constexpr void taylor(const T* x, T* y) {
        series::taylor_by_derivatives<K>(x, y, value(x[0]), [](std::size_t j, const T& x0) {
            return Member<N>::member_value(N + j, x0);
        });
    }
};

// --- step functions ----------------------------------------------------------------------------

// A step function (sign, [x > 0], [a ≥ b], in ops/piecewise.hpp): piecewise constant, so its
// derivative is 0 wherever it exists (and taken as 0 at its jumps) and its Taylor series at x₀ is
// the constant value(x₀). Op gives its name, domain and value; Category is unary_elementwise or
// binary_elementwise.
template <class Op, class Category>
struct step_function : Category {
    static constexpr bool singular = false; // (see core/node.hpp's singular_of)
    static constexpr bool cheap = true;     // recomputed in fused sweeps rather than stored
    template <class X, class Y>
    static constexpr auto derivative(const X& x, const Y&) {
        return num<0>(x);
    }
    template <class A, class B, class Y>
    static constexpr auto da(const A& a, const B&, const Y&) {
        return num<0>(a);
    }
    template <class A, class B, class Y>
    static constexpr auto db(const A&, const B& b, const Y&) {
        return num<0>(b);
    }
    template <std::size_t K, class T>
    static constexpr void taylor(const T* x, T* y) {
        constant_series<K>(Op::value(x[0]), y);
    }
    template <std::size_t K, class T>
    static constexpr void taylor(const T* a, const T* b, T* y) {
        constant_series<K>(Op::value(a[0], b[0]), y);
    }

private:
    template <std::size_t K, class T>
    static constexpr void constant_series(const T& value, T* y) {
        y[0] = value;
        TAPELESS_UNROLL
        for (std::size_t k = 1; k <= K; ++k) y[k] = T{};
    }
};

// --- a point scaled to unit size (the partials of atan2 and hypot) -----------------------------

namespace detail {
// The point (a, b) divided by its larger coordinate: s = max(|a|, |b|), â = a/s, b̂ = b/s, so
// â² + b̂² lies in [1, 2] and neither overflows nor underflows where a² + b² would. An infinite
// coordinate is ±1 there and a finite one beside it 0 (inf/inf would be NaN); NaN in either
// coordinate, or the origin (0/0), makes every member NaN. Written for any number type (the
// dual numbers of nested modes too): comparisons and arithmetic only.
template <class T>
struct unit_scaled {
    T s, a, b;
    constexpr unit_scaled(const T& x, const T& y) {
        const T zero = static_cast<T>(0), one = static_cast<T>(1);
        const T abs_x = x < zero ? -x : x, abs_y = y < zero ? -y : y;
        s = abs_x < abs_y ? abs_y : abs_x;
        a = x / s;
        b = y / s;
        if (x != x || y != y) {
            s = x + y;
            a = s;
            b = s;
        } else if (!(s - s == s - s)) {
            a = abs_x == s ? (x < zero ? -one : one) : zero;
            b = abs_y == s ? (y < zero ? -one : one) : zero;
        }
    }
};
} // namespace detail

} // namespace tapeless

#endif
