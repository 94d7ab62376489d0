// Second derivatives: Hessian-vector products and dense Hessians by forward-over-reverse, checked
// by laws across modes (test/support/expect_second_order.hpp: dense vs columns, hvp vs columns,
// symmetry, hvp vs forward-over-forward, finite differences of the gradient) for every operation,
// at ordinary points and at domain edges, and against second partials worked out by hand for the
// lecture's functions.
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

// f(x, z) = e^{xz} + xz / ln x + sin(ln x) / (xz) at (2, 3), the lecture's function, against the
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
    for (const auto& H : {tl::hessian(f, p), tl::hessian(f, p, tl::dense_mode), tl::hessian(f, p, tl::hvp_mode)}) {
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
    auto callable = [](auto x_, auto z_) { return exp(x_ * z_) + x_ * z_ / log(x_) + sin(log(x_)) / (x_ * z_); };
    const auto Hc = tl::hessian(callable, p);
    const auto Hf = tl::hessian(f, p);
    for (std::size_t i = 0; i < 2; ++i)
        for (std::size_t j = 0; j < 2; ++j) BOOST_TEST(Hc[i][j] == Hf[i][j]);
    const auto hc = tl::hvp(callable, p, std::array{1.0, -2.0});
    BOOST_TEST(hc[0] == hv[0]);
    BOOST_TEST(hc[1] == hv[1]);
}

// f(x) = √(x² + e^{x²}) + cos(x² + e^{x²}), the lecture's function with shared intermediates:
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
        const double want = (-0.25 / (cv * std::sqrt(cv)) - std::cos(cv)) * dc * dc + (0.5 / std::sqrt(cv) - std::sin(cv)) * ddc;
        BOOST_TEST(tl::hessian(f, std::array{at})[0][0] == want, bt::tolerance(1e-12));
        BOOST_TEST(tl::hvp(f, std::array{at}, std::array{1.0})[0] == want, bt::tolerance(1e-12));
    }
    tt::expect_second_order(f, {std::array{-1.0}, std::array{0.3}, std::array{1.0}});
}

// The scalar type follows the inputs: float and long double Hessians of the lecture function
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
    static_assert(tl::hessian(tl::variable<0> * tl::variable<0> * tl::variable<1>, std::array{3.0, 5.0})[0][1] == 6.0);
    static_assert(tl::hvp(tl::variable<0> * tl::variable<0> * 3_c, std::array{2.0}, std::array{1.0})[0] == 6.0);
    // a linear function has a zero Hessian; a constant one too
    const auto Z = tl::hessian(2_c * x - y, std::array{1.0, 2.0});
    for (const auto& row : Z)
        for (double v : row) BOOST_TEST(v == 0.0);
}

// Every elementwise operation (on scalars, and elementwise on a vector with scalar broadcasts).
BOOST_AUTO_TEST_CASE(elementwise_operations) {
    auto [x, y] = tl::variables<"x", "y">();
    const std::array p1{0.4, 1.3}, p2{-0.7, 2.1}, p3{1.9, -0.6};
    tt::expect_second_order(exp(x) * y, {p1, p2});
    tt::expect_second_order(log(y) + log1p(x) * y, {p1, p2});
    tt::expect_second_order(sqrt(y) * x + cbrt(x) + square(x * y), {p1, p2});
    tt::expect_second_order(tl::pow<3>(x) * y + tl::pow<-2>(y) + pow(y, 2.5) + pow(y, x), {p1, p2});
    tt::expect_second_order(sin(x * y) + cos(y) * x + tan(x), {p1, p2, p3});
    tt::expect_second_order(asin(x / 2_c) * y + acos(x / 3_c) + atan(y * x), {p1, p2, p3});
    tt::expect_second_order(atan2(x, y) + hypot(x, y), {p1, p2, p3});
    tt::expect_second_order(sinh(x) * y + cosh(y) + tanh(x * y), {p1, p2, p3});
    tt::expect_second_order(sigmoid(x * y) + softplus(x - y) * x + expm1(x * y), {p1, p2, p3});
    tt::expect_second_order(relu(x) * y + abs(y) * x + min(x, y) * max(x, y) + sign(x) * y, {p1, p2, p3});
    tt::expect_second_order(x / y - (-x) * y + (x + y) * (x - y), {p1, p2, p3});

    auto w = tl::variable<0, tl::vector<3>, "w">;
    const std::array q{0.3, -0.8, 1.4};
    tt::expect_second_order(sum(sin(w) * w + exp(w / 2_c)), {q});
    tt::expect_second_order(sum(tanh(w) * 3.0 + sigmoid(w) * sum(w)), {q}); // scalar broadcast
    tt::expect_second_order(sum(square(w) - 2_c * w) / (1_c + square(sum(w))), {q});
}

