// tapeless/modes/inputs.hpp — binding the arguments of value(f, ...), gradient(f, ...) and the
// other modes to an expression's input slots.
//
// Two conventions:
//   flat:       one std::array<T, N> when every variable is a scalar: element i is slot i.
//   positional: one argument per slot: a number for a scalar variable, std::array<T, N> for a
//               vector<N>, tapeless::mat<T, R, C> (or std::array<T, R*C>) for a matrix<R, C>.
#ifndef TAPELESS_MODES_INPUTS_HPP
#define TAPELESS_MODES_INPUTS_HPP

#include <array>
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include "../core/array.hpp"
#include "../core/expr.hpp"
#include "../core/variables.hpp"
#include "../graph/slots.hpp"

namespace tapeless {

namespace detail {
template <class X>
inline constexpr bool is_tuple_v = false;
template <class... X>
inline constexpr bool is_tuple_v<std::tuple<X...>> = true;

// The element type and shape of one argument.
template <class A>
struct arg_traits {
    static constexpr bool valid = false;
};
template <class A>
    requires std::is_arithmetic_v<A>
struct arg_traits<A> {
    static constexpr bool valid = true;
    using element = A;
    using shape = scalar;
};
template <class E, std::size_t N>
struct arg_traits<std::array<E, N>> {
    static constexpr bool valid = std::is_arithmetic_v<E>;
    using element = E;
    using shape = vector<N>;
};
template <class E, std::size_t R, std::size_t C>
struct arg_traits<mat<E, R, C>> {
    static constexpr bool valid = std::is_arithmetic_v<E>;
    using element = E;
    using shape = matrix<R, C>;
};

template <class... Args>
inline constexpr bool all_valid_args = (arg_traits<std::remove_cvref_t<Args>>::valid && ...);

template <class... Args>
struct common_element {
    using type = std::common_type_t<typename arg_traits<std::remove_cvref_t<Args>>::element...>;
};
template <>
struct common_element<> {
    using type = double;
};
// The scalar type of a sweep: the common element type of the arguments (integers count as double).
template <class... Args>
using common_element_t =
    std::conditional_t<std::is_floating_point_v<typename common_element<Args...>::type>,
                       typename common_element<Args...>::type, double>;

template <class T, class A>
constexpr auto convert(const A& a) {
    using Tr = arg_traits<A>;
    if constexpr (std::is_arithmetic_v<A>) {
        return static_cast<T>(a);
    } else {
        value_t<T, typename Tr::shape> r{};
        const auto* src = data_of(a);
        auto* dst = data_of(r);
        for (std::size_t i = 0; i < Tr::shape::size; ++i) dst[i] = static_cast<T>(src[i]);
        return r;
    }
}

// The elements of one converted input: a scalar is its own single element.
template <class T, class A>
constexpr const T* pointer_to(const A& a) {
    if constexpr (std::is_same_v<A, T>)
        return &a;
    else
        return data_of(a);
}

// An argument whose elements already have the sweep's scalar type is read where it is.
template <class A>
struct borrowed {
    const A* arg;
};

template <class T, class A>
using held_t = std::conditional_t<std::is_same_v<typename arg_traits<A>::element, T>, borrowed<A>,
                                  value_t<T, typename arg_traits<A>::shape>>;

template <class T, class A>
constexpr held_t<T, A> hold(const A& a) {
    if constexpr (std::is_same_v<held_t<T, A>, borrowed<A>>)
        return borrowed<A>{&a};
    else
        return convert<T>(a);
}

template <class T, class H>
constexpr const T* held_data(const H& h) {
    if constexpr (requires { h.arg; })
        return pointer_to<T>(*h.arg);
    else
        return pointer_to<T>(h);
}

// The arguments in the sweep's scalar type T (converted copies, or the arguments themselves when
// they already are of type T), and a pointer per input slot.
template <class T, class... Args>
struct input_values {
    std::tuple<held_t<T, Args>...> values;

