// Value and vector-Jacobian tests of slice, element, transpose, matvec and matmul
// (ops/linalg.hpp), against direct loops; matrices are row-major.
#include <tapeless/core/variables.hpp>
#include <tapeless/io/to_string.hpp>
#include <tapeless/modes/gradient.hpp>
#include <tapeless/modes/value.hpp>
#include <tapeless/ops/arithmetic.hpp>
#include <tapeless/ops/linalg.hpp>
#include <tapeless/ops/reduce.hpp>

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
constexpr double loop_tolerance = 1e-14;

template <class T, std::size_t R, std::size_t K, std::size_t C>
tl::mat<T, R, C> loop_matmul(const tl::mat<T, R, K>& a, const tl::mat<T, K, C>& b) {
    tl::mat<T, R, C> out{};
    for (std::size_t r = 0; r < R; ++r)
        for (std::size_t c = 0; c < C; ++c) {
            T s = 0;
            for (std::size_t k = 0; k < K; ++k) s += a(r, k) * b(k, c);
            out(r, c) = s;
        }
    return out;
}
template <class T, std::size_t R, std::size_t C>
std::array<T, R> loop_matvec(const tl::mat<T, R, C>& a, const std::array<T, C>& v) {
    std::array<T, R> out{};
    for (std::size_t r = 0; r < R; ++r) {
        T s = 0;
        for (std::size_t c = 0; c < C; ++c) s += a(r, c) * v[c];
        out[r] = s;
    }
    return out;
}

template <class A, class B>
bool all_close(const A& got, const B& want) {
    auto g = got.begin();
    for (auto x : want)
        if (!tt::close(*g++, x, loop_tolerance, 1e-14)) return false;
    return true;
}

const auto w = tl::variable<0, tl::vector<5>, "w">;
} // namespace

BOOST_AUTO_TEST_SUITE(ops_linalg)

BOOST_AUTO_TEST_CASE(slice_and_element_copy) {
    const std::array<double, 5> a{1.5, -2.0, inf, -0.0, std::numeric_limits<double>::quiet_NaN()};
    const std::array<double, 3> s = tl::value(tl::slice<1, 3>(w), a);
    BOOST_TEST(tt::same_value(s[0], -2.0));
    BOOST_TEST(tt::same_value(s[1], inf));
    BOOST_TEST(tt::same_value(s[2], -0.0));
    const std::array<double, 5> whole = tl::value(tl::slice<0, 5>(w), a);
    for (std::size_t i = 0; i < 5; ++i) BOOST_TEST(tt::same_value(whole[i], a[i]));
    const std::array<double, 1> last = tl::value(tl::slice<4, 1>(w), a);
    BOOST_TEST(std::isnan(last[0]));
    BOOST_TEST(tl::value(tl::element<0>(w), a) == 1.5);
    BOOST_TEST(tt::same_value(tl::value(tl::element<3>(w), a), -0.0));
    BOOST_TEST(std::isnan(tl::value(tl::element<4>(w), a)));
    // Composed: the Rosenbrock-style shifted pair.
    const std::array<double, 4> d =
        tl::value(tl::slice<1, 4>(w) - tl::slice<0, 4>(w), std::array{1.0, 2.0, 4.0, 8.0, 16.0});
    BOOST_TEST(d == (std::array{1.0, 2.0, 4.0, 8.0}));
    BOOST_TEST(
        tl::value(tl::element<2>(tl::slice<1, 3>(w)), std::array{1.0, 2.0, 4.0, 8.0, 16.0}) == 8.0);
    // Float.
    BOOST_TEST(tl::value(tl::element<1>(w), std::array{1.0f, 2.5f, 3.0f, 4.0f, 5.0f}) == 2.5f);
}

BOOST_AUTO_TEST_CASE(transpose_matches_loops) {
    auto M = tl::variable<0, tl::matrix<2, 3>, "M">;
    const tl::mat<double, 2, 3> m{{1, 2, 3, 4, 5, 6}};
    const tl::mat<double, 3, 2> t = tl::value(tl::transpose(M), m);
    for (std::size_t r = 0; r < 2; ++r)
        for (std::size_t c = 0; c < 3; ++c) BOOST_TEST(t(c, r) == m(r, c));
    const tl::mat<double, 2, 3> back = tl::value(tl::transpose(tl::transpose(M)), m);
    BOOST_TEST((back == m));
    auto row = tl::variable<0, tl::matrix<1, 4>, "r">;
    const tl::mat<double, 4, 1> col =
        tl::value(tl::transpose(row), tl::mat<double, 1, 4>{{1, 2, 3, 4}});
    BOOST_TEST(col.data == (std::array{1.0, 2.0, 3.0, 4.0}));
}

