// test/support/numdiff.hpp — first-derivative rules against central finite differences.
//
// All of it runs in long double. A central difference with step h = 1e-6 max(1, |x|) has a
// truncation error of about h² |f'''| / 6 and a rounding error of about eps_ld |f| / h (~1e-13),
// so at points well inside the domain it matches the exact derivative to about 1e-10 relative;
// the checks allow `derivative_tolerance` = 1e-7 relative plus 1e-9 absolute (for derivatives
// that are zero, where the difference is rounding noise).
//
//   check_derivative<tl::op::sin>("sin", {0.3L, 2.0L});
//       Op::derivative(x, Op::value(x)) against the difference of Op::value at each point
//   check_partials<tl::op::atan2>("atan2", {{1.0L, 2.0L}});
//       Op::da(a, b, y) and Op::db(a, b, y) against differences in a and in b
//   check_vjp<tl::op::matmul, tl::matrix<2, 3>, tl::matrix<3, 4>>("matmul", {{{-2, 2}, {-2, 2}}},
//   seed);
//       Op::vjp<Operand, S...> for every operand against the differences of Op::eval<S...>, for
//       random inputs (in the given ranges), a random cotangent ȳ, and a random starting adjoint
//       (vjp accumulates: the adjoint must grow by exactly the vector-Jacobian product)
#ifndef TAPELESS_TEST_SUPPORT_NUMDIFF_HPP
#define TAPELESS_TEST_SUPPORT_NUMDIFF_HPP

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <utility>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "values.hpp"

