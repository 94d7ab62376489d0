// tl::derivative: symbolic derivatives as expressions.
//
// Each operation of ops/ is checked in every mode, the symbolic one included, by the every_mode
// case of its test (test/unit/ops/*.cpp, support/expect_ad.hpp and expect_symbolic.hpp: first
// derivatives against reverse and forward mode, second and third against nested duals and
// differences). Here: first derivatives at the edge points of test/support/values.hpp against
// reverse mode (NaN must meet NaN, an infinity the same infinity), simplification (the printed
// forms), runtime constants, the course's examples (README, Sources), array operations, and the
// size of the printed third derivative of the running example.
#include <tapeless/io/to_latex.hpp>
#include <tapeless/modes/symbolic.hpp>
#include <tapeless/tapeless.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "support/expect_ad.hpp"
#include "support/leading_inputs.hpp"
#include "support/values.hpp"

namespace tl = tapeless;
namespace tt = tapeless_test;
using namespace tl::literals;

namespace {

using P = std::array<double, 2>;
const auto x = tl::variable<0, tl::scalar, "x">;
const auto z = tl::variable<1, tl::scalar, "z">;

// |a − b| ≤ abs + rel·max(|a|, |b|); NaN meets NaN, an infinity the same infinity.
bool agree(long double a, long double b, long double rel, long double abs = 1e-300L) {
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
    if (std::isinf(a) || std::isinf(b)) return a == b;
    return std::fabs(a - b) <= abs + rel * std::fmax(std::fabs(a), std::fabs(b));
}

// The first derivative of op(x) at every edge point, against reverse mode.
template <class Fn>
void check_edges(const char* what, Fn fn) {
    const auto f = fn(x, z);
    const auto fx = tl::derivative(f, x);
    for (const double e : tt::opaque_edge_points<double>()) {
        const P p{e, 0.5};
        const double want = tl::gradient(f, tt::leading_inputs<decltype(f)>(p))[0];
        const double got = tt::value_at(fx, p);
        BOOST_TEST(agree(got, want, 1e-12L), what << " at x = " << tt::show(e) << ": d/dx "
                                                  << tt::show(got) << " vs reverse "
                                                  << tt::show(want));
    }
}

std::size_t count_lines(const std::string& s) {
    std::size_t n = 1;
    for (char c : s) n += c == '\n' ? 1 : 0;
    return n;
}
// Screen lines of `width` characters that s takes, long lines wrapped.
std::size_t screen_lines(const std::string& s, std::size_t width) {
    std::size_t n = 0, cur = 0;
    for (char c : s) {
        if (c == '\n') {
            n += cur == 0 ? 1 : (cur + width - 1) / width;
            cur = 0;
        } else {
            ++cur;
        }
    }
    return n + (cur == 0 ? 1 : (cur + width - 1) / width);
}

const std::vector<P>& ordinary = tt::ordinary_points;
const std::vector<P>& positive = tt::positive_points;

} // namespace

BOOST_AUTO_TEST_SUITE(symbolic)

BOOST_AUTO_TEST_CASE(first_derivative_at_domain_edges) {
    check_edges("exp", [](auto a, auto) { return exp(a); });
    check_edges("log", [](auto a, auto) { return log(a); });
    check_edges("log1p", [](auto a, auto) { return log1p(a); });
    check_edges("expm1", [](auto a, auto) { return expm1(a); });
    check_edges("sqrt", [](auto a, auto) { return sqrt(a); });
    check_edges("cbrt", [](auto a, auto) { return cbrt(a); });
    check_edges("square", [](auto a, auto) { return square(a); });
    check_edges("pow<3>", [](auto a, auto) { return tl::pow<3>(a); });
    check_edges("pow<-2>", [](auto a, auto) { return tl::pow<-2>(a); });
    check_edges("pow(a, 2.5)", [](auto a, auto) { return pow(a, 2.5); });
    check_edges("sin", [](auto a, auto) { return sin(a); });
    check_edges("cos", [](auto a, auto) { return cos(a); });
    check_edges("tan", [](auto a, auto) { return tan(a); });
    check_edges("asin", [](auto a, auto) { return asin(a); });
    check_edges("acos", [](auto a, auto) { return acos(a); });
    check_edges("atan", [](auto a, auto) { return atan(a); });
    check_edges("sinh", [](auto a, auto) { return sinh(a); });
    check_edges("cosh", [](auto a, auto) { return cosh(a); });
    check_edges("tanh", [](auto a, auto) { return tanh(a); });
    check_edges("sigmoid", [](auto a, auto) { return sigmoid(a); });
    check_edges("softplus", [](auto a, auto) { return softplus(a); });
    check_edges("abs", [](auto a, auto) { return abs(a); });
    check_edges("relu", [](auto a, auto) { return relu(a); });
    check_edges("neg", [](auto a, auto) { return -a; });
    check_edges("a / 2", [](auto a, auto b) { return a / b; });
    check_edges("2 / a", [](auto a, auto b) { return b / a; });
    check_edges("pow(a, b)", [](auto a, auto b) { return pow(a, b); });
    check_edges("pow(b, a)", [](auto a, auto b) { return pow(b, a); });
    check_edges("atan2", [](auto a, auto b) { return atan2(a, b); });
    check_edges("hypot", [](auto a, auto b) { return hypot(a, b); });
    check_edges("min", [](auto a, auto b) { return min(a, b); });
    check_edges("max", [](auto a, auto b) { return max(a, b); });
}