    constexpr explicit input_values(const Args&... args) : values{hold<T>(args)...} {}

    // One pointer per slot (at least one entry, so the array is never empty).
    template <bool Flat, std::size_t Slots>
    constexpr auto pointers() const {
        std::array<const T*, (Slots > 0 ? Slots : 1)> p{};
        if constexpr (Flat) {
            const T* base = held_data<T>(std::get<0>(values));
            for (std::size_t i = 0; i < Slots; ++i) p[i] = base + i;
        } else {
            const auto expand = [&]<std::size_t... I>(std::index_sequence<I...>) {
                ((I < Slots ? (p[I < Slots ? I : 0] = held_data<T>(std::get<I>(values))) : nullptr),
                 ...);
            };
            expand(std::index_sequence_for<Args...>{});
        }
        return p;
    }
};

// Flat binding applies to one std::array argument when every slot the expression reads is scalar.
template <class Root, class... Args>
constexpr bool is_flat() {
    if constexpr (sizeof...(Args) != 1) {
        return false;
    } else {
        using A = std::remove_cvref_t<std::tuple_element_t<0, std::tuple<Args...>>>;
        if constexpr (arg_traits<A>::valid)
            return arg_traits<A>::shape::rank == 1 && graph::slots_of<Root>.all_scalar();
        else
            return false;
    }
}

// Named so that the failing instantiation shows both numbers: check_input_count<3, 2>.
template <std::size_t Needed, std::size_t Given>
constexpr void check_input_count() {
    TAPELESS_REQUIRE(Needed <= Given,
                     "tapeless: a variable index beyond the inputs: the expression reads more "
                     "input slots (Needed) than were passed (Given)");
}

// check_extra_inputs<3, 2>: 3 inputs passed, 2 taken. An expression takes one input per slot
// up to the last it reads, or more when its variables were made together with others
// (tl::variables<"x", "y", "z">() makes three: a component of F(x, y, z) that reads only x and y
// still takes three inputs; a traced callable takes one per parameter): graph::declared_inputs.
// An expression that reads no input at all (a constant) may be given inputs: they only choose
// the scalar type.
template <std::size_t Given, std::size_t Read>
constexpr void check_extra_inputs() {
    TAPELESS_REQUIRE(
        Given <= Read || Read == 0,
        "tapeless: more inputs than input slots: Given inputs were passed but the "
        "expression reads Read input slots (0 .. Read-1), so the extra inputs would be "
        "ignored: pass one input per slot, or check that every variable has a slot of "
        "its own");
}

// A gradient is of a scalar-valued f (static shapes, gradient.hpp, and run-time rows, rows.hpp).
template <class Root>
constexpr void require_scalar_output() {
    TAPELESS_REQUIRE(Root::shape::rank == 0,
                     "tapeless::gradient(f, inputs): f must be scalar-valued (use tl::vjp or "
                     "tl::jacobian for a vector- or matrix-valued f)");
}

// The name a variable prints with: its own, or x<slot> when it has none.
constexpr name printed_name(const node_info& v) {
    if (v.label != nullptr && !v.label->empty()) {
        name n = *v.label;
        n.group = 0;
        return n;
    }
    return numbered('x', v.slot);
}

template <int Rank, std::size_t Rows, std::size_t Cols>
struct shape_from {
    using type = matrix<Rows, Cols>;
};
template <std::size_t Rows, std::size_t Cols>
struct shape_from<0, Rows, Cols> {
    using type = scalar;
};
template <std::size_t Rows, std::size_t Cols>
struct shape_from<1, Rows, Cols> {
    using type = vector<Rows>;
};
template <const node_info* V>
using shape_of_variable = typename shape_from<V->rank, V->rows, V->cols>::type;

template <std::size_t>
inline constexpr bool never = false;

// The three ways one input slot can be read by two different variables; each helper's template
// arguments are the slot and the two variables' names (and shapes), so the failing instantiation
// names them: check_one_name_per_slot<0, name{"k1"}, name{"lambda"}>.
template <std::size_t Slot, name First, name Second>
constexpr void check_one_name_per_slot() {
    TAPELESS_REQUIRE(First == Second,
                     "tapeless: input slot Slot is read as two different variables, First and "
                     "Second: give each variable its own slot (create all of them in one "
                     "tl::variables<...>() call, or number the later ones after an expression's "
                     "slots with tl::variables_after<decltype(f), ...>())");
}
template <std::size_t Slot, name First, Shape FirstShape, name Second, Shape SecondShape>
constexpr void check_one_shape_per_slot() {
    TAPELESS_REQUIRE(
        (std::is_same_v<FirstShape, SecondShape>),
        "tapeless: input slot Slot is read by variables of two different shapes, "
        "First (FirstShape) and Second (SecondShape): give each variable its own slot");
}
template <std::size_t Slot, name Variable, name Data>
constexpr void check_variable_or_data() {
    TAPELESS_REQUIRE(never<Slot>,
                     "tapeless: input slot Slot is read both as a variable (Variable) and as data "
                     "(Data): a slot is either differentiated or held fixed; give the data its own "
                     "slot");
}

// The first pair of different variables found on one input slot, reported by the helper above
// that names what differs (shape first, then variable or data, then the name).
template <const node_info* A, const node_info* B>
constexpr void check_clash() {
    constexpr std::size_t slot = A->slot;
    if constexpr (A->rank != B->rank || A->rows != B->rows || A->cols != B->cols)
        check_one_shape_per_slot<slot, printed_name(*A), shape_of_variable<A>, printed_name(*B),
                                 shape_of_variable<B>>();
    else if constexpr (A->active != B->active)
        check_variable_or_data<slot, printed_name(A->active ? *A : *B),
                               printed_name(A->active ? *B : *A)>();
    else
        check_one_name_per_slot<slot, printed_name(*A), printed_name(*B)>();
}

// Every input slot the expression reads is read by one variable: one name, one shape, variable
// or data. A constexpr scan of the DAG's variable nodes (graph::slots_of).
template <class Root>
constexpr void check_one_variable_per_slot() {
    constexpr graph::slot_clash c = graph::slots_of<Root>.clash;
    if constexpr (c.found) check_clash<c.first, c.second>();
}

// The variable V (tl::derivative's x) is the variable that reads its slot in the expression, if
// the expression reads that slot at all.
template <class Root, class V>
constexpr void check_same_variable() {
    constexpr const node_info* v = &info_of<V>::value;
    constexpr const node_info* reader = [] {
        if constexpr (V::index < graph::slot_count<Root>)
            return graph::slots_of<Root>.readers[V::index];
        else
            return static_cast<const node_info*>(nullptr);
    }();
    if constexpr (reader != nullptr && reader != v && !graph::same_variable(*reader, *v))
        check_clash<reader, v>();
}

template <graph::slot_shape Want, class A>
constexpr void check_slot_shape_of() {
    constexpr auto want = Want;
    using S = typename arg_traits<A>::shape;
    constexpr bool matches =
        want.rank < 0 || (want.rank == S::rank && want.rows == S::rows && want.cols == S::cols) ||
        (want.rank == 2 && S::rank == 1 && want.rows * want.cols == S::size);
    TAPELESS_REQUIRE(
        matches, "tapeless: shape mismatch: an input does not have the shape of the variable it "
                 "binds to (a number for a scalar, std::array<T, N> for vector<N>, "
                 "tapeless::mat<T, R, C> for matrix<R, C>)");
}
// Argument I against the shape of slot I (arguments beyond the slots read are not checked).
template <class Root, std::size_t I, class A>
constexpr void check_slot_shape() {
    if constexpr (I < graph::slot_count<Root>)
        check_slot_shape_of<graph::slots_of<Root>.shapes[I], A>();
}
} // namespace detail

} // namespace tapeless

#endif
