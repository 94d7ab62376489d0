// Passive operands (ops/common.hpp, graph/sweep.hpp, graph/reverse.hpp): on dual and Taylor
// numbers, constants, data and nodes that depend on no variable are plain values, and the
// second-order sweeps read the root's adjoint as one. Every case here gave NaN (or a wrong Taylor
// coefficient) in some mode before, where reverse mode gave a number; each is now checked across
// modes and against finite differences, never against numbers taken from the implementation.
#include <tapeless/tapeless.hpp>

#include <array>
#include <cmath>
#include <limits>

#include <boost/test/unit_test.hpp>

#include "support/expect_derivatives.hpp"
#include "support/expect_second_order.hpp"

namespace tl = tapeless;
namespace tt = tapeless_test;
namespace bt = boost::test_tools;
using namespace tl::literals;

namespace {
constexpr double inf = std::numeric_limits<double>::infinity();

// Every first- and second-order mode at p, against reverse mode and differences.
template <class F, std::size_t N>
void expect_all_modes(const F& f, std::initializer_list<std::array<double, N>> points) {
    tt::expect_derivatives(f, points);
    tt::expect_second_order(f, points);
}
} // namespace

BOOST_AUTO_TEST_SUITE(passive_operands)

// pow with a constant exponent at a base <= 0: the exponent's partial log(a)·aᵇ is NaN there, and
// forward mode, jvp, H·v and the Hessians multiplied it by the constant's zero tangent.
BOOST_AUTO_TEST_CASE(pow_constant_exponent_at_nonpositive_bases) {
    auto f = [](auto x, auto y) { return pow(x + 2.0 * y - 7.0, 2); };
    const std::array<double, 2> p{0.0, 0.0};
    const auto g = tl::gradient(f, p);
    const auto gf = tl::gradient(f, p, tl::forward_mode);
    BOOST_TEST(g[0] == -14.0); // 2 (x + 2y − 7) at the origin, exactly
    BOOST_TEST(g[1] == -28.0);
    BOOST_TEST(gf[0] == g[0]);
    BOOST_TEST(gf[1] == g[1]);
    const auto H = tl::hessian(f, p);
    BOOST_TEST(H[0][0] == 2.0);
    BOOST_TEST(H[0][1] == 4.0);
    BOOST_TEST(H[1][0] == 4.0);
    BOOST_TEST(H[1][1] == 8.0);

    auto [x, y] = tl::variables<"x", "y">();
    const auto H2 = tl::hessian(pow(x, 2.0) + y * y, std::array{0.0, 1.0});
    BOOST_TEST(H2[0][0] == 2.0);
    BOOST_TEST(H2[0][1] == 0.0);
    BOOST_TEST(H2[1][0] == 0.0);
    BOOST_TEST(H2[1][1] == 2.0);

    // the same with every mode's laws and differences, at the origin, at negative bases and at
    // ordinary points
    expect_all_modes(
        pow(x + 2.0 * y - 7.0, 2) + pow(x - 1.0, 3.0),
        {std::array{0.0, 0.0}, std::array{-1.2, 1.0}, std::array{1.0, 3.0}, std::array{2.5, -0.5}});
    expect_all_modes(pow(x, 2.0) + pow(y, -2), {std::array{0.0, 1.0}, std::array{-0.7, -1.3}});
}