BOOST_AUTO_TEST_CASE(array_operations) {
    // Array-shaped nodes inside a scalar function of scalar variables: elementwise operations on
    // runtime constant arrays, sum, mean, dot, slice, element, transpose.
    const std::array c{1.0, -2.0, 0.5};
    const auto v = x * c + z; // vector<3>; its tangent in z is the broadcast scalar 1
    const auto f = sum(sin(v)) + mean(v * v) + dot(v, exp(v)) + tl::element<1>(v) * x +
                   sum(tl::slice<1, 2>(v)) + dot(tl::slice<0, 2>(v), std::array{3.0, 4.0});
    const auto fx = tl::derivative(f, x);
    const auto fz = tl::derivative(f, z);
    const auto fxz = tl::derivative(f, x, z);
    for (const P& p : ordinary) {
        const auto g = tl::gradient(f, p);
        BOOST_TEST(agree(tt::value_at(fx, p), g[0], 1e-12L));
        BOOST_TEST(agree(tt::value_at(fz, p), g[1], 1e-12L));
        BOOST_TEST(agree(tt::value_at(fxz, p),
                         static_cast<double>(tl::central_difference(fx, p, 1)), 1e-6L, 1e-8L));
    }
    const tl::mat<double, 2, 2> m{{1.0, 2.0, -1.0, 0.5}};
    const auto h = sum(transpose(x * m) * z) + sum(transpose(z + m));
    const auto hx = tl::derivative(h, x);
    const auto hz = tl::derivative(h, z);
    for (const P& p : ordinary) {
        const auto g = tl::gradient(h, p);
        BOOST_TEST(agree(tt::value_at(hx, p), g[0], 1e-12L));
        BOOST_TEST(agree(tt::value_at(hz, p), g[1], 1e-12L));
    }
}

BOOST_AUTO_TEST_CASE(simplification) {
    BOOST_TEST(tl::to_string(tl::derivative(x * x, x)) == "2 * x");
    BOOST_TEST(tl::to_string(tl::derivative<2>(x * x, x)) == "2");
    BOOST_TEST(tl::to_string(tl::derivative<3>(x * x, x)) == "0");
    BOOST_TEST(tl::to_string(tl::derivative(x * x * x, x)) == "3 * x^2");
    // the derivative of a literal is the literal 0, as a type
    using D = tl::node_of<decltype(tl::derivative(3_c * z, x))>;
    static_assert(std::is_same_v<D, tl::lit<tl::rational{0, 1}>>);
    static_assert(std::is_same_v<tl::node_of<decltype(tl::derivative(x - x, x))>,
                                 tl::lit<tl::rational{0, 1}>>);
    static_assert(
        std::is_same_v<tl::node_of<decltype(tl::derivative(x, x))>, tl::lit<tl::rational{1, 1}>>);
    static_assert(std::is_same_v<tl::node_of<decltype(tl::derivative(x / x, x))>,
                                 tl::lit<tl::rational{0, 1}>>);
    BOOST_TEST(tl::to_string(tl::derivative(3_c, x)) == "0");
    BOOST_TEST(tl::to_string(tl::derivative(x + z, x)) == "1");
    BOOST_TEST(tl::to_string(tl::derivative(x * z, x)) == "z");
    BOOST_TEST(tl::to_string(tl::derivative(z * x, x)) == "z");
    BOOST_TEST(tl::to_string(tl::derivative(x * z + z * x, x)) == "2 * z");
    BOOST_TEST(tl::to_string(tl::derivative(-(-x) * 3_c, x)) == "3");
    BOOST_TEST(tl::to_string(tl::derivative(x - 4_c * x, x)) == "-3");
    BOOST_TEST(tl::to_string(tl::derivative(x / 2_c, x)) == "0.5");
    BOOST_TEST(tl::to_string(tl::derivative(sin(x), x)) == "cos(x)");
    BOOST_TEST(tl::to_string(tl::derivative(cos(x), x)) == "-sin(x)");
    BOOST_TEST(tl::to_string(tl::derivative<2>(sin(x), x)) == "-sin(x)");
    BOOST_TEST(tl::to_string(tl::derivative<4>(sin(x), x)) == "sin(x)");
    BOOST_TEST(tl::to_string(tl::derivative(exp(x), x)) == "exp(x)");
    BOOST_TEST(tl::to_string(tl::derivative(log(x), x)) == "1 / x");
    BOOST_TEST(tl::to_string(tl::derivative(exp(2_c * x), x)) == "2 * exp(2 * x)");
    BOOST_TEST(tl::to_string(tl::derivative(tl::pow<5>(x), x)) == "5 * x^4");
    BOOST_TEST(tl::to_string(tl::derivative(x * z, x, z)) == "1");
    // polynomials in one variable: expanded when that is smaller, else kept as they are
    BOOST_TEST(tl::to_string(tl::derivative(tl::pow<3>(x + 1_c), x)) == "3 * (x + 1)^2");
    BOOST_TEST(tl::to_string(tl::derivative(x - tl::pow<3>(x), x)) == "1 - 3 * x^2");
    BOOST_TEST(tl::to_string(tl::derivative((x + 1_c) * (x - 1_c), x)) == "2 * x");
    BOOST_TEST(tl::to_string(tl::derivative((x * x + 1_c) * (x - 2_c), x)) ==
               "2 * x * (x - 2) + x^2 + 1");
    // canonical operand order: x·z and z·x are one node
    static_assert(std::is_same_v<tl::node_of<decltype(tl::derivative(x * x * z, x))>,
                                 tl::node_of<decltype(tl::derivative(z * x * x, x))>>);
    // the derivative shares f's nodes: exp(x * z) is the same type in f and in df/dx
    const auto e = exp(x * z);
    using E = tl::node_of<decltype(e)>;
    using DE = tl::node_of<decltype(tl::derivative(e, x))>;
    static_assert(std::is_same_v<tl::child_t<DE, 1>, E>);
}