BOOST_AUTO_TEST_CASE(matvec_matches_loops) {
    auto A = tl::variable<0, tl::matrix<3, 4>, "A">;
    auto v = tl::variable<1, tl::vector<4>, "v">;
    tt::rng g(3);
    for (int trial = 0; trial < 10; ++trial) {
        const tl::mat<double, 3, 4> a{g.array<double, 12>(-3.0, 3.0)};
        const auto x = g.array<double, 4>(-3.0, 3.0);
        const auto want = loop_matvec(a, x);
        BOOST_TEST(all_close(tl::value(tl::matvec(A, v), a, x), want));
        BOOST_TEST(all_close(tl::value(tl::matvec(a, v), a, x), want)); // a constant matrix
        BOOST_TEST(all_close(tl::value(tl::matvec(A, x), a), want));    // a constant vector
    }
    const tl::mat<double, 3, 4> id{{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0}};
    BOOST_TEST(tl::value(tl::matvec(A, v), id, std::array{7.0, 8.0, 9.0, 10.0}) ==
               (std::array{7.0, 8.0, 9.0}));
    // IEEE propagation: 0 * inf is NaN in the row that meets it.
    const std::array<double, 3> r = tl::value(tl::matvec(A, v), id, std::array{1.0, inf, 1.0, 1.0});
    BOOST_TEST(std::isnan(r[0]));
    BOOST_TEST(r[1] == inf);
    BOOST_TEST(std::isnan(r[2]));
}

BOOST_AUTO_TEST_CASE(matmul_matches_loops) {
    auto A = tl::variable<0, tl::matrix<2, 3>, "A">;
    auto B = tl::variable<1, tl::matrix<3, 4>, "B">;
    tt::rng g(4);
    for (int trial = 0; trial < 10; ++trial) {
        const tl::mat<double, 2, 3> a{g.array<double, 6>(-3.0, 3.0)};
        const tl::mat<double, 3, 4> b{g.array<double, 12>(-3.0, 3.0)};
        const auto want = loop_matmul(a, b);
        BOOST_TEST(all_close(tl::value(tl::matmul(A, B), a, b), want));
        BOOST_TEST(all_close(tl::value(tl::matmul(a, B), a, b), want));
        BOOST_TEST(all_close(tl::value(tl::matmul(A, b), a), want));
        // (A B)ᵀ = Bᵀ Aᵀ
        const tl::mat<double, 4, 2> t1 = tl::value(tl::transpose(tl::matmul(A, B)), a, b);
        const tl::mat<double, 4, 2> t2 =
            tl::value(tl::matmul(tl::transpose(B), tl::transpose(A)), a, b);
        BOOST_TEST(all_close(t1, t2));
    }
    // Exact on small integers; a 1x1 result; long double.
    const tl::mat<double, 2, 3> a{{1, 2, 3, 4, 5, 6}};
    const tl::mat<double, 3, 4> b{{1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1}};
    const tl::mat<double, 2, 4> c = tl::value(tl::matmul(A, B), a, b);
    BOOST_TEST(c.data == (std::array{1.0, 2.0, 3.0, 6.0, 4.0, 5.0, 6.0, 15.0}));
    auto r = tl::variable<0, tl::matrix<1, 3>, "r">;
    auto k = tl::variable<1, tl::matrix<3, 1>, "k">;
    const tl::mat<long double, 1, 1> one =
        tl::value(tl::matmul(r, k), tl::mat<long double, 1, 3>{{1, 2, 3}},
                  tl::mat<long double, 3, 1>{{4, 5, 6}});
    BOOST_TEST(one(0, 0) == 32.0L);
}

// The tiled kernels (8-row tiles of 16 doubles / 32 floats) with full tiles and both edges: the
// value against the plain loops, exactly (the same order of summation over k), in double and
// float, and both vector-Jacobian products against the loops' transposes.
template <class T>
void check_tiled_matmul() {
    constexpr std::size_t R = 19, K = 13, C = 37;
    auto A = tl::variable<0, tl::matrix<R, K>, "A">;
    auto B = tl::variable<1, tl::matrix<K, C>, "B">;
    tt::rng g(11);
    tl::mat<T, R, K> a{};
    tl::mat<T, K, C> b{};
    for (auto& x : a.data) x = static_cast<T>(g.uniform(-2.0, 2.0));
    for (auto& x : b.data) x = static_cast<T>(g.uniform(-2.0, 2.0));
    const auto want = loop_matmul(a, b);
    const tl::mat<T, R, C> got = tl::value(tl::matmul(A, B), a, b);
    BOOST_TEST(got.data == want.data);
    // vjps: Ā = Ȳ Bᵀ, B̄ = Aᵀ Ȳ with Ȳ = w (a fixed weight matrix), through tl::gradient of
    // sum(w ⊙ AB)
    tl::mat<T, R, C> w{};
    for (auto& x : w.data) x = static_cast<T>(g.uniform(-1.0, 1.0));
    const auto [ga, gb] = tl::gradient(tl::sum(tl::matmul(A, B) * w), a, b);
    for (std::size_t r = 0; r < R; ++r)
        for (std::size_t k = 0; k < K; ++k) {
            T acc = 0;
            for (std::size_t c = 0; c < C; ++c) acc += w(r, c) * b(k, c);
            BOOST_TEST(ga(r, k) == acc,
                       boost::test_tools::tolerance(static_cast<T>(sizeof(T) == 4 ? 1e-5 : 1e-13)));
        }
    for (std::size_t k = 0; k < K; ++k)
        for (std::size_t c = 0; c < C; ++c) {
            T acc = 0;
            for (std::size_t r = 0; r < R; ++r) acc += a(r, k) * w(r, c);
            BOOST_TEST(gb(k, c) == acc,
                       boost::test_tools::tolerance(static_cast<T>(sizeof(T) == 4 ? 1e-5 : 1e-13)));
        }
}

