// Value and vector-Jacobian tests of mse, binary_cross_entropy_with_logits and
// softmax_cross_entropy (ops/loss.hpp), against direct formulas in long double:
//   mse(a, b)   = (1/n) Σ (a_i − b_i)²
//   bce(z, t)   = −(1/n) Σ [t_i log σ(z_i) + (1 − t_i) log(1 − σ(z_i))]        (mean over elements)
//   sce(z, t)   = −Σ_i t_i log softmax(z)_i                  (vector; a matrix is the mean over
//   rows)
// and the stable-evaluation promises at |z| = 700 and beyond.
#include <tapeless/core/variables.hpp>
#include <tapeless/modes/value.hpp>
#include <tapeless/ops/arithmetic.hpp>
#include <tapeless/ops/loss.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <limits>

#include <boost/test/unit_test.hpp>

#include "support/numdiff.hpp"
#include "support/values.hpp"

namespace tl = tapeless;
namespace tt = tapeless_test;

namespace {
constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double qnan = std::numeric_limits<double>::quiet_NaN();
constexpr double loss_tolerance = 1e-13;

double mse_reference(const double* a, const double* b, std::size_t n) {
    long double s = 0;
    for (std::size_t i = 0; i < n; ++i)
        s += (static_cast<long double>(a[i]) - b[i]) * (static_cast<long double>(a[i]) - b[i]);
    return static_cast<double>(s / static_cast<long double>(n));
}
double bce_reference(const double* z, const double* t, std::size_t n) {
    long double s = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const long double sig = 1.0L / (1.0L + std::exp(-static_cast<long double>(z[i])));
        s -= t[i] * std::log(sig) + (1.0L - t[i]) * std::log(1.0L - sig);
    }
    return static_cast<double>(s / static_cast<long double>(n));
}
// One row: −Σ t_i log softmax(z)_i.
long double sce_row(const double* z, const double* t, std::size_t n) {
    long double total = 0;
    for (std::size_t i = 0; i < n; ++i) total += std::exp(static_cast<long double>(z[i]));
    long double s = 0;
    for (std::size_t i = 0; i < n; ++i)
        s -= t[i] * std::log(std::exp(static_cast<long double>(z[i])) / total);
    return s;
}

const auto z4 = tl::variable<0, tl::vector<4>, "z">;
const auto t4 = tl::variable<1, tl::vector<4>, "t">;
const auto z2 = tl::variable<0, tl::vector<2>, "z">;
const auto t2 = tl::variable<1, tl::vector<2>, "t">;
const auto Z = tl::variable<0, tl::matrix<3, 4>, "Z">;
const auto T = tl::variable<1, tl::matrix<3, 4>, "T">;
} // namespace

BOOST_AUTO_TEST_SUITE(ops_loss)

BOOST_AUTO_TEST_CASE(mse_matches_the_formula) {
    tt::rng g(7);
    for (int trial = 0; trial < 20; ++trial) {
        const auto a = g.array<double, 4>(-5.0, 5.0);
        const auto b = g.array<double, 4>(-5.0, 5.0);
        BOOST_TEST(tt::close(tl::value(mse(z4, t4), a, b), mse_reference(a.data(), b.data(), 4),
                             loss_tolerance));
        BOOST_TEST(tt::close(tl::value(mse(z4, b), a), mse_reference(a.data(), b.data(), 4),
                             loss_tolerance));
        const tl::mat<double, 3, 4> m{g.array<double, 12>(-5.0, 5.0)},
            n{g.array<double, 12>(-5.0, 5.0)};
        BOOST_TEST(tt::close(tl::value(mse(Z, T), m, n),
                             mse_reference(m.data.data(), n.data.data(), 12), loss_tolerance));
    }
    BOOST_TEST(tl::value(mse(z2, t2), std::array{1.0, 2.0}, std::array{3.0, 2.0}) == 2.0);
    BOOST_TEST(tl::value(mse(z2, z2), std::array{1.0, 2.0}) == 0.0);
    BOOST_TEST(tl::value(mse(z2, t2), std::array{inf, 0.0}, std::array{0.0, 0.0}) == inf);
    BOOST_TEST(std::isnan(tl::value(mse(z2, t2), std::array{inf, 0.0}, std::array{inf, 0.0})));
    BOOST_TEST(std::isnan(tl::value(mse(z2, t2), std::array{qnan, 0.0}, std::array{0.0, 0.0})));
    BOOST_TEST(tl::value(mse(z2, t2), std::array{1.0f, 2.0f}, std::array{3.0f, 2.0f}) == 2.0f);
}

