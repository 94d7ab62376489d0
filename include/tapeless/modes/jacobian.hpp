// tapeless/modes/jacobian.hpp — Jacobians, in forward or reverse mode, chosen by cost.
//
//   auto J = tl::jacobian(tl::outputs(f1, f2, f3), p);   // J[i][j] = ∂f_i/∂x_j
//   auto J = tl::jacobian(F, p, tl::reverse_mode);        // force a mode
// F has m outputs (a vector, or a scalar: m = 1) and the inputs n elements (one flat array of
// scalars, or one vector-shaped input). Forward mode is one value sweep on dual<T, n>: all n
// columns at once. Reverse mode is one value sweep and m reverse sweeps, one per row. The choice
// compares the work each needs in the cost model (modes/cost.hpp:
// tl::recommended_jacobian_mode).
#ifndef TAPELESS_MODES_JACOBIAN_HPP
#define TAPELESS_MODES_JACOBIAN_HPP

#include <array>
#include <cstddef>
#include <type_traits>

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
template <class Mode, class F, class P>
constexpr auto jacobian_with(const F& f, const P& p) {
    using Root = node_of<F>;
    constexpr bool flat = check_arguments<Root, P>();
    using T = common_element_t<P>;
    constexpr std::size_t n = arg_shape_t<P>::size;
    constexpr std::size_t m = Root::shape::size;
    std::array<std::array<T, n>, m> J{};
    using Chosen = std::conditional_t<std::is_void_v<Mode>, recommended_jacobian_mode_t<F, n>, Mode>;
    constexpr bool forward = std::is_same_v<Chosen, forward_mode_t>;
    if constexpr (forward) {
        const auto y = dual_sweep<Root, T, n, flat>(
            f.consts.data(), [](std::size_t j, std::size_t k) { return static_cast<T>(j == k ? 1 : 0); }, p);
        if constexpr (Root::shape::rank == 0) { // (a vector<1> result is an array of one dual)
            for (std::size_t j = 0; j < n; ++j) J[0][j] = y.d[j];
        } else {
            for (std::size_t i = 0; i < m; ++i)
                for (std::size_t j = 0; j < n; ++j) J[i][j] = y[i].d[j];
        }
    } else {
        // One value sweep, then one reverse sweep per output with its seed e_i, the adjoints of
        // the variables added straight into row i.
        constexpr const auto& g = graph::dag_of<Root>;
        constexpr std::size_t slots = graph::slot_count<Root>;
        const input_values<T, P> in(p);
        const auto ptrs = in.template pointers<flat, slots>();
        node_storage<T, g.storage> values, adjoints;
        std::array<T*, (slots > 0 ? slots : 1)> rows{};
        const graph::fused_context<T> c{values.data(), ptrs.data(), f.consts.data(), adjoints.data(), rows.data()};
        graph::run_values<Root, true>(c);
        std::array<T, m> seed{};
        for (std::size_t i = 0; i < m; ++i) {
            for (std::size_t s = 0; s < slots; ++s) rows[s] = J[i].data() + (flat ? s : 0);
            seed[i] = static_cast<T>(1);
            graph::run_adjoints<Root>(c, seed.data());
            seed[i] = static_cast<T>(0);
        }
    }
    return J;
}
} // namespace detail

// The m × n Jacobian of f at the inputs, as rows: J[i][j] = ∂f_i/∂x_j. A trailing
// tl::forward_mode or tl::reverse_mode forces the mode; otherwise the cheaper one is used.
template <class F, class... Xs>
constexpr auto jacobian(const F& f, const Xs&... xs) {
    static_assert(Expression<F>, "tapeless::jacobian(F, inputs): F must be a tapeless expression "
                                 "(use tl::outputs(f1, ..., fm) for several outputs)");
    static_assert(sizeof...(Xs) == 1 || sizeof...(Xs) == 2,
                  "tapeless::jacobian(F, inputs[, mode]): the inputs are one flat array of "
                  "scalars or one vector");
    if constexpr (sizeof...(Xs) == 2) {
        const auto all = std::forward_as_tuple(xs...);
        using Mode = std::remove_cvref_t<std::tuple_element_t<1, std::tuple<Xs...>>>;
        static_assert(detail::is_mode_v<Mode>, "tapeless::jacobian: the third argument must be "
                                               "tl::forward_mode or tl::reverse_mode");
        return detail::jacobian_with<Mode>(f, std::get<0>(all));
    } else {
        return detail::jacobian_with<void>(f, xs...);
    }
}

} // namespace tapeless

#endif
