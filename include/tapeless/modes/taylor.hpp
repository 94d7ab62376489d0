// tapeless/modes/taylor.hpp — taylor<T, K>: a truncated Taylor series, for Taylor mode.
//
//   tl::taylor<double, 5> x = tl::taylor<double, 5>::variable(0.5);  // x(t) = 0.5 + t
//   auto y = tl::exp(tl::sin(x));          // y.c[k] = (d/dt)^k exp(sin(0.5 + t)) / k! at t = 0
//   auto c = tl::taylor_coefficients<5>(f, p, dir);   // f(p + t dir) = Σ_{k ≤ 5} c[k] t^k + O(t⁶)
//
// A taylor number holds the coefficients c[0..K] of x(t) = Σ c_k t^k, c_k = x^(k)(0)/k!. It is an
// ordinary value type, like dual: arithmetic with itself and with T, comparisons on c[0] (so
// branches in generic code follow the values), usable in any generic code. Its arithmetic and
// every operation of ops/ use the operation's Taylor rule (the `taylor<K>` member written beside
// the op, ops/series.hpp): O(K²) per operation. An op without a rule of its own would get one from
// its first-derivative rule (taylor_from_derivative below, O(K³)); every op of ops/ has its own.
// Nesting with dual is not supported.
#ifndef TAPELESS_MODES_TAYLOR_HPP
#define TAPELESS_MODES_TAYLOR_HPP

#include <array>
#include <compare>
#include <cstddef>
#include <tuple>
#include <type_traits>

#include "../core/expr.hpp"
#include "../ops/arithmetic.hpp"
#include "../ops/common.hpp"
#include "gradient.hpp"
#include "tracked_series.hpp"

namespace tapeless {

template <class T, std::size_t K>
struct taylor {
    using value_type = T;
    static constexpr std::size_t order = K;

    std::array<T, K + 1> c{}; // c[k] = x^(k)(0) / k!

    constexpr taylor() = default;
    // A constant: c[0] = value, higher coefficients zero.
    constexpr taylor(const T& value) { c[0] = value; } // NOLINT(google-explicit-constructor)
    template <class A>
        requires(std::is_arithmetic_v<A> && !std::is_same_v<A, T>)
    // NOLINTNEXTLINE(google-explicit-constructor)
    constexpr taylor(const A& value) { c[0] = static_cast<T>(value); }
    constexpr explicit taylor(const std::array<T, K + 1>& coefficients) : c(coefficients) {}

    // The line x(t) = x + t·dir: c[0] = x, c[1] = dir.
    static constexpr taylor variable(const T& x, const T& dir = static_cast<T>(1)) {
        taylor r(x);
        if constexpr (K > 0) r.c[1] = dir;
        return r;
    }

    constexpr const T& operator[](std::size_t k) const { return c[k]; }
    constexpr T& operator[](std::size_t k) { return c[k]; }
    constexpr const T& value() const { return c[0]; }
    // The k-th derivative at t = 0: k! c[k].
    constexpr T derivative(std::size_t k) const {
        T f = static_cast<T>(1);
        for (std::size_t i = 2; i <= k; ++i) f = f * static_cast<T>(i);
        return f * c[k];
    }
    // The polynomial Σ c_k t^k at t (Horner).
    constexpr T operator()(const T& t) const {
        T s = c[K];
        for (std::size_t k = K; k-- > 0;) s = s * t + c[k];
        return s;
    }

    friend constexpr taylor operator+(const taylor& a) { return a; }
    friend constexpr taylor operator-(const taylor& a) {
        taylor r;
        op::neg::taylor<K>(a.c.data(), r.c.data());
        return r;
    }
    friend constexpr taylor operator+(const taylor& a, const taylor& b) {
        taylor r;
        op::add::taylor<K>(a.c.data(), b.c.data(), r.c.data());
        return r;
    }
    friend constexpr taylor operator-(const taylor& a, const taylor& b) {
        taylor r;
        op::sub::taylor<K>(a.c.data(), b.c.data(), r.c.data());
        return r;
    }
    friend constexpr taylor operator*(const taylor& a, const taylor& b) {
        taylor r;
        op::mul::taylor<K>(a.c.data(), b.c.data(), r.c.data());
        return r;
    }
    friend constexpr taylor operator/(const taylor& a, const taylor& b) {
        taylor r;
        op::div::taylor<K>(a.c.data(), b.c.data(), r.c.data());
        return r;
    }
    // With a plain T on one side: only the constant coefficient moves, or every one scales.
    friend constexpr taylor operator+(const taylor& a, const T& b) {
        taylor r = a;
        r.c[0] = r.c[0] + b;
        return r;
    }
    friend constexpr taylor operator+(const T& a, const taylor& b) { return b + a; }
    friend constexpr taylor operator-(const taylor& a, const T& b) {
        taylor r = a;
        r.c[0] = r.c[0] - b;
        return r;
    }
    friend constexpr taylor operator-(const T& a, const taylor& b) {
        taylor r = -b;
        r.c[0] = r.c[0] + a;
        return r;
    }
    friend constexpr taylor operator*(const taylor& a, const T& b) {
        taylor r;
        TAPELESS_UNROLL
        for (std::size_t k = 0; k <= K; ++k) r.c[k] = a.c[k] * b;
        return r;
    }
    friend constexpr taylor operator*(const T& a, const taylor& b) {
        taylor r;
        TAPELESS_UNROLL
        for (std::size_t k = 0; k <= K; ++k) r.c[k] = a * b.c[k];
        return r;
    }
    friend constexpr taylor operator/(const taylor& a, const T& b) {
        taylor r;
        TAPELESS_UNROLL
        for (std::size_t k = 0; k <= K; ++k) r.c[k] = a.c[k] / b;
        return r;
    }
    friend constexpr taylor operator/(const T& a, const taylor& b) { return taylor(a) / b; }

