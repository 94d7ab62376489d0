// The course's small network (README, Sources): 2 inputs, 3 sigmoid hidden units, a sigmoid output
// and the negative log-likelihood J = −[y log ŷ + (1 − y) log(1 − ŷ)]. The gradient by reverse and
// forward mode against the notes' backpropagation written out by hand, and against finite
// differences.
#include <tapeless/tapeless.hpp>

#include <array>
#include <cmath>
#include <tuple>

#include <boost/test/unit_test.hpp>

namespace tl = tapeless;
using boost::test_tools::tolerance;

BOOST_AUTO_TEST_SUITE(lecture_network)

BOOST_AUTO_TEST_CASE(two_inputs_three_hidden_sigmoid_nll) {
    const std::array xin{0.8, -1.2};
    const double y = 1.0;
    auto alpha = tl::variable<0, tl::matrix<3, 2>, "alpha">; // hidden weights
    auto b = tl::variable<1, tl::vector<3>, "b">;            // hidden biases
    auto beta = tl::variable<2, tl::vector<3>, "beta">;      // output weights
    auto beta0 = tl::variable<3, tl::scalar, "beta0">;       // output bias
    auto zh = sigmoid(matvec(alpha, xin) + b);               // hidden units
    auto logit = dot(beta, zh) + beta0;
    auto J = binary_cross_entropy_with_logits(logit, y); // −log P(y | x)

    const tl::mat<double, 3, 2> A{{0.1, -0.3, 0.4, 0.2, -0.5, 0.6}};
    const std::array bv{0.05, -0.1, 0.2};
    const std::array be{0.7, -0.4, 0.3};
    const double be0 = -0.2;

    // Backpropagation by hand, as in the course's notes on training networks.
    std::array<double, 3> a{}, z{};
    double logit_v = be0;
    for (std::size_t j = 0; j < 3; ++j) {
        a[j] = A(j, 0) * xin[0] + A(j, 1) * xin[1] + bv[j];
        z[j] = 1 / (1 + std::exp(-a[j]));
        logit_v += be[j] * z[j];
    }
    const double yhat = 1 / (1 + std::exp(-logit_v));
    const double J_v = -(y * std::log(yhat) + (1 - y) * std::log(1 - yhat));
    const double g_logit = yhat - y; // dJ/d logit
    std::array<double, 3> g_beta{}, g_b{};
    tl::mat<double, 3, 2> g_alpha{};
    for (std::size_t j = 0; j < 3; ++j) {
        g_beta[j] = g_logit * z[j];
        g_b[j] = g_logit * be[j] * z[j] * (1 - z[j]);
        g_alpha(j, 0) = g_b[j] * xin[0];
        g_alpha(j, 1) = g_b[j] * xin[1];
    }

    const auto [v, g] = tl::value_and_gradient(J, A, bv, be, be0);
    const auto gf = tl::gradient(J, A, bv, be, be0, tl::forward_mode);
    BOOST_TEST(v == J_v, tolerance(1e-14));
    for (std::size_t k = 0; k < 6; ++k) {
        BOOST_TEST(std::get<0>(g).data[k] == g_alpha.data[k], tolerance(1e-13));
        BOOST_TEST(std::get<0>(gf).data[k] == g_alpha.data[k], tolerance(1e-13));
    }
    for (std::size_t j = 0; j < 3; ++j) {
        BOOST_TEST(std::get<1>(g)[j] == g_b[j], tolerance(1e-13));
        BOOST_TEST(std::get<2>(g)[j] == g_beta[j], tolerance(1e-13));
        BOOST_TEST(std::get<1>(gf)[j] == g_b[j], tolerance(1e-13));
        BOOST_TEST(std::get<2>(gf)[j] == g_beta[j], tolerance(1e-13));
    }
    BOOST_TEST(std::get<3>(g) == g_logit, tolerance(1e-13));
    BOOST_TEST(std::get<3>(gf) == g_logit, tolerance(1e-13));

    // and a finite difference on one weight
    auto A_up = A, A_down = A;
    A_up(1, 0) += 1e-6;
    A_down(1, 0) -= 1e-6;
    const double fd = (tl::value(J, A_up, bv, be, be0) - tl::value(J, A_down, bv, be, be0)) /
                      (A_up(1, 0) - A_down(1, 0));
    BOOST_TEST(std::get<0>(g)(1, 0) == fd, tolerance(1e-7));
}

BOOST_AUTO_TEST_SUITE_END()
