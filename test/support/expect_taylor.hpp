// test/support/expect_taylor.hpp — one helper that checks Taylor mode at given points: the
// coefficients c_k of t ↦ f(p + t·dir) from tl::taylor_coefficients against
//   - the value and the directional derivative (c_0 = f(p), c_1 = jvp(f, p, dir)),
//   - nested forward mode: f on dual<dual<dual<double,1>,1>,1> numbers seeded with the line
//     p + t·dir at every level gives (d/dt)^k f for k ≤ 3, so c_k = that / k!,
//   - finite differences of the coefficient below: d/ds c_{k−1}(p + s·dir) = k c_k, so
//     c_k ≈ (c_{k−1}(p + h dir) − c_{k−1}(p − h dir)) / (2 h k) for k = 1..5 (Richardson),
//   - truncation: the coefficients of order 3 are the first four of order 5, exactly.
//
//   expect_taylor(f, {std::array{2.0, 3.0}, std::array{0.5, 1.0}});
//
// f is a scalar expression over flat scalar inputs (std::array<double, N>). Directions: a mixed
// one (0.5 + 0.25 (i mod 3) − 0.3 (i mod 2)) and e_0. Tolerances: tolerances.hpp (c_0 and c_1
// modes; c_2, c_3 taylor_nested and c_k taylor_differences, with floors × (1 + max |c_j|)). The
// differences are Richardson-extrapolated central ones with a step 1% of the radius of convergence
// estimated as min |c_{k−1}/c_k| over c_{k−1} not negligible (> 1e-8 |c_k|), at most 0.01.
// At a point where a reference is not finite (a domain edge such as √ at 0), the coefficient must
// not be finite either; the finite-difference check needs all coefficients finite near p.
#ifndef TAPELESS_TEST_SUPPORT_EXPECT_TAYLOR_HPP
#define TAPELESS_TEST_SUPPORT_EXPECT_TAYLOR_HPP

#include <tapeless/tapeless.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <initializer_list>
#include <string>

#include <boost/test/unit_test.hpp>

#include "expect_derivatives.hpp"
#include "values.hpp"