BOOST_AUTO_TEST_CASE(runtime_constants_survive) {
    const auto f = 2.0 * x * x + 3.0 * z * x - 0.5 * pow(x, 1.5);
    const auto fx = tl::derivative(f, x);
    const auto fxx = tl::derivative<2>(f, x);
    for (const P& p : positive) {
        BOOST_TEST(
            agree(tt::value_at(fx, p), 4.0 * p[0] + 3.0 * p[1] - 0.75 * std::sqrt(p[0]), 1e-14L));
        BOOST_TEST(agree(tt::value_at(fxx, p), 4.0 - 0.375 / std::sqrt(p[0]), 1e-14L));
    }
    // the derivative owns its constants: f goes out of scope first
    const auto g = [] { return tl::derivative(7.0 * x * z, x); }();
    BOOST_TEST(tl::value(g, P{1.0, 2.0}) == 14.0);
    BOOST_TEST(tl::to_string(g) == "7 * z");
}

BOOST_AUTO_TEST_CASE(lecture_examples) {
    // The chain-rule example: F(x) = (2x² + 1)² has F'(x) = 16x³ + 8x.
    const auto F = pow(2_c * pow(x, 2_c) + 1_c, 2_c);
    const auto dF = tl::derivative(F, x);
    for (double a : {-3.0, -1.0, 0.0, 0.5, 2.0, 7.0})
        BOOST_TEST(tl::value(dF, a) == 16 * a * a * a + 8 * a); // exact for these a
    BOOST_TEST(tl::to_string(dF) == "16 * x^3 + 8 * x");        // the expanded form, exactly
    BOOST_TEST(tl::to_string(tl::derivative<2>(F, x)) == "48 * x^2 + 8");
    BOOST_TEST(tl::to_string(tl::derivative<4>(F, x)) == "96");
    // d/dx (2x + 3x² + x(6 − 2)) = 6x + 6, 6(x + 1) in the notes of the chain-rule example
    BOOST_TEST(tl::to_string(tl::derivative(2_c * x + 3_c * pow(x, 2_c) + x * (6_c - 2_c), x)) ==
               "6 * x + 6");

    // The running example f(x, z) = e^{xz} + xz/ln x + sin(ln x)/(xz) at (2, 3): ∂f/∂x and ∂f/∂z.
    const auto f = exp(x * z) + x * z / log(x) + sin(log(x)) / (x * z);
    const P p{2.0, 3.0};
    const auto g = tl::gradient(f, p);
    BOOST_TEST(agree(tt::value_at(tl::derivative(f, x), p), g[0], 1e-14L));
    BOOST_TEST(agree(tt::value_at(tl::derivative(f, z), p), g[1], 1e-14L));
    const double ln2 = std::log(2.0);
    const double dfdx =
        3 * std::exp(6.0) + 3 / ln2 - 3 / (ln2 * ln2) + std::cos(ln2) / 12 - std::sin(ln2) / 12;
    BOOST_TEST(agree(tt::value_at(tl::derivative(f, x), p), dfdx, 1e-14L));

    // sqrt(x² + e^{x²}) + cos(x² + e^{x²}), the shared intermediates (Mathematics for Machine
    // Learning, chapter 5).
    const auto a = square(x);
    const auto c = a + exp(a);
    const auto h = sqrt(c) + cos(c);
    for (double at : {0.5, 1.0, 1.7}) {
        const double cv = at * at + std::exp(at * at);
        const double want = (0.5 / std::sqrt(cv) - std::sin(cv)) * (1 + std::exp(at * at)) * 2 * at;
        BOOST_TEST(agree(tt::value_at(tl::derivative(h, x), P{at, 0.0}), want, 1e-13L));
    }
}

