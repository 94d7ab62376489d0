// tl::data: inputs read like variables but held fixed. Every mode gives them zero derivatives, and
// the derivatives with respect to the variables are those of the same expression with the data
// baked in as constants.
#include <tapeless/tapeless.hpp>

#include <array>
#include <tuple>

#include <boost/test/unit_test.hpp>

#include "support/expect_derivatives.hpp"

namespace tl = tapeless;
namespace bt = boost::test_tools;

BOOST_AUTO_TEST_SUITE(data_inputs)

BOOST_AUTO_TEST_CASE(zero_derivatives_in_every_mode) {
    auto w = tl::variable<0, tl::vector<3>, "w">;
    auto x = tl::data<1, tl::vector<3>, "x">;
    auto f = sum(exp(w * x)) + dot(w, w) * sum(x);
    const std::array W{0.1, 0.2, -0.3}, X{1.0, -2.0, 0.5};
    // the same function with x as a constant
    auto fc = sum(exp(w * tl::constant(X))) + dot(w, w) * sum(tl::constant(X));

    BOOST_TEST(tl::value(f, W, X) == tl::value(fc, W));
    const auto g = tl::gradient(f, W, X);
    const auto gf = tl::gradient(f, W, X, tl::forward_mode);
    const auto gc = tl::gradient(fc, W);
    for (std::size_t i = 0; i < 3; ++i) {
        BOOST_TEST(std::get<0>(g)[i] == gc[i], bt::tolerance(1e-15));
        BOOST_TEST(std::get<0>(gf)[i] == gc[i], bt::tolerance(1e-15));
        BOOST_TEST(std::get<1>(g)[i] == 0.0);
        BOOST_TEST(std::get<1>(gf)[i] == 0.0);
    }
    // Hessian: the data rows and columns are zero, the variables' block that of fc
    const auto H = tl::hessian(f, W, X);
    const auto Hc = tl::hessian(fc, W);
    for (std::size_t i = 0; i < 6; ++i)
        for (std::size_t j = 0; j < 6; ++j) {
            if (i < 3 && j < 3)
                BOOST_TEST(H[i][j] == Hc[i][j], bt::tolerance(1e-14));
            else
                BOOST_TEST(H[i][j] == 0.0);
        }
    // hvp along a direction with data components: they are ignored
    const auto hv = tl::hvp(f, std::tuple{W, X}, std::tuple{std::array{1.0, 0.5, -1.0}, std::array{7.0, 7.0, 7.0}});
    const auto hvc = tl::hvp(fc, W, std::array{1.0, 0.5, -1.0});
    for (std::size_t i = 0; i < 3; ++i) {
        BOOST_TEST(std::get<0>(hv)[i] == hvc[i], bt::tolerance(1e-14));
        BOOST_TEST(std::get<1>(hv)[i] == 0.0);
    }
    // the sparsity pattern has no entries for data
    const auto p = tl::hessian_pattern(f, W, X);
    for (std::size_t i = 0; i < 6; ++i) BOOST_TEST((!p.nonzero(i, 4) && !p.nonzero(4, i)));
    BOOST_TEST(tl::to_string(f) == "sum(exp(w * x)) + dot(w, w) * sum(x)");
}

BOOST_AUTO_TEST_CASE(taylor_and_symbolic) {
    auto [a] = tl::variables<"a">();
    auto c = tl::data<1, tl::scalar, "c">;
    auto f = sin(a * c) + c * c;
    const std::array p{0.7, 1.3};
    // along (1, 5): the data component stays fixed, so this is the line a = 0.7 + t, c = 1.3
    const auto k = tl::taylor_coefficients<3>(f, p, std::array{1.0, 5.0});
    auto fa = sin(a * 1.3) + 1.3 * 1.3;
    const auto ka = tl::taylor_coefficients<3>(fa, std::array{0.7}, std::array{1.0});
    for (std::size_t i = 0; i <= 3; ++i) BOOST_TEST(k[i] == ka[i], bt::tolerance(1e-14));
    // d/dc is zero symbolically; d/da is c cos(a c)
    BOOST_TEST(tl::value(tl::derivative(f, a), p) == 1.3 * std::cos(0.7 * 1.3), bt::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(a_network_batch_as_data) {
    // A linear layer over a batch: the gradient with respect to the weights only; the batch gets zeros
    auto W = tl::variable<0, tl::matrix<3, 2>, "W">;
    auto b = tl::variable<1, tl::vector<2>, "b">;
    auto X = tl::data<2, tl::matrix<4, 3>, "X">;
    auto J = sum(square(add_rowwise(matmul(X, W), b)));
    const tl::mat<double, 3, 2> w{{0.5, -1.0, 0.25, 2.0, -0.75, 0.1}};
    const std::array bv{0.3, -0.2};
    const tl::mat<double, 4, 3> x{{1, 2, 3, -1, 0.5, 2, 0, 1, -1, 2, 2, 2}};
    const auto [gw, gb, gx] = tl::gradient(J, w, bv, x);
    // by hand: Y = XW + b, J = Σ Y², W̄ = 2 Xᵀ Y, b̄ = 2 Σ_r Y[r]
    for (std::size_t k = 0; k < 3; ++k)
        for (std::size_t c = 0; c < 2; ++c) {
            double acc = 0;
            for (std::size_t r = 0; r < 4; ++r) {
                double y = bv[c];
                for (std::size_t kk = 0; kk < 3; ++kk) y += x(r, kk) * w(kk, c);
                acc += 2 * x(r, k) * y;
            }
            BOOST_TEST(gw(k, c) == acc, bt::tolerance(1e-14));
        }
    for (double v : gx.data) BOOST_TEST(v == 0.0);
    (void)gb;
}

BOOST_AUTO_TEST_SUITE_END()
