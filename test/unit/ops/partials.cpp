// The partial derivatives of atan2 and hypot as operations of their own (atan2_partial<M, N> in
// ops/trig.hpp, hypot_partial<M, N> in ops/hypot.hpp): each member against the differences of
// its own value and against the closed forms, in double at points where a² + b² overflows or
// underflows against the closed forms in long double (whose exponent range holds those squares),
// the exact limits at infinite operands, and the modes against each other on expressions whose
// derivatives call them.
#include <tapeless/tapeless.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <utility>

#include <boost/test/unit_test.hpp>

#include "support/expect_ad.hpp"
#include "support/numdiff.hpp"

namespace tl = tapeless;
namespace tt = tapeless_test;

namespace {
constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double qnan = std::numeric_limits<double>::quiet_NaN();

// The closed forms, in long double: the partials of atan2 (u = a² + b²) and hypot (h = √u).
long double atan2_closed(int m, int n, long double a, long double b) {
    const long double u = a * a + b * b;
    if (m == 1 && n == 0) return b / u;
    if (m == 0 && n == 1) return -a / u;
    if (m == 2 && n == 0) return -2 * a * b / (u * u);
    if (m == 1 && n == 1) return (a * a - b * b) / (u * u);
    if (m == 0 && n == 2) return 2 * a * b / (u * u);
    if (m == 3 && n == 0) return (6 * a * a * b - 2 * b * b * b) / (u * u * u);
    return (2 * a * a * a - 6 * a * b * b) / (u * u * u); // m = 0, n = 3
}
long double hypot_closed(int m, int n, long double a, long double b) {
    const long double h = std::sqrt(a * a + b * b);
    if (m == 1 && n == 0) return a / h;
    if (m == 0 && n == 1) return b / h;
    if (m == 2 && n == 0) return b * b / (h * h * h);
    if (m == 1 && n == 1) return -a * b / (h * h * h);
    return a * a / (h * h * h); // m = 0, n = 2
}

// got (double) against the long double reference rounded to double: relative 1e-13, and an
// absolute floor of a few denormal steps where the reference is itself a denormal.
bool close(double got, long double want) {
    const double w = static_cast<double>(want);
    if (std::isinf(w)) return got == w; // a second partial of 1/scale² beyond the range of double
    return std::abs(got - w) <= 1e-13 * std::abs(w) + 8 * std::numeric_limits<double>::denorm_min();
}

template <class Op>
double member(double a, double b) {
    return Op::value(a, b);
}

template <template <std::size_t, std::size_t> class Family, std::size_t M, std::size_t N,
          class Closed>
void expect_closed_form(Closed closed, const char* what) {
    // Points of every quadrant and on the axes, then the same scaled to where a² + b² overflows
    // (1e200) and underflows (1e-200) in double.
    const std::array<std::pair<long double, long double>, 8> base{
        {{1, 2}, {-1, 0.5L}, {3, -4}, {-0.2L, -0.7L}, {0, 1}, {2, 0}, {1, 1}, {-5, 1e-3L}}};
    for (const long double scale : {1.0L, 1e200L, 1e-200L, 1e300L, 1e-300L}) {
        for (const auto& [a0, b0] : base) {
            const double a = static_cast<double>(a0 * scale), b = static_cast<double>(b0 * scale);
            const double got = member<Family<M, N>>(a, b);
            const long double want = closed(static_cast<int>(M), static_cast<int>(N), a, b);
            BOOST_TEST_CONTEXT(what << "<" << M << ", " << N << "> at (" << a << ", " << b << ")")
            BOOST_TEST(close(got, want), "got " << got << ", the closed form in long double "
                                                << static_cast<double>(want));
        }
    }
}
} // namespace

BOOST_AUTO_TEST_SUITE(ops_partials)

BOOST_AUTO_TEST_CASE(each_member_is_the_derivative_of_the_one_before) {
    const auto points = {std::pair{1.0L, 2.0L}, {-1.0L, 0.5L}, {3.0L, -4.0L},
                         {-0.2L, -0.7L},        {0.0L, 1.0L},  {2.0L, 0.0L}};
    tt::check_partials<tl::op::atan2_partial<1, 0>>("atan2_partial<1, 0>", points);
    tt::check_partials<tl::op::atan2_partial<0, 1>>("atan2_partial<0, 1>", points);
    tt::check_partials<tl::op::atan2_partial<2, 0>>("atan2_partial<2, 0>", points);
    tt::check_partials<tl::op::atan2_partial<1, 1>>("atan2_partial<1, 1>", points);
    tt::check_partials<tl::op::atan2_partial<0, 2>>("atan2_partial<0, 2>", points);
    tt::check_partials<tl::op::atan2_partial<2, 3>>("atan2_partial<2, 3>", points);
    tt::check_partials<tl::op::hypot_partial<1, 0>>("hypot_partial<1, 0>", points);
    tt::check_partials<tl::op::hypot_partial<0, 1>>("hypot_partial<0, 1>", points);
    // the third partials: products of the family (ops/hypot.hpp)
    tt::check_partials<tl::op::hypot_partial<2, 0>>("hypot_partial<2, 0>", points);
    tt::check_partials<tl::op::hypot_partial<1, 1>>("hypot_partial<1, 1>", points);
    tt::check_partials<tl::op::hypot_partial<0, 2>>("hypot_partial<0, 2>", points);
}

