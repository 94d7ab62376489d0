// check/: finite differences and tl::check_gradient, including that a wrong derivative rule is
// caught.
#include <tapeless/check/finite_difference.hpp>
#include <tapeless/tapeless.hpp>

#include <array>
#include <cmath>

#include <boost/test/unit_test.hpp>

namespace tl = tapeless;
using namespace tl::literals;

namespace {
// sin with a wrong derivative rule (sin instead of cos): check_gradient must reject it.
struct wrong_sin : tl::unary_elementwise {
    static constexpr std::string_view name = "wrong_sin";
    template <class T>
    static constexpr T value(const T& x) {
        using std::sin;
        return sin(x);
    }
    template <class X, class Y>
    static constexpr auto derivative(const X&, const Y& y) {
        return y;
    }
};
} // namespace

BOOST_AUTO_TEST_SUITE(check)

BOOST_AUTO_TEST_CASE(differences_converge) {
    auto [x] = tl::variables<"x">();
    auto f = exp(x) * sin(x);
    const std::array p{0.7};
    const long double exact = std::exp(0.7L) * (std::sin(0.7L) + std::cos(0.7L));
    const long double c = tl::central_difference(f, p, 0, 1e-3L);
    const long double r = tl::richardson_difference(f, p, 0, 1e-3L);
    BOOST_TEST(std::fabs(c - exact) < 1e-6L);
    BOOST_TEST(std::fabs(r - exact) < 1e-11L);
    BOOST_TEST(std::fabs(r - exact) < std::fabs(c - exact) / 1000); // O(h⁴) against O(h²)
}

BOOST_AUTO_TEST_CASE(check_gradient_accepts_and_rejects) {
    auto [x, z] = tl::variables<"x", "z">();
    auto f = exp(x * z) + x * z / log(x) + sin(log(x)) / (x * z);
    const auto good = tl::check_gradient(f, std::array{2.0, 3.0});
    BOOST_TEST(good.ok);
    BOOST_TEST(good.max_rel_error < 1e-8L);

    auto g = tl::make_node<wrong_sin>(x) * z;
    const auto bad = tl::check_gradient(g, std::array{0.5, 2.0});
    BOOST_TEST(!bad.ok);
    BOOST_TEST(bad.worst_index == 0u);
    BOOST_TEST(bad.gradient[1] == std::sin(0.5)); // ∂/∂z is still right
}

BOOST_AUTO_TEST_SUITE_END()
