// test/support/elementwise.hpp — checking an elementwise operation against a reference through
// tl::value, on scalar and vector-shaped expressions.
//
//   check_unary<T>("sin", [](const auto& v) { return tl::sin(v); },
//                  [](T t) { return std::sin(t); }, {0.1, 2.0}, exact);
// evaluates, at every ordinary point given and every edge point (values.hpp):
//   - the scalar expression sin(x) through tl::value(f, p)        (positional binding)
//   - the same on a plain number, tl::sin(p)                       (arithmetic dispatch)
//   - the vector expression sin(w), w a vector<edge_count>, at all edge points in one call
// check_binary does the same for a binary operation, on all pairs of edge points and the given
// ordinary pairs: scalar ∘ scalar, vector ∘ vector, the two broadcasts scalar ∘ vector and
// vector ∘ scalar, and (for float and double) a runtime constant on either side.
//
// `agreement` says how close a result must be: exact (same_value: bit for bit, NaN == NaN, the
// sign of zero checked) or ulps(n).
#ifndef TAPELESS_TEST_SUPPORT_ELEMENTWISE_HPP
#define TAPELESS_TEST_SUPPORT_ELEMENTWISE_HPP

#include <tapeless/core/variables.hpp>
#include <tapeless/modes/value.hpp>

#include <array>
#include <cstddef>
#include <utility>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "values.hpp"

namespace tapeless_test {

namespace tl = tapeless;

struct agreement {
    double ulps; // 0: bit for bit (same_value)
};
inline constexpr agreement exact{0.0};
constexpr agreement ulps(double n) {
    return {n};
}

template <class T>
bool agrees(T got, T want, agreement a) {
    return a.ulps == 0.0 ? same_value(got, want) : within_ulps(got, want, a.ulps);
}

// One comparison, reported with the operation, its arguments and how it was evaluated. Not
// inlined, and templated on T only: the harnesses below are instantiated once per operation, and
// each BOOST_TEST with a streamed message is a lot of code (and of -O1 sanitizer build time).
template <class T>
[[gnu::noinline]] void expect_agrees(T got, T want, agreement tol, const char* what,
                                     const char* form, T p) {
    BOOST_TEST(agrees(got, want, tol), what << "(" << show(p) << ") " << form << ": " << show(got)
                                            << ", want " << show(want) << " ("
                                            << ulps_apart(got, want) << " ulps apart)");
}
template <class T>
[[gnu::noinline]] void expect_agrees(T got, T want, agreement tol, const char* what,
                                     const char* form, T p, T q) {
    BOOST_TEST(agrees(got, want, tol), what << "(" << show(p) << ", " << show(q) << ") " << form
                                            << ": " << show(got) << ", want " << show(want) << " ("
                                            << ulps_apart(got, want) << " ulps apart)");
}

template <class T, class Build, class Ref>
void check_unary(const char* what, Build build, Ref ref, const std::vector<T>& ordinary,
                 agreement tol) {
    std::vector<T> points = ordinary;
    for (T e : opaque_edge_points<T>()) points.push_back(e);

    const auto x = tl::variable<0, tl::scalar, "x">;
    const auto f = build(x);
    for (const T p : points) {
        const T want = ref(opaque(p));
        expect_agrees(tl::value(f, opaque(p)), want, tol, what, "through tl::value", p);
        expect_agrees(T(build(opaque(p))), want, tol, what, "on a number", p);
    }

    const auto w = tl::variable<0, tl::vector<edge_count>, "w">;
    const auto fw = build(w);
    const std::array<T, edge_count> e = opaque_edge_points<T>();
    const std::array<T, edge_count> got = tl::value(fw, e);
    for (std::size_t i = 0; i < edge_count; ++i)
        expect_agrees(got[i], ref(opaque(e[i])), tol, what, "on a vector", e[i]);
}

template <class T>
using pairs = std::vector<std::pair<T, T>>;

template <class T, class Build, class Ref>
void check_binary(const char* what, Build build, Ref ref, const pairs<T>& ordinary, agreement tol) {
    constexpr std::size_t n = edge_count;
    constexpr std::size_t nn = n * n;
    const std::array<T, n> e = opaque_edge_points<T>();
    pairs<T> points = ordinary;
    for (T p : e)
        for (T q : e) points.emplace_back(p, q);

    // scalar ∘ scalar, and on plain numbers
    const auto a = tl::variable<0, tl::scalar, "a">;
    const auto b = tl::variable<1, tl::scalar, "b">;
    const auto f = build(a, b);
    for (const auto& [p, q] : points) {
        const T want = ref(opaque(p), opaque(q));
        expect_agrees(tl::value(f, opaque(p), opaque(q)), want, tol, what, "on scalars", p, q);
        expect_agrees(T(build(opaque(p), opaque(q))), want, tol, what, "on numbers", p, q);
    }

    // vector ∘ vector over every pair of edge points
    {
        std::array<T, nn> lhs{}, rhs{};
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < n; ++j) {
                lhs[i * n + j] = e[i];
                rhs[i * n + j] = e[j];
            }
        const auto u = tl::variable<0, tl::vector<nn>, "u">;
        const auto v = tl::variable<1, tl::vector<nn>, "v">;
        const auto fv = build(u, v);
        const std::array<T, nn> got = tl::value(fv, lhs, rhs);
        for (std::size_t k = 0; k < nn; ++k)
            expect_agrees(got[k], ref(opaque(lhs[k]), opaque(rhs[k])), tol, what, "on vectors",
                          lhs[k], rhs[k]);
    }

    // broadcasts: scalar ∘ vector and vector ∘ scalar
    {
        const auto s = tl::variable<0, tl::scalar, "s">;
        const auto v = tl::variable<1, tl::vector<n>, "v">;
        const auto left = build(s, v);
        const auto right = build(v, s);
        for (const T p : e) {
            const std::array<T, n> gl = tl::value(left, opaque(p), e);
            const std::array<T, n> gr = tl::value(right, opaque(p), e);
            for (std::size_t j = 0; j < n; ++j) {
                expect_agrees(gl[j], ref(opaque(p), opaque(e[j])), tol, what, "scalar with vector",
                              p, e[j]);
                expect_agrees(gr[j], ref(opaque(e[j]), opaque(p)), tol, what, "vector with scalar",
                              e[j], p);
            }
        }
    }

    // a runtime constant on either side (its storage is double: exact for float and double)
    if constexpr (sizeof(T) <= sizeof(double)) {
        for (const auto& [p, q] : points) {
            const auto fc = build(a, static_cast<double>(q));
            const auto cf = build(static_cast<double>(p), b);
            const T want = ref(opaque(p), opaque(q));
            expect_agrees(tl::value(fc, opaque(p)), want, tol, what,
                          "with a constant right operand", p, q);
            expect_agrees(tl::value(cf, opaque(p), opaque(q)), want, tol, what,
                          "with a constant left operand", p, q);
        }
    }
}

} // namespace tapeless_test

#endif
