// Second derivatives of array expressions: every array operation through the laws of
// test/support/expect_second_order.hpp, the compile-time sparsity pattern, matrix and positional
// inputs, and tl::hessian's choice of mode (see hessian.cpp for the rest).

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

BOOST_AUTO_TEST_SUITE(hessian_arrays)

// Every array operation.
BOOST_AUTO_TEST_CASE(array_operations) {
    auto w = tl::variable<0, tl::vector<6>, "w">;
    const std::array q{0.3, -0.8, 1.4, 0.2, -1.1, 0.6};
    const std::array c{1.0, -2.0, 0.5, 3.0, -1.0, 0.25};
    tt::expect_second_order(square(dot(w, c)) + mean(square(w) * w), {q});
    tt::expect_second_order(
        sum(slice<1, 4>(w) * slice<0, 4>(w)) + element<5>(w) * element<0>(w) * element<2>(w), {q});
    tt::expect_second_order(log_sum_exp(w) + dot(softmax(w), c), {q});
    tt::expect_second_order(
        binary_cross_entropy_with_logits(w, std::array{0.0, 1.0, 1.0, 0.0, 0.5, 1.0}), {q});
    tt::expect_second_order(
        softmax_cross_entropy(w, std::array{0.0, 0.0, 1.0, 0.0, 0.0, 0.0}) + mse(w * w, c), {q});
    // matrices: matvec, matmul, transpose, concat, row-wise softmax and log_sum_exp
    auto M = tl::constant(tl::mat<double, 2, 3>{{0.5, -1.0, 2.0, 1.5, 0.3, -0.7}});
    auto A = matmul(transpose(M), M) + 0.1; // 3×3, from constants
    auto v = slice<0, 3>(w);
    auto u = slice<3, 3>(w);
    tt::expect_second_order(dot(v, matvec(A, v)) + sum(matvec(transpose(A), u) * u * v), {q});
    tt::expect_second_order(sum(concat(v * u, element<0>(w) * element<1>(w))), {q});
    // Rosenbrock as one array expression: its Hessian is tridiagonal
    auto rb =
        sum(100_c * square(slice<1, 5>(w) - square(slice<0, 5>(w))) + square(1_c - slice<0, 5>(w)));
    tt::expect_second_order(rb, {q, std::array{1.0, 1.0, 1.0, 1.0, 1.0, 1.0}});
    const auto H = tl::hessian(rb, q);
    for (std::size_t i = 0; i < 6; ++i)
        for (std::size_t j = 0; j < 6; ++j) {
            // by hand: ∂²/∂w_i² = 1200 w_i² − 400 w_{i+1} + 2 [i < 5] + 200 [i > 0],
            // ∂²/∂w_i∂w_{i+1} = −400 w_i
            double want = 0;
            if (i == j)
                want =
                    (i < 5 ? 1200 * q[i] * q[i] - 400 * q[i + 1] + 2 : 0.0) + (i > 0 ? 200.0 : 0.0);
            if (j == i + 1) want = -400 * q[i];
            if (i == j + 1) want = -400 * q[j];
            BOOST_TEST(H[i][j] == want, bt::tolerance(1e-12));
        }
}

