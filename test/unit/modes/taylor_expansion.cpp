// The multivariate Taylor polynomial tl::taylor_expansion<K>(f, p): its derivative tensors against
// reverse mode (gradient), nested forward mode (Hessian, third-order tensor) and finite
// differences, exactness on polynomials (example 5.15 of Mathematics for Machine Learning),
// symmetry, and the error |f(p + δ) − T_K(p + δ)| shrinking like |δ|^(K+1).
#include <tapeless/modes/taylor_expansion.hpp>
#include <tapeless/tapeless.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>

#include <boost/test/unit_test.hpp>

#include "support/expect_taylor.hpp"
#include "support/values.hpp"

namespace tl = tapeless;
namespace tt = tapeless_test;
using namespace tl::literals;

namespace {

bool close(double a, double b, double rel, double abs = 1e-12) {
    return tt::agree(a, b, rel, abs);
}

// ∂²f/∂x_a∂x_b and ∂³f/∂x_a∂x_b∂x_c by nested forward mode: inputs dual<dual<dual<double, N>, N>,
// N> seeded with e_i at every level.
template <std::size_t N>
using D1 = tl::dual<double, N>;
template <std::size_t N>
using D2 = tl::dual<D1<N>, N>;
template <std::size_t N>
using D3 = tl::dual<D2<N>, N>;

template <std::size_t N, class F>
D3<N> nested_third(const F& f, const std::array<double, N>& p) {
    std::array<D3<N>, N> in{};
    for (std::size_t i = 0; i < N; ++i) {
        D1<N> x1 = D1<N>::seed(p[i], i);
        D2<N> x2(x1);
        x2.d[i] = D1<N>(1.0);
        D3<N> x3(x2);
        x3.d[i] = D2<N>(1.0);
        in[i] = x3;
    }
    return tt::detail::taylor::sweep_on(f, in);
}

} // namespace

BOOST_AUTO_TEST_SUITE(taylor_expansion)

// The Taylor exercise of the course's notes (Deisenroth et al., Mathematics for Machine Learning,
// example 5.15; README, Sources):
// f(x, y) = x² + 2xy + y³ at (1, 2). Worked out by hand: f = 13, ∇f = (2x + 2y, 2x + 3y²) = (6,
// 14), H = [[2, 2], [2, 6y]] = [[2, 2], [2, 12]], the only non-zero third derivative ∂³f/∂y³ = 6,
// and T_3 = f (a cubic is its own Taylor polynomial of degree 3).
BOOST_AUTO_TEST_CASE(lecture_homework_polynomial) {
    auto [x, y] = tl::variables<"x", "y">();
    auto f = x * x + 2_c * x * y + pow(y, 3_c);
    const std::array p{1.0, 2.0};
    const auto T = tl::taylor_expansion<3>(f, p);
    BOOST_TEST(close(T.value(), 13.0, 1e-15));
    BOOST_TEST(close(T.gradient()[0], 6.0, 1e-13));
    BOOST_TEST(close(T.gradient()[1], 14.0, 1e-13));
    const auto H = T.hessian();
    BOOST_TEST(close(H[0][0], 2.0, 1e-12));
    BOOST_TEST(close(H[0][1], 2.0, 1e-12));
    BOOST_TEST(close(H[1][0], 2.0, 1e-12));
    BOOST_TEST(close(H[1][1], 12.0, 1e-12));
    const auto D3 = T.tensor(3);
    BOOST_TEST(D3.size() == 8u);
    for (std::size_t i = 0; i < 8; ++i)
        BOOST_TEST(close(D3[i], i == 7 ? 6.0 : 0.0, 1e-11), "entry " << i);
    // The terms of the book's expansion at δ: f(p), ∇f·δ, δᵀHδ/2, D³f δ³/6.
    const std::array d{0.3, -0.2};
    BOOST_TEST(close(T.term(1, d), 6.0 * 0.3 + 14.0 * -0.2, 1e-13));
    BOOST_TEST(
        close(T.term(2, d), (2.0 * 0.09 + 2.0 * 2.0 * 0.3 * -0.2 + 12.0 * 0.04) / 2.0, 1e-12));
    BOOST_TEST(close(T.term(3, d), 6.0 * -0.008 / 6.0, 1e-11));
    for (const auto& q : {std::array{1.5, 2.5}, std::array{-1.0, 0.0}, std::array{3.0, -2.0}})
        BOOST_TEST(close(T(q), tl::value(f, q), 1e-12), "T_3 at " << q[0] << ", " << q[1]);
    // Degree 2 misses exactly the cubic term δ_y³.
    const auto T2 = tl::taylor_expansion<2>(f, p);
    BOOST_TEST(close(tl::value(f, std::array{1.5, 2.5}) - T2(std::array{1.5, 2.5}), 0.125, 1e-12));
}

