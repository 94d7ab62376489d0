// test/support/expect_second_order.hpp — one helper that checks a function's second derivatives in
// every mode at given points, by laws that hold across modes and against finite differences:
//
//   expect_second_order(f, {std::array{2.0, 3.0}, std::array{0.5, 1.0}});
//   expect_second_order_at_edges(f, {std::array{0.0}, std::array{700.0}});   // no differences
//
// f is a scalar expression over flat scalar inputs (std::array<double, N>) or over one
// vector-shaped input. At each point:
//   1. the dense Hessian (one forward-over-reverse sweep on dual<double, n>), the one made of n
//      Hessian-vector products and the sparse one (one product per colour of the compile-time
//      pattern) agree, and tl::hessian's own choice is one of them;
//   2. hvp(f, p, e_i) is column i of the Hessian;
//   3. the Hessian is symmetric;
//   4. hvp(f, p, v) for a direction v with unequal components equals the jvp of the gradient,
//      computed by an independent route: forward-over-forward (one value sweep on nested dual
//      numbers dual<dual<double, 1>, n>, no reverse sweep);
//   5. value and gradient from value_gradient_and_hessian equal tl::value and tl::gradient;
//   7. (expect_second_order only) the pattern is sound: every entry outside
//      tl::hessian_pattern is exactly 0 in the dense and by-columns Hessians, and in the sparse
//      one (at domain edges an entry outside it may be NaN in the other modes: 0 · inf);
//   6. (expect_second_order only) the Hessian equals Richardson-extrapolated central differences
//      of tl::gradient computed in long double: column j from gradients at p ± h e_j and
//      p ± h/2 e_j, h = 1e-3 max(1, |p_j|) (truncation error O(h⁴), rounding ~1e-16 |∇f|).
// Tolerances: tolerances.hpp, with floors relative to the largest entry of the Hessian (entries
// that cancel to near 0 are compared on the Hessian's scale): 1 and 2 same_rule (the sparse Hessian
// reordered), 5 value, 3 and 4 reordered, 6 differences.
// At domain edges a NaN must meet a NaN and an infinity the same infinity.
#ifndef TAPELESS_TEST_SUPPORT_EXPECT_SECOND_ORDER_HPP
#define TAPELESS_TEST_SUPPORT_EXPECT_SECOND_ORDER_HPP

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

// The largest finite magnitude of a matrix (at least 1).
template <class M>
long double matrix_scale(const M& m) {
    long double s = 1;
    for (const auto& row : m)
        for (const auto v : row)
            if (std::isfinite(static_cast<long double>(v)))
                s = std::fmax(s, std::fabs(static_cast<long double>(v)));
    return s;
}

// The gradient of f along v by forward-over-forward: the value sweep on dual<dual<double, 1>, N>,
// inputs seeded with the unit vectors outside and with v inside; tangent i of the root is
// ∂f/∂x_i, and its inner tangent the derivative of ∂f/∂x_i along v, i.e. (H v)_i.
template <class F, std::size_t N>
std::array<double, N> gradient_jvp(const F& f, const std::array<double, N>& p,
                                   const std::array<double, N>& v) {
    namespace tl = tapeless;
    using Root = tl::node_of<F>;
    using Inner = tl::dual<double, 1>;
    constexpr bool flat = tl::detail::check_arguments<Root, std::array<double, N>>();
    std::array<Inner, N> q{};
    for (std::size_t i = 0; i < N; ++i) q[i] = Inner(p[i], {v[i]});
    const auto y = tl::detail::dual_sweep<Root, Inner, N, flat>(
        f.consts.data(), [](std::size_t j, std::size_t k) { return Inner(j == k ? 1.0 : 0.0); }, q);
    std::array<double, N> out{};
    for (std::size_t i = 0; i < N; ++i) out[i] = y.d[i].d[0];
    return out;
}

