// check/: finite differences and tl::check_gradient, including that a wrong derivative rule is
// caught.
#include <tapeless/check/finite_difference.hpp>
#include <tapeless/tapeless.hpp>

#include <array>
#include <cmath>

#include <boost/test/unit_test.hpp>

#include "support/expect_ad.hpp"

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

// exp with a Taylor rule that is wrong by 0.1% from the third coefficient on, and right otherwise.
struct wrong_taylor_exp : tl::op::exp {
    static constexpr std::string_view name = "wrong_taylor_exp";
    template <std::size_t K, class T>
    static constexpr void taylor(const T* x, T* y) {
        tl::op::exp::taylor<K>(x, y);
        for (std::size_t k = 3; k <= K; ++k) y[k] = y[k] * 1.001;
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

// The cross-mode check of the tests (support/expect_ad.hpp) can fail: a Taylor rule wrong only from
// the third coefficient on fails it four times at one point (c_3 against nested duals and against
// the differences of c_2, along two directions; c_4 and c_5 are wrong by the same factor as c_3,
// so the differences between them agree), while every other mode passes. Disabled in the normal
// run; ctest runs it on its own and expects exactly those four failures (test/CMakeLists.txt).
BOOST_AUTO_TEST_CASE(expect_ad_rejects_a_wrong_taylor_rule, *boost::unit_test::disabled()) {
    tapeless_test::expect_ad("wrong_taylor_exp",
                             [](auto a) { return tl::call_op<wrong_taylor_exp>(a); },
                             {std::array{0.3}});
}

BOOST_AUTO_TEST_SUITE_END()
