// tapeless/modes/taylor_coefficients.hpp — Taylor mode: the Taylor coefficients of an expression
// along a line, by one value sweep on taylor<T, K> numbers (numbers/taylor.hpp).
//
//   auto c = tl::taylor_coefficients<5>(f, p, dir);   // f(p + t dir) = Σ_{k ≤ 5} c[k] t^k + O(t⁶)
//
#ifndef TAPELESS_MODES_TAYLOR_COEFFICIENTS_HPP
#define TAPELESS_MODES_TAYLOR_COEFFICIENTS_HPP

#include <array>
#include <cstddef>
#include <tuple>
#include <type_traits>

#include "../core/expr.hpp"
#include "../numbers/taylor.hpp"
#include "../numbers/tracked_series.hpp"
#include "gradient.hpp"

namespace tapeless {

namespace detail {

// One value sweep on taylor<C, K>: input element j is the line p_j + t·dir_j. C is T, or
// tracked_coefficient<T> (numbers/tracked_series.hpp), whose zero direction components are
// structural zeros.
template <class Root, class T, std::size_t K, bool Flat, class C = T, class... Args>
constexpr auto taylor_sweep(const double* constants, const T* dir, const Args&... args) {
    using X = taylor<C, K>;
    constexpr const auto& g = graph::dag_of<Root>;
    constexpr std::size_t slots = graph::slot_count<Root>;
    input_values<X, Args...> in(args...);
    std::size_t j = 0;
    // (data elements, tl::data, stay fixed)
    constexpr const auto& data = data_elements_v<Root, Flat, std::remove_cvref_t<Args>...>;
    auto seed = [&](auto& v) {
        auto [ptr, n] = elements_of(v);
        for (std::size_t i = 0; i < n; ++i, ++j)
            if constexpr (K > 0) {
                if constexpr (std::is_same_v<C, T>)
                    ptr[i].c[1] = data[j] ? T(0) : dir[j];
                else
                    ptr[i].c[1] = data[j] || dir[j] == T(0) ? C{} : C(dir[j]);
            }
    };
    std::apply([&](auto&... v) { (seed(v), ...); }, in.values);
    const auto ptrs = in.template pointers<Flat, slots>();
    node_storage<X, g.storage> values;
    graph::forward_values<Root>(values.data(), graph::sweep_context<X>{ptrs.data(), constants});
    return root_value<Root, X, value_t<X, typename Root::shape>>(values.data());
}

// Whether a coefficient c_1..c_K of a Taylor sweep's result (one number or an array) is NaN, one
// coefficient at a time (any_nan in gradient.hpp). An OR over all of them measured the same: what
// this test costs order 5 of one variable (docs/benchmarks.md, Gradients, the second try) is not in
// how it reads them.
template <class Root, class Y>
constexpr bool coefficients_have_nan(const Y& y) {
    if constexpr (Root::shape::rank == 0) {
        return any_nan(y.c.data() + 1, y.c.size() - 1);
    } else {
        for (std::size_t i = 0; i < Root::shape::size; ++i)
            if (any_nan(data_of(y)[i].c.data() + 1, data_of(y)[i].c.size() - 1)) return true;
        return false;
    }
}

// The Taylor sweep again on tracked coefficients, its result as plain Taylor numbers: taken only
// where the plain sweep gave a NaN coefficient.
template <class Root, class T, std::size_t K, bool Flat, class... Args>
[[gnu::cold]] [[gnu::noinline]] constexpr auto
taylor_sweep_tracked(const double* constants, const T* dir, const Args&... args) {
    const auto y = taylor_sweep<Root, T, K, Flat, tracked_coefficient<T>>(constants, dir, args...);
    auto plain = [](const taylor<tracked_coefficient<T>, K>& x) {
        taylor<T, K> r;
        for (std::size_t k = 0; k <= K; ++k) r.c[k] = x.c[k].v;
        return r;
    };
    if constexpr (Root::shape::rank == 0) {
        return plain(y);
    } else {
        value_t<taylor<T, K>, typename Root::shape> r;
        for (std::size_t i = 0; i < Root::shape::size; ++i) data_of(r)[i] = plain(data_of(y)[i]);
        return r;
    }
}

// Whether coefficient 1 of a Taylor sweep's result (one number or an array of them) is NaN or
// infinite (x − x is NaN exactly then).
template <class Root, class Y>
constexpr bool c1_not_finite(const Y& y) {
    if constexpr (Root::shape::rank == 0) {
        return y.c[1] - y.c[1] != y.c[1] - y.c[1];
    } else {
        bool bad = false;
        for (std::size_t i = 0; i < Root::shape::size; ++i) {
            const auto& c1 = data_of(y)[i].c[1];
            bad |= c1 - c1 != c1 - c1;
        }
        return bad;
    }
}

// Coefficient 1 of each element set to the tangent of the matching dual number.
template <class Root, class Y, class D>
constexpr void replace_c1(Y& y, const D& jvp) {
    if constexpr (Root::shape::rank == 0) {
        y.c[1] = jvp.d[0];
    } else {
        for (std::size_t i = 0; i < Root::shape::size; ++i)
            data_of(y)[i].c[1] = data_of(jvp)[i].d[0];
    }
}

// A Taylor sweep's result as taylor_coefficients returns it: c_0..c_K of a scalar, or of each
// element of an array.
template <class Root, class T, std::size_t K, class Y>
constexpr auto coefficients_of(const Y& y) {
    if constexpr (Root::shape::rank == 0) {
        return y.c;
    } else {
        std::array<std::array<T, K + 1>, Root::shape::size> out{};
        for (std::size_t i = 0; i < Root::shape::size; ++i) out[i] = data_of(y)[i].c;
        return out;
    }
}

// taylor_coefficients where the plain sweep gave a NaN coefficient or a c_1 that is not finite:
// the sweep again on tracked coefficients (numbers/tracked_series.hpp), which form no product with
// a structural zero; and c_1, the directional derivative, where the recurrences still made it NaN
// or infinite (a zero coefficient times an infinite one, a division by a denormal x_0), from
// forward mode's sweep along dir on tracked duals (numbers/tracked_dual.hpp), as tl::jvp returns
// it. It recomputes the plain sweep rather than take the plain result: both measured the same on
// the fast path, and this one keeps the caller's result a constant it never hands out.
template <class Root, class T, std::size_t K, bool Flat, class... Args>
[[gnu::cold]] [[gnu::noinline]] constexpr auto
taylor_second_try(const double* constants, const T* dir, const Args&... args) {
    auto y = taylor_sweep<Root, T, K, Flat>(constants, dir, args...);
    if (coefficients_have_nan<Root>(y))
        y = taylor_sweep_tracked<Root, T, K, Flat>(constants, dir, args...);
    if (c1_not_finite<Root>(y))
        replace_c1<Root>(
            y, dual_sweep_tracked<Root, T, 1, Flat>(
                   constants, [dir](std::size_t j, std::size_t) { return dir[j]; }, args...));
    return coefficients_of<Root, T, K>(y);
}

} // namespace detail

// The Taylor coefficients c_0..c_K of t ↦ f(p + t·dir): c_k = (d/dt)^k f(p + t·dir) / k! at t = 0
// (c_0 = f(p), c_1 = jvp(f, p, dir), c_2 = dirᵀ H dir / 2, ...). One value sweep on taylor<T, K>
// numbers. p and dir: one flat std::array of the scalar inputs, or one array-shaped input (or a
// number for a single scalar input). f: an expression or a callable traced like tl::gradient's.
// Returns std::array<T, K + 1> for a scalar f; for an array-valued f, one such array per element
// of f (std::array<std::array<T, K + 1>, size>, row-major).
template <std::size_t K, class F, class P>
constexpr auto taylor_coefficients(const F& f, const P& p, const P& dir) {
    if constexpr (Expression<F>) {
        using Root = node_of<F>;
        constexpr bool flat = detail::check_arguments<Root, P>();
        using T = detail::common_element_t<P>;
        const auto d = detail::convert<T>(dir);
        const T* dp = detail::elements_of(d).first;
        const auto y = detail::taylor_sweep<Root, T, K, flat>(f.consts.data(), dp, p);
        if constexpr (K > 0 && std::is_floating_point_v<T>) {
            // A structural zero coefficient times an infinite one made a coefficient NaN, or the
            // recurrences made c_1 NaN or infinite: see taylor_second_try.
            if (detail::coefficients_have_nan<Root>(y) || detail::c1_not_finite<Root>(y))
                [[unlikely]]
                return detail::taylor_second_try<Root, T, K, flat>(f.consts.data(), dp, p);
        }
        return detail::coefficients_of<Root, T, K>(y);
    } else if constexpr (detail::Traceable<F, P>) {
        return taylor_coefficients<K>(detail::tracer<F, P>::trace(f), p, dir);
    } else {
        static_assert(detail::dependent_false<F>,
                      "tapeless::taylor_coefficients<K>(f, p, dir): f must be a tapeless "
                      "expression, or a callable that builds one from variables");
    }
}

} // namespace tapeless

#endif
