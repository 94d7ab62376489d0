// Second derivatives: Hessian-vector products and dense Hessians by forward-over-reverse, checked
// by laws across modes (test/support/expect_second_order.hpp: dense vs columns, hvp vs columns,
// symmetry, hvp vs forward-over-forward, finite differences of the gradient) at ordinary points and
// at domain edges, and against second partials worked out by hand for the running example and the
// shared intermediates (README, Sources). Each elementwise operation on scalars, in every mode: the
// every_mode case of its test (test/unit/ops/*.cpp, support/expect_ad.hpp).
//
// This file: those two functions, scalar types, polynomials and the elementwise operations on
// arrays;
// hessian_arrays.cpp: array operations, sparsity, inputs and the mode choice; hessian_edges.cpp:
// rule counts and domain edges. (Three files: each instantiates the laws in every mode, and one
// file of all took 9 minutes to compile with ASan.)

#include <tapeless/modes/hessian.hpp>
#include <tapeless/tapeless.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <tuple>
#include <type_traits>

#include <boost/test/unit_test.hpp>

#include "support/expect_second_order.hpp"
#include "support/mock_ops.hpp"

namespace tl = tapeless;
namespace tt = tapeless_test;
using namespace tl::literals;
namespace bt = boost::test_tools;

BOOST_AUTO_TEST_SUITE(hessian)

// f(x, z) = e^{xz} + xz / ln x + sin(ln x) / (xz) at (2, 3), the running example, against the
// second partials worked out by hand. With u = xz, L = ln x, q(x) = x/L, s(x) = sin(L)/x:
//   e^{xz}:          ∂xx = z² e^u, ∂xz = (1 + u) e^u, ∂zz = x² e^u
//   xz/ln x = z q:   q' = 1/L − 1/L², q'' = −1/(x L²) + 2/(x L³): ∂xx = z q'', ∂xz = q', ∂zz = 0
//   sin(L)/(xz) = s/z: s' = (cos L − sin L)/x², s'' = (sin L − 3 cos L)/x³:
//                    ∂xx = s''/z, ∂xz = −s'/z², ∂zz = 2 s/z³
BOOST_AUTO_TEST_CASE(lecture_function) {
    auto [x, z] = tl::variables<"x", "z">();
    auto f = exp(x * z) + x * z / log(x) + sin(log(x)) / (x * z);
    const double a = 2, b = 3, u = a * b, L = std::log(a), e = std::exp(u);
    const double dq = 1 / L - 1 / (L * L), ddq = -1 / (a * L * L) + 2 / (a * L * L * L);
    const double s = std::sin(L) / a, ds = (std::cos(L) - std::sin(L)) / (a * a),
                 dds = (std::sin(L) - 3 * std::cos(L)) / (a * a * a);
    const double fxx = b * b * e + b * ddq + dds / b;
    const double fxz = (1 + u) * e + dq - ds / (b * b);
    const double fzz = a * a * e + 2 * s / (b * b * b);

    const std::array p{a, b};
    for (const auto& H :
         {tl::hessian(f, p), tl::hessian(f, p, tl::dense_mode), tl::hessian(f, p, tl::hvp_mode)}) {
        BOOST_TEST(H[0][0] == fxx, bt::tolerance(1e-13));
        BOOST_TEST(H[0][1] == fxz, bt::tolerance(1e-13));
        BOOST_TEST(H[1][0] == fxz, bt::tolerance(1e-13));
        BOOST_TEST(H[1][1] == fzz, bt::tolerance(1e-13));
    }
    // H v along v = (1, −2)
    const auto hv = tl::hvp(f, p, std::array{1.0, -2.0});
    BOOST_TEST(hv[0] == fxx - 2 * fxz, bt::tolerance(1e-13));
    BOOST_TEST(hv[1] == fxz - 2 * fzz, bt::tolerance(1e-13));

    const auto [v, g, H] = tl::value_gradient_and_hessian(f, p);
    BOOST_TEST(v == tl::value(f, p));
    BOOST_TEST(g[0] == tl::gradient(f, p)[0]);
    BOOST_TEST(g[1] == tl::gradient(f, p)[1]);
    BOOST_TEST(H[0][1] == fxz, bt::tolerance(1e-13));
    tt::expect_second_order(f, {p, std::array{0.5, -1.0}, std::array{3.0, 0.1}});

    // The same function as a generic callable, traced.
    auto callable = [](auto x_, auto z_) {
        return exp(x_ * z_) + x_ * z_ / log(x_) + sin(log(x_)) / (x_ * z_);
    };
    const auto Hc = tl::hessian(callable, p);
    const auto Hf = tl::hessian(f, p);
    for (std::size_t i = 0; i < 2; ++i)
        for (std::size_t j = 0; j < 2; ++j) BOOST_TEST(Hc[i][j] == Hf[i][j]);
    const auto hc = tl::hvp(callable, p, std::array{1.0, -2.0});
    BOOST_TEST(hc[0] == hv[0]);
    BOOST_TEST(hc[1] == hv[1]);
}