namespace tapeless_test {

inline constexpr long double derivative_tolerance = 1e-7L;
inline constexpr long double derivative_abs_tolerance = 1e-9L;
inline constexpr long double difference_step = 1e-6L;

// (f(x + h) - f(x - h)) / (2h), with the step taken as the difference of the two points actually
// evaluated.
template <class F>
long double central_difference(F f, long double x) {
    const long double h = difference_step * (std::fabs(x) > 1.0L ? std::fabs(x) : 1.0L);
    const long double xp = opaque(x + h);
    const long double xm = opaque(x - h);
    return (f(xp) - f(xm)) / (xp - xm);
}

inline bool derivative_close(long double got, long double want) {
    return close(got, want, derivative_tolerance, derivative_abs_tolerance);
}

// One comparison of a rule against its central difference (not inlined: see elementwise.hpp).
[[gnu::noinline]] inline void expect_derivative(long double rule, long double difference,
                                                const char* what, const char* which,
                                                long double a) {
    BOOST_TEST(derivative_close(rule, difference),
               which << " " << what << " at " << show(a) << ": rule gives " << show(rule)
                     << ", central difference " << show(difference));
}
[[gnu::noinline]] inline void expect_derivative(long double rule, long double difference,
                                                const char* what, const char* which, long double a,
                                                long double b) {
    BOOST_TEST(derivative_close(rule, difference),
               which << " " << what << " at (" << show(a) << ", " << show(b) << "): rule gives "
                     << show(rule) << ", central difference " << show(difference));
}

template <class Op>
void check_derivative(const char* what, std::initializer_list<long double> points) {
    for (const long double x : points) {
        const long double y = Op::value(x);
        const long double d = Op::derivative(x, y);
        const long double fd = central_difference([](long double t) { return Op::value(t); }, x);
        expect_derivative(d, fd, what, "d/dx", x);
    }
}

template <class Op>
void check_partials(const char* what,
                    std::initializer_list<std::pair<long double, long double>> points) {
    for (const auto& [a, b] : points) {
        const long double y = Op::value(a, b);
        const long double fa =
            central_difference([bb = b](long double t) { return Op::value(t, bb); }, a);
        const long double fb =
            central_difference([aa = a](long double t) { return Op::value(aa, t); }, b);
        expect_derivative(Op::da(a, b, y), fa, what, "d/da", a, b);
        expect_derivative(Op::db(a, b, y), fb, what, "d/db", a, b);
    }
}

// --- array operations ---------------------------------------------------------------------------

using range = std::pair<long double, long double>;

namespace detail {

template <class Op, class... S, std::size_t... I>
void eval_array_op(long double* out, const std::array<std::vector<long double>, sizeof...(S)>& in,
                   std::index_sequence<I...>) {
    Op::template eval<S...>(out, in[I].data()...);
}

template <std::size_t Operand, class Op, class... S, std::size_t... I>
void vjp_array_op(long double* in_bar, const long double* y_bar, const long double* y,
                  const std::array<std::vector<long double>, sizeof...(S)>& in,
                  std::index_sequence<I...>) {
    Op::template vjp<Operand, S...>(in_bar, y_bar, y, in[I].data()...);
}

template <std::size_t Operand, class Op, class... S>
void check_vjp_operand(const char* what, std::array<std::vector<long double>, sizeof...(S)>& in,
                       const std::vector<long double>& y_bar, rng& g) {
    using Y = typename Op::template result<S...>;
    constexpr auto seq = std::index_sequence_for<S...>{};
    std::vector<long double> y(Y::size);
    eval_array_op<Op, S...>(y.data(), in, seq);

    const std::size_t n = in[Operand].size();
    std::vector<long double> start(n), bar(n);
    for (std::size_t j = 0; j < n; ++j) start[j] = bar[j] = g.uniform<long double>(-1.0L, 1.0L);
    vjp_array_op<Operand, Op, S...>(bar.data(), y_bar.data(), y.data(), in, seq);

    std::vector<long double> yp(Y::size), ym(Y::size);
    for (std::size_t j = 0; j < n; ++j) {
        const long double x = in[Operand][j];
        const long double h = difference_step * (std::fabs(x) > 1.0L ? std::fabs(x) : 1.0L);
        const long double xp = opaque(x + h), xm = opaque(x - h);
        in[Operand][j] = xp;
        eval_array_op<Op, S...>(yp.data(), in, seq);
        in[Operand][j] = xm;
        eval_array_op<Op, S...>(ym.data(), in, seq);
        in[Operand][j] = x;
        long double fd = 0.0L;
        for (std::size_t i = 0; i < Y::size; ++i) fd += y_bar[i] * (yp[i] - ym[i]);
        fd /= (xp - xm);
        // vjp accumulates: the adjoint must have grown by the vector-Jacobian product.
        expect_derivative(bar[j] - start[j], fd, what,
                          Operand == 0 ? "vjp into operand 0 of" : "vjp into operand 1 of",
                          static_cast<long double>(j));
    }
}

template <class Op, class... S, std::size_t... Operand>
void check_vjp_all(const char* what, std::array<std::vector<long double>, sizeof...(S)>& in,
                   const std::vector<long double>& y_bar, rng& g, std::index_sequence<Operand...>) {
    (check_vjp_operand<Operand, Op, S...>(what, in, y_bar, g), ...);
}

} // namespace detail

template <class Op, class... S>
void check_vjp(const char* what, const std::array<range, sizeof...(S)>& ranges,
               std::uint64_t seed) {
    using Y = typename Op::template result<S...>;
    constexpr std::array<std::size_t, sizeof...(S)> sizes{S::size...};
    rng g(seed);
    std::array<std::vector<long double>, sizeof...(S)> in;
    for (std::size_t k = 0; k < sizeof...(S); ++k) {
        in[k].resize(sizes[k]);
        for (auto& v : in[k]) v = g.uniform<long double>(ranges[k].first, ranges[k].second);
    }
    std::vector<long double> y_bar(Y::size);
    for (auto& v : y_bar) v = g.uniform<long double>(-1.0L, 1.0L);
    detail::check_vjp_all<Op, S...>(what, in, y_bar, g, std::index_sequence_for<S...>{});
}

} // namespace tapeless_test

#endif