// ∂/∂x_j of the gradient by Richardson-extrapolated central differences in long double.
template <class F, std::size_t N>
std::array<long double, N> gradient_difference(const F& f, const std::array<double, N>& p,
                                               std::size_t j) {
    namespace tl = tapeless;
    auto central = [&](long double h) {
        std::array<long double, N> up{}, down{};
        for (std::size_t k = 0; k < N; ++k) up[k] = down[k] = p[k];
        const long double s = h * std::fmax(1.0L, std::fabs(static_cast<long double>(p[j])));
        up[j] += s;
        down[j] -= s;
        const auto gu = tl::gradient(f, up);
        const auto gd = tl::gradient(f, down);
        std::array<long double, N> d{};
        for (std::size_t i = 0; i < N; ++i) d[i] = (gu[i] - gd[i]) / (up[j] - down[j]);
        return d;
    };
    const auto d1 = central(1e-3L), d2 = central(0.5e-3L);
    std::array<long double, N> r{};
    for (std::size_t i = 0; i < N; ++i) r[i] = (4 * d2[i] - d1[i]) / 3;
    return r;
}

// Whether row i of a square matrix has an infinite or NaN entry.
template <class M>
bool row_has_infinity(const M& H, std::size_t i) {
    for (const auto& x : H[i])
        if (!std::isfinite(static_cast<double>(x))) return true;
    return false;
}