BOOST_AUTO_TEST_CASE(closed_forms_without_overflow_or_underflow) {
    expect_closed_form<tl::op::atan2_partial, 1, 0>(atan2_closed, "atan2_partial");
    expect_closed_form<tl::op::atan2_partial, 0, 1>(atan2_closed, "atan2_partial");
    expect_closed_form<tl::op::atan2_partial, 2, 0>(atan2_closed, "atan2_partial");
    expect_closed_form<tl::op::atan2_partial, 1, 1>(atan2_closed, "atan2_partial");
    expect_closed_form<tl::op::atan2_partial, 0, 2>(atan2_closed, "atan2_partial");
    expect_closed_form<tl::op::atan2_partial, 3, 0>(atan2_closed, "atan2_partial");
    expect_closed_form<tl::op::atan2_partial, 0, 3>(atan2_closed, "atan2_partial");
    expect_closed_form<tl::op::hypot_partial, 1, 0>(hypot_closed, "hypot_partial");
    expect_closed_form<tl::op::hypot_partial, 0, 1>(hypot_closed, "hypot_partial");
    expect_closed_form<tl::op::hypot_partial, 2, 0>(hypot_closed, "hypot_partial");
    expect_closed_form<tl::op::hypot_partial, 1, 1>(hypot_closed, "hypot_partial");
    expect_closed_form<tl::op::hypot_partial, 0, 2>(hypot_closed, "hypot_partial");
}

BOOST_AUTO_TEST_CASE(limits_at_infinite_operands) {
    // atan2 is constant along rays to infinity: every partial is 0 where an operand is infinite.
    for (const auto& [a, b] :
         {std::pair{1.0, inf}, {inf, inf}, {-inf, 2.0}, {inf, -inf}, {0.0, -inf}}) {
        BOOST_TEST((member<tl::op::atan2_partial<1, 0>>(a, b) == 0.0));
        BOOST_TEST((member<tl::op::atan2_partial<0, 1>>(a, b) == 0.0));
        BOOST_TEST((member<tl::op::atan2_partial<1, 1>>(a, b) == 0.0));
        BOOST_TEST((member<tl::op::atan2_partial<0, 4>>(a, b) == 0.0));
    }
    // hypot along one infinite leg is |that leg| + 0: gradient (±1, 0), second partials 0.
    BOOST_TEST((member<tl::op::hypot_partial<1, 0>>(inf, 1.0) == 1.0));
    BOOST_TEST((member<tl::op::hypot_partial<1, 0>>(-inf, 1.0) == -1.0));
    BOOST_TEST((member<tl::op::hypot_partial<0, 1>>(inf, 1.0) == 0.0));
    BOOST_TEST((member<tl::op::hypot_partial<0, 1>>(3.0, -inf) == -1.0));
    BOOST_TEST((member<tl::op::hypot_partial<2, 0>>(inf, 1.0) == 0.0));
    BOOST_TEST((member<tl::op::hypot_partial<0, 2>>(inf, 1.0) == 0.0));
    BOOST_TEST((member<tl::op::hypot_partial<1, 1>>(inf, 1.0) == 0.0));
    BOOST_TEST(
        (std::abs(member<tl::op::hypot_partial<1, 0>>(inf, inf) - std::sqrt(0.5)) <= 2.3e-16));
    // The origin has no derivatives, and NaN in gives NaN out.
    for (const auto& [a, b] :
         {std::pair{0.0, 0.0}, {-0.0, 0.0}, {qnan, 1.0}, {1.0, qnan}, {inf, qnan}}) {
        BOOST_TEST((std::isnan(member<tl::op::atan2_partial<1, 0>>(a, b))));
        BOOST_TEST((std::isnan(member<tl::op::atan2_partial<2, 1>>(a, b))));
        BOOST_TEST((std::isnan(member<tl::op::hypot_partial<0, 1>>(a, b))));
        BOOST_TEST((std::isnan(member<tl::op::hypot_partial<1, 1>>(a, b))));
    }
}

BOOST_AUTO_TEST_CASE(every_mode_agrees_on_expressions_that_call_them) {
    auto a = tl::variable<0, tl::scalar, "a">;
    auto b = tl::variable<1, tl::scalar, "b">;
    const auto points = {std::array{0.7, -1.3}, std::array{-2.0, 0.4}, std::array{1e-3, 3.0}};
    tt::expect_ad(
        "atan2 hypot",
        [](auto x, auto y) { return atan2(x, y) * hypot(x, tt::constant_like(x, 2.0) * y); },
        points);
    // Taylor mode and nested duals on the members themselves (their value functions on dual
    // numbers, their Taylor rules against nested forward mode and differences).
    tt::expect_taylor(tl::derivative(tl::atan2(a, b), a), points);
    tt::expect_taylor(tl::derivative(tl::derivative(tl::atan2(a, b), a), b), points);
    tt::expect_taylor(tl::derivative(tl::hypot(a, b), b), points);
    tt::expect_taylor(tl::derivative(tl::derivative(tl::hypot(a, b), a), a), points);
    tt::expect_second_order(tl::derivative(tl::hypot(a, b), a), points);
}

BOOST_AUTO_TEST_CASE(printed_as_members_of_a_family) {
    auto a = tl::variable<0, tl::scalar, "a">;
    auto b = tl::variable<1, tl::scalar, "b">;
    BOOST_TEST(tl::to_string(tl::derivative(tl::atan2(a, b), a)) == "atan2_partial<1, 0>(a, b)");
    BOOST_TEST(tl::to_string(tl::derivative(tl::derivative(tl::hypot(a, b), a), b)) ==
               "hypot_partial<1, 1>(a, b)");
    BOOST_TEST(tl::to_latex(tl::derivative(tl::atan2(a, b), b)) ==
               "\\operatorname{atan2}^{(0,1)}\\left(a, b\\right)");
}

BOOST_AUTO_TEST_SUITE_END()