// The functions users wrote with pow(·, 2): Rosenbrock, Booth, Beale, a least-squares loss, at
// ordinary points such as (−1.2, 1).
BOOST_AUTO_TEST_CASE(classic_test_functions_written_with_pow) {
    auto [x, y] = tl::variables<"x", "y">();
    auto rosenbrock = pow(1.0 - x, 2) + 100.0 * pow(y - pow(x, 2), 2);
    auto booth = pow(x + 2.0 * y - 7.0, 2) + pow(2.0 * x + y - 5.0, 2);
    auto beale = pow(1.5 - x + x * y, 2) + pow(2.25 - x + x * pow(y, 2), 2) +
                 pow(2.625 - x + x * pow(y, 3), 2);
    auto least_squares =
        pow(x * 0.5 + y - 1.0, 2.0) + pow(x * -1.5 + y + 2.0, 2.0) + pow(x * 3.0 + y, 2.0);
    const auto points = {std::array{-1.2, 1.0}, std::array{0.0, 0.0}, std::array{1.0, 1.0},
                         std::array{-2.0, -3.0}};
    expect_all_modes(rosenbrock, points);
    expect_all_modes(booth, points);
    expect_all_modes(beale, points);
    expect_all_modes(least_squares, points);

    // Rosenbrock over a vector, with a constant exponent: every element's base is negative at
    // the classic start
    auto w = tl::variable<0, tl::vector<4>, "w">;
    auto r = sum(100.0 * pow(tl::slice<1, 3>(w) - pow(tl::slice<0, 3>(w), 2), 2) +
                 pow(1.0 - tl::slice<0, 3>(w), 2.0));
    const std::array<double, 4> w0{-1.2, 1.0, -1.2, 1.0};
    const auto g = tl::gradient(r, w0);
    const auto gf = tl::gradient(r, w0, tl::forward_mode);
    const auto H = tl::hessian(r, w0);
    for (std::size_t i = 0; i < 4; ++i) {
        BOOST_TEST(std::isfinite(g[i]));
        BOOST_TEST(gf[i] == g[i], bt::tolerance(1e-13));
        std::array<double, 4> e{};
        e[i] = 1;
        const auto col = tl::hvp(r, w0, e);
        for (std::size_t j = 0; j < 4; ++j) {
            BOOST_TEST(std::isfinite(H[j][i]));
            BOOST_TEST(col[j] == H[j][i], bt::tolerance(1e-12));
        }
    }
}

// The fuzzer's reduced examples (a runtime constant integer exponent, written as int or double).
BOOST_AUTO_TEST_CASE(fuzzer_reduced_examples) {
    auto w = tl::variable<0, tl::vector<4>, "w">;
    auto f1 = tl::pow(tl::element<1>(w), 2);
    auto f2 = tl::dot(tl::slice<0, 3>(w), tl::pow(tl::slice<0, 3>(w), 3.0));
    for (const auto& p :
         {std::array{-0.758, -1.093, 0.775, 0.0}, std::array{-0.22, 0.866, 1.343, 0.666}}) {
        for (const auto& g :
             {tl::gradient(f1, p, tl::forward_mode), tl::gradient(f2, p, tl::forward_mode)})
            for (double gi : g) BOOST_TEST(std::isfinite(gi));
        const auto H1 = tl::hessian(f1, p);
        const auto H2 = tl::hessian(f2, p);
        for (std::size_t i = 0; i < 4; ++i)
            for (std::size_t j = 0; j < 4; ++j) {
                BOOST_TEST(std::isfinite(H1[i][j]));
                BOOST_TEST(std::isfinite(H2[i][j]));
            }
    }
    auto [a, b, c] = tl::variables<"a", "b", "c">();
    expect_all_modes(tl::pow(a - 0.5_c, 3) + b * c, {std::array{0.5, 1.2, 0.3}});
}

// At poles the second derivative is ±inf in every second-order mode (the seed's zero tangent no
// longer meets the infinite first derivative), and a constant operand never contributes a NaN
// through its zero tangent.
BOOST_AUTO_TEST_CASE(infinite_partials_with_passive_seed_and_constants) {
    auto [x] = tl::variables<"x">();
    BOOST_TEST(tl::hessian(sqrt(x), std::array{0.0})[0][0] == -inf);
    BOOST_TEST(tl::hvp(log(x), std::array{0.0}, std::array{1.0})[0] == -inf);
    BOOST_TEST(tl::hessian(pow(x, 0.5), std::array{0.0})[0][0] == -inf);
    // a constant subexpression with an infinite intermediate partial: sqrt(0.0 * x + 0.0) is not
    // constant, but sqrt of a constant is, and multiplies x exactly
    auto k = sqrt(tl::constant(0.0)) + 3.0;
    BOOST_TEST(tl::gradient(k * x, std::array{2.0}, tl::forward_mode)[0] == 3.0);
    BOOST_TEST(tl::hessian(k * x * x, std::array{2.0})[0][0] == 6.0);
    // mean and dot with a constant: the constant's zero tangent is not multiplied by inf
    auto v = tl::variable<0, tl::vector<2>, "v">;
    const std::array<double, 2> big{inf, 0.0};
    const auto gm = tl::gradient(mean(v), big, tl::forward_mode);
    BOOST_TEST(gm[0] == 0.5);
    BOOST_TEST(gm[1] == 0.5);
    const auto gd = tl::gradient(dot(v, std::array{2.0, 3.0}), big, tl::forward_mode);
    BOOST_TEST(gd[0] == 2.0);
    BOOST_TEST(gd[1] == 3.0);
}