// Every array operation.
BOOST_AUTO_TEST_CASE(array_operations) {
    auto w = tl::variable<0, tl::vector<6>, "w">;
    const std::array q{0.3, -0.8, 1.4, 0.2, -1.1, 0.6};
    const std::array c{1.0, -2.0, 0.5, 3.0, -1.0, 0.25};
    tt::expect_second_order(square(dot(w, c)) + mean(square(w) * w), {q});
    tt::expect_second_order(sum(slice<1, 4>(w) * slice<0, 4>(w)) + element<5>(w) * element<0>(w) * element<2>(w), {q});
    tt::expect_second_order(log_sum_exp(w) + dot(softmax(w), c), {q});
    tt::expect_second_order(binary_cross_entropy_with_logits(w, std::array{0.0, 1.0, 1.0, 0.0, 0.5, 1.0}), {q});
    tt::expect_second_order(softmax_cross_entropy(w, std::array{0.0, 0.0, 1.0, 0.0, 0.0, 0.0}) + mse(w * w, c), {q});
    // matrices: matvec, matmul, transpose, concat, row-wise softmax and log_sum_exp
    auto M = tl::constant(tl::mat<double, 2, 3>{{0.5, -1.0, 2.0, 1.5, 0.3, -0.7}});
    auto A = matmul(transpose(M), M) + 0.1; // 3×3, from constants
    auto v = slice<0, 3>(w);
    auto u = slice<3, 3>(w);
    tt::expect_second_order(dot(v, matvec(A, v)) + sum(matvec(transpose(A), u) * u * v), {q});
    tt::expect_second_order(sum(concat(v * u, element<0>(w) * element<1>(w))), {q});
    // Rosenbrock as one array expression: its Hessian is tridiagonal
    auto rb = sum(100_c * square(slice<1, 5>(w) - square(slice<0, 5>(w))) + square(1_c - slice<0, 5>(w)));
    tt::expect_second_order(rb, {q, std::array{1.0, 1.0, 1.0, 1.0, 1.0, 1.0}});
    const auto H = tl::hessian(rb, q);
    for (std::size_t i = 0; i < 6; ++i)
        for (std::size_t j = 0; j < 6; ++j) {
            // by hand: ∂²/∂w_i² = 1200 w_i² − 400 w_{i+1} + 2 [i < 5] + 200 [i > 0], ∂²/∂w_i∂w_{i+1} = −400 w_i
            double want = 0;
            if (i == j) want = (i < 5 ? 1200 * q[i] * q[i] - 400 * q[i + 1] + 2 : 0.0) + (i > 0 ? 200.0 : 0.0);
            if (j == i + 1) want = -400 * q[i];
            if (i == j + 1) want = -400 * q[j];
            BOOST_TEST(H[i][j] == want, bt::tolerance(1e-12));
        }
}

