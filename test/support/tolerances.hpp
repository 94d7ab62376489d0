// test/support/tolerances.hpp — the one table of tolerances of the cross-mode checks
// (expect_derivatives, expect_second_order, expect_taylor, expect_symbolic, and expect_ad, which
// runs them all), and the comparisons that read it.
//
// Each entry is relative to the larger magnitude of the two numbers, plus an absolute floor. Why
// each is what it is:
//   the value in double against long double        1e-13, floor 1e-300
//   same rules, same order of operations           1e-13, floor 1e-15 (× the Hessian's scale)
//     the dense, by-columns and sparse Hessians; hvp against Hessian columns
//   same rules, another order of operations        1e-12, floor 1e-300
//     reverse against forward, jvp against ∇f·v, Taylor c_0, c_1 against value and jvp, symbolic
//     first derivatives against reverse and forward mode
//   products of rules in different orders          1e-11, floor 1e-13 (× scale)
//     Hessian symmetry, hvp against forward-over-forward (scale: the Hessian's largest entry);
//     symbolic second and third derivatives against nested duals (scale: 1 + the largest
//     magnitude of f and its derivatives at the point; a small derivative that is a sum of
//     large terms carries their rounding in either formula)
//   Taylor coefficients against nested duals       1e-10, floor 1e-12 (× (1 + max |c_j|))
//     the recurrences of ops/series.hpp against the derivative rules: different formulas
//   finite differences                              1e-6, floor 1e-8
//     central differences of the value in long double (step 1e-6 max(1, |x|)), Richardson
//     differences of the gradient; truncation error O(h²) and O(h⁴)
//   Taylor coefficients against differences         1e-5, floor 1e-6 (× (1 + max |c_j|))
//     Richardson differences of c_{k−1}, step 1% of the radius of convergence
// At domain edges a NaN must meet a NaN and an infinity the same infinity (`agree`).
//
// The random expressions of scripts/fuzz.sh (fuzz_check.hpp) have entries of their own, looser:
// up to a few hundred operations on values of magnitude ≤ 50 (the generator keeps them there),
// their floors × the magnitude of the numbers compared, and there a NaN or an infinity always
// disagrees:
//   random_value: double against long double       1e-11, floor 1e-12
//     the rounding of a few hundred operations, amplified by the condition of the expression
//   random_modes: the same derivative by two modes  1e-10, floor 1e-11
//     forward vs reverse, dense vs by columns vs sparse, H vs Hᵀ, c_1 vs g · dir: the same
//     rules in a different order, so rounding only
//   random_differences                              1e-6, floor 1e-7
//     Richardson differences with h = 1e-4: truncation O(h⁴) ≈ 1e-16 times the fifth
//     derivative; rounding of the long double values ε_ld |f| / h ≈ 1e-15, of the double
//     gradients ε |∇f| / h ≈ 1e-12
//   random_taylor_differences                       1e-5, floor 1e-6
//     a step 1% of the radius of convergence (estimated by the root test), at most 1e-3; third
//     differences lose more
#ifndef TAPELESS_TEST_SUPPORT_TOLERANCES_HPP
#define TAPELESS_TEST_SUPPORT_TOLERANCES_HPP

#include <cmath>

namespace tapeless_test {

struct tolerance {
    long double rel, floor;
};

namespace tolerances {
inline constexpr tolerance value{1e-13L, 1e-300L};
inline constexpr tolerance same_rule{1e-13L, 1e-15L};
inline constexpr tolerance modes{1e-12L, 1e-300L};
inline constexpr tolerance reordered{1e-11L, 1e-13L};
inline constexpr tolerance taylor_nested{1e-10L, 1e-12L};
inline constexpr tolerance differences{1e-6L, 1e-8L};
inline constexpr tolerance taylor_differences{1e-5L, 1e-6L};
inline constexpr tolerance random_value{1e-11L, 1e-12L};
inline constexpr tolerance random_modes{1e-10L, 1e-11L};
inline constexpr tolerance random_differences{1e-6L, 1e-7L};
inline constexpr tolerance random_taylor_differences{1e-5L, 1e-6L};
} // namespace tolerances

// |a − b| ≤ abs_floor + rel · max(|a|, |b|); NaN meets NaN, an infinity the same infinity.
inline bool agree(long double a, long double b, long double rel, long double abs_floor) {
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
    if (std::isinf(a) || std::isinf(b)) return a == b;
    return std::fabs(a - b) <= abs_floor + rel * std::fmax(std::fabs(a), std::fabs(b));
}
// The same with an entry of the table, its floor multiplied by `scale` (the magnitude of the
// numbers compared: a Hessian's largest entry, a series' largest coefficient).
inline bool agree(long double a, long double b, tolerance t, long double scale = 1) {
    return agree(a, b, t.rel, t.floor * scale);
}

} // namespace tapeless_test

#endif