// Taylor mode: an integer exponent, constant or runtime, takes the integer recurrence (repeated
// products), not the real-exponent one that divides by the base and lost accuracy near 0.
BOOST_AUTO_TEST_CASE(taylor_integer_exponents) {
    auto [x] = tl::variables<"x">();
    auto check = [&](const auto& f, const auto& product, double at) {
        const auto c = tl::taylor_coefficients<8>(f, std::array{at}, std::array{1.0});
        const auto r = tl::taylor_coefficients<8>(product, std::array{at}, std::array{1.0});
        long double scale = 0;
        for (double ri : r) scale = std::fmax(scale, std::fabs(ri));
        for (std::size_t k = 0; k <= 8; ++k)
            BOOST_TEST(std::fabs(static_cast<long double>(c[k]) - r[k]) <= 1e-13L * scale,
                       "coefficient " << k << " at " << at << ": " << c[k] << " vs the product's "
                                      << r[k]);
    };
    check(pow(sin(x), 2), sin(x) * sin(x), 1e-3);
    check(pow((x + x) * cos(x), 2), ((x + x) * cos(x)) * ((x + x) * cos(x)), -1.57);
    check(pow(sin(x), 3.0), sin(x) * sin(x) * sin(x), 1e-3);
    check(pow(x - 1.0, 4), (x - 1.0) * (x - 1.0) * ((x - 1.0) * (x - 1.0)), 1.0);
    check(pow(x - 1.0, -2), 1.0 / ((x - 1.0) * (x - 1.0)), 0.75);
    check(pow(x, 3), x * x * x, -2.0);
}

// Taylor mode: the recurrences of a constant real exponent and of cbrt divide by the base, and
// were NaN at a base of 0 or ±inf. There the coefficients are the derivatives over k!, checked here
// against binom(r, k)·x₀^(r−k) computed with <cmath> (inf at 0 for k > r, 0 at inf), against
// sqrt's own recurrence (which divides by the value, not the base), and c₂ against H·v.
BOOST_AUTO_TEST_CASE(taylor_real_powers_at_zero_and_infinity) {
    auto [x] = tl::variables<"x">();
    auto check = [&](const auto& f, double r, double at, bool odd) {
        const auto c = tl::taylor_coefficients<5>(f, std::array{at}, std::array{1.0});
        double binomial = 1;
        for (std::size_t k = 1; k <= 5; ++k) {
            binomial *= (r - static_cast<double>(k - 1)) / static_cast<double>(k);
            // cbrt is odd: its derivatives at −0 and −inf are those of −cbrt(−x).
            const double base = odd && std::signbit(at) ? -at : at;
            const double exact = (odd && std::signbit(at) && k % 2 == 0 ? -1.0 : 1.0) * binomial *
                                 std::pow(base, r - static_cast<double>(k));
            if (std::isinf(exact) || exact == 0)
                BOOST_TEST((c[k] == exact || (exact == 0 && c[k] == 0)),
                           "coefficient " << k << " of x^" << r << " at " << at << ": " << c[k]
                                          << ", exact " << exact);
            else
                BOOST_TEST(c[k] == exact, bt::tolerance(1e-13));
        }
    };
    for (double at : {0.0, -0.0, inf}) {
        check(pow(x, 0.5), 0.5, at, false);
        check(pow(x, 1.5), 1.5, at, false);
        check(pow(x, 2.5), 2.5, at, false);
        check(pow(x, -0.5), -0.5, at, false);
    }
    for (double at : {0.0, -0.0, inf, -inf}) check(cbrt(x), 1.0 / 3.0, at, true);
    // sqrt's recurrence y_k = (x_k − Σ y_j y_{k−j})/(2 y_0) at 0: inf, −inf, inf, ... as the
    // powers'.
    const auto s = tl::taylor_coefficients<4>(sqrt(x), std::array{0.0}, std::array{2.0});
    const auto p = tl::taylor_coefficients<4>(pow(x, 0.5), std::array{0.0}, std::array{2.0});
    for (std::size_t k = 1; k <= 4; ++k) BOOST_TEST(p[k] == s[k], "coefficient " << k);
    // c₂ = f''/2 against forward over reverse, whose cbrt rule y⁻²/3 has the derivative −2y⁻³y′/3.
    for (double at : {0.0, -0.0, inf, -inf}) {
        const auto c = tl::taylor_coefficients<2>(cbrt(x), std::array{at}, std::array{1.0});
        const auto h = tl::hvp(cbrt(x), std::array{at}, std::array{1.0});
        BOOST_TEST((2 * c[2] == h[0] || (c[2] == 0 && h[0] == 0)),
                   "at " << at << ": " << 2 * c[2] << " vs H·v " << h[0]);
    }
}