// f(x) = √(x² + e^{x²}) + cos(x² + e^{x²}), the shared intermediates (README, Sources):
// with c = x² + e^{x²}, c' = 2x (1 + e^{x²}), c'' = 2 (1 + e^{x²}) + 4x² e^{x²},
// f'' = (−1/(4 c^{3/2}) − cos c) c'² + (1/(2√c) − sin c) c''.
BOOST_AUTO_TEST_CASE(lecture_shared_intermediates) {
    auto [x] = tl::variables<"x">();
    auto a = square(x);
    auto c = a + exp(a);
    auto f = sqrt(c) + cos(c);
    for (double at : {-1.0, 0.3, 1.0, 1.7}) {
        const double ex = std::exp(at * at), cv = at * at + ex;
        const double dc = 2 * at * (1 + ex), ddc = 2 * (1 + ex) + 4 * at * at * ex;
        const double want = (-0.25 / (cv * std::sqrt(cv)) - std::cos(cv)) * dc * dc +
                            (0.5 / std::sqrt(cv) - std::sin(cv)) * ddc;
        BOOST_TEST(tl::hessian(f, std::array{at})[0][0] == want, bt::tolerance(1e-12));
        BOOST_TEST(tl::hvp(f, std::array{at}, std::array{1.0})[0] == want, bt::tolerance(1e-12));
    }
    tt::expect_second_order(f, {std::array{-1.0}, std::array{0.3}, std::array{1.0}});
}

// The scalar type follows the inputs: float and long double Hessians of the running example
// agree with the double one (to float's precision, and to double's).
BOOST_AUTO_TEST_CASE(scalar_types) {
    auto [x, z] = tl::variables<"x", "z">();
    auto f = exp(x * z) + x * z / log(x) + sin(log(x)) / (x * z);
    const auto Hd = tl::hessian(f, std::array{2.0, 3.0});
    const auto Hf = tl::hessian(f, std::array{2.0f, 3.0f});
    const auto Hl = tl::hessian(f, std::array{2.0L, 3.0L}, tl::hvp_mode);
    static_assert(std::is_same_v<std::remove_cvref_t<decltype(Hf[0][0])>, float>);
    static_assert(std::is_same_v<std::remove_cvref_t<decltype(Hl[0][0])>, long double>);
    for (std::size_t i = 0; i < 2; ++i)
        for (std::size_t j = 0; j < 2; ++j) {
            BOOST_TEST(static_cast<double>(Hf[i][j]) == Hd[i][j], bt::tolerance(1e-5));
            BOOST_TEST(static_cast<double>(Hl[i][j]) == Hd[i][j], bt::tolerance(1e-14));
        }
}

// Polynomials: exact, and computable at compile time.
BOOST_AUTO_TEST_CASE(polynomials) {
    auto [x, y] = tl::variables<"x", "y">();
    auto f = x * x * y + y * y * y - 3_c * x;
    const auto H = tl::hessian(f, std::array{1.5, -2.0});
    BOOST_TEST(H[0][0] == 2 * -2.0);
    BOOST_TEST(H[0][1] == 2 * 1.5);
    BOOST_TEST(H[1][0] == 2 * 1.5);
    BOOST_TEST(H[1][1] == 6 * -2.0);
    static_assert(tl::hessian(tl::variable<0> * tl::variable<0> * tl::variable<1>,
                              std::array{3.0, 5.0})[0][1] == 6.0);
    static_assert(tl::hvp(tl::variable<0> * tl::variable<0> * 3_c, std::array{2.0},
                          std::array{1.0})[0] == 6.0);
    // a linear function has a zero Hessian; a constant one too
    const auto Z = tl::hessian(2_c * x - y, std::array{1.0, 2.0});
    for (const auto& row : Z)
        for (double v : row) BOOST_TEST(v == 0.0);
}

// The elementwise operations elementwise on a vector, with scalars broadcast. (Each operation on
// scalars, in every mode: the every_mode case of its test, test/unit/ops/*.cpp.)
BOOST_AUTO_TEST_CASE(elementwise_on_arrays) {
    auto w = tl::variable<0, tl::vector<3>, "w">;
    const std::array q{0.3, -0.8, 1.4};
    tt::expect_second_order(sum(sin(w) * w + exp(w / 2_c)), {q});
    tt::expect_second_order(sum(tanh(w) * 3.0 + sigmoid(w) * sum(w)), {q}); // scalar broadcast
    tt::expect_second_order(sum(square(w) - 2_c * w) / (1_c + square(sum(w))), {q});
}
BOOST_AUTO_TEST_SUITE_END()
