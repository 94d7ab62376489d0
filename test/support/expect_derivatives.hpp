// test/support/expect_derivatives.hpp — one helper that checks a function's first derivatives in
// every mode at given points: the value in double against long double, reverse mode against
// forward mode, both against central finite differences of the value in long double, and the law
// jvp(f, p, v) = ∇f(p) · v.
//
//   expect_derivatives(f, {std::array{2.0, 3.0}, std::array{0.5, 1.0}});
//
// f is a scalar expression over flat scalar inputs (std::array<double, N>) or over one
// vector-shaped input. Tolerances: tolerances.hpp (modes: forward vs reverse, jvp vs gradient · v;
// differences: either vs a central difference in long double).
#ifndef TAPELESS_TEST_SUPPORT_EXPECT_DERIVATIVES_HPP
#define TAPELESS_TEST_SUPPORT_EXPECT_DERIVATIVES_HPP

#include <tapeless/tapeless.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <initializer_list>
#include <string>

#include <boost/test/unit_test.hpp>

#include "tolerances.hpp"
#include "values.hpp"

namespace tapeless_test {

template <class F, std::size_t N>
void expect_derivatives_at(const F& f, const std::array<double, N>& p, const std::string& what,
                           bool differences = true) {
    namespace tl = tapeless;
    std::array<long double, N> pl{};
    for (std::size_t i = 0; i < N; ++i) pl[i] = p[i];

    const auto [v, rev] = tl::value_and_gradient(f, p);
    const auto fwd = tl::gradient(f, p, tl::forward_mode);
    const long double vl = tl::value(f, pl);
    BOOST_TEST(agree(v, vl, tolerances::value),
               what << ": value " << show(v) << " vs long double " << show(vl));

    std::array<double, N> dir{};
    long double dot = 0;
    for (std::size_t i = 0; i < N; ++i) {
        dir[i] = 0.5 + 0.25 * static_cast<double>(i % 3) - 0.3 * static_cast<double>(i % 2);
        dot += static_cast<long double>(rev[i]) * dir[i];

        BOOST_TEST(agree(rev[i], fwd[i], tolerances::modes), what << ": d/dx" << i << " reverse "
                                                                  << show(rev[i]) << " vs forward "
                                                                  << show(fwd[i]));
        if (!differences) continue;
        const long double fd = tl::central_difference(f, pl, i); // check/finite_difference.hpp
        BOOST_TEST(agree(rev[i], fd, tolerances::differences),
                   what << ": d/dx" << i << " reverse " << show(rev[i]) << " vs finite difference "
                        << show(fd));
    }
    const double j = tl::jvp(f, p, dir);
    BOOST_TEST(agree(j, dot, tolerances::modes),
               what << ": jvp " << show(j) << " vs gradient . v " << show(dot));
}

template <class F, std::size_t N>
void expect_derivatives(const F& f, std::initializer_list<std::array<double, N>> points) {
    const std::string what = tapeless::to_string(f);
    for (const auto& p : points) expect_derivatives_at(f, p, what);
}

} // namespace tapeless_test

#endif