BOOST_AUTO_TEST_CASE(bce_matches_the_formula) {
    tt::rng g(8);
    for (int trial = 0; trial < 20; ++trial) {
        const auto z = g.array<double, 4>(-10.0, 10.0);
        const auto soft = g.array<double, 4>(0.0, 1.0);
        std::array<double, 4> hard{};
        for (std::size_t i = 0; i < 4; ++i) hard[i] = soft[i] < 0.5 ? 0.0 : 1.0;
        BOOST_TEST(tt::close(tl::value(binary_cross_entropy_with_logits(z4, t4), z, soft),
                             bce_reference(z.data(), soft.data(), 4), loss_tolerance, 1e-15));
        BOOST_TEST(tt::close(tl::value(binary_cross_entropy_with_logits(z4, t4), z, hard),
                             bce_reference(z.data(), hard.data(), 4), loss_tolerance, 1e-15));
        BOOST_TEST(tt::close(tl::value(binary_cross_entropy_with_logits(z4, hard), z),
                             bce_reference(z.data(), hard.data(), 4), loss_tolerance, 1e-15));
        // A matrix: the mean over all elements.
        const tl::mat<double, 3, 4> m{g.array<double, 12>(-10.0, 10.0)},
            n{g.array<double, 12>(0.0, 1.0)};
        BOOST_TEST(tt::close(tl::value(binary_cross_entropy_with_logits(Z, T), m, n),
                             bce_reference(m.data.data(), n.data.data(), 12), loss_tolerance,
                             1e-15));
    }
    // At z = 0 the loss is log 2 whatever the target.
    BOOST_TEST(tt::within_ulps(tl::value(binary_cross_entropy_with_logits(z2, t2),
                                         std::array{0.0, 0.0}, std::array{0.0, 1.0}),
                               std::log(tt::opaque(2.0)), 1));
}

BOOST_AUTO_TEST_CASE(bce_is_stable) {
    const auto f = binary_cross_entropy_with_logits(z2, t2);
    // Confident and right: ≈ 0 (e^−700 / 2 per element at most); confident and wrong: ≈ 700 / 2.
    const double right = tl::value(f, std::array{700.0, -700.0}, std::array{1.0, 0.0});
    BOOST_TEST(right >= 0.0);
    BOOST_TEST(right < 1e-300);
    BOOST_TEST(tl::value(f, std::array{700.0, -700.0}, std::array{0.0, 1.0}) == 700.0);
    BOOST_TEST(tl::value(f, std::array{700.0, 0.0}, std::array{0.0, 0.0}) ==
               (700.0 + std::log(tt::opaque(2.0))) / 2);
    BOOST_TEST(tl::value(f, std::array{1e308, -1e308}, std::array{1.0, 0.0}) == 0.0);
    BOOST_TEST(tl::value(f, std::array{1e308, 0.0}, std::array{0.0, 0.0}) ==
               (1e308 + std::log(tt::opaque(2.0))) / 2);
    // The mean is the sum divided by n: the sum overflows first (as for mean()).
    BOOST_TEST(tl::value(f, std::array{1e308, 1e308}, std::array{0.0, 0.0}) == inf);
    BOOST_TEST(tl::value(f, std::array{-inf, 0.0}, std::array{1.0, 0.0}) == inf);
    BOOST_TEST(std::isnan(tl::value(f, std::array{qnan, 0.0}, std::array{1.0, 0.0})));
}