BOOST_AUTO_TEST_CASE(third_derivative_of_the_lecture_function_fits_on_a_screen) {
    const auto f = exp(x * z) + x * z / log(x) + sin(log(x)) / (x * z);
    const auto d3 = tl::derivative<3>(f, x);
    const std::string s = tl::to_string(d3, {.inline_limit = 100});
    BOOST_TEST_MESSAGE("d3f/dx3 =\n" << s);
    BOOST_TEST(screen_lines(s, 100) <= 25u, s); // long lines wrapped at 100 characters
    BOOST_TEST(count_lines(s) > 1u);            // shared subexpressions are named
    BOOST_TEST(tl::graph::dag_of<tl::node_of<decltype(d3)>>.size <= 100u);
    const P p{2.0, 3.0};
    namespace sc = tt::symbolic_check;
    sc::dual3 a = sc::seeded<sc::dual3>(2.0, true), b = sc::seeded<sc::dual3>(3.0, false);
    const double want = sc::top(exp(a * b) + a * b / log(a) + sin(log(a)) / (a * b));
    BOOST_TEST(agree(tt::value_at(d3, p), want, 1e-12L));
}

BOOST_AUTO_TEST_CASE(latex) {
    const auto f = exp(x * z) + x * z / log(x) + sin(log(x)) / (x * z);
    BOOST_TEST(tl::to_latex(f) ==
               "e^{x z} + \\frac{x z}{\\ln x} + \\frac{\\sin\\left(\\ln x\\right)}{x z}");
    BOOST_TEST(tl::to_latex(pow(2_c * pow(x, 2_c) + 1_c, 2_c)) == "\\left(2 x^{2} + 1\\right)^{2}");
    BOOST_TEST(tl::to_latex(tl::derivative(pow(2_c * pow(x, 2_c) + 1_c, 2_c), x)) ==
               "16 x^{3} + 8 x");
    BOOST_TEST(tl::to_latex(sqrt(x) + cbrt(z) + tl::pow<-2>(x) + pow(x, z)) ==
               "\\sqrt{x} + \\sqrt[3]{z} + x^{-2} + x^{z}");
    BOOST_TEST(tl::to_latex(sigmoid(x) - tanh(x * z) + abs(z)) ==
               "\\sigma\\left(x\\right) - \\tanh\\left(x z\\right) + \\left|z\\right|");
    BOOST_TEST(tl::to_latex(asin(x) + acos(x) + atan(x)) == "\\arcsin x + \\arccos x + \\arctan x");
    BOOST_TEST(tl::to_latex(0.5_c * x + 1_c / 3_c * z) == "0.5 x + \\frac{1}{3} z");
    BOOST_TEST(tl::to_latex(x * 2_c) == "x \\cdot 2");
    BOOST_TEST(tl::to_latex(-(x + z) * (x - z)) == "-\\left(x + z\\right) \\left(x - z\\right)");
    BOOST_TEST(tl::to_latex(x - (z - x)) == "x - \\left(z - x\\right)");
    BOOST_TEST(tl::to_latex(2.0 * x + 1e21 * z) == "2 x + 1 \\cdot 10^{21} z");
    BOOST_TEST(tl::to_latex(atan2(x, z) + max(x, z)) ==
               "\\operatorname{atan2}\\left(x, z\\right) + \\max\\left(x, z\\right)");
    BOOST_TEST(tl::to_latex(tl::variable<3> * tl::variable<0, tl::scalar, "alpha">) ==
               "x_{3} \\mathrm{alpha}");
    BOOST_TEST(tl::to_latex(tl::variable<0, tl::scalar, "W1">) == "W_{1}");
    // a derivative prints like any expression; long ones in the named, aligned form
    BOOST_TEST(tl::to_latex(tl::derivative(sin(log(x)), x)) ==
               "\\frac{\\cos\\left(\\ln x\\right)}{x}");
    const std::string d3 = tl::to_latex(tl::derivative<3>(f, x));
    BOOST_TEST(d3.rfind("\\begin{aligned}", 0) == 0);
    BOOST_TEST(d3.find("t_{0} &= ") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