namespace tapeless_test {

namespace detail::taylor {

template <class X>
struct dual_depth {
    static constexpr std::size_t value = 0;
};
template <class T>
struct dual_depth<tapeless::dual<T, 1>> {
    static constexpr std::size_t value = 1 + dual_depth<T>::value;
};

// The line p + t·dir as a nested dual: every level's tangent is dir.
template <class X>
X line(double p, double dir) {
    if constexpr (dual_depth<X>::value == 0) {
        return p;
    } else {
        using V = typename X::value_type;
        return X(line<V>(p, dir), {V(dir)});
    }
}

// The innermost tangent of a nested dual after K outer tangents: (d/dt)^K.
template <class X>
double top_derivative(const X& x) {
    if constexpr (dual_depth<X>::value == 0)
        return x;
    else
        return top_derivative(x.d[0]);
}

// f's root value on numbers X, inputs bound flat.
template <class X, class F, std::size_t N>
X sweep_on(const F& f, const std::array<X, N>& in) {
    namespace tl = tapeless;
    using Root = tl::node_of<F>;
    constexpr const auto& g = tl::graph::dag_of<Root>;
    constexpr std::size_t slots = tl::graph::slot_count<Root>;
    static_assert(slots <= N, "expect_taylor: more input slots than inputs");
    std::array<const X*, (slots > 0 ? slots : 1)> ptrs{};
    for (std::size_t i = 0; i < slots; ++i) ptrs[i] = in.data() + i;
    tl::detail::node_storage<X, g.storage> values;
    tl::graph::forward_values<Root>(values.data(),
                                    tl::graph::sweep_context<X>{ptrs.data(), f.consts.data()});
    return values.data()[g.offset[0]];
}

// (d/dt)^K f(p + t dir) at t = 0 by K nested duals.
template <std::size_t K, class F, std::size_t N>
double nested_derivative(const F& f, const std::array<double, N>& p,
                         const std::array<double, N>& dir) {
    if constexpr (K == 0) {
        return tapeless::value(f, p);
    } else {
        using X = typename std::conditional_t<
            K == 1, std::type_identity<tapeless::dual<double, 1>>,
            std::conditional_t<
                K == 2, std::type_identity<tapeless::dual<tapeless::dual<double, 1>, 1>>,
                std::type_identity<
                    tapeless::dual<tapeless::dual<tapeless::dual<double, 1>, 1>, 1>>>>::type;
        std::array<X, N> in{};
        for (std::size_t i = 0; i < N; ++i) in[i] = line<X>(p[i], dir[i]);
        return top_derivative(sweep_on(f, in));
    }
}

inline bool all_finite(const double* c, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
        if (!std::isfinite(c[i])) return false;
    return true;
}

} // namespace detail::taylor

template <class F, std::size_t N>
void expect_taylor_along(const F& f, const std::array<double, N>& p,
                         const std::array<double, N>& dir, const std::string& what,
                         bool with_differences = true) {
    namespace tl = tapeless;
    namespace td = detail::taylor;
    const auto c = tl::taylor_coefficients<5>(f, p, dir);
    const auto c3 = tl::taylor_coefficients<3>(f, p, dir);
    double scale = 1.0;
    for (double v : c)
        if (std::isfinite(v)) scale = std::fmax(scale, 1.0 + std::fabs(v));

    // c_0 = value, c_1 = jvp.
    const double v = tl::value(f, p);
    const double j = tl::jvp(f, p, dir);
    BOOST_TEST(agree(c[0], v, tolerances::modes),
               what << ": c0 " << show(c[0]) << " vs value " << show(v));
    BOOST_TEST(agree(c[1], j, tolerances::modes),
               what << ": c1 " << show(c[1]) << " vs jvp " << show(j));

    // Truncation: order 3 is a prefix of order 5 (the same operations on the same numbers).
    for (std::size_t k = 0; k <= 3; ++k)
        BOOST_TEST(same_value(c3[k], c[k]), what << ": c" << k << " at order 3 " << show(c3[k])
                                                 << " vs order 5 " << show(c[k]));

    // Nested forward mode: c_k = (d/dt)^k f / k!.
    const std::array<double, 4> nested{v, td::nested_derivative<1>(f, p, dir),
                                       td::nested_derivative<2>(f, p, dir) / 2.0,
                                       td::nested_derivative<3>(f, p, dir) / 6.0};
    for (std::size_t k = 1; k <= 3; ++k) {
        if (std::isfinite(nested[k]))
            BOOST_TEST(agree(c[k], nested[k], tolerances::taylor_nested, scale),
                       what << ": c" << k << " " << show(c[k]) << " vs nested dual "
                            << show(nested[k]));
        else
            BOOST_TEST(!std::isfinite(c[k]), what << ": c" << k << " " << show(c[k])
                                                  << " finite, nested dual " << show(nested[k]));
    }

    // Finite differences of c_{k−1} along dir, Richardson-extrapolated (error O(h⁴)), with a step
    // 1% of the radius of convergence estimated from the coefficients (min |c_{k−1} / c_k|).
    if (!with_differences || !td::all_finite(c.data(), 6)) return;
    // (A c_{k−1} below 1e-8 |c_k| counts as zero: cos at π/2 has c_0 ≈ 6e-17.)
    double radius = 1.0;
    for (std::size_t k = 1; k <= 5; ++k)
        if (c[k] != 0.0 && std::fabs(c[k - 1]) > 1e-8 * std::fabs(c[k]))
            radius = std::fmin(radius, std::fabs(c[k - 1] / c[k]));
    const double h = 1e-2 * radius;
    auto coefficients_at = [&](double s) {
        std::array<double, N> q{};
        for (std::size_t i = 0; i < N; ++i) q[i] = p[i] + s * dir[i];
        return tl::taylor_coefficients<5>(f, q, dir);
    };
    const auto cp = coefficients_at(h), cm = coefficients_at(-h), cp2 = coefficients_at(h / 2),
               cm2 = coefficients_at(-h / 2);
    if (!td::all_finite(cp.data(), 6) || !td::all_finite(cm.data(), 6)) return;
    for (std::size_t k = 1; k <= 5; ++k) {
        const long double d1 = (static_cast<long double>(cp[k - 1]) - cm[k - 1]) / (2.0L * h);
        const long double d2 =
            (static_cast<long double>(cp2[k - 1]) - cm2[k - 1]) / static_cast<long double>(h);
        const long double fd = (4.0L * d2 - d1) / 3.0L / static_cast<long double>(k);
        BOOST_TEST(agree(c[k], fd, tolerances::taylor_differences, scale),
                   what << ": c" << k << " " << show(c[k]) << " vs finite difference of c" << k - 1
                        << " " << show(static_cast<double>(fd)) << " (step " << h << ")");
    }
}

template <class F, std::size_t N>
void expect_taylor_at(const F& f, const std::array<double, N>& p, const std::string& what,
                      bool with_differences = true) {
    std::array<double, N> dir{}, e0{};
    for (std::size_t i = 0; i < N; ++i)
        dir[i] = 0.5 + 0.25 * static_cast<double>(i % 3) - 0.3 * static_cast<double>(i % 2);
    e0[0] = 1.0;
    expect_taylor_along(f, p, dir, what, with_differences);
    expect_taylor_along(f, p, e0, what + " along e0", with_differences);
}

// Checks the Taylor coefficients of the scalar expression f at every point (see the top).
template <class F, std::size_t N>
void expect_taylor(const F& f, std::initializer_list<std::array<double, N>> points) {
    const std::string what = tapeless::to_string(f);
    for (const auto& p : points) expect_taylor_at(f, p, what);
}

// The same without the finite differences: for points on a kink or a branch cut, where the
// coefficients follow the branch the derivative rules take and differences straddle it.
template <class F, std::size_t N>
void expect_taylor_without_differences(const F& f,
                                       std::initializer_list<std::array<double, N>> points) {
    const std::string what = tapeless::to_string(f);
    for (const auto& p : points) expect_taylor_at(f, p, what, false);
}

} // namespace tapeless_test

#endif