template <class F, std::size_t N>
void expect_second_order_at(const F& f, const std::array<double, N>& p, const std::string& what,
                            bool differences) {
    namespace tl = tapeless;
    const auto dense = tl::value_gradient_and_hessian(f, p, tl::dense_mode);
    const auto cols = tl::value_gradient_and_hessian(f, p, tl::hvp_mode);
    const auto sparse = tl::value_gradient_and_hessian(f, p, tl::sparse_mode);
    const auto pattern = tl::hessian_pattern(f, p);
    const auto H = dense.hessian;
    const auto Ha = tl::hessian(f, p);
    const long double scale = matrix_scale(H);
    const std::string at = what + " at (" + [&] {
        std::string s;
        for (std::size_t i = 0; i < N; ++i) s += (i ? ", " : "") + show(p[i]);
        return s;
    }() + ")";

    // 5. value and gradient
    const double v = tl::value(f, p);
    const auto g = tl::gradient(f, p);
    BOOST_TEST(agree(dense.value, v, tolerances::value),
               at << ": value " << show(dense.value) << " vs " << show(v));
    BOOST_TEST(agree(cols.value, v, tolerances::value),
               at << ": value (hvp mode) " << show(cols.value) << " vs " << show(v));
    for (std::size_t i = 0; i < N; ++i) {
        BOOST_TEST(agree(dense.gradient[i], g[i], tolerances::value),
                   at << ": gradient " << i << " " << show(dense.gradient[i]) << " vs "
                      << show(g[i]));
        BOOST_TEST(agree(cols.gradient[i], g[i], tolerances::value),
                   at << ": gradient (hvp mode) " << i << " " << show(cols.gradient[i]) << " vs "
                      << show(g[i]));
    }

    std::array<double, N> dir{};
    for (std::size_t i = 0; i < N; ++i)
        dir[i] = 0.5 + 0.25 * static_cast<double>(i % 3) - 0.3 * static_cast<double>(i % 2);
    const auto hv = tl::hvp(f, p, dir);
    const auto fof = gradient_jvp(f, p, dir);

    for (std::size_t j = 0; j < N; ++j) {
        std::array<double, N> e{};
        e[j] = 1;
        const auto col = tl::hvp(f, p, e);
        const auto fd = differences ? gradient_difference(f, p, j) : std::array<long double, N>{};
        for (std::size_t i = 0; i < N; ++i) {
            // 1. dense against columns, and the automatic choice is one of them
            BOOST_TEST(agree(H[i][j], cols.hessian[i][j], tolerances::same_rule, scale),
                       at << ": H[" << i << "][" << j << "] dense " << show(H[i][j])
                          << " vs by columns " << show(cols.hessian[i][j]));
            BOOST_TEST((same_value(Ha[i][j], H[i][j]) || same_value(Ha[i][j], cols.hessian[i][j]) ||
                        same_value(Ha[i][j], sparse.hessian[i][j])),
                       at << ": tl::hessian's choice H[" << i << "][" << j
                          << "] = " << show(Ha[i][j]));
            if (pattern.nonzero(i, j)) {
                BOOST_TEST(
                    agree(sparse.hessian[i][j], cols.hessian[i][j], tolerances::reordered, scale),
                    at << ": H[" << i << "][" << j << "] sparse " << show(sparse.hessian[i][j])
                       << " vs by columns " << show(cols.hessian[i][j]));
            } else {
                // 7. outside the pattern: exact zeros
                BOOST_TEST(sparse.hessian[i][j] == 0.0, at << ": H[" << i << "][" << j
                                                           << "] sparse, outside the pattern, is "
                                                           << show(sparse.hessian[i][j]));
                if (differences)
                    BOOST_TEST((H[i][j] == 0.0 && cols.hessian[i][j] == 0.0),
                               at << ": H[" << i << "][" << j << "] outside the pattern is "
                                  << show(H[i][j]) << " (dense), " << show(cols.hessian[i][j])
                                  << " (by columns)");
            }
            // 2. hvp along e_j is column j
            BOOST_TEST(agree(col[i], H[i][j], tolerances::same_rule, scale),
                       at << ": hvp(e_" << j << ")[" << i << "] " << show(col[i]) << " vs H[" << i
                          << "][" << j << "] " << show(H[i][j]));
            // 3. symmetry. A column is H · e_j: where another entry of row i is infinite (a / b at
            // b = 0), that entry times the direction's 0 is NaN in IEEE arithmetic, as in any
            // matrix-vector product, so at edge points one triangle may be NaN where the other
            // has the (infinite) entry; nothing else is let through.
            BOOST_TEST((agree(H[i][j], H[j][i], tolerances::reordered, scale) ||
                        (!differences && row_has_infinity(H, i) && row_has_infinity(H, j) &&
                         (std::isnan(H[i][j]) || std::isnan(H[j][i])))),
                       at << ": H[" << i << "][" << j << "] " << show(H[i][j]) << " vs H[" << j
                          << "][" << i << "] " << show(H[j][i]));
            // 6. finite differences of the gradient
            if (differences)
                BOOST_TEST(agree(H[i][j], fd[i], tolerances::differences, scale),
                           at << ": H[" << i << "][" << j << "] " << show(H[i][j])
                              << " vs difference of the gradient " << show(fd[i]));
        }
    }
    // 4. hvp against forward-over-forward. Forward-over-forward seeds each input's tangent with a
    // nested dual 1 whose own tangent is 0; where a partial is infinite (log at 0) that 0 meets it
    // and the nested product is NaN, while forward-over-reverse keeps the seed passive and gives
    // the limit (±inf, checked against the rules in hessian_edges). Only that case is let through.
    for (std::size_t i = 0; i < N; ++i)
        BOOST_TEST((agree(hv[i], fof[i], tolerances::reordered, scale) ||
                    (std::isnan(fof[i]) && std::isinf(hv[i]))),
                   at << ": hvp(v)[" << i << "] " << show(hv[i]) << " vs forward-over-forward "
                      << show(fof[i]));
}

// Every law above, finite differences included, at ordinary points.
template <class F, std::size_t N>
void expect_second_order(const F& f, std::initializer_list<std::array<double, N>> points) {
    const std::string what = tapeless::to_string(f);
    for (const auto& p : points) expect_second_order_at(f, p, what, true);
}

// The laws between modes only, at domain edges (kinks, infinities, saturation), where
// differences say nothing.
template <class F, std::size_t N>
void expect_second_order_at_edges(const F& f, std::initializer_list<std::array<double, N>> points) {
    const std::string what = tapeless::to_string(f);
    for (const auto& p : points) expect_second_order_at(f, p, what, false);
}

} // namespace tapeless_test

#endif