// The running example f(x, z) = e^{xz} + xz/ln x + sin(ln x)/(xz) (README, Sources): tensors
// against reverse mode, nested forward mode and finite differences; symmetric.
BOOST_AUTO_TEST_CASE(lecture_function_tensors) {
    auto [x, z] = tl::variables<"x", "z">();
    auto f = exp(x * z) + x * z / log(x) + sin(log(x)) / (x * z);
    for (const auto& p : {std::array{2.0, 3.0}, std::array{0.5, -1.0}, std::array{3.0, 0.1}}) {
        const auto T = tl::taylor_expansion<4>(f, p);
        const auto g = tl::gradient(f, p);
        const auto nest = nested_third<2>(f, p);
        const double scale = 1.0 + std::fabs(T.value());
        BOOST_TEST(close(T.value(), tl::value(f, p), 1e-15));
        for (std::size_t a = 0; a < 2; ++a) {
            BOOST_TEST(close(T.derivative({a}), g[a], 1e-11, 1e-12 * scale), "d/dx" << a);
            for (std::size_t b = 0; b < 2; ++b) {
                BOOST_TEST(close(T.derivative({a, b}), nest.d[a].d[b].v, 1e-10, 1e-11 * scale),
                           "H " << a << b);
                // Finite differences of the gradient (reverse mode).
                const double h = 1e-5 * std::fmax(1.0, std::fabs(p[b]));
                auto ga = [&](double s) {
                    auto q = p;
                    q[b] += s;
                    return tl::gradient(f, q)[a];
                };
                const double fd = (ga(h) - ga(-h)) / (2 * h);
                BOOST_TEST(close(T.derivative({a, b}), fd, 1e-6, 1e-6 * scale),
                           "H " << a << b << " vs differences");
                for (std::size_t c = 0; c < 2; ++c)
                    BOOST_TEST(
                        close(T.derivative({a, b, c}), nest.d[a].d[b].d[c], 1e-9, 1e-10 * scale),
                        "D3 " << a << b << c);
            }
        }
        // Symmetry of the stored tensors and their layout.
        const auto D2 = T.tensor(2);
        const auto D4 = T.tensor(4);
        BOOST_TEST(D2[1] == D2[2]);
        BOOST_TEST(D4[0b0011] == D4[0b1100]);
        BOOST_TEST(D4[0b0101] == D4[0b0110]);
        BOOST_TEST(D2[3] == T.hessian()[1][1]);
        // Fourth derivatives against finite differences of the third (nested forward mode).
        for (std::size_t c = 0; c < 2; ++c) {
            const double h = 1e-4 * std::fmax(1.0, std::fabs(p[c]));
            auto third = [&](double s) {
                auto q = p;
                q[c] += s;
                return nested_third<2>(f, q).d[0].d[1].d[1];
            };
            const double fd = (third(h) - third(-h)) / (2 * h);
            BOOST_TEST(close(T.derivative({0, 1, 1, c}), fd, 1e-5, 1e-6 * scale), "D4 011" << c);
        }
    }
}

// Along any direction v, T_K's degree-k term is the k-th univariate Taylor coefficient along v.
BOOST_AUTO_TEST_CASE(terms_are_univariate_coefficients) {
    auto [a, b, c] = tl::variables<"a", "b", "c">();
    auto f = tanh(a * b) + sqrt(c * c + a * a + 1_c) * cos(b - c);
    const std::array p{0.3, -0.7, 1.1}, v{0.5, 1.0, -0.25};
    const auto T = tl::taylor_expansion<5>(f, p);
    const auto coeff = tl::taylor_coefficients<5>(f, p, v);
    for (std::size_t k = 0; k <= 5; ++k)
        BOOST_TEST(close(T.term(k, v), coeff[k], 1e-9, 1e-11), "k = " << k);
}

