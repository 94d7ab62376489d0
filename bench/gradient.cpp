// bench/gradient.cpp — runtime of tapeless gradients and Jacobians (docs/benchmarks.md, Gradients),
// each row against the plain function, the hand-written derivative (the baseline every ratio
// divides by) and central finite differences, all in one run. The peers are in bench/peers.
//
//   bench_gradient --benchmark_repetitions=10 --benchmark_min_time=0.2
//       --benchmark_report_aggregates_only=true --benchmark_enable_random_interleaving=true
//       --benchmark_out=gradient.json --benchmark_out_format=json
//   python3 bench/report.py gradient.json          (docs/benchmarks.md, section Gradients)
//
// Contenders of each row <row>: <row>/plain, /handwritten, /tapeless_value (tl::value: the
// function through tapeless), /tapeless_reverse and /tapeless_forward (tl::gradient in either
// mode; for the 3×3 Jacobians tl::jacobian(tl::outputs(F1, F2, F3), p, mode)), for the Jacobians
// also /tapeless_jacobian_auto (the mode tl::jacobian picks) and /tapeless_gradient_per_output
// (three reverse tl::gradient calls), and /finite_difference (central differences).
// Each tapeless family switches on by itself when its header exists (<tapeless/modes/gradient.hpp>,
// <tapeless/modes/jacobian.hpp>); without the gradient, the JSON context says
// tapeless_gradient=pending and bench/report.py prints "pending".
#include <tapeless/tapeless.hpp>

#include "common.hpp"

#if __has_include(<tapeless/modes/gradient.hpp>)
#include <tapeless/modes/gradient.hpp>
#define TAPELESS_BENCH_HAVE_GRADIENT 1
#else
#define TAPELESS_BENCH_HAVE_GRADIENT 0
#endif
#if TAPELESS_BENCH_HAVE_GRADIENT && __has_include(<tapeless/modes/jacobian.hpp>)
#include <tapeless/modes/jacobian.hpp>
#define TAPELESS_BENCH_HAVE_JACOBIAN 1
#else
#define TAPELESS_BENCH_HAVE_JACOBIAN 0
#endif

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdio>
#include <string>
#include <tuple>
#include <type_traits>

namespace tl = tapeless;
using namespace tl::literals;
namespace tb = tapeless_bench;

