// tapeless/core/node.hpp — the node types of the expression language, and their descriptors.
//
// An expression is a tree of node types:
//   var<I, Shape, Name>   input slot I (scalar or array shaped), printed with its name
//   lit<R>                a compile-time literal, R a rational (2_c, 0.5_c)
//   cst<Offset, Shape>    a runtime constant: Shape::size doubles at Offset in the handle's storage
//   node<Op, Children...> an operation; Op (in ops/) holds the value, shape and derivative rules
// Node types are empty and structural: they can be template arguments (see ex<V> in expr.hpp),
// and runtime state (the 2.0 of 2.0 * x) lives in the handle, not in the type.
//
// Each node type also has one constexpr descriptor (node_info) holding its structural hash, its
// size and pointers to its children's descriptors. The compiler instantiates a descriptor once per
// distinct type, so the set of descriptors is the expression's DAG (graph/dag.hpp walks it with
// ordinary constexpr code); a descriptor's address is its node's identity.
#ifndef TAPELESS_CORE_NODE_HPP
#define TAPELESS_CORE_NODE_HPP

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "name.hpp"
#include "rational.hpp"
#include "shape.hpp"

namespace tapeless {

enum class node_kind : std::uint8_t { variable, literal, constant, operation };

// How an operation takes part in fused sweeps (graph/fused.hpp), from its Op::fusion:
//   elementwise  element i of the result reads element i of each operand (scalars broadcast)
//   reduction    a scalar that reads every operand element once, with a constant weight (sum, mean)
//   view         element i is one element of its operand (slice, element)
//   join         the operands' elements one after the other (concat)
//   none         anything else: reads its operands from storage (matmul, softmax, ...)
enum class fusion_kind : std::uint8_t { none, elementwise, reduction, view, join };

// How an operation's value depends on its operands, for the Hessian's sparsity pattern
// (graph/sparsity.hpp): an operation that is linear in its operands (+, −, sum, slice, ...)
// creates no second derivatives, a bilinear one (×, dot, matvec, matmul) only when both operands
// depend on variables, a/b only when b does; anything else (the default) wherever its operands
// depend on variables.
enum class linearity : std::uint8_t { nonlinear, linear, bilinear, numerator };

// What evaluating an operation costs, for the cost model (modes/cost.hpp). Most operations need
// not say (by_fusion): an elementwise one counts as one arithmetic operation per element when it
// is `cheap`, else as one transcendental; a view or join as one move per element; a reduction as
// one add per operand element. The others say which of these shapes theirs has:
//   contraction   inner products: the result's elements times `inner` multiply-adds, inner = the
//                 elements of operand 0 over the result's rows (matmul, matvec, dot)
//   exponentials  one exponential per operand element and a normalising sum (softmax,
//                 log_sum_exp, the softmax and logistic losses)
//   arithmetic    one arithmetic operation per element of the larger operand (add_rowwise, mse)
//   move          copies of elements (transpose)
//   other         none of these: one unit per element of the larger operand (the default of an
//                 operation that is neither elementwise, a reduction, a view nor a join)
enum class work_kind : std::uint8_t {
    by_fusion,
    contraction,
    exponentials,
    arithmetic,
    move,
    other
};

// How an operation on run-time rows (graph/rows.hpp) reads its operand, when it is not
// elementwise: element i of the result is element i + K of the operand (drop_front<K>), element i
// (drop_back<K>, which is K elements shorter), or element idx[i] (gather(x, idx)), each read
// where it is in an input; or (by_row) the operation applied to row i of a matrix<dynamic, C>
// input as a matrix<1, C>, with its static operand (matvec(X, w): element i is row i of X times w).
enum class row_access : std::uint8_t { none, drop_front, drop_back, gather, by_row };

// Input slot I. Active: a variable, differentiated; inactive: data (a batch of inputs, targets),
// read like a variable but held fixed: no adjoint, no tangent, zero in every derivative.
template <std::size_t I, Shape S = scalar, name Name = name{}, bool Active = true>
struct var {
    static constexpr node_kind kind = node_kind::variable;
    using shape = S;
    static constexpr std::size_t index = I;
    static constexpr name var_name = Name;
    static constexpr bool active = Active;
    static constexpr std::size_t const_end = 0;
};

template <rational R>
struct lit {
    static_assert(R.den > 0, "tapeless::lit: the rational must be normalized");
    static constexpr node_kind kind = node_kind::literal;
    using shape = scalar;
    static constexpr rational value = R;
    static constexpr std::size_t const_end = 0;
};

template <std::size_t Offset, Shape S>
struct cst {
    static constexpr node_kind kind = node_kind::constant;
    using shape = S;
    static constexpr std::size_t offset = Offset;
    static constexpr std::size_t const_end = Offset + S::size;
};

namespace detail {
template <std::size_t... E>
constexpr std::size_t max_of() {
    std::size_t m = 0;
    ((m = E > m ? E : m), ...);
    return m;
}
} // namespace detail

namespace detail {
// Whether an operation takes operands with run-time rows (tl::dynamic): it says
// `static constexpr bool dynamic_extents = true;` (every elementwise operation, sum, mean, dot,
// drop_front, drop_back, gather, matvec).
template <class Op>
constexpr bool dynamic_extents_of() {
    if constexpr (requires { Op::dynamic_extents; })
        return Op::dynamic_extents;
    else
        return false;
}
} // namespace detail

template <class Op, class... Cs>
struct node {
    static_assert(!(is_dynamic_v<typename Cs::shape> || ...) || detail::dynamic_extents_of<Op>(),
                  "tapeless: this operation does not take operands with run-time rows "
                  "(tl::dynamic) yet: elementwise operations, sum, mean, dot, drop_front, "
                  "drop_back, gather and matvec of a matrix<dynamic, C> input do");
    static constexpr node_kind kind = node_kind::operation;
    using op = Op;
    using shape = typename Op::template result<typename Cs::shape...>;
    static constexpr std::size_t arity = sizeof...(Cs);
    static constexpr std::size_t const_end = detail::max_of<Cs::const_end...>();
};

// --- traits --------------------------------------------------------------------------------

template <class N>
inline constexpr bool is_node_v = false;
template <std::size_t I, class S, name Nm, bool A>
inline constexpr bool is_node_v<var<I, S, Nm, A>> = true;
template <rational R>
inline constexpr bool is_node_v<lit<R>> = true;
template <std::size_t O, class S>
inline constexpr bool is_node_v<cst<O, S>> = true;
template <class Op, class... Cs>
inline constexpr bool is_node_v<node<Op, Cs...>> = true;

template <class N>
concept Node = is_node_v<N>;

template <class N>
inline constexpr bool is_literal_v = N::kind == node_kind::literal;

namespace detail {
template <class N, std::size_t S>
struct child;
template <class Op, class C0, class... Cs>
struct child<node<Op, C0, Cs...>, 0> {
    using type = C0;
};
template <class Op, class C0, class C1, class... Cs>
struct child<node<Op, C0, C1, Cs...>, 1> {
    using type = C1;
};
template <class Op, class C0, class C1, class C2, class... Cs>
struct child<node<Op, C0, C1, C2, Cs...>, 2> {
    using type = C2;
};
} // namespace detail

// The S-th child of an operation node.
template <class N, std::size_t S>
using child_t = typename detail::child<N, S>::type;

// --- runtime constants: renumbering -----------------------------------------------------------
// When two handles are combined, the right operand's constants move behind the left operand's,
// so every cst node in the result has its own slot. Subtrees without constants keep their type
// (and so stay shared); the transform is memoised per (type, shift) by the compiler.
namespace detail {
template <class N, std::size_t K, bool = (N::const_end > 0 && K > 0)>
struct shift {
    using type = N;
};
template <std::size_t O, class S, std::size_t K>
struct shift<cst<O, S>, K, true> {
    using type = cst<O + K, S>;
};
template <class Op, class... Cs, std::size_t K>
struct shift<node<Op, Cs...>, K, true> {
    using type = node<Op, typename shift<Cs, K>::type...>;
};
} // namespace detail

template <class N, std::size_t K>
using shift_t = typename detail::shift<N, K>::type;

// --- descriptors ------------------------------------------------------------------------------

struct node_info {
    std::uint64_t hash;
    std::size_t size;  // number of elements of the node's shape
    std::size_t arity; // number of children
    const node_info* const* children;
    node_kind kind;
    int rank; // of the node's shape
    std::size_t rows, cols;
    std::size_t slot; // input slot of a variable, else unused
    bool active;      // depends on some variable (only active nodes carry adjoints)
    fusion_kind fusion = fusion_kind::none; // of an operation (see fusion_kind)
    bool cheap = false; // an operation worth recomputing rather than storing (+, ×, slice, ...)
    // of a view (slice, element): the operand's element its element 0 reads
    std::size_t view_begin = 0;
    linearity linear = linearity::nonlinear; // of an operation
    const name* label = nullptr;             // of a variable: its name (empty when unnamed)
    bool singular = false;      // of an operation: may have a singular point (see singular_of)
    std::string_view op_name{}; // of an operation: its name, for run-time error messages
    row_access row_read = row_access::none; // of an operation on run-time rows (see row_access)
    std::size_t row_shift = 0;              // of drop_front<K> and drop_back<K>: K
};

namespace detail {
constexpr std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
    // splitmix64 step over h ^ v
    std::uint64_t z = h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
constexpr std::uint64_t hash_string(std::string_view s) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    return h;
}
template <class S>
constexpr std::uint64_t hash_shape() {
    return mix(mix(static_cast<std::uint64_t>(S::rank), S::rows), S::cols);
}
// What an operation declares about itself, read with the default where it says nothing: one
// accessor per member, e.g. cheap_of<Op>() is Op::cheap or false.
#define TAPELESS_OP_MEMBER_OR(accessor, member, type, fallback)                                    \
    template <class Op>                                                                            \
    constexpr type accessor() {                                                                    \
        if constexpr (requires { Op::member; })                                                    \
            return Op::member;                                                                     \
        else                                                                                       \
            return fallback;                                                                       \
    }
TAPELESS_OP_MEMBER_OR(fusion_of, fusion, fusion_kind, fusion_kind::none)
TAPELESS_OP_MEMBER_OR(cheap_of, cheap, bool, false)
TAPELESS_OP_MEMBER_OR(linearity_of, linear, linearity, linearity::nonlinear)
// Whether an operation may have a singular point: finite operands where a partial or a second
// partial is infinite (sqrt and log at 0, a / b at b = 0, pow with a real exponent, asin at 1,
// atan2 and hypot at (0, 0)). There a structurally zero tangent times the infinite partial gives
// NaN on dual numbers (see numbers/tracked_dual.hpp). An operation says
// `static constexpr bool singular = false;` when it has none: its partials are infinite only where
// an operand is, or its value overflows (polynomials, exp, sin, the linear algebra). One that says
// nothing is taken to have one.
TAPELESS_OP_MEMBER_OR(singular_of, singular, bool, true)
// How an operation's evaluation is counted by the cost model (see work_kind).
TAPELESS_OP_MEMBER_OR(work_of, work, work_kind, work_kind::by_fusion)
// Whether an elementwise operation's derivative rule calls a transcendental function (sin's cos,
// pow's pow): the cost model then counts the rule as transcendental rather than arithmetic.
TAPELESS_OP_MEMBER_OR(transcendental_derivative_of, transcendental_derivative, bool, false)
TAPELESS_OP_MEMBER_OR(row_read_of, row_read, row_access, row_access::none)
TAPELESS_OP_MEMBER_OR(row_shift_of, row_shift, std::size_t, 0)
template <class Op>
constexpr std::size_t view_begin_of() {
    if constexpr (fusion_of<Op>() == fusion_kind::view)
        return Op::source(0);
    else
        return 0;
}
// An op's identity: its name, mixed with its parameters when it has any (powi<N>, slice<B, L>).
template <class Op>
constexpr std::uint64_t hash_op() {
    std::uint64_t h = hash_string(Op::name);
    if constexpr (requires { Op::parameters; }) h = mix(h, Op::parameters);
    return h;
}
} // namespace detail