// The error of T_K shrinks like |δ|^(K+1): halving δ divides it by about 2^(K+1).
BOOST_AUTO_TEST_CASE(error_shrinks_like_delta_to_the_k_plus_1) {
    auto [x, z] = tl::variables<"x", "z">();
    auto f = exp(x * z) + x * z / log(x) + sin(log(x)) / (x * z);
    const std::array p{2.0, 3.0}, dir{0.6, -0.8};
    auto error = [&](const auto& T, double r) {
        const std::array q{p[0] + r * dir[0], p[1] + r * dir[1]};
        return std::fabs(tl::value(f, q) - T(q));
    };
    auto check = [&](const auto& T, double k) {
        const double e1 = error(T, 0.02), e2 = error(T, 0.01);
        const double ratio = e1 / e2, want = std::pow(2.0, k + 1);
        BOOST_TEST((ratio > 0.8 * want && ratio < 1.25 * want),
                   "K = " << k << ": ratio " << ratio << ", want " << want);
    };
    check(tl::taylor_expansion<1>(f, p), 1);
    check(tl::taylor_expansion<2>(f, p), 2);
    check(tl::taylor_expansion<3>(f, p), 3);
    check(tl::taylor_expansion<4>(f, p), 4);
}

BOOST_AUTO_TEST_CASE(callables_and_vector_inputs) {
    // A traced callable gives the same polynomial as the expression.
    auto callable = [](auto u, auto w) { return exp(u) * sin(w) + u * w * w; };
    auto [u, w] = tl::variables<"u", "w">();
    const std::array p{0.4, 1.2};
    const auto Te = tl::taylor_expansion<3>(exp(u) * sin(w) + u * w * w, p);
    const auto Tc = tl::taylor_expansion<3>(callable, p);
    for (std::size_t k = 0; k < 8; ++k) BOOST_TEST(Tc.tensor(3)[k] == Te.tensor(3)[k]);
    // One vector-shaped input: f(v) = Σ v_i³ + (Σ v_i)² has H = diag(6 v_i) + 2 and
    // ∂³f/∂v_i³ = 6, every other third derivative 0.
    auto v = tl::variable<0, tl::vector<3>, "v">;
    const std::array q{1.0, 2.0, -1.0};
    const auto T = tl::taylor_expansion<3>(sum(v * v * v) + square(sum(v)), q);
    BOOST_TEST(close(T.value(), 1.0 + 8.0 - 1.0 + 4.0, 1e-15));
    const auto H = T.hessian();
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 3; ++j)
            BOOST_TEST(close(H[i][j], (i == j ? 6.0 * q[i] : 0.0) + 2.0, 1e-12), "H " << i << j);
    const auto D3 = T.tensor(3);
    for (std::size_t i = 0; i < 27; ++i)
        BOOST_TEST(close(D3[i], (i == 0 || i == 13 || i == 26) ? 6.0 : 0.0, 1e-11, 1e-11),
                   "entry " << i);
}

// Every runtime index is checked: more indices than the degree, an index ≥ N, a degree above K.
BOOST_AUTO_TEST_CASE(indices_out_of_range_throw) {
    auto [x, z] = tl::variables<"x", "z">();
    const auto T = tl::taylor_expansion<2>(exp(x * z), std::array{0.5, 1.5});
    BOOST_CHECK_THROW((void)T.derivative({0, 0, 0}), std::out_of_range);
    BOOST_CHECK_THROW((void)T.derivative({2}), std::out_of_range);
    BOOST_CHECK_THROW((void)T.derivative({0, 7}), std::out_of_range);
    BOOST_CHECK_THROW((void)T.tensor(3), std::out_of_range);
    BOOST_CHECK_THROW((void)T.term(3, std::array{0.1, 0.1}), std::out_of_range);
    BOOST_CHECK_THROW((void)T.coefficient({2, 1}), std::out_of_range);
    try {
        (void)T.derivative({0, 2});
        BOOST_FAIL("no exception");
    } catch (const std::out_of_range& e) {
        BOOST_TEST(std::string(e.what()) ==
                   "tapeless::taylor_polynomial::derivative: index 2 is out of range (it "
                   "must be less than N = 2, the number of variables)");
    }
    try {
        (void)T.derivative({0, 0, 0});
        BOOST_FAIL("no exception");
    } catch (const std::out_of_range& e) {
        BOOST_TEST(std::string(e.what()) == "tapeless::taylor_polynomial::derivative: 3 indices, "
                                            "but the expansion has degree K = 2");
    }
    // in range: still the derivatives (d²/dxdz e^{xz} = (1 + xz) e^{xz})
    BOOST_TEST(close(T.derivative({0, 1}), (1 + 0.75) * std::exp(0.75), 1e-12));
    BOOST_TEST(T.hessian().at(1, 0) == T.derivative({1, 0}));
}

BOOST_AUTO_TEST_SUITE_END()
