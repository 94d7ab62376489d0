// Jacobians: forward and reverse mode against each other, against hand-written Jacobians, and
// against central finite differences; the automatic choice follows the cost comparison.
#include <tapeless/modes/jacobian.hpp>
#include <tapeless/tapeless.hpp>

#include <array>
#include <cmath>

#include <boost/test/unit_test.hpp>

namespace tl = tapeless;
using namespace tl::literals;
using boost::test_tools::tolerance;

BOOST_AUTO_TEST_SUITE(jacobian)

template <class F, std::size_t N>
void check_against_differences(const F& f, const std::array<double, N>& p) {
    const auto J = tl::jacobian(f, p);
    const auto Jf = tl::jacobian(f, p, tl::forward_mode);
    const auto Jr = tl::jacobian(f, p, tl::reverse_mode);
    constexpr std::size_t m = tl::shape_of<F>::size;
    for (std::size_t j = 0; j < N; ++j) {
        std::array<long double, N> up{}, down{};
        for (std::size_t k = 0; k < N; ++k) up[k] = down[k] = p[k];
        const long double h = 1e-6L * std::fmax(1.0L, std::fabs(static_cast<long double>(p[j])));
        up[j] += h;
        down[j] -= h;
        const auto fu = tl::value(f, up), fd = tl::value(f, down);
        for (std::size_t i = 0; i < m; ++i) {
            const long double diff = (fu[i] - fd[i]) / (up[j] - down[j]);
            BOOST_TEST(Jf[i][j] == Jr[i][j], tolerance(1e-14));
            BOOST_TEST(J[i][j] == Jr[i][j], tolerance(1e-14));
            BOOST_TEST(static_cast<long double>(Jr[i][j]) == diff, tolerance(1e-7L));
        }
    }
}

// The Lorenz system F(x, y, z) = (σ(y − x), x(ρ − z) − y, xy − βz), σ = 10, ρ = 28, β = 8/3.
BOOST_AUTO_TEST_CASE(lorenz) {
    auto [x, y, z] = tl::variables<"x", "y", "z">();
    auto F = tl::outputs(10_c * (y - x), x * (28_c - z) - y, x * y - (8_c / 3_c) * z);
    const std::array p{1.5, -2.0, 20.0};
    const auto J = tl::jacobian(F, p);
    const double want[3][3] = {{-10, 10, 0}, {28 - p[2], -1, -p[0]}, {p[1], p[0], -8.0 / 3.0}};
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 3; ++j) BOOST_TEST(J[i][j] == want[i][j], tolerance(1e-15));
    check_against_differences(F, p);
}

// Spherical to Cartesian: (r, θ, φ) ↦ (r sinθ cosφ, r sinθ sinφ, r cosθ).
BOOST_AUTO_TEST_CASE(spherical_to_cartesian) {
    auto [r, t, f] = tl::variables<"r", "theta", "phi">();
    auto F = tl::outputs(r * sin(t) * cos(f), r * sin(t) * sin(f), r * cos(t));
    const std::array p{2.0, 0.7, -0.4};
    const double st = std::sin(p[1]), ct = std::cos(p[1]), sf = std::sin(p[2]), cf = std::cos(p[2]);
    const double want[3][3] = {{st * cf, p[0] * ct * cf, -p[0] * st * sf},
                               {st * sf, p[0] * ct * sf, p[0] * st * cf},
                               {ct, -p[0] * st, 0}};
    const auto J = tl::jacobian(F, p);
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 3; ++j) BOOST_TEST(J[i][j] == want[i][j], tolerance(1e-15));
    check_against_differences(F, p);
}

// A vector-valued array expression, and the choice of mode: few inputs and many outputs favour
// forward mode, many inputs and one output reverse mode.
BOOST_AUTO_TEST_CASE(array_outputs_and_mode_choice) {
    auto w = tl::variable<0, tl::vector<4>, "w">;
    auto F = softmax(w * w) * sum(w);
    check_against_differences(F, std::array{0.3, -0.8, 1.4, 0.1});

    auto [a] = tl::variables<"a">();
    auto wide = tl::outputs(sin(a), cos(a), exp(a), a * a, sqrt(a));
    static_assert(tl::forward_is_cheaper<decltype(wide), 1>());
    check_against_differences(wide, std::array{0.6});

    auto v = tl::variable<0, tl::vector<50>, "v">;
    auto narrow = sum(sin(v) * v);
    static_assert(!tl::forward_is_cheaper<decltype(narrow), 50>());
    std::array<double, 50> q{};
    for (std::size_t i = 0; i < 50; ++i) q[i] = 0.1 * static_cast<double>(i) - 2;
    const auto J = tl::jacobian(narrow, q);
    const auto g = tl::gradient(narrow, q);
    for (std::size_t j = 0; j < 50; ++j) BOOST_TEST(J[0][j] == g[j]);

    // a result of shape vector<1> (not a scalar): one row, in both modes
    auto one = slice<1, 1>(w * w);
    const std::array p{0.3, -0.8, 1.4, 0.1};
    const auto Jf = tl::jacobian(one, p, tl::forward_mode);
    const auto Jr = tl::jacobian(one, p, tl::reverse_mode);
    for (std::size_t j = 0; j < 4; ++j) {
        BOOST_TEST(Jf[0][j] == (j == 1 ? 2 * p[1] : 0.0));
        BOOST_TEST(Jr[0][j] == Jf[0][j]);
    }
}

BOOST_AUTO_TEST_SUITE_END()
