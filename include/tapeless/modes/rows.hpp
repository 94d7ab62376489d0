// tapeless/modes/rows.hpp — the modes on expressions with run-time rows (vector<dynamic>,
// matrix<dynamic, C>): their inputs, the run-time shape check, value, gradient (reverse, or
// forward in chunks of eight tangents), gradient_into, jvp, hvp and the dense Hessian.
//
//   auto x = tl::data<0, tl::vector<tl::dynamic>, "x">;
//   auto [a, b] = tl::variables_after<decltype(x), "a", "b">();
//   auto f = tl::sum(tl::pow<2>(a * x - b));
//   std::vector<double> xs = ...;
//   tl::gradient(f, std::span{xs}, 2.0, 1.0);     // std::tuple{std::vector (zeros), da, db}
//   tl::gradient_into(out, f, xs, 2.0, 1.0);      // out: da, db (the variables' elements only)
//
// A slot of run-time rows binds a std::vector<T>, a std::span<const T> (or std::span<T>), or an
// Eigen vector or Map of one (anything with data() and size() over contiguous numbers); a static
// slot binds what it binds in the other modes, or a span or vector of its length. The
// lengths are checked once per call, before anything is computed (tl::shape_error). The sweeps
// (graph/rows.hpp) store nothing of size n: these modes allocate only the results they return,
// and tl::gradient_into none at all.
#ifndef TAPELESS_MODES_ROWS_HPP
#define TAPELESS_MODES_ROWS_HPP

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "../core/error.hpp"
#include "../graph/rows.hpp"
#include "../numbers/dual.hpp"
#include "inputs.hpp"

namespace tapeless {

namespace detail {

// Whether F is an expression with run-time rows (the modes dispatch to this header on it).
template <class F>
constexpr bool has_rows() {
    if constexpr (Expression<F>)
        return graph::has_dynamic<node_of<F>>;
    else
        return false;
}

// Whether A stores its elements one after the other: a column or row vector when A says how
// many columns or rows it has at compile time (Eigen), with inner stride 1 when it says that.
template <class A>
constexpr bool contiguous_vector() {
    bool ok = true;
    if constexpr (requires { A::ColsAtCompileTime; })
        ok = ok && (A::ColsAtCompileTime == 1 || A::RowsAtCompileTime == 1);
    if constexpr (requires { A::InnerStrideAtCompileTime; })
        ok = ok && A::InnerStrideAtCompileTime == 1;
    return ok;
}

// An argument whose length is known at run time: anything with data() and size() over
// contiguous numbers that is not a static array (std::vector, std::span, an Eigen vector or Map
// of a vector).
template <class A>
struct run_time_arg {
    static constexpr bool valid = false;
};
template <class A>
    requires(!arg_traits<A>::valid)
&&requires(const A& a) {
    {*a.data()};
    {a.size()};
}
struct run_time_arg<A> {
    using element = std::remove_cvref_t<decltype(*std::declval<const A&>().data())>;
    static constexpr bool valid = std::is_arithmetic_v<element> && contiguous_vector<A>();
};

template <class A>
struct row_arg_element {
    using type = typename arg_traits<A>::element;
};
template <class A>
requires run_time_arg<A>::valid struct row_arg_element<A> {
    using type = typename run_time_arg<A>::element;
};

// The scalar type of the sweeps: the arguments' common element type (integers count as double).
template <class... Args>
using row_element_t = std::conditional_t<
    std::is_floating_point_v<std::common_type_t<typename row_arg_element<Args>::type...>>,
    std::common_type_t<typename row_arg_element<Args>::type...>, double>;

template <class A>
inline constexpr bool valid_row_arg_v =
    run_time_arg<std::remove_cvref_t<A>>::valid || arg_traits<std::remove_cvref_t<A>>::valid;

// The elements of one argument as T: (pointer, count). A number is converted into *scalar.
template <class T, class A>
constexpr std::pair<const T*, std::size_t> row_arg_elements(const A& a, T* scalar) {
    if constexpr (std::is_arithmetic_v<A>) {
        *scalar = static_cast<T>(a);
        return {scalar, 1};
    } else if constexpr (run_time_arg<A>::valid) {
        const auto n = static_cast<std::size_t>(a.size());
        if constexpr (std::is_same_v<typename run_time_arg<A>::element, T>)
            return {a.data(), n};
        else // indices: read by the sweeps through row_indices
            return {nullptr, n};
    } else {
        return {data_of(a), arg_traits<A>::shape::size};
    }
}

// The arguments bound to slots: a pointer and an element count per slot. A number is converted
// into scalars and pointed to there, so the object points into itself: it is neither copied nor
// moved (a copy would point into the original; the first version returned one from a function and
// read a destroyed number under clang -O0, where g++ had elided the copy).
template <class T, std::size_t Slots>
struct row_inputs {
    static constexpr std::size_t n = Slots > 0 ? Slots : 1;
    std::array<const T*, n> pointer{};
    std::array<std::size_t, n> length{};
    std::array<T, n> scalars{};

