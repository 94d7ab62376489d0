// tl::data: inputs read like variables but held fixed. Every mode gives them zero derivatives, and
// the derivatives with respect to the variables are those of the same expression with the data
// baked in as constants.
#include <tapeless/tapeless.hpp>

#include <array>
#include <cmath>
#include <tuple>
#include <type_traits>

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
    // Hessian: over the variables only (3 × 3), equal to fc's; the data have no rows or columns
    const auto H = tl::hessian(f, W, X);
    const auto Hc = tl::hessian(fc, W);
    static_assert(decltype(H)::rows() == 3 && decltype(H)::cols() == 3);
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 3; ++j) BOOST_TEST(H[i][j] == Hc[i][j], bt::tolerance(1e-14));
    for (const auto& Hm : {tl::hessian(f, W, X, tl::dense_mode), tl::hessian(f, W, X, tl::hvp_mode),
                           tl::hessian(f, W, X, tl::sparse_mode)})
        for (std::size_t i = 0; i < 3; ++i)
            for (std::size_t j = 0; j < 3; ++j)
                BOOST_TEST(Hm[i][j] == Hc[i][j], bt::tolerance(1e-14));
    // hvp along a direction with data components: they are ignored
    const auto hv = tl::hvp(f, std::tuple{W, X},
                            std::tuple{std::array{1.0, 0.5, -1.0}, std::array{7.0, 7.0, 7.0}});
    const auto hvc = tl::hvp(fc, W, std::array{1.0, 0.5, -1.0});
    for (std::size_t i = 0; i < 3; ++i) {
        BOOST_TEST(std::get<0>(hv)[i] == hvc[i], bt::tolerance(1e-14));
        BOOST_TEST(std::get<1>(hv)[i] == 0.0);
    }
    // the sparsity pattern is over the variables too, the same as fc's
    const auto p = tl::hessian_pattern(f, W, X);
    const auto pc = tl::hessian_pattern(fc, W);
    static_assert(p.column.size() == 3);
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 3; ++j) BOOST_TEST(p.nonzero(i, j) == pc.nonzero(i, j));
    BOOST_TEST(tl::to_string(f) == "sum(exp(w * x)) + dot(w, w) * sum(x)");
}

// Data between variables in a flat array: the Hessian, the Jacobian and the Taylor expansion are
// over the variables a and b in the gradient's order (slots 0 and 2), against finite differences
// and the other modes.
BOOST_AUTO_TEST_CASE(flat_inputs_with_data_between_variables) {
    auto a = tl::variable<0, tl::scalar, "a">;
    auto c = tl::data<1, tl::scalar, "c">;
    auto b = tl::variable<2, tl::scalar, "b">;
    auto f = sin(a * c) * exp(b) + c * b * b;
    const std::array p{0.7, 1.3, -0.4};
    // f's second derivatives by central differences of the gradient (entries 0 and 2)
    const double h = 1e-5;
    for (const auto& H : {tl::hessian(f, p), tl::hessian(f, p, tl::dense_mode),
                          tl::hessian(f, p, tl::hvp_mode), tl::hessian(f, p, tl::sparse_mode)}) {
        static_assert(std::remove_cvref_t<decltype(H)>::rows() == 2);
        for (std::size_t j = 0; j < 2; ++j) {
            auto up = p, down = p;
            up[2 * j] += h;
            down[2 * j] -= h;
            const auto gu = tl::gradient(f, up), gd = tl::gradient(f, down);
            for (std::size_t i = 0; i < 2; ++i)
                BOOST_TEST(H[i][j] == (gu[2 * i] - gd[2 * i]) / (2 * h), bt::tolerance(1e-8));
        }
    }
    // a Taylor expansion in (a, b), c held at 1.3
    const auto T = tl::taylor_expansion<3>(f, p);
    BOOST_TEST(T.point()[0] == 0.7);
    BOOST_TEST(T.point()[1] == -0.4);
    const auto H = tl::hessian(f, p);
    for (std::size_t i = 0; i < 2; ++i)
        for (std::size_t j = 0; j < 2; ++j)
            BOOST_TEST(T.derivative({i, j}) == H[i][j], bt::tolerance(1e-10));
    const auto g = tl::gradient(f, p);
    BOOST_TEST(T.derivative({0}) == g[0], bt::tolerance(1e-12));
    BOOST_TEST(T.derivative({1}) == g[2], bt::tolerance(1e-12));
    // d³f/da³ = −c³ cos(ac) e^b
    BOOST_TEST(T.derivative({0, 0, 0}) == -1.3 * 1.3 * 1.3 * std::cos(0.7 * 1.3) * std::exp(-0.4),
               bt::tolerance(1e-9));
}

// tl::jacobian takes the inputs as tl::gradient does, data included: columns for the variables
// only, forward against reverse against central differences.
BOOST_AUTO_TEST_CASE(jacobian_with_data_inputs) {
    auto w = tl::variable<0, tl::vector<3>, "w">;
    auto x = tl::data<1, tl::vector<3>, "x">;
    auto s = tl::variable<2, tl::scalar, "s">;
    auto F = concat(exp(w * x) * s, sum(w * w * x) + s * s);
    const std::array W{0.1, 0.2, -0.3}, X{1.0, -2.0, 0.5};
    const double S = 1.7;
    const auto J = tl::jacobian(F, W, X, S);
    const auto Jf = tl::jacobian(F, W, X, S, tl::forward_mode);
    const auto Jr = tl::jacobian(F, W, X, S, tl::reverse_mode);
    static_assert(decltype(J)::rows() == 4 && decltype(J)::cols() == 4);
    const double h = 1e-6;
    for (std::size_t j = 0; j < 4; ++j) {
        auto Wu = W, Wd = W;
        double Su = S, Sd = S;
        if (j < 3) {
            Wu[j] += h;
            Wd[j] -= h;
        } else {
            Su += h;
            Sd -= h;
        }
        const auto fu = tl::value(F, Wu, X, Su), fd = tl::value(F, Wd, X, Sd);
        for (std::size_t i = 0; i < 4; ++i) {
            BOOST_TEST(Jf[i][j] == Jr[i][j], bt::tolerance(1e-14));
            BOOST_TEST(J[i][j] == Jr[i][j], bt::tolerance(1e-14));
            BOOST_TEST(Jr[i][j] == (fu[i] - fd[i]) / (2 * h), bt::tolerance(1e-7));
        }
    }
    // a scalar F: one row, the gradient without the data entries
    auto fs = sum(exp(w * x)) * s;
    const auto Js = tl::jacobian(fs, W, X, S, tl::reverse_mode);
    const auto Jsf = tl::jacobian(fs, W, X, S, tl::forward_mode);
    const auto [gw, gx, gs] = tl::gradient(fs, W, X, S);
    for (std::size_t j = 0; j < 3; ++j) {
        BOOST_TEST(Js[0][j] == gw[j], bt::tolerance(1e-15));
        BOOST_TEST(Jsf[0][j] == gw[j], bt::tolerance(1e-15));
    }
    BOOST_TEST(Js[0][3] == gs, bt::tolerance(1e-15));
    BOOST_TEST(Jsf[0][3] == gs, bt::tolerance(1e-15));
    (void)gx;
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
    BOOST_TEST(tl::value(tl::derivative(f, a), p) == 1.3 * std::cos(0.7 * 1.3),
               bt::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(a_network_batch_as_data) {
    // A linear layer over a batch: the gradient with respect to the weights only; the batch gets
    // zeros
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
