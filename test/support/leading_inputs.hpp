// test/support/leading_inputs.hpp — evaluating a derivative at its function's point.
//
//   value_at(d, p)   tl::value(d, ...) at the first tl::next_slot<decltype(d)> elements of p
//                    (all of p when d reads no input): a symbolic derivative may no longer read
//                    the last slots of its function (d/dz (x z) = x), and extra inputs are a
//                    compile error.
#ifndef TAPELESS_TEST_SUPPORT_LEADING_INPUTS_HPP
#define TAPELESS_TEST_SUPPORT_LEADING_INPUTS_HPP

#include <tapeless/tapeless.hpp>

#include <array>
#include <cstddef>

namespace tapeless_test {

template <class F, class T, std::size_t N>
auto leading_inputs(const std::array<T, N>& p) {
    constexpr std::size_t n = tapeless::next_slot<F>;
    if constexpr (n == 0 || n == N) {
        return p;
    } else {
        std::array<T, n> q{};
        for (std::size_t i = 0; i < n; ++i) q[i] = p[i];
        return q;
    }
}

template <class F, class T, std::size_t N>
auto value_at(const F& f, const std::array<T, N>& p) {
    return tapeless::value(f, leading_inputs<F>(p));
}

} // namespace tapeless_test

#endif