// At infinite logits the loss takes its limit, 0 or +inf (a formula like max(z, 0) − z t +
// log1p(e^−|z|) would meet inf − inf or inf · 0 there and give NaN).
BOOST_AUTO_TEST_CASE(bce_at_infinite_logits) {
    const auto f = binary_cross_entropy_with_logits(z2, t2);
    BOOST_TEST(tl::value(f, std::array{-inf, 0.0}, std::array{1.0, 0.0}) == inf);
    // the second element (z = 0, t = 0) contributes log 2; the mean is over both
    BOOST_TEST(tl::value(f, std::array{inf, 0.0}, std::array{1.0, 0.0}) == std::log(2.0) / 2);
    BOOST_TEST(tl::value(f, std::array{inf, 0.0}, std::array{0.0, 0.0}) == inf);
    BOOST_TEST(tl::value(f, std::array{-inf, 0.0}, std::array{0.0, 0.0}) == std::log(2.0) / 2);
}

BOOST_AUTO_TEST_CASE(sce_matches_the_formula) {
    tt::rng g(9);
    for (int trial = 0; trial < 20; ++trial) {
        const auto z = g.array<double, 4>(-10.0, 10.0);
        auto soft = g.array<double, 4>(0.0, 1.0);
        double total = 0;
        for (double s : soft) total += s;
        for (double& s : soft) s /= total;
        std::array<double, 4> one_hot{};
        one_hot[static_cast<std::size_t>(trial % 4)] = 1.0;
        BOOST_TEST(tt::close(tl::value(softmax_cross_entropy(z4, t4), z, soft),
                             static_cast<double>(sce_row(z.data(), soft.data(), 4)), loss_tolerance,
                             1e-15));
        BOOST_TEST(tt::close(tl::value(softmax_cross_entropy(z4, one_hot), z),
                             static_cast<double>(sce_row(z.data(), one_hot.data(), 4)),
                             loss_tolerance, 1e-15));
        // A batch: the mean over rows.
        const tl::mat<double, 3, 4> m{g.array<double, 12>(-10.0, 10.0)};
        tl::mat<double, 3, 4> n{};
        for (std::size_t r = 0; r < 3; ++r) n(r, (r + static_cast<std::size_t>(trial)) % 4) = 1.0;
        long double want = 0;
        for (std::size_t r = 0; r < 3; ++r) want += sce_row(&m(r, 0), &n(r, 0), 4);
        BOOST_TEST(tt::close(tl::value(softmax_cross_entropy(Z, T), m, n),
                             static_cast<double>(want / 3), loss_tolerance, 1e-15));
    }
    // Targets that do not sum to 1 scale the loss: (Σ t) lse(z) − Σ t_i z_i.
    BOOST_TEST(tt::close(
        tl::value(softmax_cross_entropy(z2, t2), std::array{1.0, 2.0}, std::array{2.0, 0.0}),
        2 * std::log1p(std::exp(tt::opaque(1.0))), 1e-15));
    // Uniform logits: log n.
    BOOST_TEST(
        tt::within_ulps(tl::value(softmax_cross_entropy(z4, t4), std::array{3.0, 3.0, 3.0, 3.0},
                                  std::array{0.0, 1.0, 0.0, 0.0}),
                        std::log(tt::opaque(4.0)), 2));
}

