// test/support/expect_ad.hpp — one call that checks a function in every mode:
//
//   using P = std::array<double, 2>;
//   tt::expect_ad("sin", [](auto a, auto b) { return sin(a * b); }, {P{0.7, 1.3}, P{2.0, -3.0}});
//
// fn is a generic callable of one or two scalars, written once: it builds f from the variables x
// and z, and runs on nested dual numbers as the symbolic mode's reference. At each point:
//   - the value in double against long double; the gradient by reverse and by forward mode,
//     against each other and against central differences; jvp against ∇f·v
//     (expect_derivatives.hpp);
//   - the Hessian in every strategy (dense, by columns, sparse, tl::hessian's choice), hvp against
//     its columns and against forward-over-forward, symmetry, and the Hessian against differences
//     of the gradient (expect_second_order.hpp);
//   - Taylor coefficients to order 5 along two directions against the value, jvp, nested duals,
//     differences of the coefficient below, and truncation (expect_taylor.hpp);
//   - symbolic derivatives to the third against reverse, forward, nested duals and differences
//     (expect_symbolic.hpp).
// One tolerance table serves them all (tolerances.hpp). At a kink or a branch cut pass
// `at_kinks`: every law between modes still holds, and no finite difference or higher symbolic
// derivative is asked for (they straddle the kink).
#ifndef TAPELESS_TEST_SUPPORT_EXPECT_AD_HPP
#define TAPELESS_TEST_SUPPORT_EXPECT_AD_HPP

#include <array>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <vector>

#include "expect_derivatives.hpp"
#include "expect_second_order.hpp"
#include "expect_symbolic.hpp"
#include "expect_taylor.hpp"

namespace tapeless_test {

enum class ad_points { ordinary, at_kinks };

template <class Fn, std::size_t N>
void expect_ad_at(const char* what, const Fn& fn, const std::array<double, N>& p,
                  ad_points kind = ad_points::ordinary) {
    const auto f = symbolic_check::call<N>(fn, symbolic_check::x, symbolic_check::z);
    const bool smooth = kind == ad_points::ordinary;
    const std::string name = std::string(what) + ": " + tapeless::to_string(f);
    expect_derivatives_at(f, p, name, smooth);
    expect_second_order_at(f, p, name, smooth);
    expect_taylor_at(f, p, name, smooth);
    expect_symbolic(what, fn, p, smooth);
}

template <class Fn, std::size_t N>
void expect_ad(const char* what, const Fn& fn, std::initializer_list<std::array<double, N>> points,
               ad_points kind = ad_points::ordinary) {
    for (const auto& p : points) expect_ad_at(what, fn, p, kind);
}
template <class Fn, std::size_t N>
void expect_ad(const char* what, const Fn& fn, const std::vector<std::array<double, N>>& points,
               ad_points kind = ad_points::ordinary) {
    for (const auto& p : points) expect_ad_at(what, fn, p, kind);
}

// Point sets for two inputs (x, z): ordinary reals, x > 0, and x in (−1, 1).
inline const std::vector<std::array<double, 2>> ordinary_points{
    {0.7, 1.3}, {2.0, 3.0}, {-0.4, 0.9}, {1.5, -0.6}};
inline const std::vector<std::array<double, 2>> positive_points{
    {0.7, 1.3}, {2.0, 3.0}, {0.3, 0.9}, {1.5, 0.6}};
inline const std::vector<std::array<double, 2>> unit_points{
    {0.3, 1.3}, {-0.6, 0.8}, {0.9, 0.5}, {-0.1, -0.7}};

} // namespace tapeless_test

#endif
