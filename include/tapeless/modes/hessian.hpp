// tapeless/modes/hessian.hpp — second derivatives by forward-over-reverse: the same generated value
// and reverse sweeps as tl::gradient, run on dual numbers.
//
//   tl::hvp(f, p, v)                      H(p) · v: one value sweep and one reverse sweep on
//                                         dual<T, 1>, the inputs' tangents v; shaped like p
//   tl::hessian(f, p)                     the dense n × n Hessian, H[i][j] = ∂²f/∂x_i∂x_j
//   tl::hessian(f, p, tl::dense_mode)     one sweep pair on dual<T, n>: all columns at once
//   tl::hessian(f, p, tl::hvp_mode)       n Hessian-vector products, one per column
//   tl::hessian(f, p, tl::sparse_mode)    one Hessian-vector product per colour of columns that
//                                         share no row (graph/sparsity.hpp: the pattern of
//                                         non-zeros is read off the DAG at compile time; a
//                                         tridiagonal Hessian takes 3 products); up to 64 inputs,
//                                         beyond that by columns
//   tl::hessian_pattern(f, p)             that pattern: .nonzero(i, j), .colors, .color[j]
//   auto [v, g, H] = tl::value_gradient_and_hessian(f, p);
//
// Without a mode, tl::hessian takes the dense sweep for all-scalar expressions of up to 4 inputs
// and the sparse mode otherwise (see dense_hessian_is_cheaper for the measurements).
//
// Why it works: the reverse sweep computes every adjoint from the values with the operations'
// first-derivative rules. Run on dual numbers whose tangents follow the inputs along v, each
// adjoint x̄_i = ∂f/∂x_i carries its own directional derivative Σ_j ∂²f/∂x_i∂x_j v_j. The rules are
// generic, so no second-order rule is written anywhere.
//
// Inputs bind as in tl::gradient: one flat std::array of scalars, or one argument per variable
// (numbers, std::arrays, tapeless::mats); a generic callable is traced. For several positional
// arguments, hvp takes them and the direction as std::tuples. The Hessian is over the variables'
// elements in the gradient's order (flat: slot order; positional: argument by argument, each
// row-major), tl::data elements left out, as a tl::row_matrix<T, n, n> (rows, H[i][j]; on the heap
// beyond 4 KB), like tl::jacobian. hessian_pattern is over the same elements.
//
// H[i][j] is tangent j of adjoint i, i.e. column j is H · e_j: the result is symmetric up to
// rounding (the two triangles are computed by different sequences of operations), and column j
// equals tl::hvp(f, p, e_j) exactly in the dense and hvp modes. In the sparse mode the entries
// outside the pattern are exact zeros and the others agree with them to rounding.
#ifndef TAPELESS_MODES_HESSIAN_HPP
#define TAPELESS_MODES_HESSIAN_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <tuple>
#include <type_traits>
#include <utility>

#include "../graph/reverse.hpp"
#include "../graph/sparsity.hpp"
#include "../numbers/dual.hpp"
#include "gradient.hpp"
#include "value.hpp"

