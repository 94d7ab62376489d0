// test/support/fuzz_check.hpp — the checks run on every random expression of the fuzzer
// (scripts/fuzz/generate.py writes the sources; docs/testing.md describes the whole).
//
//   tapeless_fuzz::report r;
//   tapeless_fuzz::check(r, 17, f, std::array{std::array{0.3, -1.2, 0.7}, ...});
//   return r.finish();
//
// f is a scalar expression over one flat std::array<double, N> (the scalar variables a, b, c) or
// over one vector-shaped input (w). At every point p, with the direction
// dir_i = 0.5 + 0.25 (i mod 3) − 0.3 (i mod 2):
//
//   value      tl::value in double                 vs tl::value in long double
//   gradient   tl::gradient (reverse)              vs tl::gradient(…, tl::forward_mode)
//              both                                vs Richardson central differences of the long
//                                                     double value (steps h, h/2;
//                                                     h = 1e-4 max(1, |p_i|))
//              tl::value_and_gradient              vs tl::value and tl::gradient
//   hvp        tl::hvp(f, p, e_j)                  vs column j of the dense Hessian
//              tl::hvp(f, p, dir)                  vs H · dir
//   Hessian    dense_mode, hvp_mode, sparse_mode   against each other; tl::hessian's choice is
//                                                  one of them
//              H                                   vs Hᵀ
//              H                                   vs Richardson central differences of
//                                                  tl::gradient
//              entries outside tl::hessian_pattern are exactly 0 in every mode
//   every mode where the reverse gradient g is finite (each entry):
//              tl::jvp(f, p, e_i)                  vs g_i
//              tl::jvp(f, p, v), v pseudo-random   vs g · v
//              c_1 of tl::taylor_coefficients<4>(f, p, e_i) vs g_i
//              c_2 of the same                     vs H_ii / 2 from differences of the gradient
//              hvp(e_j), each Hessian mode         vs differences of the gradient, where those
//                                                  are finite
//   Taylor     c_0 (tl::taylor_coefficients<4>)    vs the value
//              c_1                                 vs gradient · dir and tl::jvp
//              c_2                                 vs dirᵀ H dir / 2
//              c_1, c_2, c_3                       vs Richardson central differences of
//                                                     g(t) = f(p + t dir) in long double
//              c_4                                 vs the central difference of c_3 along dir
//                                                  (4 c_4 = d c_3 / dt)
//
// Tolerances (all in `tolerances` below): |x − y| ≤ rel · max(|x|, |y|) + floor · scale, where
// scale is 1 + the largest magnitude of the quantity compared (the gradient's largest entry, the
// Hessian's largest entry, the largest coefficient): rounding errors of a sum are relative to
// the size of its terms, not of the result, so an entry that cancels to nearly 0 is compared on
// the scale of its neighbours.
#ifndef TAPELESS_TEST_SUPPORT_FUZZ_CHECK_HPP
#define TAPELESS_TEST_SUPPORT_FUZZ_CHECK_HPP

#include <tapeless/tapeless.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>

#include "tolerances.hpp"
#include "values.hpp"

namespace tapeless_fuzz {

using tapeless_test::show;

using tapeless_test::tolerance;
// Random expressions carry more rounding than the tests' functions: their own entries of the one
// table, tolerances.hpp (random_value, random_modes, random_differences,
// random_taylor_differences), each with its reason there.
namespace tolerances {
inline constexpr tolerance value = tapeless_test::tolerances::random_value;
inline constexpr tolerance modes = tapeless_test::tolerances::random_modes;
inline constexpr tolerance differences = tapeless_test::tolerances::random_differences;
inline constexpr tolerance taylor_differences =
    tapeless_test::tolerances::random_taylor_differences;
} // namespace tolerances

inline constexpr long double relative_step = 1e-4L;

struct report {
    int expressions = 0;
    int disagreements = 0;
    int failed_expressions = 0;
    int current = -1;
    bool current_failed = false;

