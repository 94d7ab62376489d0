// Large results: Hessians and Jacobians whose rows would not fit on the default 8 MB stack are
// built on the heap (tl::row_matrix), and the sweeps' workspaces too. Run under `ulimit -s 8192`;
// before results were built on the stack, each of these cases overflowed it.
#include <tapeless/tapeless.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <memory>
#include <stdexcept>

#include <boost/test/unit_test.hpp>

namespace tl = tapeless;
using namespace tl::literals;
using boost::test_tools::tolerance;

BOOST_AUTO_TEST_SUITE(hessian_large)

// Rosenbrock in n = 1100 variables: the Hessian alone is 1100² doubles = 9.7 MB.
constexpr std::size_t n = 1100;

BOOST_AUTO_TEST_CASE(rosenbrock_hessian_beyond_the_stack) {
    auto w = tl::variable<0, tl::vector<n>, "w">;
    auto f = sum(100_c * square(slice<1, n - 1>(w) - square(slice<0, n - 1>(w))) +
                 square(1_c - slice<0, n - 1>(w)));
    auto p = std::make_unique<std::array<double, n>>();
    for (std::size_t i = 0; i < n; ++i) (*p)[i] = 0.5 + 0.001 * static_cast<double>(i % 37);
    const auto H = tl::hessian(f, *p);
    static_assert(decltype(H)::rows() == n && decltype(H)::cols() == n && decltype(H)::on_heap);
    // a few columns against central differences of the gradient, and tridiagonal elsewhere
    for (std::size_t j : {std::size_t{0}, std::size_t{1}, std::size_t{547}, n - 2, n - 1}) {
        auto up = std::make_unique<std::array<double, n>>(*p),
             down = std::make_unique<std::array<double, n>>(*p);
        const double h = 1e-5;
        (*up)[j] += h;
        (*down)[j] -= h;
        const auto gu = tl::gradient(f, *up), gd = tl::gradient(f, *down);
        for (std::size_t i = 0; i < n; ++i) {
            const double diff = (gu[i] - gd[i]) / (2 * h);
            if (i + 1 >= j && i <= j + 1)
                BOOST_TEST(H[i][j] == diff, tolerance(1e-6));
            else
                BOOST_TEST(H[i][j] == 0.0);
        }
    }
    // a moved Hessian keeps its rows; a copy is deep
    auto moved = std::move(const_cast<tl::row_matrix<double, n, n>&>(H));
    auto copy = moved;
    copy[3][3] = -1.0;
    BOOST_TEST(moved[3][3] != -1.0);
    BOOST_TEST(moved.at(4, 5) == copy.at(4, 5));
}

// Three variables and 2 × 1000 data elements: the Hessian is 3 × 3 (data is not differentiated);
// when data rows and columns were included it was 2003 × 2003 (32 MB on the stack).
BOOST_AUTO_TEST_CASE(least_squares_with_large_data) {
    constexpr std::size_t m = 1000;
    auto c = tl::variable<0, tl::vector<3>, "c">;
    auto x = tl::data<1, tl::vector<m>, "x">;
    auto y = tl::data<2, tl::vector<m>, "y">;
    auto f = sum(square(element<0>(c) * square(x) + element<1>(c) * x + element<2>(c) - y));
    const std::array cv{0.5, -1.0, 2.0};
    auto xv = std::make_unique<std::array<double, m>>(),
         yv = std::make_unique<std::array<double, m>>();
    for (std::size_t i = 0; i < m; ++i) {
        (*xv)[i] = -1.0 + 2.0 * static_cast<double>(i) / m;
        (*yv)[i] = std::sin(3.0 * (*xv)[i]);
    }
    const auto [v, g, H] = tl::value_gradient_and_hessian(f, cv, *xv, *yv);
    static_assert(decltype(H)::rows() == 3 && decltype(H)::cols() == 3);
    // f = |A c − y|², A's rows (x², x, 1): H = 2 AᵀA
    for (std::size_t a = 0; a < 3; ++a)
        for (std::size_t b = 0; b < 3; ++b) {
            long double want = 0;
            for (std::size_t i = 0; i < m; ++i) {
                const long double xi = (*xv)[i];
                const long double col[3] = {xi * xi, xi, 1};
                want += 2 * col[a] * col[b];
            }
            BOOST_TEST(static_cast<long double>(H[a][b]) == want, tolerance(1e-12L));
        }
    BOOST_TEST(v == tl::value(f, cv, *xv, *yv));
    for (std::size_t i = 0; i < 3; ++i)
        BOOST_TEST(std::get<0>(g)[i] == std::get<0>(tl::gradient(f, cv, *xv, *yv))[i]);
    for (std::size_t i = 0; i < m; ++i)
        BOOST_TEST((std::get<1>(g)[i] == 0.0 && std::get<2>(g)[i] == 0.0));
    // the same in the hvp mode (one product per variable) and the dense mode
    const auto Hv = tl::hessian(f, cv, *xv, *yv, tl::hvp_mode);
    const auto Hd = tl::hessian(f, cv, *xv, *yv, tl::dense_mode);
    for (std::size_t a = 0; a < 3; ++a)
        for (std::size_t b = 0; b < 3; ++b) {
            BOOST_TEST(Hv[a][b] == H[a][b], tolerance(1e-13));
            BOOST_TEST(Hd[a][b] == H[a][b], tolerance(1e-13));
        }
}