// The compile-time sparsity pattern: exactly the structure the operations allow, and the colouring
// the sparse mode runs on (a tridiagonal Hessian in 3 products, whatever n).
BOOST_AUTO_TEST_CASE(sparsity_pattern) {
    auto w = tl::variable<0, tl::vector<12>, "w">;
    auto rb = sum(100_c * square(slice<1, 11>(w) - square(slice<0, 11>(w))) +
                  square(1_c - slice<0, 11>(w)));
    constexpr auto p = tl::hessian_pattern(decltype(rb){}, std::array<double, 12>{});
    static_assert(p.colors == 3);
    for (std::size_t i = 0; i < 12; ++i)
        for (std::size_t j = 0; j < 12; ++j)
            BOOST_TEST(p.nonzero(i, j) == (i + 1 >= j && j + 1 >= i), "(" << i << ", " << j << ")");
    std::array<double, 12> q{};
    for (std::size_t i = 0; i < 12; ++i) q[i] = 0.1 * static_cast<double>(i) - 0.7;
    tt::expect_second_order(rb, {q});

    auto [x, y, z] = tl::variables<"x", "y", "z">();
    // linear terms, products with a constant and quotients by one add nothing; x·y couples x and y
    constexpr auto lin =
        tl::hessian_pattern(decltype(3.0 * x + y / 2_c - z + x * y){}, std::array<double, 3>{});
    static_assert(!lin.nonzero(0, 0) && lin.nonzero(0, 1) && !lin.nonzero(1, 1) &&
                  !lin.nonzero(2, 2));
    static_assert(!lin.nonzero(0, 2) && !lin.nonzero(1, 2) && lin.colors == 1);
    // a quotient by a variable and a nonlinear function of one variable
    constexpr auto q2 = tl::hessian_pattern(decltype(x / z + exp(y)){}, std::array<double, 3>{});
    static_assert(q2.nonzero(0, 2) && q2.nonzero(2, 2) && !q2.nonzero(0, 0) && q2.nonzero(1, 1) &&
                  !q2.nonzero(0, 1));
    tt::expect_second_order(3.0 * x + y / 2_c - z + x * y + x / z + exp(y),
                            {std::array{0.3, -1.2, 2.0}});
    // a separable sum over a vector: diagonal, one product
    auto v = tl::variable<0, tl::vector<8>, "v">;
    constexpr auto d = tl::hessian_pattern(decltype(sum(exp(v) * v)){}, std::array<double, 8>{});
    static_assert(d.colors == 1);
    // a matrix-vector product couples everything it reads
    auto M = tl::constant(tl::mat<double, 2, 8>{});
    constexpr auto m =
        tl::hessian_pattern(decltype(sum(exp(matvec(M, v)))){}, std::array<double, 8>{});
    static_assert(m.colors == 8 && m.nonzero(0, 7));
}

// Matrix-shaped input: a small softmax classifier's loss, Hessian with respect to its 3×2 weights
// (6×6, row-major element order), against differences of the gradient.
BOOST_AUTO_TEST_CASE(matrix_input) {
    auto W = tl::variable<0, tl::matrix<3, 2>, "W">;
    auto M = tl::constant(tl::mat<double, 2, 3>{{0.5, -1.0, 2.0, 1.5, 0.3, -0.7}});
    auto loss = softmax_cross_entropy(matmul(W, M) + 0.1,
                                      tl::mat<double, 3, 3>{{1, 0, 0, 0, 0, 1, 0, 1, 0}}) +
                sum(matvec(transpose(W), std::array{1.0, 2.0, 3.0})) * sum(log_sum_exp(W));
    const tl::mat<double, 3, 2> W0{{0.1, -0.2, 0.4, 0.3, -0.5, 0.2}};
    const auto Hd = tl::hessian(loss, W0, tl::dense_mode);
    const auto Hc = tl::hessian(loss, W0, tl::hvp_mode);
    const auto hv = tl::hvp(loss, W0, tl::mat<double, 3, 2>{{1, 0, 0, 0, 0, 0}});
    static_assert(std::is_same_v<std::remove_cvref_t<decltype(hv)>, tl::mat<double, 3, 2>>);
    for (std::size_t j = 0; j < 6; ++j) {
        tl::mat<long double, 3, 2> up, down;
        for (std::size_t k = 0; k < 6; ++k) up.data[k] = down.data[k] = W0.data[k];
        const long double h = 1e-4L;
        up.data[j] += h;
        down.data[j] -= h;
        const auto gu = tl::gradient(loss, up), gd = tl::gradient(loss, down);
        for (std::size_t i = 0; i < 6; ++i) {
            const long double fd = (gu.data[i] - gd.data[i]) / (up.data[j] - down.data[j]);
            BOOST_TEST(Hd[i][j] == Hc[i][j], bt::tolerance(1e-13));
            BOOST_TEST(Hd[i][j] == Hd[j][i], bt::tolerance(1e-11));
            BOOST_TEST(std::fabs(Hd[i][j] - fd) <= 1e-7L * (1 + std::fabs(fd)),
                       "H[" << i << "][" << j << "] " << Hd[i][j] << " vs "
                            << static_cast<double>(fd));
        }
        BOOST_TEST(hv.data[j] == Hd[j][0], bt::tolerance(1e-13));
    }
}

