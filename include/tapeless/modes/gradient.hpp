// tapeless/modes/gradient.hpp — first derivatives: gradient, value_and_gradient, jvp, vjp.
//
//   tl::gradient(f, p)                      reverse mode (the default for a scalar f)
//   tl::gradient(f, p, tl::forward_mode)    forward mode: one sweep on dual<T, n>, n inputs
//   auto [v, g] = tl::value_and_gradient(f, p);
//   tl::jvp(f, p, dir)                      directional derivative, one forward sweep
//   tl::vjp(F, cotangent, inputs...)        cotangentᵀ · J, one reverse sweep
// Inputs bind as in tl::value (one flat std::array of scalars, or one argument per variable), and
// a gradient has the inputs' shapes: std::array<T, n> for flat inputs, the argument's own type for
// one positional argument, a std::tuple of them for several.
#ifndef TAPELESS_MODES_GRADIENT_HPP
#define TAPELESS_MODES_GRADIENT_HPP

#include <array>
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include "../graph/reverse.hpp"
#include "../numbers/dual.hpp"
#include "../numbers/tracked_dual.hpp"
#include "value.hpp"

namespace tapeless {

struct forward_mode_t {
    explicit constexpr forward_mode_t() = default;
};
struct reverse_mode_t {
    explicit constexpr reverse_mode_t() = default;
};
inline constexpr forward_mode_t forward_mode{};
inline constexpr reverse_mode_t reverse_mode{};

template <class V, class G>
struct value_and_gradient_result {
    V value;
    G gradient;
};

namespace detail {

template <class X>
inline constexpr bool is_mode_v =
    std::is_same_v<X, forward_mode_t> || std::is_same_v<X, reverse_mode_t>;

// The gradient's type: shaped like the inputs.
template <class T, bool Flat, class... Args>
struct gradient_of {
    using type = std::tuple<value_t<T, arg_shape_t<Args>>...>;
};
template <class T, class A>
struct gradient_of<T, true, A> {
    using type = value_t<T, arg_shape_t<A>>;
};
template <class T, class A>
struct gradient_of<T, false, A> {
    using type = value_t<T, arg_shape_t<A>>;
};
template <class T, bool Flat, class... Args>
using gradient_t = typename gradient_of<T, Flat, Args...>::type;

// The elements of a value: (pointer, count).
template <class V>
constexpr auto elements_of(V& v) {
    if constexpr (requires { data_of(v); })
        return std::pair{data_of(v), arg_shape_t<std::remove_cvref_t<V>>::size};
    else
        return std::pair{&v, std::size_t{1}};
}

// One pointer per input slot into a gradient (flat: element i; else slot i's value).
template <bool Flat, std::size_t Slots, class G, class T>
constexpr auto gradient_pointers(G& grad) {
    std::array<T*, (Slots > 0 ? Slots : 1)> p{};
    if constexpr (Flat) {
        for (std::size_t i = 0; i < Slots; ++i) p[i] = data_of(grad) + i;
    } else if constexpr (
        requires { std::tuple_size<G>::value; } && !requires { data_of(grad); }) {
        const auto expand = [&]<std::size_t... I>(std::index_sequence<I...>) {
            ((I < Slots ? (p[I < Slots ? I : 0] = elements_of(std::get<I>(grad)).first) : nullptr),
             ...);
        };
        expand(std::make_index_sequence<std::tuple_size_v<G>>{});
    } else {
        p[0] = elements_of(grad).first;
    }
    return p;
}

// The root's value from storage filled by a plain value sweep.
template <class Root, class T, class V>
constexpr V root_value(const T* values) {
    constexpr const auto& g = graph::dag_of<Root>;
    V out{};
    if constexpr (std::is_same_v<V, T>) {
        out = values[g.offset[0]];
    } else {
        auto* dst = data_of(out);
        for (std::size_t i = 0; i < Root::shape::size; ++i) dst[i] = values[g.offset[0] + i];
    }
    return out;
}

// One value sweep and one reverse sweep, the root's adjoint seeded with `seed`: the value of f
// and cotangentᵀ · J. Variables' adjoints go straight into the result's gradient.
// Without WantValue the root's value is not computed when its rule does not read it (sum, mean,
// slice, concat): tl::gradient's value is thrown away.
template <class Root, class T, bool Flat, bool WantValue = true, class... Args>
constexpr auto reverse_sweep(const double* constants, const T* seed, const Args&... args) {
    constexpr const auto& g = graph::dag_of<Root>;
    constexpr std::size_t slots = graph::slot_count<Root>;
    const input_values<T, Args...> in(args...);
    const auto ptrs = in.template pointers<Flat, slots>();
    node_storage<T, g.storage> values, adjoints;
    using G = gradient_t<T, Flat, std::remove_cvref_t<Args>...>;
    value_and_gradient_result<value_t<T, typename Root::shape>, G> r{};
    const auto gp = gradient_pointers<Flat, slots, G, T>(r.gradient);
    const graph::fused_context<T> c{values.data(), ptrs.data(), constants, adjoints.data(),
                                    gp.data()};
    graph::run_values<Root, true, !WantValue>(c);
    if constexpr (WantValue) r.value = fused_result<Root, true>(c);
    graph::run_adjoints<Root>(c, seed);
    return r;
}

template <class... Args>
inline constexpr std::size_t input_size = (std::size_t{0} + ... + arg_shape_t<Args>::size);

// Seeds dual copies of the inputs: input element j gets tangents tangent(j, ·).
template <class D, class V, class F>
constexpr void seed_tangents(V& v, std::size_t& j, F&& tangent) {
    auto [p, n] = elements_of(v);
    for (std::size_t i = 0; i < n; ++i, ++j)
        for (std::size_t k = 0; k < D::tangent_count; ++k) set_tangent(p[i], k, tangent(j, k));
}

// Forward mode's inputs: element i of slot s is the dual number (x, tangent(j, ·)), j its index
// among all input elements, made where it is read (so it never round-trips through memory).
template <class D, class F>
struct seeded_context : graph::fused_context<D> {
    using T = typename D::value_type;
    const T* const* raw;      // the inputs' values, one pointer per slot
    const std::size_t* first; // the index j of each slot's element 0
    const F* tangent;
    TAPELESS_INLINE constexpr D input(std::size_t s, std::size_t i) const {
        D r(raw[s][i]);
        const std::size_t j = first[s] + i;
        for (std::size_t k = 0; k < D::tangent_count; ++k) set_tangent(r, k, (*tangent)(j, k));
        return r;
    }
};

// The index, among all input elements, of each slot's element 0: s for flat inputs, else the
// sizes of the arguments before it.
template <bool Flat, std::size_t Slots, class... Args>
constexpr std::array<std::size_t, (Slots > 0 ? Slots : 1)> slot_firsts() {
    std::array<std::size_t, (Slots > 0 ? Slots : 1)> first{};
    if constexpr (Flat) {
        for (std::size_t s = 0; s < Slots; ++s) first[s] = s;
    } else {
        constexpr std::array<std::size_t, sizeof...(Args)> sizes{arg_shape_t<Args>::size...};
        std::size_t j = 0;
        for (std::size_t s = 0; s < Slots && s < sizes.size(); ++s) {
            first[s] = j;
            j += sizes[s];
        }
    }
    return first;
}

// The value sweep of forward mode and its result (a function, not a lambda: see sweep_pair in
// hessian.hpp).
template <class Root, class Ctx>
TAPELESS_INLINE constexpr auto value_sweep(const Ctx& c) {
    graph::run_values<Root, false>(c);
    return fused_result<Root, false>(c);
}

// Whether the expression reads data inputs (tl::data), and which input elements are data: their
// tangents stay zero whatever the caller seeds.
template <class Root>
inline constexpr bool has_data = [] {
    for (std::size_t d = 0; d < graph::dag_of<Root>.size; ++d)
        if (graph::dag_of<Root>.info[d]->kind == node_kind::variable &&
            !graph::dag_of<Root>.info[d]->active)
            return true;
    return false;
}();

template <class Root, bool Flat, class... Args>
constexpr auto data_elements() {
    constexpr std::size_t n = input_size<Args...>;
    constexpr auto first = slot_firsts<Flat, graph::slot_count<Root>, Args...>();
    const auto& g = graph::dag_of<Root>;
    std::array<bool, (n > 0 ? n : 1)> r{};
    for (std::size_t d = 0; d < g.size; ++d) {
        const node_info& v = *g.info[d];
        if (v.kind == node_kind::variable && !v.active)
            for (std::size_t i = 0; i < v.size && first[v.slot] + i < n; ++i)
                r[first[v.slot] + i] = true;
    }
    return r;
}

template <class Root, bool Flat, class... Args>
inline constexpr auto data_elements_v = data_elements<Root, Flat, Args...>();

// The input elements that are differentiated: every element except the data ones, in the order of
// the gradient (flat: slot order; positional: argument by argument, each row-major). Hessians,
// Jacobians and Taylor expansions are over these. active_elements_v[a] is the index, among all
// input elements, of active element a.
template <class Root, bool Flat, class... Args>
inline constexpr std::size_t active_count = [] {
    std::size_t k = 0;
    for (std::size_t j = 0; j < input_size<Args...>; ++j)
        if (!data_elements_v<Root, Flat, Args...>[j]) ++k;
    return k;
}();

template <class Root, bool Flat, class... Args>
inline constexpr auto active_elements_v = [] {
    std::array<std::size_t, active_count<Root, Flat, Args...>> a{};
    std::size_t k = 0;
    for (std::size_t j = 0; j < input_size<Args...>; ++j)
        if (!data_elements_v<Root, Flat, Args...>[j]) a[k++] = j;
    return a;
}();

// tangent(j, k), or zero for a data element j.
template <class F, std::size_t N>
struct data_masked {
    const F* tangent;
    const std::array<bool, N>* data;
    constexpr auto operator()(std::size_t j, std::size_t k) const {
        using R = decltype((*tangent)(j, k));
        return (*data)[j] ? R(0) : (*tangent)(j, k);
    }
};

// Calls run(tangent'), tangent' being tangent with the data elements' tangents zeroed (tangent
// itself when f reads no data).
template <class Root, bool Flat, class... Args, class F, class Run>
TAPELESS_INLINE constexpr auto with_data_masked(const F& tangent, Run&& run) {
    if constexpr (has_data<Root>) {
        constexpr const auto& data = data_elements_v<Root, Flat, Args...>;
        return run(data_masked<F, data.size()>{&tangent, &data});
    } else {
        return run(tangent);
    }
}

// One value sweep on D (dual<T, K> or tracked_dual<T, K>): input element j has tangents
// tangent(j, 0..K-1) (zero for data). Inlined, as dual_sweep_on and dual_sweep are (and the
// Hessians' dual_reverse_sweep): returned from a call, the duals went through memory, stored as
// scalars and read back as vectors (failed store forwards).
template <class Root, class D, bool Flat, class F, class... Args>
TAPELESS_INLINE constexpr auto dual_sweep_seeded(const double* constants, F&& tangent,
                                                 const Args&... args) {
    using T = typename D::value_type;
    using Fn = std::remove_cvref_t<F>;
    constexpr const auto& g = graph::dag_of<Root>;
    constexpr std::size_t slots = graph::slot_count<Root>;
    const input_values<T, Args...> in(args...);
    const auto raw = in.template pointers<Flat, slots>();
    constexpr auto first = slot_firsts<Flat, slots, Args...>();
    node_storage<D, g.storage> values;
    // Operations that read variables through pointers (matmul, softmax, ...) get seeded copies.
    if constexpr (graph::has_arrays<Root> && graph::needs_input_pointers<Root>) {
        input_values<D, Args...> copies(args...);
        std::size_t j = 0;
        std::apply([&](auto&... v) { (seed_tangents<D>(v, j, tangent), ...); }, copies.values);
        const auto ptrs = copies.template pointers<Flat, slots>();
        return value_sweep<Root>(seeded_context<D, Fn>{
            {values.data(), ptrs.data(), constants}, raw.data(), first.data(), &tangent});
    } else {
        const std::array<const D*, (slots > 0 ? slots : 1)> none{};
        return value_sweep<Root>(seeded_context<D, Fn>{
            {values.data(), none.data(), constants}, raw.data(), first.data(), &tangent});
    }
}

template <class Root, class D, bool Flat, class F, class... Args>
TAPELESS_INLINE constexpr auto dual_sweep_on(const double* constants, const F& tangent,
                                             const Args&... args) {
    return with_data_masked<Root, Flat, std::remove_cvref_t<Args>...>(
        tangent, [&](const auto& t) TAPELESS_LAMBDA_INLINE {
            return dual_sweep_seeded<Root, D, Flat>(constants, t, args...);
        });
}

// The tangents tangent(j, k) of n input elements, K each, as a table: the tracked sweeps take this
// one type whatever the caller's tangent function was, so each expression instantiates them once.
template <class T>
struct tangent_table {
    const T* p; // tangent (j, k) at p[j * stride + k]
    std::size_t stride;
    constexpr T operator()(std::size_t j, std::size_t k) const { return p[j * stride + k]; }
};

template <class T, std::size_t N, std::size_t K, class F>
constexpr small_buffer<T, N * K> tabulate_tangents(const F& tangent) {
    small_buffer<T, N * K> t;
    for (std::size_t j = 0; j < N; ++j)
        for (std::size_t k = 0; k < K; ++k) t[j * K + k] = static_cast<T>(tangent(j, k));
    return t;
}

// One forward sweep on tracked_dual<T, 1> along column k of the table.
template <class Root, class T, bool Flat, class... Args>
[[gnu::cold]] [[gnu::noinline]] constexpr auto
dual_sweep_column(const double* constants, tangent_table<T> tangent, const Args&... args) {
    return dual_sweep_on<Root, tracked_dual<T, 1>, Flat>(constants, tangent, args...);
}

// The forward sweep again on tracked duals (numbers/tracked_dual.hpp), its result as plain duals:
// taken only where the sweep on plain duals gave a NaN tangent. One sweep on tracked_dual<T, 1> per
// tangent k, so that forward mode, jvp, the Jacobian and Taylor mode's c₁ of one expression share
// one instantiation of the tracked sweep.
template <class Root, class T, std::size_t K, bool Flat, class F, class... Args>
[[gnu::cold]] [[gnu::noinline]] constexpr auto
dual_sweep_tracked(const double* constants, const F& tangent, const Args&... args) {
    constexpr std::size_t n = input_size<std::remove_cvref_t<Args>...>;
    const auto table = tabulate_tangents<T, n, K>(tangent);
    value_t<dual<T, K>, typename Root::shape> r;
    for (std::size_t k = 0; k < K; ++k) {
        const auto y = dual_sweep_column<Root, T, Flat>(
            constants, tangent_table<T>{table.data() + k, K}, args...);
        if constexpr (Root::shape::rank == 0) {
            r.v = y.v;
            r.d[k] = y.d[0];
        } else {
            for (std::size_t i = 0; i < Root::shape::size; ++i) {
                data_of(r)[i].v = data_of(y)[i].v;
                data_of(r)[i].d[k] = data_of(y)[i].d[0];
            }
        }
    }
    return r;
}

// One value sweep on dual<T, K>: input element j has tangents tangent(j, 0..K-1) (zero for data).
// Its callers test their results for NaN and take dual_sweep_tracked where there is one: every
// tangent is then NaN only where reverse mode's derivative is. (They test the results they have
// filled, not the sweep's duals: a test of the duals kept them alive across the second try's call
// and in memory on the fast path: the 3x3 Jacobians measured slower, bench_gradient.)
template <class Root, class T, std::size_t K, bool Flat, class F, class... Args>
TAPELESS_INLINE constexpr auto dual_sweep(const double* constants, const F& tangent,
                                          const Args&... args) {
    return dual_sweep_on<Root, dual<T, K>, Flat>(constants, tangent, args...);
}

// x, and whether it is NaN into nan: the results' NaN test folded into the loops that fill them,
// on values still in registers. (A separate pass over a result just stored, vectorised, read
// several scalar stores with one wide load each, which the store buffer cannot forward: the 3x3
// Jacobians measured much slower, bench_gradient.)
template <class T>
TAPELESS_INLINE constexpr const T& noting_nan(const T& x, bool& nan) {
    nan |= x != x;
    return x;
}

// Whether any of m numbers is NaN, read one at a time (a loop with an exit is not vectorised:
// see noting_nan), for results written by a sweep.
template <class T>
TAPELESS_INLINE constexpr bool any_nan(const T* p, std::size_t m) {
    for (std::size_t i = 0; i < m; ++i)
        if (p[i] != p[i]) return true;
    return false;
}

template <class Root, class T, bool Flat, class... Args>
constexpr auto forward_gradient(const double* constants, const Args&... args) {
    constexpr std::size_t n = input_size<std::remove_cvref_t<Args>...>;
    const auto unit = [](std::size_t j, std::size_t k) { return static_cast<T>(j == k ? 1 : 0); };
    const dual<T, n> y = dual_sweep<Root, T, n, Flat>(constants, unit, args...);
    using G = gradient_t<T, Flat, std::remove_cvref_t<Args>...>;
    value_and_gradient_result<T, G> r{y.v, G{}};
    // f(v) for each argument's part of the gradient
    auto each = [&](auto&& fn) {
        if constexpr (
            requires { std::tuple_size<G>::value; } && !requires { data_of(r.gradient); })
            std::apply([&](auto&... v) { (fn(v), ...); }, r.gradient);
        else
            fn(r.gradient);
    };
    bool nan = false;
    auto fill = [&](const dual<T, n>& x) {
        std::size_t j = 0;
        each([&](auto& v) {
            auto [p, m] = elements_of(v);
            for (std::size_t i = 0; i < m; ++i, ++j) p[i] = noting_nan(x.d[j], nan);
        });
    };
    fill(y);
    // (not for inputs that are dual numbers themselves)
    if constexpr (std::is_floating_point_v<T>) {
        if (nan) [[unlikely]]
            fill(dual_sweep_tracked<Root, T, n, Flat>(constants, unit, args...));
    }
    return r;
}

template <class Mode, bool WantValue, class F, class... Args>
constexpr auto value_and_gradient_with(const F& f, const Args&... args) {
    if constexpr (detail::has_rows<F>()) {
        // run-time rows (modes/rows.hpp); forward mode in chunks of eight tangents
        using T = row_element_t<Args...>;
        if constexpr (std::is_same_v<Mode, forward_mode_t>)
            return rows_forward_gradient<node_of<F>, T>(f.consts.data(), args...);
        else
            return rows_value_and_gradient<node_of<F>, T>(f.consts.data(), args...);
    } else if constexpr (Expression<F>) {
        using Root = node_of<F>;
        constexpr bool flat = check_arguments<Root, Args...>();
        require_scalar_output<Root>();
        using T = common_element_t<Args...>;
        if constexpr (std::is_same_v<Mode, forward_mode_t>) {
            return forward_gradient<Root, T, flat>(f.consts.data(), args...);
        } else {
            const T one = static_cast<T>(1);
            return reverse_sweep<Root, T, flat, WantValue>(f.consts.data(), &one, args...);
        }
    } else if constexpr (Traceable<F, Args...>) {
        return value_and_gradient_with<Mode, WantValue>(tracer<F, Args...>::trace(f), args...);
    } else {
        static_assert(dependent_false<F>,
                      "tapeless::gradient(f, inputs...): f must be a tapeless expression, or a "
                      "callable that builds one from variables");
    }
}

template <class... Xs>
struct split_mode {
    static constexpr bool has_mode =
        is_mode_v<std::remove_cvref_t<std::tuple_element_t<sizeof...(Xs) - 1, std::tuple<Xs...>>>>;
};

template <bool WantValue, class F, class... Xs>
constexpr auto dispatch_mode(const F& f, const Xs&... xs) {
    if constexpr (sizeof...(Xs) > 0 && split_mode<Xs...>::has_mode) {
        using Mode =
            std::remove_cvref_t<std::tuple_element_t<sizeof...(Xs) - 1, std::tuple<Xs...>>>;
        const auto expand = [&]<std::size_t... I>(std::index_sequence<I...>) {
            const auto all = std::forward_as_tuple(xs...);
            return value_and_gradient_with<Mode, WantValue>(f, std::get<I>(all)...);
        };
        return expand(std::make_index_sequence<sizeof...(Xs) - 1>{});
    } else {
        return value_and_gradient_with<reverse_mode_t, WantValue>(f, xs...);
    }
}

} // namespace detail

// The value of a scalar f and its gradient with respect to every input. A trailing
// tl::forward_mode or tl::reverse_mode chooses the mode (reverse by default).
template <class F, class... Xs>
constexpr auto value_and_gradient(const F& f, const Xs&... xs) {
    return detail::dispatch_mode<true>(f, xs...);
}

// The gradient of a scalar f with respect to every input.
template <class F, class... Xs>
constexpr auto gradient(const F& f, const Xs&... xs) {
    return detail::dispatch_mode<false>(f, xs...).gradient;
}

namespace detail {
// tl::jvp on static shapes.
template <Expression F, class P>
constexpr auto static_jvp(const F& f, const P& p, const P& dir) {
    using Root = node_of<F>;
    constexpr bool flat = detail::check_arguments<Root, P>();
    using T = detail::common_element_t<P>;
    const auto* dp = detail::elements_of(dir).first;
    const auto along = [dp](std::size_t j, std::size_t) { return static_cast<T>(dp[j]); };
    const auto y = detail::dual_sweep<Root, T, 1, flat>(f.consts.data(), along, p);
    constexpr bool retry = std::is_floating_point_v<T>; // (not for inputs that are dual numbers)
    if constexpr (Root::shape::rank == 0) {
        T d = y.d[0];
        if constexpr (retry)
            if (d != d) [[unlikely]]
                d = detail::dual_sweep_tracked<Root, T, 1, flat>(f.consts.data(), along, p).d[0];
        return d;
    } else {
        value_t<T, typename Root::shape> out{};
        auto* dst = data_of(out);
        bool nan = false;
        for (std::size_t i = 0; i < Root::shape::size; ++i)
            dst[i] = detail::noting_nan(data_of(y)[i].d[0], nan);
        if constexpr (retry) {
            if (nan) [[unlikely]] {
                const auto t =
                    detail::dual_sweep_tracked<Root, T, 1, flat>(f.consts.data(), along, p);
                for (std::size_t i = 0; i < Root::shape::size; ++i) dst[i] = data_of(t)[i].d[0];
            }
        }
        return out;
    }
}

} // namespace detail

// The directional derivative of f at p along dir (f may be array-valued): one forward sweep with a
// single tangent. p and dir are flat arrays of the scalar inputs, or one array-shaped input each;
// on run-time rows (modes/rows.hpp) one input each or std::tuples of them.
template <Expression F, class P>
constexpr auto jvp(const F& f, const P& p, const P& dir) {
    using Root = node_of<F>;
    if constexpr (graph::has_dynamic<Root>) {
        // run-time rows (modes/rows.hpp): p and dir one input each, or std::tuples of them
        if constexpr (detail::is_tuple_v<P>)
            return std::apply(
                [&](const auto&... args) {
                    using T = detail::row_element_t<std::remove_cvref_t<decltype(args)>...>;
                    return detail::rows_jvp<Root, T>(f.consts.data(), dir, args...);
                },
                p);
        else
            return detail::rows_jvp<Root, detail::row_element_t<P>>(f.consts.data(), std::tie(dir),
                                                                    p);
    } else {
        return detail::static_jvp(f, p, dir);
    }
}

// cotangentᵀ · J(f) at the inputs: one reverse sweep with the root's adjoint seeded by the
// cotangent (a number for a scalar f, an array of f's shape otherwise).
template <Expression F, class C, class... Args>
constexpr auto vjp(const F& f, const C& cotangent, const Args&... args) {
    using Root = node_of<F>;
    constexpr bool flat = detail::check_arguments<Root, Args...>();
    using T = detail::common_element_t<Args...>;
    const value_t<T, typename Root::shape> seed = detail::convert<T>(cotangent);
    const T* sp = nullptr;
    if constexpr (Root::shape::rank == 0)
        sp = &seed;
    else
        sp = data_of(seed);
    return detail::reverse_sweep<Root, T, flat, false>(f.consts.data(), sp, args...).gradient;
}

} // namespace tapeless

#endif