// A Jacobian of n outputs and n inputs: 9.7 MB of rows.
BOOST_AUTO_TEST_CASE(large_jacobian) {
    auto w = tl::variable<0, tl::vector<n>, "w">;
    auto F = concat(exp(slice<0, 1>(w)) * 0.5, slice<1, n - 1>(w) * slice<0, n - 1>(w));
    auto p = std::make_unique<std::array<double, n>>();
    for (std::size_t i = 0; i < n; ++i) (*p)[i] = std::cos(static_cast<double>(i));
    const auto J = tl::jacobian(F, *p);
    static_assert(decltype(J)::rows() == n && decltype(J)::cols() == n && decltype(J)::on_heap);
    const auto Jr = tl::jacobian(F, *p, tl::reverse_mode);
    for (std::size_t j : {std::size_t{0}, std::size_t{1}, std::size_t{600}, n - 1}) {
        auto up = std::make_unique<std::array<double, n>>(*p),
             down = std::make_unique<std::array<double, n>>(*p);
        const double h = 1e-6;
        (*up)[j] += h;
        (*down)[j] -= h;
        const auto fu = tl::value(F, *up), fd = tl::value(F, *down);
        for (std::size_t i = 0; i < n; ++i) {
            BOOST_TEST(J[i][j] == (fu[i] - fd[i]) / (2 * h), tolerance(1e-6));
            BOOST_TEST(J[i][j] == Jr[i][j]);
        }
    }
}

BOOST_AUTO_TEST_CASE(checked_indices) {
    auto [x, z] = tl::variables<"x", "z">();
    const auto H = tl::hessian(exp(x * z), std::array{0.5, 1.5});
    BOOST_TEST(H.at(1, 0) == H[1][0]);
    BOOST_CHECK_THROW((void)H.at(2, 0), std::out_of_range);
    BOOST_CHECK_THROW((void)H.at(0, 2), std::out_of_range);
    BOOST_CHECK_THROW((void)H.at(7), std::out_of_range);
    try {
        (void)H.at(0, 5);
        BOOST_FAIL("no exception");
    } catch (const std::out_of_range& e) {
        BOOST_TEST(std::string(e.what()) ==
                   "tapeless: row_matrix: column index 5 is out of range (it must be less than 2)");
    }
    const auto pattern = tl::hessian_pattern(exp(x * z), std::array{0.0, 0.0});
    BOOST_TEST(pattern.nonzero(0, 1));
    BOOST_CHECK_THROW((void)pattern.nonzero(2, 0), std::out_of_range);
    BOOST_CHECK_THROW((void)pattern.nonzero(0, 64), std::out_of_range);
}

BOOST_AUTO_TEST_SUITE_END()
