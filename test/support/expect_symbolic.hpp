// test/support/expect_symbolic.hpp — tl::derivative checked against the numeric modes, for a
// function written once as a generic callable of one or two scalars:
//
//   expect_symbolic("sin", [](auto a, auto b) { return sin(a * b); }, P{0.7, 1.3});
//
// fn is called on the variables x (slot 0) and z (slot 1) to build f, and on nested dual numbers
// for the references of the higher derivatives. At p:
//   - derivative(f, x) (and derivative(f, z)) against the gradient by reverse and by forward mode;
//   - with `higher`: derivative<2>(f, x) and derivative(f, x, z) against nested forward mode
//     through fn (dual<dual<double, 1>, 1>), derivative<3>(f, x) against three nested duals, and
//     each against central differences of the derivative below it.
// Tolerances: tolerances.hpp (first derivatives: modes; higher ones against nested duals:
// reordered, the floor × (1 + the largest magnitude of f and its derivatives at p); differences).
// The identities 0·a = 0 and 0/a = 0 are symbolic (modes/symbolic.hpp), so at points where a
// numeric mode meets 0 · inf the two may differ: such points belong in the edge-case table.
#ifndef TAPELESS_TEST_SUPPORT_EXPECT_SYMBOLIC_HPP
#define TAPELESS_TEST_SUPPORT_EXPECT_SYMBOLIC_HPP

#include <tapeless/modes/symbolic.hpp>
#include <tapeless/tapeless.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <string>
#include <type_traits>

#include <boost/test/unit_test.hpp>

#include "leading_inputs.hpp"
#include "tolerances.hpp"
#include "values.hpp"

namespace tapeless_test {

// The number v as a runtime constant next to an expression, as a number of a's type otherwise
// (nested duals do not mix with plain doubles in arithmetic): for constants inside fn.
template <class A>
auto constant_like(const A&, double v) {
    if constexpr (tapeless::Expression<A>)
        return tapeless::constant(v);
    else
        return A(v);
}

namespace symbolic_check {

inline const auto x = tapeless::variable<0, tapeless::scalar, "x">;
inline const auto z = tapeless::variable<1, tapeless::scalar, "z">;

// fn at the arguments for slots 0 and N − 1 (one argument when N is 1).
template <std::size_t N, class Fn, class A, class B>
auto call(const Fn& fn, const A& a, const B& b) {
    static_assert(N == 1 || N == 2, "expect_symbolic: a callable of one or two scalars");
    if constexpr (N == 1)
        return fn(a);
    else
        return fn(a, b);
}

// A dual number seeded for the K-th derivative: v + ε₁ + ... + ε_K (each εᵢ² = 0).
template <class D>
D seeded(double v, bool active) {
    if constexpr (std::is_same_v<D, double>) {
        return v;
    } else {
        using Inner = typename D::value_type;
        D r(seeded<Inner>(v, active));
        if (active) r.d[0] = Inner(1.0);
        return r;
    }
}
// The coefficient of ε₁ ... ε_K.
template <class D>
double top(const D& d) {
    if constexpr (std::is_same_v<D, double>)
        return d;
    else
        return top(d.d[0]);
}

using dual2 = tapeless::dual<tapeless::dual<double, 1>, 1>;
using dual3 = tapeless::dual<dual2, 1>;

inline std::string at(const char* what, const double* p, std::size_t n) {
    std::string s = std::string(what) + " at (" + show(p[0]);
    if (n > 1) s += ", " + show(p[1]);
    return s + ")";
}

} // namespace symbolic_check

template <class Fn, std::size_t N>
void expect_symbolic(const char* what, const Fn& fn, const std::array<double, N>& p,
                     bool higher = true) {
    namespace tl = tapeless;
    namespace sc = symbolic_check;
    using sc::x, sc::z;
    const auto f = sc::call<N>(fn, x, z);
    const std::string here = sc::at(what, p.data(), N);

    const auto fx = tl::derivative(f, x);
    const auto rev = tl::gradient(f, p);
    const auto fwd = tl::gradient(f, p, tl::forward_mode);
    std::array<double, N> s{};
    s[0] = value_at(fx, p);
    if constexpr (N == 2) s[1] = value_at(tl::derivative(f, z), p);
    for (std::size_t i = 0; i < N; ++i) {
        BOOST_TEST(agree(s[i], rev[i], tolerances::modes), here << ": d/d"
                                                                << "xz"[i] << " " << show(s[i])
                                                                << " vs reverse " << show(rev[i]));
        BOOST_TEST(agree(s[i], fwd[i], tolerances::modes), here << ": d/d"
                                                                << "xz"[i] << " " << show(s[i])
                                                                << " vs forward " << show(fwd[i]));
    }
    if (!higher) return;

    // nested forward mode through the same callable
    const auto fxx = tl::derivative<2>(f, x);
    const auto fxxx = tl::derivative<3>(f, x);
    const double d2 = sc::top(
        sc::call<N>(fn, sc::seeded<sc::dual2>(p[0], true), sc::seeded<sc::dual2>(p[N - 1], false)));
    const double d3 = sc::top(
        sc::call<N>(fn, sc::seeded<sc::dual3>(p[0], true), sc::seeded<sc::dual3>(p[N - 1], false)));
    const double sxx = value_at(fxx, p), sxxx = value_at(fxxx, p);
    // The floor scales with the derivatives at p: a small derivative that is a sum of large terms
    // (which cancel) carries their rounding, in either formula.
    long double scale = 1 + std::fabs(static_cast<long double>(tl::value(f, p)));
    for (const double d : {s[0], s[N - 1], sxx, sxxx})
        if (std::isfinite(d)) scale = std::fmax(scale, 1 + std::fabs(static_cast<long double>(d)));
    BOOST_TEST(agree(sxx, d2, tolerances::reordered, scale),
               here << ": d2/dx2 " << show(sxx) << " vs nested dual " << show(d2));
    BOOST_TEST(agree(sxxx, d3, tolerances::reordered, scale),
               here << ": d3/dx3 " << show(sxxx) << " vs nested dual " << show(d3));
    // finite differences: of the first derivative (second order), of derivative<2> (third)
    const long double fd2 = tl::central_difference(fx, p, 0);
    const long double fd3 = tl::central_difference(fxx, p, 0);
    BOOST_TEST(agree(sxx, fd2, tolerances::differences), here << ": d2/dx2 " << show(sxx)
                                                              << " vs finite difference "
                                                              << show(static_cast<double>(fd2)));
    BOOST_TEST(agree(sxxx, fd3, tolerances::differences), here << ": d3/dx3 " << show(sxxx)
                                                               << " vs finite difference "
                                                               << show(static_cast<double>(fd3)));

    if constexpr (N == 2) {
        const auto fxz = tl::derivative(f, x, z);
        sc::dual2 xm{tl::dual<double, 1>{p[0], {1.0}}}, zm{tl::dual<double, 1>{p[1]}};
        zm.d[0] = tl::dual<double, 1>{1.0};
        const double dxz = sc::top(fn(xm, zm));
        const double sxz = value_at(fxz, p);
        const long double fd_xz = tl::central_difference(fx, p, 1);
        BOOST_TEST(agree(sxz, dxz, tolerances::reordered, std::fmax(scale, 1 + std::fabs(sxz))),
                   here << ": d2/dxdz " << show(sxz) << " vs nested dual " << show(dxz));
        BOOST_TEST(agree(sxz, fd_xz, tolerances::differences),
                   here << ": d2/dxdz " << show(sxz) << " vs finite difference "
                        << show(static_cast<double>(fd_xz)));
    }
}

} // namespace tapeless_test

#endif