BOOST_AUTO_TEST_CASE(sce_is_stable) {
    const auto f = softmax_cross_entropy(z2, t2);
    const double right = tl::value(f, std::array{700.0, 0.0}, std::array{1.0, 0.0});
    BOOST_TEST(right >= 0.0);
    BOOST_TEST(right < 1e-300);
    BOOST_TEST(tl::value(f, std::array{700.0, 0.0}, std::array{0.0, 1.0}) == 700.0);
    BOOST_TEST(tl::value(f, std::array{-700.0, 700.0}, std::array{1.0, 0.0}) == 1400.0);
    // Terms with t_i = 0 contribute nothing, even where z_i = −inf (documented).
    BOOST_TEST(tl::value(f, std::array{-inf, 0.0}, std::array{0.0, 1.0}) == 0.0);
    BOOST_TEST(tl::value(f, std::array{-inf, 0.0}, std::array{1.0, 0.0}) == inf);
    BOOST_TEST(std::isnan(tl::value(f, std::array{qnan, 0.0}, std::array{0.0, 1.0})));
    BOOST_TEST(tl::value(f, std::array{inf, 0.0}, std::array{0.0, 1.0}) == inf);
    // Per row of a batch.
    const tl::mat<double, 3, 4> z{{700, 0, 0, 0, 0, 0, 0, 0, -inf, 5, -inf, -inf}};
    const tl::mat<double, 3, 4> t{{1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0}};
    BOOST_TEST(tt::within_ulps(tl::value(softmax_cross_entropy(Z, T), z, t),
                               std::log(tt::opaque(4.0)) / 3, 2));
}

// With a +inf logit, lse = +inf; the loss is the limit: 0 when the target sits on the infinite
// logit (not inf − inf = NaN), log k when it is shared by k infinite logits, +inf elsewhere.
BOOST_AUTO_TEST_CASE(sce_at_a_positive_infinite_logit) {
    const auto f = softmax_cross_entropy(z2, t2);
    BOOST_TEST(tl::value(f, std::array{inf, 0.0}, std::array{1.0, 0.0}) == 0.0);
    BOOST_TEST(tl::value(f, std::array{inf, 0.0}, std::array{0.0, 1.0}) == inf);
    const auto g = softmax_cross_entropy(tl::variable<0, tl::vector<3>, "z">,
                                         tl::variable<1, tl::vector<3>, "t">);
    BOOST_TEST(tl::value(g, std::array{inf, inf, 0.0}, std::array{1.0, 0.0, 0.0}) == std::log(2.0));
}

BOOST_AUTO_TEST_CASE(vjp_rules) {
    using V4 = tl::vector<4>;
    using M34 = tl::matrix<3, 4>;
    tt::check_vjp<tl::op::mse, V4, V4>("mse<vector<4>>", {{{-3.0L, 3.0L}, {-3.0L, 3.0L}}}, 41);
    tt::check_vjp<tl::op::mse, M34, M34>("mse<matrix<3, 4>>", {{{-3.0L, 3.0L}, {-3.0L, 3.0L}}}, 42);
    tt::check_vjp<tl::op::binary_cross_entropy_with_logits, V4, V4>(
        "bce<vector<4>>", {{{-4.0L, 4.0L}, {0.0L, 1.0L}}}, 43);
    tt::check_vjp<tl::op::binary_cross_entropy_with_logits, M34, M34>(
        "bce<matrix<3, 4>>", {{{-4.0L, 4.0L}, {0.0L, 1.0L}}}, 44);
    tt::check_vjp<tl::op::softmax_cross_entropy, V4, V4>("sce<vector<4>>",
                                                         {{{-4.0L, 4.0L}, {0.0L, 1.0L}}}, 45);
    tt::check_vjp<tl::op::softmax_cross_entropy, M34, M34>("sce<matrix<3, 4>>",
                                                           {{{-4.0L, 4.0L}, {0.0L, 1.0L}}}, 46);
}

BOOST_AUTO_TEST_CASE(names_and_domains) {
    BOOST_TEST(tl::op::mse::name == "mse");
    BOOST_TEST(tl::op::binary_cross_entropy_with_logits::name ==
               "binary_cross_entropy_with_logits");
    BOOST_TEST(tl::op::softmax_cross_entropy::name == "softmax_cross_entropy");
    BOOST_TEST(!tl::op::softmax_cross_entropy::domain.empty());
}

BOOST_AUTO_TEST_SUITE_END()