// The compile-time sparsity pattern: exactly the structure the operations allow, and the colouring
// the sparse mode runs on (a tridiagonal Hessian in 3 products, whatever n).
BOOST_AUTO_TEST_CASE(sparsity_pattern) {
    auto w = tl::variable<0, tl::vector<12>, "w">;
    auto rb = sum(100_c * square(slice<1, 11>(w) - square(slice<0, 11>(w))) + square(1_c - slice<0, 11>(w)));
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
    constexpr auto lin = tl::hessian_pattern(decltype(3.0 * x + y / 2_c - z + x * y){}, std::array<double, 3>{});
    static_assert(!lin.nonzero(0, 0) && lin.nonzero(0, 1) && !lin.nonzero(1, 1) && !lin.nonzero(2, 2));
    static_assert(!lin.nonzero(0, 2) && !lin.nonzero(1, 2) && lin.colors == 1);
    // a quotient by a variable and a nonlinear function of one variable
    constexpr auto q2 = tl::hessian_pattern(decltype(x / z + exp(y)){}, std::array<double, 3>{});
    static_assert(q2.nonzero(0, 2) && q2.nonzero(2, 2) && !q2.nonzero(0, 0) && q2.nonzero(1, 1) && !q2.nonzero(0, 1));
    tt::expect_second_order(3.0 * x + y / 2_c - z + x * y + x / z + exp(y), {std::array{0.3, -1.2, 2.0}});
    // a separable sum over a vector: diagonal, one product
    auto v = tl::variable<0, tl::vector<8>, "v">;
    constexpr auto d = tl::hessian_pattern(decltype(sum(exp(v) * v)){}, std::array<double, 8>{});
    static_assert(d.colors == 1);
    // a matrix-vector product couples everything it reads
    auto M = tl::constant(tl::mat<double, 2, 8>{});
    constexpr auto m = tl::hessian_pattern(decltype(sum(exp(matvec(M, v)))){}, std::array<double, 8>{});
    static_assert(m.colors == 8 && m.nonzero(0, 7));
}

// Matrix-shaped input: a small softmax classifier's loss, Hessian with respect to its 3×2 weights
// (6×6, row-major element order), against differences of the gradient.
BOOST_AUTO_TEST_CASE(matrix_input) {
    auto W = tl::variable<0, tl::matrix<3, 2>, "W">;
    auto M = tl::constant(tl::mat<double, 2, 3>{{0.5, -1.0, 2.0, 1.5, 0.3, -0.7}});
    auto loss = softmax_cross_entropy(matmul(W, M) + 0.1, tl::mat<double, 3, 3>{{1, 0, 0, 0, 0, 1, 0, 1, 0}}) +
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
            BOOST_TEST(std::fabs(Hd[i][j] - fd) <= 1e-7L * (1 + std::fabs(fd)), "H[" << i << "][" << j << "] " << Hd[i][j] << " vs " << static_cast<double>(fd));
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
    for (std::size_t i = 0; i < 3; ++i) BOOST_TEST(std::get<0>(hv)[i] == hg[i], bt::tolerance(1e-13));
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
    auto big = sum(100_c * square(slice<1, 199>(w) - square(slice<0, 199>(w))) + square(1_c - slice<0, 199>(w)));
    static_assert(!tl::dense_hessian_is_cheaper<decltype(big), 200>());
    std::array<double, 200> w0{};
    for (std::size_t i = 0; i < 200; ++i) w0[i] = i % 2 == 0 ? -1.2 : 1.0;
    const auto Ha = tl::hessian(big, w0);
    const auto Hd = tl::hessian(big, w0, tl::dense_mode);
    for (std::size_t i = 0; i < 200; ++i)
        for (std::size_t j = 0; j < 200; ++j) {
            double want = 0;
            if (i == j) want = (i < 199 ? 1200 * w0[i] * w0[i] - 400 * w0[i + 1] + 2 : 0.0) + (i > 0 ? 200.0 : 0.0);
            if (j == i + 1) want = -400 * w0[i];
            if (i == j + 1) want = -400 * w0[j];
            if (Ha[i][j] != want || Hd[i][j] != want)
                BOOST_TEST(false, "H[" << i << "][" << j << "] auto " << Ha[i][j] << " dense " << Hd[i][j] << " want " << want);
        }
}

