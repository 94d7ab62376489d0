// bench/taylor.cpp — runtime of Taylor mode (the design's goal "Taylor coefficients to order 5":
// docs/benchmarks.md, Taylor coefficients): the coefficients c_0..c_5 of t ↦ f(x + t) for
// f(x) = sqrt(x² + e^{x²}) + cos(x² + e^{x²}) at x = 0.7, against a hand-written Taylor propagation
// (explicit loops over the standard recurrences: the baseline every ratio divides by) and
// Boost.Math autodiff (make_fvar<double, 5>) in the same run.
//
//   bench_taylor --benchmark_repetitions=10 --benchmark_min_time=0.2
//       --benchmark_report_aggregates_only=true --benchmark_enable_random_interleaving=true
//       --benchmark_out=taylor.json --benchmark_out_format=json
//   python3 bench/report.py taylor.json
//
// Contenders of the row taylor_f2_order5: /plain (the value only), /handwritten,
// /tapeless_taylor (tl::taylor_coefficients<5> on the expression: one value sweep on
// taylor<double, 5>), /tapeless_taylor_number (the generic function tb::f2_fn run on
// tl::taylor<double, 5> numbers by operator overloading), /boost_autodiff (tb::f2_fn on
// boost::math::differentiation::autodiff_fvar<double, 5>; its operator[] is the Taylor
// coefficient). The hand-written coefficients are checked first: c_1 against the hand-written
// derivative and c_k against Richardson differences of c_{k−1}.
#include <tapeless/tapeless.hpp>

#include "common.hpp"

#if __has_include(<boost/math/differentiation/autodiff.hpp>)
#include <boost/math/differentiation/autodiff.hpp>
#define TAPELESS_BENCH_HAVE_BOOST_AUTODIFF 1
#else
#define TAPELESS_BENCH_HAVE_BOOST_AUTODIFF 0
#endif

#include <array>
#include <cmath>
#include <cstddef>
#include <string>

namespace tl = tapeless;
namespace tb = tapeless_bench;