    constexpr taylor& operator+=(const taylor& b) { return *this = *this + b; }
    constexpr taylor& operator-=(const taylor& b) { return *this = *this - b; }
    constexpr taylor& operator*=(const taylor& b) { return *this = *this * b; }
    constexpr taylor& operator/=(const taylor& b) { return *this = *this / b; }

    // Comparisons look at c[0] only, so branches in generic code follow the values.
    friend constexpr bool operator==(const taylor& a, const taylor& b) { return a.c[0] == b.c[0]; }
    friend constexpr auto operator<=>(const taylor& a, const taylor& b) {
        return a.c[0] <=> b.c[0];
    }
    friend constexpr bool operator==(const taylor& a, const T& b) { return a.c[0] == b; }
    friend constexpr auto operator<=>(const taylor& a, const T& b) { return a.c[0] <=> b; }
};

template <class X>
concept Taylor = NumberOf<X, taylor>;

// A passive Taylor number is its constant coefficient (ops/common.hpp: passive operands).
template <class T, std::size_t K>
struct passive_traits<taylor<T, K>> {
    using type = passive_t<T>;
    static constexpr type value(const taylor<T, K>& x) { return passive(x.c[0]); }
};

namespace detail {

template <class Op, class T, std::size_t K>
concept HasUnaryTaylorRule = requires(const T* x, T* y) {
    Op::template taylor<K>(x, y);
};
template <class Op, class T, std::size_t K>
concept HasBinaryTaylorRule = requires(const T* a, const T* b, T* y) {
    Op::template taylor<K>(a, b, y);
};

// A Taylor rule from the first-derivative rule alone: y' = f'(x) x', so
// y_k = (1/k) Σ_{j=1..k} j x_j g_{k−j} with g = f'(x) evaluated on taylor<T, K−1> numbers (from x
// and the y coefficients already known; g_{k−1} only needs those). One derivative evaluation per
// coefficient: O(K³). Used for an op that has no `taylor` member.
template <class Op, std::size_t K, class T>
constexpr void taylor_from_derivative(const T* x, T* y) {
    y[0] = Op::value(x[0]);
    if constexpr (K > 0) {
        using S = taylor<T, K - 1>;
        for (std::size_t k = 1; k <= K; ++k) {
            S xs, ys;
            for (std::size_t j = 0; j < K; ++j) xs.c[j] = x[j];
            for (std::size_t j = 0; j < k; ++j) ys.c[j] = y[j];
            const S g = Op::derivative(xs, ys);
            y[k] = series::chain(x, g.c.data(), k);
        }
    }
}
template <class Op, std::size_t K, class T>
constexpr void taylor_from_derivative(const T* a, const T* b, T* y) {
    y[0] = Op::value(a[0], b[0]);
    if constexpr (K > 0) {
        using S = taylor<T, K - 1>;
        for (std::size_t k = 1; k <= K; ++k) {
            S as, bs, ys;
            for (std::size_t j = 0; j < K; ++j) {
                as.c[j] = a[j];
                bs.c[j] = b[j];
            }
            for (std::size_t j = 0; j < k; ++j) ys.c[j] = y[j];
            const S ga = Op::da(as, bs, ys), gb = Op::db(as, bs, ys);
            y[k] = series::chain(a, ga.c.data(), k) + series::chain(b, gb.c.data(), k);
        }
    }
}

} // namespace detail

// Every operation of ops/ on Taylor numbers, by its Taylor rule.
template <class Op, class X>
    requires Taylor<X>
struct unary_dispatch<Op, X> {
    static constexpr X apply(const X& x) {
        using T = typename X::value_type;
        constexpr std::size_t K = X::order;
        X r;
        if constexpr (detail::HasUnaryTaylorRule<Op, T, K>)
            Op::template taylor<K>(x.c.data(), r.c.data());
        else
            detail::taylor_from_derivative<Op, K>(x.c.data(), r.c.data());
        return r;
    }
};

// Operands of a binary operation on Taylor numbers: at least one, neither an expression.
template <class A, class B>
concept TaylorOperands = !Expression<A> && !Expression<B> && (Taylor<A> || Taylor<B>);

template <class Op, class A, class B>
    requires TaylorOperands<A, B>
struct binary_dispatch<Op, A, B> {
    using X = std::conditional_t<Taylor<A>, A, B>;
    static constexpr X apply(const A& a, const B& b) {
        using T = typename X::value_type;
        constexpr std::size_t K = X::order;
        const X xa = X(a), xb = X(b);
        X r;
        if constexpr (detail::HasBinaryTaylorRule<Op, T, K>)
            Op::template taylor<K>(xa.c.data(), xb.c.data(), r.c.data());
        else
            detail::taylor_from_derivative<Op, K>(xa.c.data(), xb.c.data(), r.c.data());
        return r;
    }
};

namespace detail {

// One value sweep on taylor<C, K>: input element j is the line p_j + t·dir_j. C is T, or
// tracked_coefficient<T> (tracked_series.hpp), whose zero direction components are structural
// zeros.
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
// the sweep again on tracked coefficients (tracked_series.hpp), which form no product with a
// structural zero; and c_1, the directional derivative, where the recurrences still made it NaN
// or infinite (a zero coefficient times an infinite one, a division by a denormal x_0), from
// forward mode's sweep along dir on tracked duals (tracked_dual.hpp), as tl::jvp returns it.
// It recomputes the plain sweep rather than take the plain result: both measured the same on the
// fast path, and this one keeps the caller's result a constant it never hands out.
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