    void begin(int id) {
        current = id;
        current_failed = false;
        ++expressions;
    }
    void end() {
        if (current_failed) ++failed_expressions;
    }
    // Records one comparison; prints it when it fails.
    bool expect(bool ok, const std::string& what) {
        if (!ok) {
            ++disagreements;
            current_failed = true;
            std::printf("FUZZ-FAIL %d: %s\n", current, what.c_str());
        }
        return ok;
    }
    int finish() const {
        std::printf("fuzz: %d expressions, %d disagreements in %d expressions\n", expressions,
                    disagreements, failed_expressions);
        return disagreements == 0 ? 0 : 1;
    }
};

// tapeless_test::agree for finite numbers; here NaN or an infinity always disagrees (the generator
// only chooses points where every derivative exists and is finite, some of them where a
// subexpression is exactly 0: bases of integer powers and operands of products).
inline bool finite_and_agree(long double x, long double y, tolerance t, long double scale) {
    return std::isfinite(x) && std::isfinite(y) && tapeless_test::agree(x, y, t, scale);
}

inline void compare(report& r, long double got, long double want, tolerance t, long double scale,
                    const std::string& what) {
    r.expect(finite_and_agree(got, want, t, scale), what + ": " + show(got) + " vs " + show(want));
}

// The difference a derivative is compared with: the Richardson estimate at the step h, unless it
// has not converged there. A steep expression (a quotient by a small erf, pow(u, u) of a large u)
// can have fifth derivatives so large that the estimate at h is off by more than the tolerance;
// the estimate at h/8 then differs from it by more than the tolerance too, and is the better one
// (its truncation error is 8⁴ times smaller; the rounding of long double values, ε_ld |f| 8/h,
// stays far below the tolerance). Where the two agree, the one at h is kept as before.
inline long double converged_difference(long double at_h, long double at_h8, tolerance t,
                                        long double scale) {
    return finite_and_agree(at_h, at_h8, t, scale) ? at_h : at_h8;
}

template <class V>
long double max_magnitude(const V& v) {
    long double s = 0;
    for (const auto x : v) s = std::fmax(s, std::fabs(static_cast<long double>(x)));
    return s;
}

template <class V>
bool all_finite(const V& v) {
    for (const auto x : v)
        if (!std::isfinite(static_cast<long double>(x))) return false;
    return true;
}

// A direction in [−1, 1]^N that depends only on the point (the same in every run).
template <std::size_t N>
std::array<double, N> pseudo_random_direction(const std::array<double, N>& p) {
    std::uint64_t seed = N;
    for (const double x : p) {
        std::uint64_t bits = 0;
        std::memcpy(&bits, &x, sizeof bits);
        seed = seed * 0x9E3779B97F4A7C15ULL + bits;
    }
    std::mt19937_64 gen(seed);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    std::array<double, N> v{};
    for (auto& x : v) x = u(gen);
    return v;
}

template <class F, std::size_t N>
void check_at(report& r, const F& f, const std::array<double, N>& p, const std::string& at) {
    namespace tl = tapeless;
    using ld = long double;
    std::array<ld, N> pl{};
    for (std::size_t i = 0; i < N; ++i) pl[i] = p[i];
    std::array<double, N> dir{};
    for (std::size_t i = 0; i < N; ++i)
        dir[i] = 0.5 + 0.25 * static_cast<double>(i % 3) - 0.3 * static_cast<double>(i % 2);
    auto value_ld = [&](const std::array<ld, N>& q) { return static_cast<ld>(tl::value(f, q)); };
    auto step = [&](std::size_t i) { return relative_step * std::fmax(1.0L, std::fabs(pl[i])); };

    // --- value --------------------------------------------------------------------------------
    const double v = tl::value(f, p);
    const ld vl = value_ld(pl);
    compare(r, v, vl, tolerances::value, 1 + std::fabs(vl), at + " value double vs long double");

    // --- gradient -----------------------------------------------------------------------------
    const auto [v2, rev] = tl::value_and_gradient(f, p);
    const auto fwd = tl::gradient(f, p, tl::forward_mode);
    const auto rev2 = tl::gradient(f, p);
    const ld gscale = 1 + max_magnitude(rev);
    r.expect(tapeless_test::same_value(v2, v),
             at + " value_and_gradient's value " + show(v2) + " vs value " + show(v));
    for (std::size_t i = 0; i < N; ++i) {
        const std::string gi = at + " d/dx" + std::to_string(i);
        r.expect(tapeless_test::same_value(rev[i], rev2[i]),
                 gi + " value_and_gradient vs gradient " + show(rev[i]) + " vs " + show(rev2[i]));
        compare(r, rev[i], fwd[i], tolerances::modes, gscale, gi + " reverse vs forward");
        auto central = [&](ld h) {
            auto up = pl, down = pl;
            up[i] += h;
            down[i] -= h;
            return (value_ld(up) - value_ld(down)) / (up[i] - down[i]);
        };
        const ld h = step(i);
        const ld fd = converged_difference((4 * central(h / 2) - central(h)) / 3,
                                           (4 * central(h / 16) - central(h / 8)) / 3,
                                           tolerances::differences, gscale);
        compare(r, rev[i], fd, tolerances::differences, gscale,
                gi + " reverse vs finite difference");
    }
    // Where reverse mode gives a number for every entry, every other first-order mode must give
    // the same number (along each input and along a direction that moves all of them).
    const bool rev_finite = all_finite(rev);
    // Taylor coefficients up to c_4 (one instantiation for all directions)
    constexpr std::size_t K = 4;
    std::array<std::array<double, K + 1>, N> unit_taylor{};
    if (rev_finite) {
        for (std::size_t i = 0; i < N; ++i) {
            std::array<double, N> e{};
            e[i] = 1;
            const std::string gi = at + " d/dx" + std::to_string(i);
            compare(r, tl::jvp(f, p, e), rev[i], tolerances::modes, gscale,
                    gi + " jvp(e_" + std::to_string(i) + ") vs reverse");
            unit_taylor[i] = tl::taylor_coefficients<K>(f, p, e);
            compare(r, unit_taylor[i][1], rev[i], tolerances::modes, gscale,
                    gi + " taylor c1 along e_" + std::to_string(i) + " vs reverse");
        }
        const auto rd = pseudo_random_direction(p);
        ld gv = 0, gv_scale = 1;
        for (std::size_t i = 0; i < N; ++i) {
            gv += static_cast<ld>(rev[i]) * rd[i];
            gv_scale += std::fabs(static_cast<ld>(rev[i]) * rd[i]);
        }
        compare(r, tl::jvp(f, p, rd), gv, tolerances::modes, gv_scale,
                at + " jvp(random direction) vs reverse gradient . direction");
    }

    // --- Hessian ------------------------------------------------------------------------------
    const auto dense = tl::value_gradient_and_hessian(f, p, tl::dense_mode);
    const auto cols = tl::value_gradient_and_hessian(f, p, tl::hvp_mode);
    const auto sparse = tl::value_gradient_and_hessian(f, p, tl::sparse_mode);
    const auto chosen = tl::hessian(f, p);
    const auto pattern = tl::hessian_pattern(f, p);
    const auto& H = dense.hessian;
    ld hscale = 1;
    for (const auto& row : H) hscale = std::fmax(hscale, 1 + max_magnitude(row));
    compare(r, dense.value, v, tolerances::modes, 1 + std::fabs(v),
            at + " dense Hessian's value vs value");
    for (std::size_t i = 0; i < N; ++i) {
        compare(r, dense.gradient[i], rev[i], tolerances::modes, gscale,
                at + " dense Hessian's gradient " + std::to_string(i));
        compare(r, sparse.gradient[i], rev[i], tolerances::modes, gscale,
                at + " sparse Hessian's gradient " + std::to_string(i));
    }
    const auto hv = tl::hvp(f, p, dir);
    for (std::size_t j = 0; j < N; ++j) {
        std::array<double, N> e{};
        e[j] = 1;
        const auto col = tl::hvp(f, p, e);
        // ∂/∂x_j of the gradient by Richardson central differences (double gradients).
        auto central = [&](ld h) {
            auto up = p, down = p;
            up[j] = static_cast<double>(pl[j] + h);
            down[j] = static_cast<double>(pl[j] - h);
            const auto gu = tl::gradient(f, up);
            const auto gd = tl::gradient(f, down);
            std::array<ld, N> d{};
            for (std::size_t i = 0; i < N; ++i)
                d[i] = (static_cast<ld>(gu[i]) - gd[i]) /
                       (static_cast<ld>(up[j]) - static_cast<ld>(down[j]));
            return d;
        };
        const auto d1 = central(step(j)), d2 = central(step(j) / 2);
        const auto d8 = central(step(j) / 8), d16 = central(step(j) / 16);
        for (std::size_t i = 0; i < N; ++i) {
            const std::string hij = at + " H[" + std::to_string(i) + "][" + std::to_string(j) + "]";
            const ld fd = converged_difference((4 * d2[i] - d1[i]) / 3, (4 * d16[i] - d8[i]) / 3,
                                               tolerances::differences, hscale);
            // Where reverse mode and its differences are finite, each second-order mode on its own
            // (so that a NaN is blamed on the mode that gives it, not on the one compared with).
            if (rev_finite && std::isfinite(fd)) {
                compare(r, col[i], fd, tolerances::differences, hscale,
                        hij + " hvp(e_j) vs finite difference of the gradient");
                compare(r, cols.hessian[i][j], fd, tolerances::differences, hscale,
                        hij + " hvp_mode vs finite difference of the gradient");
                compare(r, sparse.hessian[i][j], fd, tolerances::differences, hscale,
                        hij + " sparse_mode vs finite difference of the gradient");
                if (i == j)
                    compare(r, unit_taylor[i][2], fd / 2, tolerances::differences, hscale,
                            hij + " taylor c2 along e_i vs finite difference of the gradient / 2");
            }
            compare(r, cols.hessian[i][j], H[i][j], tolerances::modes, hscale,
                    hij + " by columns vs dense");
            compare(r, sparse.hessian[i][j], H[i][j], tolerances::modes, hscale,
                    hij + " sparse vs dense");
            r.expect(tapeless_test::same_value(chosen[i][j], H[i][j]) ||
                         tapeless_test::same_value(chosen[i][j], cols.hessian[i][j]) ||
                         tapeless_test::same_value(chosen[i][j], sparse.hessian[i][j]),
                     hij + " tl::hessian's choice " + show(chosen[i][j]) + " is none of the modes");
            compare(r, col[i], H[i][j], tolerances::modes, hscale, hij + " hvp(e_j) vs dense");
            compare(r, H[i][j], H[j][i], tolerances::modes, hscale, hij + " vs H[j][i]");
            compare(r, H[i][j], fd, tolerances::differences, hscale,
                    hij + " dense_mode vs finite difference of the gradient");
            if (!pattern.nonzero(i, j))
                r.expect(H[i][j] == 0.0 && cols.hessian[i][j] == 0.0 && sparse.hessian[i][j] == 0.0,
                         hij + " outside the sparsity pattern is not 0: " + show(H[i][j]) +
                             " (dense), " + show(cols.hessian[i][j]) + " (by columns), " +
                             show(sparse.hessian[i][j]) + " (sparse)");
        }
    }
    ld hdir_scale = 1;
    std::array<ld, N> Hd{};
    for (std::size_t i = 0; i < N; ++i) {
        for (std::size_t j = 0; j < N; ++j) Hd[i] += static_cast<ld>(H[i][j]) * dir[j];
        hdir_scale = std::fmax(hdir_scale, 1 + std::fabs(Hd[i]));
    }
    for (std::size_t i = 0; i < N; ++i)
        compare(r, hv[i], Hd[i], tolerances::modes, hscale * 3,
                at + " hvp(dir)[" + std::to_string(i) + "] vs H dir");

    // --- Taylor -------------------------------------------------------------------------------
    const auto c = tl::taylor_coefficients<K>(f, p, dir);
    ld gd = 0, gd_scale = 1, dHd = 0;
    for (std::size_t i = 0; i < N; ++i) {
        gd += static_cast<ld>(rev[i]) * dir[i];
        gd_scale += std::fabs(static_cast<ld>(rev[i]) * dir[i]);
        dHd += Hd[i] * dir[i];
    }
    const double jv = tl::jvp(f, p, dir);
    ld cscale = 1;
    for (const double ck : c) cscale = std::fmax(cscale, 1 + std::fabs(static_cast<ld>(ck)));
    compare(r, c[0], v, tolerances::modes, 1 + std::fabs(v), at + " c0 vs value");
    compare(r, c[1], gd, tolerances::modes, gd_scale, at + " c1 vs gradient . dir");
    compare(r, c[1], jv, tolerances::modes, gd_scale, at + " c1 vs jvp");
    compare(r, c[2], dHd / 2, tolerances::modes, hscale * 9, at + " c2 vs dir' H dir / 2");

    // Differences along the line, step 1% of the radius of convergence estimated from the
    // coefficients, at most 1e-3: r = min_k ((1 + |c_0|) / |c_k|)^(1/k), k = 1..K, the root test
    // with the size of the function as the bound. (Not the ratios c_{k−1} / c_k: one coefficient
    // near 0, such as a value that happens to be near 0, would make the step tiny and the third
    // differences all rounding.) The coefficients up to K do not show a singularity whose
    // influence starts beyond them (c_5..c_10 in the hundreds or thousands while c_0..c_4 are
    // near 1), hence the cap: Richardson's remaining error is of order t⁴ c_7, while the
    // rounding of third differences in long double is only about 1e-19 |f| / t³ = 1e-10 |f|.
    ld radius = 1;
    for (std::size_t k = 1; k <= K; ++k)
        if (c[k] != 0.0)
            radius = std::fmin(radius, std::pow((1 + std::fabs(static_cast<ld>(c[0]))) /
                                                    std::fabs(static_cast<ld>(c[k])),
                                                1.0L / static_cast<ld>(k)));
    const ld t = 1e-3L * std::fmin(1.0L, 10 * radius);
    auto g = [&](ld s) {
        auto q = pl;
        for (std::size_t i = 0; i < N; ++i) q[i] = pl[i] + s * dir[i];
        return value_ld(q);
    };
    auto d1 = [&](ld h) { return (g(h) - g(-h)) / (2 * h); };
    auto d2 = [&](ld h) { return (g(h) - 2 * g(0) + g(-h)) / (h * h); };
    auto d3 = [&](ld h) { return (g(2 * h) - 2 * g(h) + 2 * g(-h) - g(-2 * h)) / (2 * h * h * h); };
    auto richardson = [&](auto d) { return (4 * d(t / 2) - d(t)) / 3; };
    compare(r, c[1], richardson(d1), tolerances::taylor_differences, cscale,
            at + " c1 vs difference along dir");
    compare(r, c[2], richardson(d2) / 2, tolerances::taylor_differences, cscale,
            at + " c2 vs difference along dir");
    compare(r, c[3], richardson(d3) / 6, tolerances::taylor_differences, cscale,
            at + " c3 vs difference along dir");
    auto c3_at = [&](ld s) {
        std::array<double, N> q{};
        for (std::size_t i = 0; i < N; ++i) q[i] = static_cast<double>(pl[i] + s * dir[i]);
        return static_cast<ld>(tl::taylor_coefficients<K>(f, q, dir)[3]);
    };
    auto dc3 = [&](ld h) { return (c3_at(h) - c3_at(-h)) / (2 * h); };
    compare(r, c[4], richardson(dc3) / 4, tolerances::taylor_differences, cscale,
            at + " c4 vs difference of c3 along dir");
}

template <class F, std::size_t N, std::size_t P>
void check(report& r, int id, const F& f, const std::array<std::array<double, N>, P>& points) {
    r.begin(id);
    for (std::size_t k = 0; k < P; ++k) {
        std::string at = "point " + std::to_string(k) + " (";
        for (std::size_t i = 0; i < N; ++i) at += (i ? ", " : "") + show(points[k][i]);
        // An expression over scalar variables takes one input per slot it reads (tapeless rejects
        // extra inputs): the slots after its last variable are left out of the point.
        using Root = tapeless::node_of<F>;
        constexpr std::size_t S = tapeless::graph::slot_count<Root>;
        if constexpr (S > 0 && S < N && tapeless::graph::slots_of<Root>.all_scalar()) {
            std::array<double, S> q{};
            for (std::size_t i = 0; i < S; ++i) q[i] = points[k][i];
            check_at(r, f, q, at + "):");
        } else {
            check_at(r, f, points[k], at + "):");
        }
    }
    if (r.current_failed) std::printf("FUZZ-EXPR %d: %s\n", id, tapeless::to_string(f).c_str());
    r.end();
}

} // namespace tapeless_fuzz

#endif