namespace {

// ---- the rows as tapeless expressions (the same functions as tb::f1_fn and friends) -------------

auto f1_expression() {
    auto [x, z] = tl::variables<"x", "z">();
    return exp(x * z) + x * z / log(x) + sin(log(x)) / (x * z);
}

auto f2_expression() {
    auto [x] = tl::variables<"x">();
    auto c = x * x + exp(x * x);
    return sqrt(c) + cos(c);
}

template <std::size_t N>
auto rosenbrock_expression() {
    auto w = tl::variable<0, tl::vector<N>, "w">;
    return sum(100_c * square(tl::slice<1, N - 1>(w) - square(tl::slice<0, N - 1>(w))) +
               square(1_c - tl::slice<0, N - 1>(w)));
}

using tapeless_bench::row_major;

// One expression per output.
auto lorenz_expressions() {
    auto [x, y, z] = tl::variables<"x", "y", "z">();
    return std::tuple{10_c * (y - x), x * (28_c - z) - y, x * y - 8_c / 3_c * z};
}

auto spherical_expressions() {
    auto [r, theta, phi] = tl::variables<"r", "theta", "phi">();
    auto rs = r * sin(theta);
    return std::tuple{rs * cos(phi), rs * sin(phi), r * cos(theta)};
}

// ---- tapeless contenders ----------------------------------------------------------------------

#if TAPELESS_BENCH_HAVE_JACOBIAN
// Several outputs as one vector-valued expression (subexpressions shared between them computed
// once).
template <class... E>
auto stacked(const E&... e) {
    return tl::outputs(e...);
}

#endif

// The values of one or more outputs: a number for one, std::array for several.
template <std::size_t K, class... E>
auto values(const std::array<double, K>& p, const E&... e) {
    if constexpr (sizeof...(E) == 1) {
        return (tl::value(e, p), ...);
    } else {
#if TAPELESS_BENCH_HAVE_JACOBIAN
        return tl::value(stacked(e...), p);
#else
        return std::array<double, sizeof...(E)>{tl::value(e, p)...};
#endif
    }
}

#if TAPELESS_BENCH_HAVE_GRADIENT
struct reverse {};
struct forward {};
struct automatic {};

template <class Mode, class E, std::size_t K>
std::array<double, K> gradient_of(const E& e, const std::array<double, K>& p) {
    if constexpr (std::is_same_v<Mode, forward>)
        return tl::gradient(e, p, tl::forward_mode);
    else
        return tl::gradient(e, p);
}

// The row-major Jacobian of several outputs, one reverse gradient per output: what a user without
// tl::jacobian would write.
template <std::size_t K, class... E>
std::array<double, sizeof...(E) * K> jacobian_by_gradients(const std::array<double, K>& p,
                                                           const E&... e) {
    std::array<double, sizeof...(E) * K> jac;
    std::size_t row = 0;
    ((std::ranges::copy(gradient_of<reverse>(e, p),
                        jac.begin() + static_cast<std::ptrdiff_t>(row * K)),
      ++row),
     ...);
    return jac;
}

// The gradient of one output, or the row-major Jacobian of several: tl::jacobian in the given
// mode (automatic: the mode tl::jacobian picks by cost). Without tl::jacobian, one gradient per
// output in the given mode.
template <class Mode, std::size_t K, class... E>
auto derivatives(const std::array<double, K>& p, const E&... e) {
    if constexpr (sizeof...(E) == 1) {
        return gradient_of<Mode>(e..., p);
    } else {
#if TAPELESS_BENCH_HAVE_JACOBIAN
        if constexpr (std::is_same_v<Mode, forward>)
            return row_major(tl::jacobian(stacked(e...), p, tl::forward_mode));
        else if constexpr (std::is_same_v<Mode, reverse>)
            return row_major(tl::jacobian(stacked(e...), p, tl::reverse_mode));
        else
            return row_major(tl::jacobian(stacked(e...), p));
#else
        std::array<double, sizeof...(E) * K> jac;
        std::size_t row = 0;
        ((std::ranges::copy(gradient_of<Mode>(e, p),
                            jac.begin() + static_cast<std::ptrdiff_t>(row * K)),
          ++row),
         ...);
        return jac;
#endif
    }
}
#endif

// Registers one row: baselines, tapeless value, tapeless reverse and forward (for several outputs
// also tl::jacobian's own choice and one gradient per output), finite differences.
template <std::size_t K, class F, class Hand, class... E>
void add_row(const std::string& row, const std::array<double, K>& point, F f, Hand hand,
             const E&... e) {
    const auto reference = tb::add_baselines(row, point, f, hand);
    const auto plain_value = f(point);
    tb::add(
        row, "tapeless_value", point,
        [=](const std::array<double, K>& p) { return values(p, e...); },
        tb::values_of(plain_value));
#if TAPELESS_BENCH_HAVE_GRADIENT
    tb::add(
        row, "tapeless_reverse", point,
        [=](const std::array<double, K>& p) { return derivatives<reverse>(p, e...); },
        tb::values_of(reference));
    tb::add(
        row, "tapeless_forward", point,
        [=](const std::array<double, K>& p) { return derivatives<forward>(p, e...); },
        tb::values_of(reference));
    if constexpr (sizeof...(E) > 1) {
#if TAPELESS_BENCH_HAVE_JACOBIAN
        tb::add(
            row, "tapeless_jacobian_auto", point,
            [=](const std::array<double, K>& p) { return derivatives<automatic>(p, e...); },
            tb::values_of(reference));
#endif
        tb::add(
            row, "tapeless_gradient_per_output", point,
            [=](const std::array<double, K>& p) { return jacobian_by_gradients(p, e...); },
            tb::values_of(reference));
    }
#endif
    tb::add(
        row, "finite_difference", point,
        [f](const std::array<double, K>& p) { return tb::central_difference(f, p); },
        tb::values_of(reference), tb::difference_tolerance);
}

template <std::size_t N>
void add_rosenbrock() {
    add_row(tb::rosenbrock_row<N>(), tb::rosenbrock_point<N>(), tb::rosenbrock_fn{},
            tb::fn<&tb::rosenbrock_gradient<N>>{}, rosenbrock_expression<N>());
}

void register_all() {
    add_row("f1_gradient", tb::f1_point, tb::f1_fn{}, tb::fn<&tb::f1_gradient>{}, f1_expression());
    add_row("f2_derivative", tb::f2_point, tb::f2_fn{}, tb::fn<&tb::f2_derivative>{},
            f2_expression());
    add_rosenbrock<2>();
    add_rosenbrock<10>();
    add_rosenbrock<100>();
    std::apply(
        [](const auto&... e) {
            add_row("lorenz_jacobian", tb::lorenz_point, tb::lorenz_fn{},
                    tb::fn<&tb::lorenz_jacobian>{}, e...);
        },
        lorenz_expressions());
    std::apply(
        [](const auto&... e) {
            add_row("spherical_jacobian", tb::spherical_point, tb::spherical_fn{},
                    tb::fn<&tb::spherical_jacobian>{}, e...);
        },
        spherical_expressions());
}

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    tb::check_handwritten();
    tb::add_common_context();
    benchmark::AddCustomContext("tapeless_gradient",
                                TAPELESS_BENCH_HAVE_GRADIENT ? "available" : "pending");
    benchmark::AddCustomContext("tapeless_jacobian",
                                TAPELESS_BENCH_HAVE_JACOBIAN ? "available" : "pending");
    if (!TAPELESS_BENCH_HAVE_GRADIENT)
        std::fprintf(
            stderr,
            "tapeless gradient rows pending: <tapeless/modes/gradient.hpp> is not there yet\n");
    register_all();
    tb::finish_checks();
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