    row_inputs(const row_inputs&) = delete;
    row_inputs& operator=(const row_inputs&) = delete;

    template <class... Args>
    constexpr explicit row_inputs(const Args&... args) {
        std::size_t s = 0;
        ((s < Slots
              ? (std::tie(pointer[s], length[s]) = row_arg_elements<T>(args, &scalars[s]), ++s)
              : ++s),
         ...);
    }
};

// Whether argument A may bind slot S of Root: a number anywhere; an array of the sweep's scalar
// type T where numbers are read (it is read in place, not converted); a vector or span of
// integers where a gather's indices are read.
template <class Root, class T, std::size_t S, class A>
constexpr bool binds_row_slot() {
    if constexpr (std::is_arithmetic_v<A> || S >= graph::slot_count<Root>) {
        return true;
    } else {
        using E = typename row_arg_element<A>::type;
        constexpr const auto& p = graph::rows_of<Root>;
        if constexpr (p.index_input[S])
            return std::is_integral_v<E> && run_time_arg<A>::valid && !p.number_input[S];
        else
            return std::is_same_v<E, T>;
    }
}

// The static checks of the arguments: each is a number, an array, a vector or a span; one per
// slot, of the sweep's scalar type (or integers, for indices).
template <class Root, class T, class... Args>
constexpr void check_row_arguments() {
    static_assert((valid_row_arg_v<Args> && ...),
                  "tapeless: each input must be a number, a std::array, a tapeless::mat, a "
                  "std::vector or a std::span of numbers");
    check_one_variable_per_slot<Root>();
    check_input_count<graph::slot_count<Root>, sizeof...(Args)>();
    check_extra_inputs<sizeof...(Args), graph::declared_inputs<Root>>();
    constexpr bool binds = [] {
        return []<std::size_t... S>(std::index_sequence<S...>) {
            return (binds_row_slot<Root, T, S, Args>() && ...);
        }
        (std::index_sequence_for<Args...>{});
    }();
    static_assert(binds,
                  "tapeless: the array inputs of an expression with run-time rows must have the "
                  "scalar type of the computation (all double, or all float), as they are read "
                  "where they are; the indices of a gather (tl::indices) are a std::vector or "
                  "std::span of integers, and an input read as indices is not read as numbers");
}

// The arguments themselves, for the sweeps that read a gather's indices: index<S>(i) is element i
// of argument S as a std::size_t.
template <class... Args>
struct row_indices {
    std::tuple<const Args&...> args;
    template <std::size_t S>
    TAPELESS_INLINE std::size_t index(std::size_t i) const {
        using A = std::tuple_element_t<S, std::tuple<Args...>>;
        if constexpr (run_time_arg<A>::valid &&
                      std::is_integral_v<typename run_time_arg<A>::element>)
            return static_cast<std::size_t>(std::get<S>(args).data()[i]);
        else
            return 0;
    }
};

inline std::string variable_label(const node_info& v) {
    return std::string(printed_name(v).view());
}

// The messages of the run-time checks, built only when one fails (cold, out of line).
[[noreturn, gnu::cold, gnu::noinline]] inline void
throw_input_length(std::size_t slot, const node_info& v, std::size_t len) {
    if (v.rows != dynamic)
        throw shape_error("tapeless: input " + std::to_string(slot) + " (" + variable_label(v) +
                          ") has " + std::to_string(len) + " elements where its variable has " +
                          std::to_string(v.size));
    throw shape_error("tapeless: input " + std::to_string(slot) + " (" + variable_label(v) +
                      ") has " + std::to_string(len) + " elements, not a whole number of rows of " +
                      std::to_string(v.cols));
}
[[noreturn, gnu::cold, gnu::noinline]] inline void
throw_too_short(const node_info& v, std::size_t cut, std::size_t len) {
    throw shape_error("tapeless: drop_front<" + std::to_string(cut) + "> or drop_back<" +
                      std::to_string(cut) + "> of " + variable_label(v) + " needs more than " +
                      std::to_string(cut) + " elements: " + variable_label(v) + " has " +
                      std::to_string(len));
}
[[noreturn, gnu::cold, gnu::noinline]] inline void
throw_lengths_differ(std::string_view op, const node_info& a, std::size_t la, const node_info& b,
                     std::size_t lb, bool dropped) {
    throw shape_error("tapeless: the operands of " + std::string(op) +
                      " have different run-time lengths: " + variable_label(a) + " has " +
                      std::to_string(la) + " elements and " + variable_label(b) + " has " +
                      std::to_string(lb) +
                      (dropped ? " (less what drop_front and drop_back take)" : ""));
}
[[noreturn, gnu::cold, gnu::noinline]] inline void throw_empty_input(std::string_view op,
                                                                     const node_info& v) {
    throw shape_error("tapeless: " + std::string(op) + " of an empty input: " + variable_label(v) +
                      " has no elements");
}

// Whether node N's operation needs at least one element of its operand (mean: Op says
// `needs_an_element`).
template <class N>
constexpr bool needs_an_element() {
    if constexpr (requires { N::op::needs_an_element; })
        return N::op::needs_an_element;
    else
        return false;
}
[[noreturn, gnu::cold, gnu::noinline]] inline void throw_gather_index(const node_info& x,
                                                                      const node_info& idx,
                                                                      std::size_t j, std::size_t k,
                                                                      std::size_t bound) {
    throw index_error("tapeless: gather(" + variable_label(x) + ", " + variable_label(idx) +
                      "): index " + std::to_string(static_cast<long long>(j)) + " at position " +
                      std::to_string(k) + " is out of range: " + variable_label(x) + " has " +
                      std::to_string(bound) + " elements");
}

// Calls f.template operator()<I>() for I = 0 .. N-1.
template <std::size_t N, class F>
TAPELESS_INLINE constexpr void for_each_index(const F& f) {
    [&]<std::size_t... I>(std::index_sequence<I...>) TAPELESS_LAMBDA_INLINE {
        (f.template operator()<I>(), ...);
    }
    (std::make_index_sequence<N>{});
}

// The run-time shape check: every slot's length fits its variable, row operands that meet have
// the same length, a drop leaves an element, a mean has one, a gather's indices are in range.
// Returns each extent group's number of elements. Every test is chosen at compile time (an
// expression without a gather checks no index, one whose row operands all share one extent
// compares no lengths), and the messages are built out of line: on Rosenbrock with 10 elements a
// loop over the nodes took a third of the gradient's time.
template <class Root, class T, class... Args>
TAPELESS_INLINE auto check_rows(const row_inputs<T, graph::slot_count<Root>>& in,
                                const row_indices<Args...>& indices) {
    constexpr const auto& g = graph::dag_of<Root>;
    constexpr const auto& p = graph::rows_of<Root>;
    constexpr const auto& slots = graph::slots_of<Root>;
    for_each_index<graph::slot_count<Root>>([&]<std::size_t S>() TAPELESS_LAMBDA_INLINE {
        constexpr const node_info* v = slots.readers[S];
        if constexpr (v != nullptr) {
            const std::size_t len = in.length[S];
            if constexpr (v->rows != dynamic) {
                if (len != v->size) [[unlikely]]
                    throw_input_length(S, *v, len);
            } else if constexpr (v->cols > 1) {
                if (len % v->cols != 0) [[unlikely]]
                    throw_input_length(S, *v, len);
            }
        }
    });
    // each extent's length: its slot's, less its cut
    std::array<std::size_t, (p.extents > 0 ? p.extents : 1)> length{};
    for_each_index<p.extents>([&]<std::size_t E>() TAPELESS_LAMBDA_INLINE {
        const std::size_t len = in.length[p.extent_slot[E]] / p.extent_per[E];
        if constexpr (p.extent_cut[E] > 0) {
            if (len <= p.extent_cut[E]) [[unlikely]]
                throw_too_short(*slots.readers[p.extent_slot[E]], p.extent_cut[E], len);
        }
        length[E] = len - p.extent_cut[E];
    });
    for_each_index<g.size>([&]<std::size_t D>() TAPELESS_LAMBDA_INLINE {
        constexpr const node_info& n = *g.info[D];
        if constexpr (n.kind == node_kind::operation && n.arity == 2 &&
                      n.row_read == row_access::none) {
            constexpr std::size_t c0 = g.child[D][0], c1 = g.child[D][1];
            if constexpr (p.role[c0] == graph::row_role::row &&
                          p.role[c1] == graph::row_role::row && p.extent[c0] != p.extent[c1]) {
                constexpr std::size_t e0 = p.extent[c0], e1 = p.extent[c1];
                if (length[e0] != length[e1]) [[unlikely]]
                    throw_lengths_differ(
                        n.op_name, *slots.readers[p.extent_slot[e0]], in.length[p.extent_slot[e0]],
                        *slots.readers[p.extent_slot[e1]], in.length[p.extent_slot[e1]],
                        p.extent_cut[e0] + p.extent_cut[e1] > 0);
            }
        }
        if constexpr (n.kind == node_kind::operation &&
                      needs_an_element<graph::type_at_t<Root, D>>()) {
            constexpr std::size_t c0 = g.child[D][0];
            if constexpr (p.role[c0] == graph::row_role::row) {
                if (length[p.extent[c0]] == 0) [[unlikely]]
                    throw_empty_input(n.op_name, *slots.readers[p.extent_slot[p.extent[c0]]]);
            }
        }
        // the indices of every gather, once per call
        if constexpr (p.access[D] == row_access::gather) {
            constexpr std::size_t xs = p.read_slot[D], is = p.index_slot[D];
            const std::size_t bound = in.length[xs];
            for (std::size_t k = 0; k < in.length[is]; ++k) {
                const std::size_t j = indices.template index<is>(k);
                if (j >= bound) [[unlikely]]
                    throw_gather_index(*slots.readers[xs], *slots.readers[is], j, k, bound);
            }
        }
    });
    std::array<std::size_t, (p.groups > 0 ? p.groups : 1)> rows{};
    for (std::size_t k = 0; k < p.groups; ++k) rows[k] = length[p.representative[k]];
    return rows;
}

// Node storage of the row sweeps: static (graph::rows_of<Root>.storage elements).
template <class T, std::size_t N>
struct row_storage {
    std::array<T, (N > 0 ? N : 1)> values{}, adjoints{};
};

// A sweep context reading input slot s's element i where it is (and a gather's indices through
// I, a row_indices).
template <class T, class I>
struct row_context {
    const T* const* inputs;
    const double* constants;
    const I* indices;
    TAPELESS_INLINE constexpr T input(std::size_t s, std::size_t i) const { return inputs[s][i]; }
    template <std::size_t S>
    TAPELESS_INLINE std::size_t index(std::size_t i) const {
        return indices->template index<S>(i);
    }
};

// Forward mode's context on dual<T, 1>: input element i of slot s is (x, dir), dir read from the
// direction's slot s (nullptr: no tangent, a data slot).
template <class D, class I>
struct row_seeded_context {
    using T = typename D::value_type;
    const T* const* inputs;
    const double* constants;
    const I* indices;
    const T* const* direction;
    template <std::size_t S>
    TAPELESS_INLINE std::size_t index(std::size_t i) const {
        return indices->template index<S>(i);
    }
    TAPELESS_INLINE constexpr D input(std::size_t s, std::size_t i) const {
        D r(inputs[s][i]);
        if (direction[s] != nullptr) set_tangent(r, 0, direction[s][i]);
        return r;
    }
};

// The gradient's type for one argument: shaped like it (a std::vector for a vector or a span).
template <class T, class A>
struct row_gradient_of {
    using type = value_t<T, typename arg_traits<A>::shape>;
};
template <class T, class A>
requires run_time_arg<A>::valid struct row_gradient_of<T, A> {
    using type = std::vector<T>;
};
template <class T, class... Args>
using row_gradient_t = std::conditional_t<
    sizeof...(Args) == 1,
    typename row_gradient_of<T, std::tuple_element_t<0, std::tuple<Args...>>>::type,
    std::tuple<typename row_gradient_of<T, Args>::type...>>;

template <class T, class G>
T* row_gradient_data(G& g, std::size_t n) {
    if constexpr (std::is_arithmetic_v<G>) {
        return &g;
    } else if constexpr (requires { g.resize(n); }) {
        g.resize(n);
        return g.data();
    } else {
        return data_of(g);
    }
}

// One pointer per slot into the gradient G, sized from the inputs.
template <class T, std::size_t Slots, class G>
auto row_gradient_pointers(G& grad, const std::array<std::size_t, (Slots > 0 ? Slots : 1)>& len) {
    std::array<T*, (Slots > 0 ? Slots : 1)> ptr{};
    if constexpr (
        requires { std::tuple_size<G>::value; } && !requires { data_of(grad); }) {
        std::apply(
            [&](auto&... part) {
                std::size_t s = 0;
                ((ptr[s < Slots ? s : 0] = s < Slots ? row_gradient_data<T>(part, len[s]) : nullptr,
                  ++s),
                 ...);
            },
            grad);
    } else {
        ptr[0] = row_gradient_data<T>(grad, len[0]);
    }
    return ptr;
}

// The values and adjoints of the rows of Root, and the head variables' adjoints added into
// gradient (one pointer per slot, zeroed by the caller; nullptr where none is wanted).
template <class Root, class T, class Ctx>
TAPELESS_INLINE void row_gradient_sweeps(const Ctx& ctx, const std::size_t* rows,
                                         T* const* gradient, T* value) {
    constexpr const auto& g = graph::dag_of<Root>;
    constexpr const auto& p = graph::rows_of<Root>;
    row_storage<T, p.storage> s;
    const graph::row_state<T, Ctx> st{s.values.data(), s.adjoints.data(), gradient, rows, ctx};
    s.adjoints[p.offset[0]] = static_cast<T>(1);
    graph::row_value_and_gradient<Root, T>(st, static_cast<const T*>(nullptr));
    *value = s.values[p.offset[0]];
    // the head variables' adjoints (chosen at compile time)
    for_each_index<g.size>([&]<std::size_t D>() TAPELESS_LAMBDA_INLINE {
        constexpr const node_info& n = *g.info[D];
        if constexpr (n.kind == node_kind::variable && n.active &&
                      p.role[D] == graph::row_role::head) {
            T* dst = gradient[n.slot];
            if (dst != nullptr)
                for (std::size_t i = 0; i < n.size; ++i)
                    dst[i] = dst[i] + s.adjoints[p.offset[D] + i];
        }
    });
}

// The arguments of one call bound to Root's slots and checked: the pointers and lengths per slot,
// the gather indices, and each extent group's number of elements (the shape checks run here, once,
// before any sweep). ScalarRoot: the mode needs a scalar f (gradient, hvp, Hessian).
template <class Root, class T, bool ScalarRoot, class... Args>
constexpr bool check_row_call() {
    check_row_arguments<Root, T, Args...>();
    if constexpr (ScalarRoot) require_scalar_output<Root>();
    return true;
}

template <class Root, class T, bool ScalarRoot, class... Args>
struct bound_rows {
    // the static checks first, so that their messages come before anything they would prevent
    static_assert(check_row_call<Root, T, ScalarRoot, Args...>());
    static constexpr std::size_t slots = graph::slot_count<Root>;
    row_inputs<T, slots> in;
    row_indices<Args...> indices;
    decltype(check_rows<Root, T>(in, indices)) rows;

