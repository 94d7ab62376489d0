// test/support/expect_derivatives.hpp — one helper that checks a function's first derivatives in
// every mode at given points: the value in double against long double, reverse mode against
// forward mode, both against central finite differences of the value in long double, and the law
// jvp(f, p, v) = ∇f(p) · v.
//
//   expect_derivatives(f, {std::array{2.0, 3.0}, std::array{0.5, 1.0}});
//
// f is a scalar expression over flat scalar inputs (std::array<double, N>) or over one
// vector-shaped input. Tolerances (relative, plus an absolute floor for values near 0):
//   forward vs reverse          1e-12   (same rules, different order of operations)
//   either vs finite difference 1e-6    (central difference in long double, step 1e-6 max(1,|x|))
//   jvp vs gradient · v         1e-12
#ifndef TAPELESS_TEST_SUPPORT_EXPECT_DERIVATIVES_HPP
#define TAPELESS_TEST_SUPPORT_EXPECT_DERIVATIVES_HPP

#include <tapeless/tapeless.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <initializer_list>
#include <string>

#include <boost/test/unit_test.hpp>

#include "values.hpp"

namespace tapeless_test {

inline constexpr long double mode_tolerance = 1e-12L;
inline constexpr long double fd_tolerance = 1e-6L;
inline constexpr long double fd_abs_tolerance = 1e-8L;

inline bool agree(long double a, long double b, long double rel, long double abs_floor) {
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
    if (std::isinf(a) || std::isinf(b)) return a == b;
    return std::fabs(a - b) <= abs_floor + rel * std::fmax(std::fabs(a), std::fabs(b));
}

template <class F, std::size_t N>
void expect_derivatives_at(const F& f, const std::array<double, N>& p, const std::string& what) {
    namespace tl = tapeless;
    std::array<long double, N> pl{};
    for (std::size_t i = 0; i < N; ++i) pl[i] = p[i];

    const auto [v, rev] = tl::value_and_gradient(f, p);
    const auto fwd = tl::gradient(f, p, tl::forward_mode);
    const long double vl = tl::value(f, pl);
    BOOST_TEST(agree(v, vl, 1e-13L, 1e-300L),
               what << ": value " << show(v) << " vs long double " << show(vl));

    std::array<double, N> dir{};
    long double dot = 0;
    for (std::size_t i = 0; i < N; ++i) {
        dir[i] = 0.5 + 0.25 * static_cast<double>(i % 3) - 0.3 * static_cast<double>(i % 2);
        dot += static_cast<long double>(rev[i]) * dir[i];

        const long double fd = tl::central_difference(f, pl, i); // check/finite_difference.hpp
        BOOST_TEST(agree(rev[i], fwd[i], mode_tolerance, 1e-300L),
                   what << ": d/dx" << i << " reverse " << show(rev[i]) << " vs forward "
                        << show(fwd[i]));
        BOOST_TEST(agree(rev[i], fd, fd_tolerance, fd_abs_tolerance),
                   what << ": d/dx" << i << " reverse " << show(rev[i]) << " vs finite difference "
                        << show(fd));
    }
    const double j = tl::jvp(f, p, dir);
    BOOST_TEST(agree(j, dot, mode_tolerance, 1e-300L),
               what << ": jvp " << show(j) << " vs gradient . v " << show(dot));
}

template <class F, std::size_t N>
void expect_derivatives(const F& f, std::initializer_list<std::array<double, N>> points) {
    const std::string what = tapeless::to_string(f);
    for (const auto& p : points) expect_derivatives_at(f, p, what);
}

} // namespace tapeless_test

#endif