template <class N>
struct info_of;

template <std::size_t I, class S, name Nm, bool A>
struct info_of<var<I, S, Nm, A>> {
    static constexpr node_info value{
        detail::mix(detail::mix(detail::mix(A ? 1 : 4, I), detail::hash_shape<S>()),
                    detail::hash_string(Nm.view())),
        S::size,
        0,
        nullptr,
        node_kind::variable,
        S::rank,
        S::rows,
        S::cols,
        I,
        A,
        fusion_kind::none,
        false,
        0,
        linearity::nonlinear,
        &var<I, S, Nm, A>::var_name};
};
template <rational R>
struct info_of<lit<R>> {
    static constexpr node_info value{detail::mix(detail::mix(2, static_cast<std::uint64_t>(R.num)),
                                                 static_cast<std::uint64_t>(R.den)),
                                     1,
                                     0,
                                     nullptr,
                                     node_kind::literal,
                                     0,
                                     1,
                                     1,
                                     0,
                                     false};
};
namespace detail {
// The descriptor of a constant of shape S at offset O; tag keeps apart the kinds of constant that
// hash alike otherwise (cst: 3; the symbolic mode's pinned constants: 4).
template <class S>
constexpr node_info constant_info(std::uint64_t tag, std::size_t offset) {
    return {mix(mix(tag, offset), hash_shape<S>()),
            S::size,
            0,
            nullptr,
            node_kind::constant,
            S::rank,
            S::rows,
            S::cols,
            0,
            false};
}
} // namespace detail
template <std::size_t O, class S>
struct info_of<cst<O, S>> {
    static constexpr node_info value = detail::constant_info<S>(3, O);
};
template <class Op, class... Cs>
struct info_of<node<Op, Cs...>> {
    static constexpr const node_info* children[] = {&info_of<Cs>::value...};
    static constexpr std::uint64_t hash() {
        std::uint64_t h = detail::hash_op<Op>();
        ((h = detail::mix(h, info_of<Cs>::value.hash)), ...);
        return h;
    }
    using shape = typename node<Op, Cs...>::shape;
    static constexpr node_info value{hash(),
                                     shape::size,
                                     sizeof...(Cs),
                                     children,
                                     node_kind::operation,
                                     shape::rank,
                                     shape::rows,
                                     shape::cols,
                                     0,
                                     (info_of<Cs>::value.active || ...),
                                     detail::fusion_of<Op>(),
                                     detail::cheap_of<Op>(),
                                     detail::view_begin_of<Op>(),
                                     detail::linearity_of<Op>(),
                                     nullptr,
                                     detail::singular_of<Op>(),
                                     Op::name,
                                     detail::row_read_of<Op>(),
                                     detail::row_shift_of<Op>()};
};

} // namespace tapeless

#endif
