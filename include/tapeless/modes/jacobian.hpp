// tapeless/modes/jacobian.hpp — Jacobians, in forward or reverse mode, chosen by cost.
//
//   auto J = tl::jacobian(tl::outputs(f1, f2, f3), p);   // J[i][j] = ∂f_i/∂x_j
//   auto J = tl::jacobian(F, p, tl::reverse_mode);        // force a mode
// F has m outputs (a vector, or a scalar: m = 1); the inputs bind as in tl::gradient (one flat
// array of scalars, or one argument per slot, tl::data included), and the n columns are the
// variables' elements (data left out) in the gradient's order. Forward mode is one value sweep on
// dual<T, n>: all n columns at once. Reverse mode is one value sweep and m reverse sweeps, one per
// row. The choice compares the work each needs in the cost model (modes/cost.hpp:
// tl::recommended_jacobian_mode).
#ifndef TAPELESS_MODES_JACOBIAN_HPP
#define TAPELESS_MODES_JACOBIAN_HPP

#include <array>
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include "cost.hpp"
#include "gradient.hpp"

namespace tapeless {

// Whether forward mode is the cheaper for the Jacobian of F with InputCount input elements
// (tl::recommended_jacobian_mode in modes/cost.hpp says which, with its reasons).
template <Expression F, std::size_t InputCount>
constexpr bool forward_is_cheaper() {
    return forward_mode_recommended<F, InputCount>();
}

namespace detail {
// Where each slot's element 0 goes in a row of the Jacobian: its index among the active elements.
template <class Root, bool Flat, class... Args>
constexpr auto slot_columns() {
    constexpr std::size_t slots = graph::slot_count<Root>;
    constexpr std::size_t n = input_size<Args...>;
    constexpr auto first = slot_firsts<Flat, slots, Args...>();
    const auto& data = data_elements_v<Root, Flat, Args...>;
    std::array<std::size_t, (slots > 0 ? slots : 1)> c{};
    for (std::size_t s = 0; s < slots; ++s) {
        std::size_t k = 0;
        for (std::size_t j = 0; j < first[s] && j < n; ++j)
            if (!data[j]) ++k;
        c[s] = k;
    }
    return c;
}

// Forward mode's seed for the Jacobian: input element j's tangent k is 1 where j is active
// element k (tl::data is left out), else 0.
template <class T, class Root, bool Flat, class... Args>
struct unit_tangents {
    constexpr T operator()(std::size_t j, std::size_t k) const {
        if constexpr (active_count<Root, Flat, Args...> == input_size<Args...>)
            return static_cast<T>(j == k ? 1 : 0);
        else
            return static_cast<T>(j == active_elements_v<Root, Flat, Args...>[k] ? 1 : 0);
    }
};

// Inlined, as are dispatch_jacobian_mode and jacobian: returned from a call, J was written by the
// callee's vector and scalar stores and read by the caller's wider loads (failed store forwards:
// forward mode's 3x3 Lorenz Jacobian measured several times slower, bench_gradient).
template <class Mode, class F, class... Args>
TAPELESS_INLINE constexpr auto jacobian_with(const F& f, const Args&... args) {
    using Root = node_of<F>;
    constexpr bool flat = check_arguments<Root, Args...>();
    using T = common_element_t<Args...>;
    constexpr std::size_t n = input_size<std::remove_cvref_t<Args>...>;
    // The columns are the active input elements (not tl::data), in the gradient's order.
    constexpr const auto& active = active_elements_v<Root, flat, std::remove_cvref_t<Args>...>;
    constexpr std::size_t na = active.size();
    constexpr std::size_t m = Root::shape::size;
    row_matrix<T, m, na> J{};
    // Forward mode returns the m outputs as dual<T, n> numbers from its sweep; beyond a few KB of
    // them the default is reverse mode, whose rows go straight into the (heap) result.
    constexpr bool forward_fits = m * sizeof(dual<T, na>) <= small_bytes_limit;
    using Chosen = std::conditional_t<
        std::is_void_v<Mode>,
        std::conditional_t<forward_fits, recommended_jacobian_mode_t<F, na>, reverse_mode_t>, Mode>;
    constexpr bool forward = std::is_same_v<Chosen, forward_mode_t>;
    bool nan = false;
    if constexpr (forward) {
        const auto y = dual_sweep<Root, T, na, flat>(
            f.consts.data(), unit_tangents<T, Root, flat, std::remove_cvref_t<Args>...>{}, args...);
        if constexpr (Root::shape::rank == 0) { // (a vector<1> result is an array of one dual)
            for (std::size_t j = 0; j < na; ++j) J[0][j] = noting_nan(y.d[j], nan);
        } else {
            // Unrolled early: g++ unrolls only nested loops early by itself, and y[i] with i a
            // variable kept y's duals in memory (stored as scalars, read back as vectors).
            TAPELESS_UNROLL
            for (std::size_t i = 0; i < m; ++i)
                for (std::size_t j = 0; j < na; ++j) J[i][j] = noting_nan(data_of(y)[i].d[j], nan);
        }
    } else {
        // One value sweep, then one reverse sweep per output with its seed e_i, the adjoints of
        // the variables added straight into row i (a data slot's, which stay zero, into scratch).
        constexpr const auto& g = graph::dag_of<Root>;
        constexpr std::size_t slots = graph::slot_count<Root>;
        constexpr auto first = slot_firsts<flat, slots, std::remove_cvref_t<Args>...>();
        constexpr const auto& data = data_elements_v<Root, flat, std::remove_cvref_t<Args>...>;
        constexpr auto column = slot_columns<Root, flat, std::remove_cvref_t<Args>...>();
        const input_values<T, Args...> in(args...);
        const auto ptrs = in.template pointers<flat, slots>();
        node_storage<T, g.storage> values, adjoints;
        [[maybe_unused]] small_buffer<T, (na == n ? 1 : n)> scratch{};
        std::array<T*, (slots > 0 ? slots : 1)> rows{};
        const graph::fused_context<T> c{values.data(), ptrs.data(), f.consts.data(),
                                        adjoints.data(), rows.data()};
        graph::run_values<Root, true>(c);
        small_buffer<T, m> seed{};
        for (std::size_t i = 0; i < m; ++i) {
            for (std::size_t s = 0; s < slots; ++s) {
                if constexpr (na == n)
                    rows[s] = J[i].data() + column[s];
                else
                    rows[s] =
                        first[s] < n && data[first[s]] ? scratch.data() : J[i].data() + column[s];
            }
            seed[i] = static_cast<T>(1);
            graph::run_adjoints<Root>(c, seed.data());
            seed[i] = static_cast<T>(0);
        }
    }
    // Where forward mode's J holds a NaN, it is taken from the sweep on tracked duals
    // (numbers/tracked_dual.hpp), which forms no product of a partial with a tangent that is zero
    // by structure (input i's tangent along input j). Reverse mode keeps IEEE arithmetic: row i's
    // sweep also passes the other outputs' zero adjoints back through their partials, NaN at an
    // infinite one (∂/∂b (a/b) at b = 0 in another output's row); testing its rows read back what
    // the sweep had just stored and made the 3x3 Jacobians measurably slower (bench_gradient; the
    // NaN this leaves: docs/edge-cases.md).
    if constexpr (forward && std::is_floating_point_v<T>) {
        if (nan) [[unlikely]] {
            const auto y = dual_sweep_tracked<Root, T, na, flat>(
                f.consts.data(), unit_tangents<T, Root, flat, std::remove_cvref_t<Args>...>{},
                args...);
            for (std::size_t i = 0; i < m; ++i)
                for (std::size_t j = 0; j < na; ++j) {
                    if constexpr (Root::shape::rank == 0)
                        J[i][j] = y.d[j];
                    else
                        J[i][j] = data_of(y)[i].d[j];
                }
        }
    }
    return J;
}

// Named so that the failing instantiation shows the argument's type:
// check_jacobian_last_argument<X>.
template <class X>
constexpr void check_jacobian_last_argument() {
    TAPELESS_REQUIRE(
        arg_traits<X>::valid || is_mode_v<X>,
        "tapeless::jacobian(F, inputs..., mode): the last argument is neither an input "
        "(a number, a std::array or a tapeless::mat of numbers) nor a mode: the mode "
        "must be tl::forward_mode or tl::reverse_mode");
}

template <class F, class... Xs>
TAPELESS_INLINE constexpr auto dispatch_jacobian_mode(const F& f, const Xs&... xs) {
    if constexpr (sizeof...(Xs) > 0 && split_mode<Xs...>::has_mode) {
        using Mode =
            std::remove_cvref_t<std::tuple_element_t<sizeof...(Xs) - 1, std::tuple<Xs...>>>;
        const auto expand = [&]<std::size_t... I>(std::index_sequence<I...>)
            TAPELESS_LAMBDA_INLINE {
            const auto all = std::forward_as_tuple(xs...);
            return jacobian_with<Mode>(f, std::get<I>(all)...);
        };
        return expand(std::make_index_sequence<sizeof...(Xs) - 1>{});
    } else {
        return jacobian_with<void>(f, xs...);
    }
}
} // namespace detail

// The m × n Jacobian of f at the inputs, as rows: J[i][j] = ∂f_i/∂x_j, x_j the j-th active input
// element (tl::data left out) in the order of the gradient. The inputs bind as in tl::gradient (one
// flat array of scalars, or one argument per slot). A trailing tl::forward_mode or
// tl::reverse_mode forces the mode; otherwise the cheaper one is used. The result is a
// tl::row_matrix<T, m, n> (in place when small, on the heap when large).
template <class F, class... Xs>
TAPELESS_INLINE constexpr auto jacobian(const F& f, const Xs&... xs) {
    static_assert(Expression<F>, "tapeless::jacobian(F, inputs): F must be a tapeless expression "
                                 "(use tl::outputs(f1, ..., fm) for several outputs)");
    if constexpr (sizeof...(Xs) > 0) {
        using Last =
            std::remove_cvref_t<std::tuple_element_t<sizeof...(Xs) - 1, std::tuple<Xs...>>>;
        if constexpr (!detail::arg_traits<Last>::valid && !detail::is_mode_v<Last>) {
            detail::check_jacobian_last_argument<Last>();
            return 0; // (not reached: the check fails to compile)
        } else {
            return detail::dispatch_jacobian_mode(f, xs...);
        }
    } else {
        return detail::dispatch_jacobian_mode(f, xs...);
    }
}

} // namespace tapeless

#endif
