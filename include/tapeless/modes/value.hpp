// tapeless/modes/value.hpp — tl::value(f, inputs...): evaluate an expression or a callable.
//
//   tl::value(f, std::array{2.0, 3.0})   every variable scalar: element i is input slot i
//   tl::value(f, w, b, x)                one argument per slot, shaped like its variable
//   tl::value([](auto x, auto z) { return exp(x * z); }, p)   traced with variable handles
// The scalar type is the arguments' (double, float, long double). Each unique node is computed
// once, children first, in storage laid out at compile time.
#ifndef TAPELESS_MODES_VALUE_HPP
#define TAPELESS_MODES_VALUE_HPP

#include <array>
#include <concepts>
#include <cstddef>
#include <memory>
#include <utility>

#include "../graph/fused.hpp"
#include "inputs.hpp"
#include "rows.hpp"

namespace tapeless {

namespace detail {

// Node values (and adjoints) live on the stack up to this many bytes per buffer, beyond it on the
// heap. 16 KB: a sweep keeps two buffers, so at most 32 KB of an 8 MB stack, and the expressions
// measured in bench/ stay off the heap (at 4 KB the gradient of Rosenbrock-100 allocated its
// storage on every call and measured clearly slower, bench_gradient, g++ 12 -O3 -march=native).
inline constexpr std::size_t stack_storage_limit = 4 * small_bytes_limit;

// Not initialised: the value sweep writes every node before any node reads it, and adjoint
// storage is zeroed by its user (zero_fill).
template <class T, std::size_t N, bool = (N * sizeof(T) <= stack_storage_limit)>
struct node_storage {
    std::array<T, (N > 0 ? N : 1)> values;
    constexpr T* data() { return values.data(); }
};
template <class T, std::size_t N>
struct node_storage<T, N, false> {
    std::unique_ptr<T[]> values{new T[N]};
    T* data() { return values.get(); }
};

template <class T>
constexpr void zero_fill(T* p, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) p[i] = static_cast<T>(0);
}

// Checks the arguments against the expression's input slots; true when they bind flat.
template <class Root, class... Args>
constexpr bool check_arguments() {
    static_assert(!graph::has_dynamic<Root>,
                  "tapeless: this mode does not take expressions with run-time rows "
                  "(tl::dynamic) yet: tl::value, tl::gradient, tl::value_and_gradient, "
                  "tl::gradient_into, tl::jvp, tl::hvp, tl::hessian, "
                  "tl::value_gradient_and_hessian and tl::cost_at do");
    static_assert(all_valid_args<Args...>,
                  "tapeless: each input must be a number, a std::array of numbers or a "
                  "tapeless::mat of numbers");
    check_one_variable_per_slot<Root>();
    constexpr std::size_t slots = graph::slot_count<Root>;
    constexpr bool flat = is_flat<Root, Args...>();
    if constexpr (flat) {
        constexpr std::size_t given = arg_traits<
            std::remove_cvref_t<std::tuple_element_t<0, std::tuple<Args...>>>>::shape::size;
        check_input_count<slots, given>();
        check_extra_inputs<given, graph::declared_inputs<Root>>();
    } else {
        check_input_count<slots, sizeof...(Args)>();
        check_extra_inputs<sizeof...(Args), graph::declared_inputs<Root>>();
        const auto expand = [&]<std::size_t... I>(std::index_sequence<I...>) {
            (check_slot_shape<Root, I, std::remove_cvref_t<Args>>(), ...);
        };
        expand(std::index_sequence_for<Args...>{});
    }
    return flat;
}

// The root's value (a number or an array of root's shape) after a fused value sweep. Inlined: it
// may compute the root itself (graph::root_read_through).
template <class Root, bool ForReverse, class Ctx>
TAPELESS_INLINE constexpr auto fused_result(const Ctx& c) {
    using T = typename Ctx::value_type;
    using S = typename Root::shape;
    value_t<T, S> out{};
    if constexpr (S::rank == 0) {
        out = graph::fused_root<Root, ForReverse>(c, 0);
    } else {
        auto* dst = data_of(out);
        for (std::size_t i = 0; i < S::size; ++i)
            dst[i] = graph::fused_root<Root, ForReverse>(c, i);
    }
    return out;
}

template <class Root, class T, bool Flat, class... Args>
constexpr auto evaluate(const double* constants, const Args&... args) {
    constexpr auto& g = graph::dag_of<Root>;
    constexpr std::size_t slots = graph::slot_count<Root>;
    const input_values<T, Args...> in(args...);
    const auto ptrs = in.template pointers<Flat, slots>();
    node_storage<T, g.storage> s;
    const graph::fused_context<T> c{s.data(), ptrs.data(), constants};
    graph::run_values<Root, false>(c);
    return fused_result<Root, false>(c);
}

template <class A>
using arg_shape_t = typename arg_traits<std::remove_cvref_t<A>>::shape;

template <class R>
inline constexpr bool returns_expression = Expression<R>;

template <class... Args>
using first_t = std::remove_cvref_t<std::tuple_element_t<0, std::tuple<Args...>>>;

template <class F, std::size_t... I>
constexpr bool invocable_with_scalars(std::index_sequence<I...>) {
    return std::invocable<const F&, decltype(variable<I>)...>;
}
template <class F, class... Args, std::size_t... I>
constexpr bool invocable_with_slots(std::index_sequence<I...>) {
    return std::invocable<const F&, decltype(variable<I, arg_shape_t<Args>>)...>;
}

// A callable is traced by calling it with variable handles: with N scalar variables when it gets
// one std::array<T, N> (and accepts N arguments), else with one variable per argument.
template <class F, class... Args>
struct tracer {
    static constexpr bool is_flat() {
        if constexpr (sizeof...(Args) == 1 && all_valid_args<Args...>) {
            using S = arg_shape_t<first_t<Args...>>;
            if constexpr (S::rank == 1)
                return invocable_with_scalars<F>(std::make_index_sequence<S::size>{});
            else
                return false;
        } else {
            return false;
        }
    }
    static constexpr bool can_trace() {
        if constexpr (!all_valid_args<Args...>)
            return false;
        else if constexpr (is_flat())
            return true;
        else
            return invocable_with_slots<F, Args...>(std::index_sequence_for<Args...>{});
    }
    static constexpr auto trace(const F& f) {
        if constexpr (is_flat()) {
            // one input per parameter, used or not (name::group)
            const auto expand = [&]<std::size_t... I>(std::index_sequence<I...>) {
                return f(variable<I, scalar, detail::grouped(name{}, sizeof...(I))>...);
            };
            return expand(std::make_index_sequence<arg_shape_t<first_t<Args...>>::size>{});
        } else {
            const auto expand = [&]<std::size_t... I>(std::index_sequence<I...>) {
                return f(
                    variable<I, arg_shape_t<Args>, detail::grouped(name{}, sizeof...(Args))>...);
            };
            return expand(std::index_sequence_for<Args...>{});
        }
    }
};

template <class F, class... Args>
concept Traceable = tracer<F, Args...>::can_trace() &&
    Expression<decltype(tracer<F, Args...>::trace(std::declval<const F&>()))>;

template <class>
inline constexpr bool dependent_false = false;

} // namespace detail

// The value of f at the inputs: a number for a scalar expression, std::array<T, N> for a vector,
// tapeless::mat<T, R, C> for a matrix.
template <class F, class... Args>
constexpr auto value(const F& f, const Args&... args) {
    if constexpr (detail::has_rows<F>()) {
        using T = detail::row_element_t<Args...>;
        return detail::rows_value<node_of<F>, T>(f.consts.data(), args...);
    } else if constexpr (Expression<F>) {
        using Root = node_of<F>;
        constexpr bool flat = detail::check_arguments<Root, Args...>();
        using T = detail::common_element_t<Args...>;
        return detail::evaluate<Root, T, flat>(f.consts.data(), args...);
    } else if constexpr (detail::Traceable<F, Args...>) {
        return tapeless::value(detail::tracer<F, Args...>::trace(f), args...);
    } else if constexpr (std::invocable<const F&, const Args&...>) {
        return f(args...);
    } else {
        static_assert(detail::dependent_false<F>,
                      "tapeless::value(f, inputs...): f must be a tapeless expression, or a "
                      "callable that builds one from variables (or computes from the inputs)");
    }
}

} // namespace tapeless

#endif