// Several positional inputs: a vector and a scalar. The Hessian runs over all elements in
// argument order, hvp takes the inputs and the direction as tuples and returns a tuple shaped like
// the gradient; both agree with the same function over flat scalar variables.
BOOST_AUTO_TEST_CASE(positional_inputs) {
    auto w = tl::variable<0, tl::vector<3>, "w">;
    auto s = tl::variable<1, tl::scalar, "s">;
    auto f = sum(sin(w * s) * w) + s * s * sum(w);
    auto [a, b, c, t] = tl::variables<"a", "b", "c", "t">();
    auto g = sin(a * t) * a + sin(b * t) * b + sin(c * t) * c + t * t * (a + b + c);
    const std::array w0{0.3, -0.8, 1.4};
    const double s0 = 0.7;
    const std::array flat{0.3, -0.8, 1.4, 0.7};
    const auto H = tl::hessian(f, w0, s0);
    const auto Hg = tl::hessian(g, flat);
    for (std::size_t i = 0; i < 4; ++i)
        for (std::size_t j = 0; j < 4; ++j) BOOST_TEST(H[i][j] == Hg[i][j], bt::tolerance(1e-13));
    const auto hv = tl::hvp(f, std::tuple{w0, s0}, std::tuple{std::array{1.0, 0.5, -1.0}, 2.0});
    const auto hg = tl::hvp(g, flat, std::array{1.0, 0.5, -1.0, 2.0});
    for (std::size_t i = 0; i < 3; ++i)
        BOOST_TEST(std::get<0>(hv)[i] == hg[i], bt::tolerance(1e-13));
    BOOST_TEST(std::get<1>(hv) == hg[3], bt::tolerance(1e-13));
    tt::expect_second_order(g, {flat});
}

// tl::hessian picks one sweep pair on dual<T, n> for all-scalar expressions of up to 4 inputs,
// else n Hessian-vector products; either can be forced and both agree.
BOOST_AUTO_TEST_CASE(mode_choice) {
    auto [x, z] = tl::variables<"x", "z">();
    auto f = exp(x * z) + x * z / log(x);
    static_assert(tl::dense_hessian_is_cheaper<decltype(f), 2>());
    static_assert(!tl::dense_hessian_is_cheaper<decltype(f), 5>());
    auto w1 = tl::variable<0, tl::vector<1>, "w">;
    auto w2 = tl::variable<0, tl::vector<2>, "w">;
    static_assert(tl::dense_hessian_is_cheaper<decltype(sum(w1 * w1)), 1>());
    static_assert(!tl::dense_hessian_is_cheaper<decltype(sum(w2 * w2)), 2>());
    auto w = tl::variable<0, tl::vector<200>, "w">;
    auto big = sum(100_c * square(slice<1, 199>(w) - square(slice<0, 199>(w))) +
                   square(1_c - slice<0, 199>(w)));
    static_assert(!tl::dense_hessian_is_cheaper<decltype(big), 200>());
    std::array<double, 200> w0{};
    for (std::size_t i = 0; i < 200; ++i) w0[i] = i % 2 == 0 ? -1.2 : 1.0;
    const auto Ha = tl::hessian(big, w0);
    const auto Hd = tl::hessian(big, w0, tl::dense_mode);
    for (std::size_t i = 0; i < 200; ++i)
        for (std::size_t j = 0; j < 200; ++j) {
            double want = 0;
            if (i == j)
                want = (i < 199 ? 1200 * w0[i] * w0[i] - 400 * w0[i + 1] + 2 : 0.0) +
                       (i > 0 ? 200.0 : 0.0);
            if (j == i + 1) want = -400 * w0[i];
            if (i == j + 1) want = -400 * w0[j];
            if (Ha[i][j] != want || Hd[i][j] != want)
                BOOST_TEST(false, "H[" << i << "][" << j << "] auto " << Ha[i][j] << " dense "
                                       << Hd[i][j] << " want " << want);
        }
}
BOOST_AUTO_TEST_SUITE_END()