namespace {

constexpr std::size_t order = 5;
using coefficients = std::array<double, order + 1>;

auto f2_expression() {
    auto [x] = tl::variables<"x">();
    auto c = x * x + exp(x * x);
    return sqrt(c) + cos(c);
}

// The Taylor coefficients of f(x + t), propagated by hand through a = x², e = exp(a), c = a + e,
// s = √c, cos c (with sin c), y = s + cos c: one loop per intermediate over the coefficients,
// the recurrences written out (Griewank & Walther ch. 13), divisions by k and by 2 s_0 as
// multiplications by reciprocals (1/k folds to a constant; a division on the dependence chain
// from coefficient k − 1 to k would cost its latency K times), every loop unrolled completely
// (without the pragma g++ 12 -O3 -march=native vectorises each tiny inner loop into masked
// AVX-512 code: 154 ns instead of ~45 ns; the library's loops carry the same hint,
// TAPELESS_UNROLL).
#define HAND_UNROLL _Pragma("GCC unroll 16")
coefficients handwritten(const std::array<double, 1>& p) {
    constexpr std::size_t K = order;
    double x[K + 1] = {p[0], 1.0}; // the line x + t
    double a[K + 1], e[K + 1], c[K + 1], s[K + 1], sn[K + 1], cs[K + 1];
    coefficients y;
    HAND_UNROLL for (std::size_t k = 0; k <= K; ++k) {
        double acc = 0.0;
        HAND_UNROLL for (std::size_t j = 0; j <= k; ++j) acc += x[j] * x[k - j];
        a[k] = acc;
    }
    e[0] = std::exp(a[0]);
    HAND_UNROLL for (std::size_t k = 1; k <= K; ++k) {
        double acc = 0.0;
        HAND_UNROLL for (std::size_t j = 1; j <= k; ++j) acc +=
            static_cast<double>(j) * a[j] * e[k - j];
        e[k] = acc * (1.0 / static_cast<double>(k));
    }
    HAND_UNROLL for (std::size_t k = 0; k <= K; ++k) c[k] = a[k] + e[k];
    s[0] = std::sqrt(c[0]);
    const double inv_2s0 = 0.5 / s[0];
    HAND_UNROLL for (std::size_t k = 1; k <= K; ++k) {
        double acc = c[k];
        HAND_UNROLL for (std::size_t j = 1; j < k; ++j) acc -= s[j] * s[k - j];
        s[k] = acc * inv_2s0;
    }
    sn[0] = std::sin(c[0]);
    cs[0] = std::cos(c[0]);
    HAND_UNROLL for (std::size_t k = 1; k <= K; ++k) {
        double as = 0.0, ac = 0.0;
        HAND_UNROLL for (std::size_t j = 1; j <= k; ++j) {
            as += static_cast<double>(j) * c[j] * cs[k - j];
            ac += static_cast<double>(j) * c[j] * sn[k - j];
        }
        sn[k] = as * (1.0 / static_cast<double>(k));
        cs[k] = -ac * (1.0 / static_cast<double>(k));
    }
    HAND_UNROLL for (std::size_t k = 0; k <= K; ++k) y[k] = s[k] + cs[k];
    return y;
}

// The hand-written coefficients against the hand-written derivative (c_1) and against Richardson
// differences of c_{k−1} (k c_k = d/dx c_{k−1}), at the benchmark point and two others.
void check_handwritten_taylor() {
    bool ok = true;
    for (double x : {tb::f2_point[0], 0.3, -1.1}) {
        const coefficients c = handwritten({x});
        const double d = tb::f2_derivative({x})[0];
        ok = tb::agree("taylor handwritten c1 vs f2_derivative", {&c[1], 1}, {&d, 1}, 1e-12) && ok;
        const double h = 1e-3;
        for (std::size_t k = 1; k <= order; ++k) {
            auto diff = [&](double step) {
                return (handwritten({x + step})[k - 1] - handwritten({x - step})[k - 1]) /
                       (2.0 * step);
            };
            const double fd = (4.0 * diff(h / 2) - diff(h)) / 3.0 / static_cast<double>(k);
            ok = tb::agree("taylor handwritten c" + std::to_string(k) + " vs differences of c" +
                               std::to_string(k - 1) + " at " + std::to_string(x),
                           {&c[k], 1}, {&fd, 1}, tb::difference_tolerance) &&
                 ok;
        }
    }
    if (!ok) tb::fail("the hand-written Taylor coefficients disagree with finite differences");
}

const auto expression = f2_expression();

coefficients tapeless_taylor(const std::array<double, 1>& p) {
    return tl::taylor_coefficients<order>(expression, p, std::array{1.0});
}

coefficients tapeless_taylor_number(const std::array<double, 1>& p) {
    const std::array<tl::taylor<double, order>, 1> x{tl::taylor<double, order>::variable(p[0])};
    return tb::f2_fn{}(x).c;
}

#if TAPELESS_BENCH_HAVE_BOOST_AUTODIFF
coefficients boost_taylor(const std::array<double, 1>& p) {
    namespace bd = boost::math::differentiation;
    const std::array<bd::autodiff_fvar<double, order>, 1> x{bd::make_fvar<double, order>(p[0])};
    const auto y = tb::f2_fn{}(x);
    coefficients out;
    for (std::size_t k = 0; k <= order; ++k) out[k] = y[k];
    return out;
}
#endif

void register_all() {
    const std::string row = "taylor_f2_order5";
    const std::array<double, 1> p = tb::f2_point;
    tb::add(row, "plain", p, tb::f2_fn{}, {});
    const coefficients reference = handwritten(p);
    tb::add(row, "handwritten", p, tb::fn<&handwritten>{}, {});
    tb::add(row, "tapeless_taylor", p, tb::fn<&tapeless_taylor>{}, reference);
    tb::add(row, "tapeless_taylor_number", p, tb::fn<&tapeless_taylor_number>{}, reference);
#if TAPELESS_BENCH_HAVE_BOOST_AUTODIFF
    tb::add(row, "boost_autodiff", p, tb::fn<&boost_taylor>{}, reference);
#endif
    benchmark::AddCustomContext("boost_autodiff",
                                TAPELESS_BENCH_HAVE_BOOST_AUTODIFF ? "yes" : "not installed");
}

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    tb::check_handwritten();
    check_handwritten_taylor();
    tb::add_common_context();
    register_all();
    tb::finish_checks();
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