// One Hessian-vector product evaluates each shared node's value rule once, and its derivative rule
// twice (once in the value sweep on duals, once in the reverse sweep): a constant times the work
// of one gradient (value once, derivative once). The dense Hessian costs the same rule calls; by
// columns, n times that.
BOOST_AUTO_TEST_CASE(rule_calls) {
    auto [x, z] = tl::variables<"x", "z">();
    auto c = tt::make_counted(x * z);
    auto f = c * c + sin(c) / c + exp(c);
    const std::array p{0.5, 2.0};
    tt::counted::reset();
    (void)tl::gradient(f, p);
    BOOST_TEST(tt::counted::values == 1);
    BOOST_TEST(tt::counted::derivatives == 1);
    tt::counted::reset();
    (void)tl::hvp(f, p, std::array{1.0, 1.0});
    BOOST_TEST(tt::counted::values == 1);
    BOOST_TEST(tt::counted::derivatives == 2);
    tt::counted::reset();
    (void)tl::hessian(f, p, tl::dense_mode);
    BOOST_TEST(tt::counted::values == 1);
    BOOST_TEST(tt::counted::derivatives == 2);
    tt::counted::reset();
    (void)tl::hessian(f, p, tl::hvp_mode);
    BOOST_TEST(tt::counted::values == 2);
    BOOST_TEST(tt::counted::derivatives == 4);
    // and the numbers: f = g(c), c = xz, g(c) = c² + sin(c)/c + e^c; H = g''(c) ∇c ∇cᵀ + g'(c) ∇²c
    const double cv = 1.0;
    const double d1 = 2 * cv + (std::cos(cv) * cv - std::sin(cv)) / (cv * cv) + std::exp(cv);
    const double d2 = 2 + (-std::sin(cv) * cv * cv - 2 * (std::cos(cv) * cv - std::sin(cv))) / (cv * cv * cv) + std::exp(cv);
    const auto H = tl::hessian(f, p);
    BOOST_TEST(H[0][0] == d2 * 2.0 * 2.0, bt::tolerance(1e-13));
    BOOST_TEST(H[0][1] == d2 * 2.0 * 0.5 + d1, bt::tolerance(1e-13));
    BOOST_TEST(H[1][1] == d2 * 0.5 * 0.5, bt::tolerance(1e-13));
}