BOOST_AUTO_TEST_CASE(tiled_matmul) {
    check_tiled_matmul<double>();
    check_tiled_matmul<float>();
}

// add_rowwise(M, v): v added to every row; M̄ = Ȳ, v̄ = column sums of Ȳ.
BOOST_AUTO_TEST_CASE(add_rowwise) {
    auto M = tl::variable<0, tl::matrix<3, 2>, "M">;
    auto v = tl::variable<1, tl::vector<2>, "v">;
    const tl::mat<double, 3, 2> m{{1, 2, 3, 4, 5, 6}};
    const std::array b{10.0, 20.0};
    const tl::mat<double, 3, 2> y = tl::value(tl::add_rowwise(M, v), m, b);
    BOOST_TEST(y.data == (std::array{11.0, 22.0, 13.0, 24.0, 15.0, 26.0}));
    const tl::mat<double, 3, 2> w{{1, -1, 2, 0.5, -3, 4}};
    const auto [gm, gv] = tl::gradient(tl::sum(tl::add_rowwise(M, v) * w), m, b);
    BOOST_TEST(gm.data == w.data);
    BOOST_TEST(gv[0] == 0.0);
    BOOST_TEST(gv[1] == 3.5);
    BOOST_TEST(tl::to_string(tl::add_rowwise(M, v)) == "add_rowwise(M, v)");
}

BOOST_AUTO_TEST_CASE(vjp_rules) {
    tt::check_vjp<tl::op::slice<1, 3>, tl::vector<5>>("slice<1, 3>", {{{-2.0L, 2.0L}}}, 21);
    tt::check_vjp<tl::op::slice<0, 5>, tl::vector<5>>("slice<0, 5>", {{{-2.0L, 2.0L}}}, 22);
    tt::check_vjp<tl::op::element<2>, tl::vector<4>>("element<2>", {{{-2.0L, 2.0L}}}, 23);
    tt::check_vjp<tl::op::transpose, tl::matrix<2, 3>>("transpose", {{{-2.0L, 2.0L}}}, 24);
    tt::check_vjp<tl::op::matvec, tl::matrix<3, 4>, tl::vector<4>>(
        "matvec", {{{-2.0L, 2.0L}, {-2.0L, 2.0L}}}, 25);
    tt::check_vjp<tl::op::matmul, tl::matrix<2, 3>, tl::matrix<3, 4>>(
        "matmul", {{{-2.0L, 2.0L}, {-2.0L, 2.0L}}}, 26);
    tt::check_vjp<tl::op::matmul, tl::matrix<1, 1>, tl::matrix<1, 5>>(
        "matmul 1x1 by 1x5", {{{-2.0L, 2.0L}, {-2.0L, 2.0L}}}, 27);
    tt::check_vjp<tl::op::matmul, tl::matrix<9, 3>, tl::matrix<3, 18>>(
        "matmul 9x3 by 3x18 (a full tile and edges)", {{{-2.0L, 2.0L}, {-2.0L, 2.0L}}}, 28);
    tt::check_vjp<tl::op::add_rowwise, tl::matrix<3, 4>, tl::vector<4>>(
        "add_rowwise", {{{-2.0L, 2.0L}, {-2.0L, 2.0L}}}, 29);
}

BOOST_AUTO_TEST_CASE(names_and_domains) {
    BOOST_TEST((tl::op::slice<1, 2>::name == "slice"));
    BOOST_TEST(tl::op::element<1>::name == "element");
    BOOST_TEST(tl::op::transpose::name == "transpose");
    BOOST_TEST(tl::op::matvec::name == "matvec");
    BOOST_TEST(tl::op::matmul::name == "matmul");
    BOOST_TEST((tl::op::slice<1, 2>::begin == 1 && tl::op::slice<1, 2>::length == 2));
    BOOST_TEST(tl::op::element<3>::index == 3u);
    // The parameters are part of the op's identity.
    BOOST_TEST((tl::op::slice<1, 2>::parameters != tl::op::slice<2, 1>::parameters));
}

BOOST_AUTO_TEST_SUITE_END()