// A varying exponent: pow(0, 0) = pow(1, nan) = 1, and Taylor mode runs exp's recurrence from that
// value rather than from exp(b₀ log a₀) = NaN; along b, f'' = log(a)²·aᵇ (inf at (0, 0), 0 at
// (1, nan)), as H·v gives it.
BOOST_AUTO_TEST_CASE(taylor_varying_exponent_from_the_value) {
    auto [a, b] = tl::variables<"a", "b">();
    const auto f = pow(a, b);
    for (const auto& at :
         {std::array{0.0, 0.0}, std::array{1.0, std::numeric_limits<double>::quiet_NaN()}}) {
        const auto c = tl::taylor_coefficients<2>(f, at, std::array{0.0, 1.0});
        const auto h = tl::hvp(f, at, std::array{0.0, 1.0});
        BOOST_TEST(c[0] == 1.0);
        BOOST_TEST(!std::isnan(c[2]));
        BOOST_TEST((2 * c[2] == h[1] || (c[2] == 0 && h[1] == 0)),
                   "at (" << at[0] << ", " << at[1] << "): " << 2 * c[2] << " vs H·v " << h[1]);
    }
    const std::array p{1.7, 0.6};
    const auto c = tl::taylor_coefficients<2>(f, p, std::array{0.0, 1.0});
    const double l = std::log(1.7);
    BOOST_TEST(2 * c[2] == l * l * std::pow(1.7, 0.6), bt::tolerance(1e-13));
}

// Nested dual numbers mix with plain literals: generic energy code needs no T(2.0).
BOOST_AUTO_TEST_CASE(nested_duals_and_literals) {
    using D1 = tl::dual<double, 1>;
    using D2 = tl::dual<D1, 1>;
    // x = 1.5, seeded in both levels: the inner tangent of the outer tangent is f''
    D2 x(D1(1.5, {1.0}), {D1(1.0)});
    auto energy = [](const auto& q) {
        return 0.5 * q * q + 2.0 * q - q / 4.0 + 3 * (q - 1.0) + (2.0 - q) * 1.5f;
    };
    const D2 e = energy(x);
    // e(q) = q²/2 + 2q − q/4 + 3q − 3 + 3 − 1.5q: e' = q + 3.25, e'' = 1
    BOOST_TEST(e.v.v == 0.5 * 1.5 * 1.5 + 3.25 * 1.5);
    BOOST_TEST(e.d[0].v == 1.5 + 3.25);
    BOOST_TEST(e.v.d[0] == 1.5 + 3.25);
    BOOST_TEST(e.d[0].d[0] == 1.0);
    BOOST_TEST((x < 2.0));
    BOOST_TEST((x == 1.5));
    BOOST_TEST((2 * x).v.v == 3.0);
}

BOOST_AUTO_TEST_SUITE_END()