// At domain edges the modes agree with each other (NaN with NaN, infinities exactly), and the
// second derivatives are those of the documented rules.
BOOST_AUTO_TEST_CASE(domain_edges) {
    auto [x] = tl::variables<"x">();
    const double inf = std::numeric_limits<double>::infinity();
    const double tiny = std::numeric_limits<double>::denorm_min();
    auto second = [](const auto& f, double at) { return tl::hessian(f, std::array{at})[0][0]; };

    // saturation: σ'' = σ'(1 − 2σ), tanh'' = −2 tanh (1 − tanh²), softplus'' = σ'
    BOOST_TEST(second(sigmoid(x), 700.0) == 0.0);
    BOOST_TEST(second(sigmoid(x), -700.0) > 0.0); // ≈ e^{-700}, not 0 and not NaN
    BOOST_TEST(second(sigmoid(x), -700.0) == std::exp(-700.0), bt::tolerance(1e-12));
    BOOST_TEST(second(tanh(x), 700.0) == 0.0);
    BOOST_TEST(second(softplus(x), 700.0) == 0.0);
    BOOST_TEST(second(softplus(x), -700.0) == std::exp(-700.0), bt::tolerance(1e-12));
    // kinks: relu, abs, min, max and sign have second derivative 0 everywhere, 0 included
    BOOST_TEST(second(relu(x), 0.0) == 0.0);
    BOOST_TEST(second(abs(x), 0.0) == 0.0);
    BOOST_TEST(second(abs(x), -0.0) == 0.0);
    BOOST_TEST(second(max(x, x), 1.5) == 0.0);
    BOOST_TEST(second(min(x, 2.0 * x), 0.0) == 0.0);
    BOOST_TEST(second(sign(x), 0.0) == 0.0);
    // Where a first derivative is itself infinite (the poles of log, √, asin, acos at the domain's
    // edge; exp beyond overflow) the true second derivative is ±inf, but forward-over-reverse
    // gives NaN: the root's adjoint 1 carries the tangent 0, and IEEE 0 · inf is NaN in the
    // product ȳ · ∂y/∂x (forward-over-forward does the same). A known limitation, pinned here so
    // that a change (a strong zero in dual's product) shows up: the value and gradient stay exact.
    for (double got : {second(log(x), 0.0), second(sqrt(x), 0.0), second(asin(x), 1.0), second(acos(x), 1.0),
                       second(exp(x), 710.0)})
        BOOST_TEST(std::isnan(got));
    BOOST_TEST(tl::value_gradient_and_hessian(log(x), std::array{0.0}).gradient[0] == inf);
    BOOST_TEST(tl::value_gradient_and_hessian(exp(x), std::array{710.0}).gradient[0] == inf);
    // just inside the edge the second derivatives are the rules' own: −1/x², −x^{−3/2}/4
    BOOST_TEST(second(log(x), 1e-150) == -1e300, bt::tolerance(1e-14));
    BOOST_TEST(second(sqrt(x), 1e-100) == -0.25e150, bt::tolerance(1e-14));
    BOOST_TEST(second(exp(x), 709.0) == std::exp(709.0), bt::tolerance(1e-14));
    BOOST_TEST(second(exp(x), -746.0) == 0.0);
    // denormals are not flushed
    BOOST_TEST(second(x * x * x, tiny) == 6 * tiny);

    // the laws between modes hold at every edge point
    tt::expect_second_order_at_edges(sigmoid(x) + tanh(x) + softplus(x), {std::array{700.0}, std::array{-700.0}, std::array{0.0}});
    tt::expect_second_order_at_edges(relu(x) + abs(x) + sign(x) + max(x, x) + min(x, 0.0), {std::array{0.0}, std::array{-0.0}});
    tt::expect_second_order_at_edges(log(x), {std::array{0.0}, std::array{tiny}, std::array{inf}});
    tt::expect_second_order_at_edges(sqrt(x) + cbrt(x), {std::array{0.0}, std::array{tiny}});
    tt::expect_second_order_at_edges(asin(x), {std::array{1.0}, std::array{-1.0}});
    tt::expect_second_order_at_edges(acos(x), {std::array{1.0}, std::array{-1.0}});
    tt::expect_second_order_at_edges(exp(x) + expm1(x), {std::array{710.0}, std::array{-746.0}});
    tt::expect_second_order_at_edges(atan(x) + log1p(x), {std::array{1e200}, std::array{-1.0}});
    tt::expect_second_order_at_edges(sinh(x) + cosh(x), {std::array{711.0}, std::array{-711.0}});
    tt::expect_second_order_at_edges(tl::pow<-2>(x) + square(x), {std::array{0.0}, std::array{1e-200}});
    auto [a, b] = tl::variables<"a", "b">();
    tt::expect_second_order_at_edges(atan2(a, b) + hypot(a, b), {std::array{0.0, 0.0}, std::array{1e-200, 1e200}});
    tt::expect_second_order_at_edges(pow(a, b), {std::array{0.0, 2.0}, std::array{0.0, 0.5}});
    tt::expect_second_order_at_edges(a / b, {std::array{1.0, 0.0}, std::array{0.0, 0.0}});

    auto z = tl::variable<0, tl::vector<3>, "z">;
    // softmax and log_sum_exp at ±700 (no overflow), the cross-entropies at saturated logits
    tt::expect_second_order_at_edges(log_sum_exp(z) + dot(softmax(z), std::array{1.0, 2.0, 3.0}),
                                     {std::array{700.0, 0.0, -700.0}, std::array{-700.0, -700.0, -700.0}});
    tt::expect_second_order_at_edges(binary_cross_entropy_with_logits(z, std::array{0.0, 1.0, 0.5}) +
                                         softmax_cross_entropy(z, std::array{0.0, 1.0, 0.0}),
                                     {std::array{700.0, -700.0, 0.0}, std::array{-700.0, 700.0, 700.0}});
}

BOOST_AUTO_TEST_SUITE_END()