namespace tapeless {

// How tl::hessian computes: one sweep pair carrying n tangents, or n sweep pairs carrying one.
struct dense_mode_t {
    explicit constexpr dense_mode_t() = default;
};
struct hvp_mode_t {
    explicit constexpr hvp_mode_t() = default;
};
struct sparse_mode_t {
    explicit constexpr sparse_mode_t() = default;
};
inline constexpr dense_mode_t dense_mode{};
inline constexpr hvp_mode_t hvp_mode{};
inline constexpr sparse_mode_t sparse_mode{};

template <class V, class G, class H>
struct value_gradient_hessian_result {
    V value;
    G gradient;
    H hessian;
};

// Above this many input elements, tl::hessian uses Hessian-vector products instead of one dense
// sweep pair for an all-scalar expression; for an expression with array-shaped nodes it always
// does.
inline constexpr std::size_t dense_hessian_max_inputs = 4;

// Whether one sweep pair on dual<T, n> beats n sweep pairs on dual<T, 1> for f with n input
// elements. By operation count it always would once n ≥ 2 (each element operation costs about
// 1 + n units against 2n, and the values are computed once instead of n times), but every
// operation on dual<T, n> makes temporaries of n + 1 numbers, which stop living in registers as n
// grows, and the n sweep pairs on dual<T, 1> are inlined into one function, where the compiler
// computes the values they share once. Measured dense against columns (g++ 12, -O3
// -march=native): on Rosenbrock as one array expression the columns won from n = 2 on; on a sum of
// sin(x_i x_{i+1}) + exp(x_i / 3) over n scalars dense won up to n = 4 and lost from n = 6; on the
// running example f(x, z) (2 inputs; README, Sources) dense won. So: dense for all-scalar
// expressions of up to 4 inputs, columns otherwise. (The modes side by side for f and
// Rosenbrock-10: docs/benchmarks.md, Second derivatives.)
template <Expression F, std::size_t InputCount, class T = double>
constexpr bool dense_hessian_is_cheaper() {
    using Root = node_of<F>;
    return InputCount <= 1 || (!graph::has_arrays<Root> && InputCount <= dense_hessian_max_inputs);
}

namespace detail {

template <class X>
inline constexpr bool is_hessian_mode_v =
    std::is_same_v<X, dense_mode_t> || std::is_same_v<X, hvp_mode_t> ||
    std::is_same_v<X, sparse_mode_t>;

// Where each argument's elements start in the flat list of all input elements.
template <class... Args>
constexpr auto argument_offsets() {
    std::array<std::size_t, sizeof...(Args) + 1> o{};
    std::size_t k = 0, at = 0;
    ((o[k++] = at, at += arg_shape_t<Args>::size), ...);
    o[k] = at;
    return o;
}

// What one sweep pair on dual numbers gives: the root's value and the adjoint of every input
// element (flat), each with its tangents (on the heap beyond a few KB).
template <class D, std::size_t N>
struct second_order_sweep {
    D value;
    small_buffer<D, N> adjoint;
};

// One value sweep and one reverse sweep in context c: the root's value. A function, not a lambda:
// g++ does not always inline a lambda this size, and the sweeps' storage then goes through memory
// (measured: docs/benchmarks.md, Second derivatives, "Inlining").
template <class Root, class Ctx, class D>
TAPELESS_INLINE constexpr D sweep_pair(const Ctx& c, const D* seed) {
    graph::run_values<Root, true>(c);
    const D value = graph::fused_root<Root, true>(c, 0);
    graph::run_adjoints<Root>(c, seed);
    return value;
}

// One value sweep and one reverse sweep on D (dual<T, K> or tracked_dual<T, K>), input element j
// seeded with tangents tangent(j, 0..K-1) (data elements: zero), the root's adjoint with 1
// (tangents 0).
template <class Root, class D, bool Flat, class Tangent, class... Args>
TAPELESS_INLINE constexpr auto dual_reverse_sweep_seeded(const double* constants, Tangent&& tangent,
                                                         const Args&... args) {
    using T = typename D::value_type;
    constexpr const auto& g = graph::dag_of<Root>;
    constexpr std::size_t slots = graph::slot_count<Root>;
    constexpr std::size_t n = input_size<std::remove_cvref_t<Args>...>;
    input_values<D, Args...> in(args...);
    std::size_t j = 0;
    std::apply([&](auto&... v) { (seed_tangents<D>(v, j, tangent), ...); }, in.values);
    const auto ptrs = in.template pointers<Flat, slots>();
    node_storage<D, g.storage> values, adjoints;
    second_order_sweep<D, n> r{};
    // The variables' adjoints go straight into r.adjoint: slot s starts at element s (flat) or
    // at the sizes of the arguments before it.
    constexpr auto offsets = argument_offsets<std::remove_cvref_t<Args>...>();
    std::array<D*, (slots > 0 ? slots : 1)> gp{};
    for (std::size_t s = 0; s < slots; ++s) gp[s] = r.adjoint.data() + (Flat ? s : offsets[s]);
    const D seed(static_cast<T>(1));
    if constexpr (graph::has_arrays<Root>) {
        // Array expressions: each seeded dual input is made where it is read (seeded_context, as
        // in forward mode).
        using Fn = std::remove_cvref_t<Tangent>;
        const input_values<T, Args...> plain(args...);
        const auto raw = plain.template pointers<Flat, slots>();
        constexpr auto first = slot_firsts<Flat, slots, Args...>();
        r.value = sweep_pair<Root>(seeded_context<D, Fn>{{values.data(), ptrs.data(), constants,
                                                          adjoints.data(), gp.data()},
                                                         raw.data(),
                                                         first.data(),
                                                         &tangent},
                                   &seed);
    } else {
        r.value = sweep_pair<Root>(graph::fused_context<D>{values.data(), ptrs.data(), constants,
                                                           adjoints.data(), gp.data()},
                                   &seed);
    }
    return r;
}

template <class Root, class D, bool Flat, class Tangent, class... Args>
TAPELESS_INLINE constexpr auto dual_reverse_sweep_on(const double* constants,
                                                     const Tangent& tangent, const Args&... args) {
    return with_data_masked<Root, Flat, std::remove_cvref_t<Args>...>(
        tangent, [&](const auto& t) TAPELESS_LAMBDA_INLINE {
            return dual_reverse_sweep_seeded<Root, D, Flat>(constants, t, args...);
        });
}

// One sweep pair on tracked_dual<T, 1> along column k of the table.
template <class Root, class T, bool Flat, class... Args>
[[gnu::cold]] [[gnu::noinline]] constexpr auto
dual_reverse_sweep_column(const double* constants, tangent_table<T> tangent, const Args&... args) {
    return dual_reverse_sweep_on<Root, tracked_dual<T, 1>, Flat>(constants, tangent, args...);
}

// The sweep pair again on tracked duals, its result as plain duals: taken only where the sweep
// pair on plain duals gave a NaN tangent (see dual_sweep in gradient.hpp). One pair on
// tracked_dual<T, 1> per tangent k, shared by H·v and every Hessian mode of one expression.
template <class Root, class T, std::size_t K, bool Flat, class Tangent, class... Args>
[[gnu::cold]] [[gnu::noinline]] constexpr auto
dual_reverse_sweep_tracked(const double* constants, const Tangent& tangent, const Args&... args) {
    constexpr std::size_t n = input_size<std::remove_cvref_t<Args>...>;
    const auto table = tabulate_tangents<T, n, K>(tangent);
    second_order_sweep<dual<T, K>, n> r;
    for (std::size_t k = 0; k < K; ++k) {
        const auto s = dual_reverse_sweep_column<Root, T, Flat>(
            constants, tangent_table<T>{table.data() + k, K}, args...);
        r.value.v = s.value.v;
        r.value.d[k] = s.value.d[0];
        for (std::size_t i = 0; i < n; ++i) {
            r.adjoint[i].v = s.adjoint[i].v;
            r.adjoint[i].d[k] = s.adjoint[i].d[0];
        }
    }
    return r;
}

// One value sweep and one reverse sweep on dual<T, K> (see dual_reverse_sweep_seeded). Its callers
// test the results they have filled for NaN and take dual_reverse_sweep_tracked where there is one,
// as forward mode's do (dual_sweep).
template <class Root, class T, std::size_t K, bool Flat, class Tangent, class... Args>
TAPELESS_INLINE constexpr auto dual_reverse_sweep(const double* constants, const Tangent& tangent,
                                                  const Args&... args) {
    return dual_reverse_sweep_on<Root, dual<T, K>, Flat>(constants, tangent, args...);
}

// A flat list of numbers (anything indexable), reshaped like the inputs (the gradient's type G).
template <class G, class Flat>
constexpr G unflatten(const Flat& flat) {
    G out{};
    std::size_t j = 0;
    auto take = [&](auto& v) {
        auto [p, m] = elements_of(v);
        for (std::size_t i = 0; i < m; ++i) p[i] = flat[j++];
    };
    if constexpr (
        requires { std::tuple_size<G>::value; } && !requires { data_of(out); })
        std::apply([&](auto&... v) { (take(v), ...); }, out);
    else
        take(out);
    return out;
}

// The Hessian's columns again as H·e_j on tracked duals (see hessian_with): taken only where the
// sweeps on plain duals gave a NaN.
template <class Root, class T, bool Flat, std::size_t Na, const auto& Active, class H,
          class... Args>
[[gnu::cold]] [[gnu::noinline]] constexpr void hessian_tracked(H& hessian, const double* constants,
                                                               const Args&... args) {
    for (std::size_t b = 0; b < Na; ++b) {
        const std::size_t j = Active[b];
        const auto s = dual_reverse_sweep_tracked<Root, T, 1, Flat>(
            constants, [j](std::size_t e, std::size_t) { return static_cast<T>(e == j ? 1 : 0); },
            args...);
        for (std::size_t a = 0; a < Na; ++a) hessian[a][b] = s.adjoint[Active[a]].d[0];
    }
}

// H·v on tracked duals (see hvp_impl): taken only where the sweep pair on plain duals gave a NaN.
template <class Root, class T, bool Flat, class Dir, class... Args>
[[gnu::cold]] [[gnu::noinline]] constexpr auto hvp_tracked(const double* constants, const Dir& dir,
                                                           const Args&... args) {
    constexpr std::size_t n = input_size<std::remove_cvref_t<Args>...>;
    const auto t = dual_reverse_sweep_tracked<Root, T, 1, Flat>(
        constants, [&](std::size_t j, std::size_t) { return dir[j]; }, args...);
    small_buffer<T, n> hv{};
    for (std::size_t i = 0; i < n; ++i) hv[i] = t.adjoint[i].d[0];
    return unflatten<gradient_t<T, Flat, std::remove_cvref_t<Args>...>>(hv);
}

// The elements of a direction (one value, or a tuple of them), flat, converted to T.
template <class T, std::size_t N, class V>
constexpr small_buffer<T, N> flatten(const V& v) {
    small_buffer<T, N> flat{};
    std::size_t j = 0;
    auto put = [&](const auto& x) {
        using X = std::remove_cvref_t<decltype(x)>;
        if constexpr (std::is_arithmetic_v<X>) {
            flat[j++] = static_cast<T>(x);
        } else {
            const auto* p = data_of(x);
            for (std::size_t i = 0; i < arg_traits<X>::shape::size; ++i)
                flat[j++] = static_cast<T>(p[i]);
        }
    };
    if constexpr (
        requires { std::tuple_size<V>::value; } && !requires { data_of(v); })
        std::apply([&](const auto&... x) { (put(x), ...); }, v);
    else
        put(v);
    return flat;
}

// The number of elements of a direction: one value, or a tuple of them.
template <class V>
struct direction_size {
    static constexpr std::size_t value = arg_traits<V>::valid ? arg_traits<V>::shape::size : 0;
};
template <class... X>
struct direction_size<std::tuple<X...>> {
    static constexpr std::size_t value =
        (std::size_t{0} + ... + direction_size<std::remove_cvref_t<X>>::value);
};

// Named so that the failing instantiation shows both counts: check_direction_size<3, 2>.
template <std::size_t Given, std::size_t Inputs>
constexpr void check_direction_size() {
    TAPELESS_REQUIRE(
        Given == Inputs,
        "tapeless::hvp(f, inputs, direction): the direction must have as many elements "
        "as the inputs (the shape of the gradient)");
}

// The arguments checked as check_arguments does them, and f scalar-valued; whether the inputs are
// flat (check_arguments).
template <class Root, class... Args>
constexpr bool check_scalar_arguments() {
    constexpr bool flat = check_arguments<Root, Args...>();
    TAPELESS_REQUIRE(Root::shape::rank == 0,
                     "tapeless::hessian / tapeless::hvp: f must be scalar-valued");
    return flat;
}

// H · v for an expression: one sweep pair on dual<T, 1>.
template <class F, class V, class... Args>
constexpr auto hvp_impl(const F& f, const V& v, const Args&... args) {
    if constexpr (Expression<F>) {
        using Root = node_of<F>;
        constexpr bool flat = check_scalar_arguments<Root, Args...>();
        using T = common_element_t<Args...>;
        constexpr std::size_t n = input_size<std::remove_cvref_t<Args>...>;
        check_direction_size<direction_size<std::remove_cvref_t<V>>::value, n>();
        const auto dir = flatten<T, n>(v);
        const auto s = dual_reverse_sweep<Root, T, 1, flat>(
            f.consts.data(), [&](std::size_t j, std::size_t) { return dir[j]; }, args...);
        small_buffer<T, n> hv{};
        bool nan = false;
        for (std::size_t i = 0; i < n; ++i) hv[i] = noting_nan(s.adjoint[i].d[0], nan);
        if constexpr (std::is_floating_point_v<T> && graph::may_be_singular<Root>) {
            // a NaN where a tangent that is zero by structure met an infinite partial (only where
            // an operation may have a singular point: without one the test is not compiled): the
            // pair again on tracked duals (numbers/tracked_dual.hpp), in a cold function of its own
            if (nan) [[unlikely]]
                return hvp_tracked<Root, T, flat>(f.consts.data(), dir, args...);
        }
        return unflatten<gradient_t<T, flat, std::remove_cvref_t<Args>...>>(hv);
    } else if constexpr (Traceable<F, Args...>) {
        return hvp_impl(tracer<F, Args...>::trace(f), v, args...);
    } else {
        static_assert(dependent_false<F>,
                      "tapeless::hvp(f, inputs, direction): f must be a tapeless expression, or a "
                      "callable that builds one from variables");
    }
}

// Value, gradient and Hessian in the given mode (void: the cheaper one).
template <class Mode, class F, class... Args>
constexpr auto hessian_with(const F& f, const Args&... args) {
    if constexpr (Expression<F>) {
        using Root = node_of<F>;
        constexpr bool flat = check_scalar_arguments<Root, Args...>();
        using T = common_element_t<Args...>;
        constexpr std::size_t n = input_size<std::remove_cvref_t<Args>...>;
        // The Hessian is over the active input elements only (not tl::data), in the gradient's
        // order: element a is input element active[a].
        constexpr const auto& active = active_elements_v<Root, flat, std::remove_cvref_t<Args>...>;
        constexpr std::size_t na = active.size();
        constexpr bool all_active = na == n;
        constexpr bool dense = std::is_same_v<Mode, dense_mode_t> ||
                               (std::is_void_v<Mode> && dense_hessian_is_cheaper<F, na, T>());
        // Hessian-vector products along colours of columns (graph/sparsity.hpp) when there is a
        // pattern to colour, else along the unit vectors.
        constexpr bool sparse =
            !dense && !std::is_same_v<Mode, hvp_mode_t> && n <= graph::max_pattern_inputs;
        using G = gradient_t<T, flat, std::remove_cvref_t<Args>...>;
        using H = row_matrix<T, na, na>;
        value_gradient_hessian_result<T, G, H> r{};
        small_buffer<T, n> grad{};
        bool nan = false; // (a NaN in the Hessian)
        if constexpr (sparse) {
            constexpr auto first =
                slot_firsts<flat, graph::slot_count<Root>, std::remove_cvref_t<Args>...>();
            constexpr const auto& pattern = graph::hessian_pattern_of<Root, n, first>;
            // (a pointer: g++ and clang agree on capturing it)
            const std::size_t* color = pattern.color.data();
            for (std::size_t c = 0; c < pattern.colors; ++c) {
                const auto s = dual_reverse_sweep<Root, T, 1, flat>(
                    f.consts.data(),
                    [c, color](std::size_t e, std::size_t) {
                        return static_cast<T>(color[e] == c ? 1 : 0);
                    },
                    args...);
                if (c == 0) {
                    r.value = s.value.v;
                    for (std::size_t i = 0; i < n; ++i) grad[i] = s.adjoint[i].v;
                }
                for (std::size_t b = 0; b < na; ++b)
                    if (pattern.color[active[b]] == c)
                        for (std::size_t a = 0; a < na; ++a)
                            if ((pattern.column[active[b]] >> active[a]) & 1u)
                                r.hessian[a][b] = noting_nan(s.adjoint[active[a]].d[0], nan);
            }
        } else if constexpr (dense) {
            const auto s = dual_reverse_sweep<Root, T, na, flat>(
                f.consts.data(),
                [](std::size_t j, std::size_t k) {
                    if constexpr (all_active)
                        return static_cast<T>(j == k ? 1 : 0);
                    else
                        return static_cast<T>(
                            j == active_elements_v<Root, flat, std::remove_cvref_t<Args>...>[k]
                                ? 1
                                : 0);
                },
                args...);
            r.value = s.value.v;
            for (std::size_t i = 0; i < n; ++i) grad[i] = s.adjoint[i].v;
            for (std::size_t a = 0; a < na; ++a)
                for (std::size_t b = 0; b < na; ++b)
                    r.hessian[a][b] = noting_nan(s.adjoint[active[a]].d[b], nan);
        } else {
            for (std::size_t b = 0; b < na; ++b) {
                const std::size_t j = active[b];
                const auto s = dual_reverse_sweep<Root, T, 1, flat>(
                    f.consts.data(),
                    [j](std::size_t e, std::size_t) { return static_cast<T>(e == j ? 1 : 0); },
                    args...);
                if (b == 0) {
                    r.value = s.value.v;
                    for (std::size_t i = 0; i < n; ++i) grad[i] = s.adjoint[i].v;
                }
                for (std::size_t a = 0; a < na; ++a)
                    r.hessian[a][b] = noting_nan(s.adjoint[active[a]].d[0], nan);
            }
            if constexpr (na == 0) {
                // no variables: one plain gradient sweep gives the value (the gradient is zero)
                const T one = static_cast<T>(1);
                r.value = reverse_sweep<Root, T, flat, true>(f.consts.data(), &one, args...).value;
            }
        }
        if constexpr (std::is_floating_point_v<T> && graph::may_be_singular<Root>) {
            // a NaN where a tangent that is zero by structure met an infinite partial (only where
            // an operation may have a singular point): every column again as H·e_j on tracked
            // duals (numbers/tracked_dual.hpp), in a function of its own
            if (nan) [[unlikely]]
                hessian_tracked<Root, T, flat, na,
                                active_elements_v<Root, flat, std::remove_cvref_t<Args>...>>(
                    r.hessian, f.consts.data(), args...);
        }
        r.gradient = unflatten<G>(grad);
        return r;
    } else if constexpr (Traceable<F, Args...>) {
        return hessian_with<Mode>(tracer<F, Args...>::trace(f), args...);
    } else {
        static_assert(dependent_false<F>,
                      "tapeless::hessian(f, inputs...): f must be a tapeless expression, or a "
                      "callable that builds one from variables");
    }
}

// Splits a trailing tl::dense_mode / tl::hvp_mode / tl::sparse_mode off the arguments.
template <class F, class... Xs>
constexpr auto dispatch_hessian_mode(const F& f, const Xs&... xs) {
    if constexpr (detail::has_rows<F>()) {
        // run-time rows (modes/rows.hpp): over the active elements, eight columns per sweep pair
        using T = row_element_t<Xs...>;
        return rows_hessian<node_of<F>, T>(f.consts.data(), xs...);
    } else if constexpr (sizeof...(Xs) > 0 &&
                         is_hessian_mode_v<std::remove_cvref_t<
                             std::tuple_element_t<sizeof...(Xs) - 1, std::tuple<Xs...>>>>) {
        using Mode =
            std::remove_cvref_t<std::tuple_element_t<sizeof...(Xs) - 1, std::tuple<Xs...>>>;
        const auto expand = [&]<std::size_t... I>(std::index_sequence<I...>) {
            const auto all = std::forward_as_tuple(xs...);
            return hessian_with<Mode>(f, std::get<I>(all)...);
        };
        return expand(std::make_index_sequence<sizeof...(Xs) - 1>{});
    } else {
        return hessian_with<void>(f, xs...);
    }
}

// A pattern over all input elements restricted to the active ones (rows and columns of the
// Hessian, data left out). Data columns have no non-zeros, so the greedy colouring keeps the
// active columns' colours.
template <const auto& Full, const auto& Active>
inline constexpr auto active_pattern = [] {
    constexpr std::size_t na = Active.size();
    graph::hessian_pattern<na> p;
    for (std::size_t b = 0; b < na; ++b) {
        p.color[b] = Full.color[Active[b]];
        for (std::size_t a = 0; a < na; ++a)
            if (Full.nonzero(Active[a], Active[b])) p.column[b] |= std::uint64_t{1} << a;
    }
    p.colors = Full.colors;
    return p;
}();

} // namespace detail

// H(p) · v for a scalar f: forward-over-reverse, one value sweep and one reverse sweep on
// dual<T, 1> (about two to three gradients' work). v has the shape of p (for several positional
// inputs, p and v are std::tuples); so has the result.
template <class F, class P, class V>
constexpr auto hvp(const F& f, const P& p, const V& v) {
    if constexpr (detail::has_rows<F>()) {
        // run-time rows (modes/rows.hpp)
        const auto dirs = [&] {
            if constexpr (detail::is_tuple_v<V>)
                return v;
            else
                return std::tie(v);
        }();
        if constexpr (detail::is_tuple_v<P>)
            return std::apply(
                [&](const auto&... args) {
                    using T = detail::row_element_t<std::remove_cvref_t<decltype(args)>...>;
                    return detail::rows_hvp<node_of<F>, T>(f.consts.data(), dirs, args...);
                },
                p);
        else
            return detail::rows_hvp<node_of<F>, detail::row_element_t<P>>(f.consts.data(), dirs, p);
    } else if constexpr (detail::is_tuple_v<P>)
        return std::apply([&](const auto&... args) { return detail::hvp_impl(f, v, args...); }, p);
    else
        return detail::hvp_impl(f, v, p);
}

// The value, gradient and dense Hessian of a scalar f, from the same sweeps. A trailing
// tl::dense_mode, tl::hvp_mode or tl::sparse_mode forces the mode; otherwise dense for small
// all-scalar expressions (tl::dense_hessian_is_cheaper), sparse otherwise.
template <class F, class... Xs>
constexpr auto value_gradient_and_hessian(const F& f, const Xs&... xs) {
    return detail::dispatch_hessian_mode(f, xs...);
}

// Which entries of the Hessian of a scalar f can be non-zero, and the colouring tl::sparse_mode
// uses (graph/sparsity.hpp), for inputs like p (up to 64 elements). Computed at compile time.
template <class F, class... Args>
constexpr auto hessian_pattern(const F& f, const Args&... args) {
    if constexpr (Expression<F>) {
        using Root = node_of<F>;
        constexpr bool flat = detail::check_scalar_arguments<Root, Args...>();
        constexpr std::size_t n = detail::input_size<std::remove_cvref_t<Args>...>;
        static_assert(n <= graph::max_pattern_inputs,
                      "tapeless::hessian_pattern(f, inputs): sparsity patterns are derived for up "
                      "to 64 input elements");
        constexpr auto first =
            detail::slot_firsts<flat, graph::slot_count<Root>, std::remove_cvref_t<Args>...>();
        return detail::active_pattern<
            graph::hessian_pattern_of<Root, n, first>,
            detail::active_elements_v<Root, flat, std::remove_cvref_t<Args>...>>;
    } else if constexpr (detail::Traceable<F, Args...>) {
        return hessian_pattern(detail::tracer<F, Args...>::trace(f), args...);
    } else {
        static_assert(
            detail::dependent_false<F>,
            "tapeless::hessian_pattern(f, inputs...): f must be a tapeless expression, or a "
            "callable that builds one from variables");
    }
}

// The dense Hessian of a scalar f: H[i][j] = ∂²f/∂x_i∂x_j over all input elements.
template <class F, class... Xs>
constexpr auto hessian(const F& f, const Xs&... xs) {
    return detail::dispatch_hessian_mode(f, xs...).hessian;
}

} // namespace tapeless

#endif