    explicit bound_rows(const Args&... args)
        : in(args...), indices{std::tie(args...)}, rows(check_rows<Root, T>(in, indices)) {}
};

template <class Root, class T, class... Args>
auto rows_value(const double* constants, const Args&... args) {
    const bound_rows<Root, T, false, Args...> bound(args...);
    const auto& in = bound.in;
    const auto& indices = bound.indices;
    const auto& rows = bound.rows;
    constexpr const auto& p = graph::rows_of<Root>;
    row_storage<T, p.storage> s;
    using Ctx = row_context<T, row_indices<Args...>>;
    const Ctx ctx{in.pointer.data(), constants, &indices};
    const graph::row_state<T, Ctx> st{s.values.data(), s.adjoints.data(), nullptr, rows.data(),
                                      ctx};
    using S = typename Root::shape;
    if constexpr (is_dynamic_v<S>) {
        std::vector<T> out(rows[p.group_of(0)]);
        graph::row_forward<Root, T>(st, out.data());
        return out;
    } else {
        graph::row_forward<Root, T>(st, static_cast<T*>(nullptr));
        value_t<T, S> out{};
        if constexpr (S::rank == 0)
            out = s.values[p.offset[0]];
        else
            for (std::size_t i = 0; i < S::size; ++i) data_of(out)[i] = s.values[p.offset[0] + i];
        return out;
    }
}

template <class Root, class T, class... Args>
auto rows_value_and_gradient(const double* constants, const Args&... args) {
    const bound_rows<Root, T, true, Args...> bound(args...);
    constexpr std::size_t slots = graph::slot_count<Root>;
    const auto& in = bound.in;
    const auto& indices = bound.indices;
    const auto& rows = bound.rows;
    using G = row_gradient_t<T, Args...>;
    struct result {
        T value;
        G gradient;
    } r{static_cast<T>(0), G{}};
    auto ptr = row_gradient_pointers<T, slots>(r.gradient, in.length);
    const row_context<T, row_indices<Args...>> ctx{in.pointer.data(), constants, &indices};
    row_gradient_sweeps<Root, T>(ctx, rows.data(), ptr.data(), &r.value);
    return r;
}

// The directions of jvp and hvp, bound to slots like the inputs (d, built from them in place):
// each as long as its input (tl::shape_error otherwise); data slots get none.
template <class Root, class T>
void check_directions(const row_inputs<T, graph::slot_count<Root>>& in,
                      row_inputs<T, graph::slot_count<Root>>& d) {
    constexpr const auto& table = graph::slots_of<Root>;
    for (std::size_t s = 0; s < graph::slot_count<Root>; ++s) {
        if (table.readers[s] == nullptr || !table.readers[s]->active) {
            d.pointer[s] = nullptr;
            continue;
        }
        if (d.length[s] != in.length[s])
            throw shape_error("tapeless: the direction of input " + std::to_string(s) + " (" +
                              variable_label(*table.readers[s]) + ") has " +
                              std::to_string(d.length[s]) + " elements where the input has " +
                              std::to_string(in.length[s]));
    }
}

// The directions of a std::tuple bound in place (a prvalue all the way: row_inputs is not copied).
template <class Root, class T, class... Dirs>
row_inputs<T, graph::slot_count<Root>> bind_directions(const std::tuple<Dirs...>& dirs) {
    static_assert(sizeof...(Dirs) == graph::slot_count<Root> || graph::slot_count<Root> == 0,
                  "tapeless::jvp / tapeless::hvp: give one direction per input");
    return std::apply(
        [](const auto&... ds) { return row_inputs<T, graph::slot_count<Root>>(ds...); }, dirs);
}

// f's directional derivative along the directions: one value sweep on dual<T, 1>.
template <class Root, class T, class... Dirs, class... Args>
auto rows_jvp(const double* constants, const std::tuple<Dirs...>& dirs, const Args&... args) {
    const bound_rows<Root, T, false, Args...> bound(args...);
    const auto& in = bound.in;
    const auto& indices = bound.indices;
    const auto& rows = bound.rows;
    auto d = bind_directions<Root, T>(dirs);
    check_directions<Root, T>(in, d);
    using D = dual<T, 1>;
    constexpr const auto& p = graph::rows_of<Root>;
    row_storage<D, p.storage> s;
    using Ctx = row_seeded_context<D, row_indices<Args...>>;
    const Ctx ctx{in.pointer.data(), constants, &indices, d.pointer.data()};
    const graph::row_state<D, Ctx> st{s.values.data(), s.adjoints.data(), nullptr, rows.data(),
                                      ctx};
    using S = typename Root::shape;
    if constexpr (is_dynamic_v<S>) {
        std::vector<D> y(rows[p.group_of(0)]);
        graph::row_forward<Root, D>(st, y.data());
        std::vector<T> out(y.size());
        for (std::size_t i = 0; i < y.size(); ++i) out[i] = y[i].d[0];
        return out;
    } else {
        graph::row_forward<Root, D>(st, static_cast<D*>(nullptr));
        value_t<T, S> out{};
        if constexpr (S::rank == 0)
            out = s.values[p.offset[0]].d[0];
        else
            for (std::size_t i = 0; i < S::size; ++i)
                data_of(out)[i] = s.values[p.offset[0] + i].d[0];
        return out;
    }
}

// H · v: the gradient sweeps on dual<T, 1>, the inputs' tangents the directions (forward over
// reverse). The result is shaped like the gradient.
template <class Root, class T, class... Dirs, class... Args>
auto rows_hvp(const double* constants, const std::tuple<Dirs...>& dirs, const Args&... args) {
    const bound_rows<Root, T, true, Args...> bound(args...);
    constexpr std::size_t slots = graph::slot_count<Root>;
    const auto& in = bound.in;
    const auto& indices = bound.indices;
    const auto& rows = bound.rows;
    auto d = bind_directions<Root, T>(dirs);
    check_directions<Root, T>(in, d);
    using D = dual<T, 1>;
    std::size_t total = 0;
    for (std::size_t k = 0; k < slots; ++k) total += in.length[k];
    std::vector<D> hv(total);
    std::array<D*, (slots > 0 ? slots : 1)> ptr{};
    for (std::size_t k = 0, at = 0; k < slots; at += in.length[k], ++k) ptr[k] = hv.data() + at;
    const row_seeded_context<D, row_indices<Args...>> ctx{in.pointer.data(), constants, &indices,
                                                          d.pointer.data()};
    D value{};
    row_gradient_sweeps<Root, D>(ctx, rows.data(), ptr.data(), &value);
    using G = row_gradient_t<T, Args...>;
    G out{};
    auto dst = row_gradient_pointers<T, slots>(out, in.length);
    for (std::size_t k = 0; k < slots; ++k)
        for (std::size_t i = 0; i < in.length[k]; ++i) dst[k][i] = ptr[k][i].d[0];
    return out;
}

// Forward mode's context on dual<T, K> for a chunk of K active input elements: the active
// element base + k (numbered in slot order, first[s] the number of slot s's element 0, npos for
// a slot without one) has tangent k equal to 1, every other element zero tangents.
template <class D, class I>
struct row_chunk_context {
    using T = typename D::value_type;
    const T* const* inputs;
    const double* constants;
    const I* indices;
    const std::size_t* first;
    std::size_t base;
    template <std::size_t S>
    TAPELESS_INLINE std::size_t index(std::size_t i) const {
        return indices->template index<S>(i);
    }
    TAPELESS_INLINE constexpr D input(std::size_t s, std::size_t i) const {
        D r(inputs[s][i]);
        if (first[s] != graph::npos) {
            const std::size_t k = first[s] + i - base; // wraps for elements before the chunk
            if (k < D::tangent_count) set_tangent(r, k, static_cast<T>(1));
        }
        return r;
    }
};

// The number of each slot's element 0 among the active input elements, and their count.
template <class Root, class T>
auto active_firsts(const row_inputs<T, graph::slot_count<Root>>& in) {
    constexpr const auto& table = graph::slots_of<Root>;
    std::array<std::size_t, (graph::slot_count<Root> > 0 ? graph::slot_count<Root> : 1)> first{};
    std::size_t m = 0;
    for (std::size_t s = 0; s < graph::slot_count<Root>; ++s) {
        if (table.readers[s] == nullptr || !table.readers[s]->active) {
            first[s] = graph::npos;
        } else {
            first[s] = m;
            m += in.length[s];
        }
    }
    return std::pair{first, m};
}

// The width of forward mode's chunks on run-time rows: ceil(m / 8) sweeps for m active elements.
inline constexpr std::size_t row_chunk = 8;

// The gradient in forward mode: value sweeps on dual<T, 8>, eight active elements at a time (as
// ForwardDiff.jl chunks), shaped like the inputs (data and indices zero).
template <class Root, class T, class... Args>
auto rows_forward_gradient(const double* constants, const Args&... args) {
    const bound_rows<Root, T, true, Args...> bound(args...);
    constexpr std::size_t slots = graph::slot_count<Root>;
    const auto& in = bound.in;
    const auto& indices = bound.indices;
    const auto& rows = bound.rows;
    const auto [first, m] = active_firsts<Root, T>(in);
    using D = dual<T, row_chunk>;
    using G = row_gradient_t<T, Args...>;
    struct result {
        T value;
        G gradient;
    } r{static_cast<T>(0), G{}};
    auto ptr = row_gradient_pointers<T, slots>(r.gradient, in.length);
    constexpr const auto& p = graph::rows_of<Root>;
    using Ctx = row_chunk_context<D, row_indices<Args...>>;
    for (std::size_t base = 0; base < m || base == 0; base += row_chunk) {
        row_storage<D, p.storage> s;
        const Ctx ctx{in.pointer.data(), constants, &indices, first.data(), base};
        const graph::row_state<D, Ctx> st{s.values.data(), s.adjoints.data(), nullptr, rows.data(),
                                          ctx};
        graph::row_forward<Root, D>(st, static_cast<D*>(nullptr));
        const D y = s.values[p.offset[0]];
        r.value = y.v;
        for (std::size_t k = 0; k < slots; ++k) {
            if (first[k] == graph::npos) continue;
            for (std::size_t i = 0; i < in.length[k]; ++i) {
                const std::size_t j = first[k] + i;
                if (j >= base && j < base + row_chunk) ptr[k][i] = y.d[j - base];
            }
        }
        if (m == 0) break;
    }
    return r;
}

// The value, the gradient and the dense Hessian over the m active input elements (in slot order,
// each input row-major; data and indices have no entries): forward over reverse on
// dual<T, 8>, eight columns per sweep pair.
template <class T>
struct rows_hessian_result {
    T value;
    std::vector<T> gradient;
    std::vector<std::vector<T>> hessian;
};

template <class Root, class T, class... Args>
auto rows_hessian(const double* constants, const Args&... args) {
    const bound_rows<Root, T, true, Args...> bound(args...);
    constexpr std::size_t slots = graph::slot_count<Root>;
    const auto& in = bound.in;
    const auto& indices = bound.indices;
    const auto& rows = bound.rows;
    const auto [first, m] = active_firsts<Root, T>(in);
    using D = dual<T, row_chunk>;
    rows_hessian_result<T> r{static_cast<T>(0), std::vector<T>(m),
                             std::vector<std::vector<T>>(m, std::vector<T>(m))};
    std::vector<D> grad(m);
    std::array<D*, (slots > 0 ? slots : 1)> ptr{};
    for (std::size_t k = 0; k < slots; ++k)
        if (first[k] != graph::npos) ptr[k] = grad.data() + first[k];
    using Ctx = row_chunk_context<D, row_indices<Args...>>;
    for (std::size_t base = 0; base < m; base += row_chunk) {
        for (auto& x : grad) x = D(static_cast<T>(0));
        const Ctx ctx{in.pointer.data(), constants, &indices, first.data(), base};
        D value{};
        row_gradient_sweeps<Root, D>(ctx, rows.data(), ptr.data(), &value);
        r.value = value.v;
        for (std::size_t i = 0; i < m; ++i) {
            r.gradient[i] = grad[i].v;
            for (std::size_t k = 0; k < row_chunk && base + k < m; ++k)
                r.hessian[i][base + k] = grad[i].d[k];
        }
    }
    return r;
}

} // namespace detail

// The gradient of a scalar f with respect to its variables' elements, written into out: the
// variables in slot order, each row-major (data inputs have no entries). out must have exactly
// that many elements (tl::shape_error otherwise). Allocates nothing.
template <Expression F, class Out, class... Args>
auto gradient_into(Out&& out, const F& f, const Args&... args) {
    using Root = node_of<F>;
    using T = detail::row_element_t<Args...>;
    const detail::bound_rows<Root, T, true, Args...> bound(args...);
    constexpr std::size_t slots = graph::slot_count<Root>;
    const auto& in = bound.in;
    const auto& indices = bound.indices;
    const auto& rows = bound.rows;
    std::span<T> dst(out);
    constexpr const auto& table = graph::slots_of<Root>;
    std::array<T*, (slots > 0 ? slots : 1)> ptr{};
    std::size_t needed = 0;
    for (std::size_t s = 0; s < slots; ++s)
        if (table.readers[s] != nullptr && table.readers[s]->active) needed += in.length[s];
    if (dst.size() != needed)
        throw shape_error("tapeless::gradient_into: the output has " + std::to_string(dst.size()) +
                          " elements where the variables have " + std::to_string(needed));
    std::size_t at = 0;
    for (std::size_t s = 0; s < slots; ++s) {
        if (table.readers[s] == nullptr || !table.readers[s]->active) continue;
        ptr[s] = dst.data() + at;
        at += in.length[s];
    }
    for (auto& x : dst) x = static_cast<T>(0);
    T value{};
    const detail::row_context<T, detail::row_indices<Args...>> ctx{in.pointer.data(),
                                                                   f.consts.data(), &indices};
    detail::row_gradient_sweeps<Root, T>(ctx, rows.data(), ptr.data(), &value);
    return value;
}

} // namespace tapeless

#endif
