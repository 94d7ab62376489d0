// bench/modes.cpp — the forward-vs-reverse study: how the cost of a derivative grows with the
// number of inputs n and outputs m, in forward mode, reverse mode and central differences, each
// against the plain function (tl::value) of the same run, next to the cost model's prediction.
//
//   bench_modes --benchmark_min_time=0.2 --benchmark_repetitions=3
//       --benchmark_report_aggregates_only=true --benchmark_out=modes.json
//       --benchmark_out_format=json
//   python3 bench/modes_plots.py modes.json docs/images     (or: bash scripts/modes_study.sh)
//
// Three families, each one array expression whose DAG has the same few nodes whatever the size
// (so compile time stays flat as the size grows):
//   scalar_n<N>  f: Rⁿ → R,  f(w) = sum(exp(w) · sin(w)) + (sum w)²        (tl::gradient)
//   vector_m<M>  F: R → Rᵐ,  F(x) = exp(c x) · sin(c x), c = (1, ..., M)/M (tl::jacobian)
//   square_n<N>  F: Rⁿ → Rⁿ, F(w) = exp(w) · sin(w) + tanh(sum w) · w      (tl::jacobian)
// Contenders: plain (tl::value), forward, reverse, finite_difference (2n values). The forward and
// reverse contenders carry counters from tl::cost, in value sweeps: "predicted" (the mode's work
// ÷ one value sweep's work) and, for finite_difference, 2n. bench/modes_plots.py divides each time
// by plain's time in the same run and draws both.
#include <tapeless/modes/cost.hpp>
#include <tapeless/modes/gradient.hpp>
#include <tapeless/modes/jacobian.hpp>
#include <tapeless/tapeless.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <string>
#include <utility>

#include "common.hpp"

namespace tl = tapeless;
namespace tb = tapeless_bench;

namespace {

// A point with elements of both signs and different sizes, so no derivative is trivially equal
// to another; bounded, so (sum w)² stays moderate and finite differences keep their accuracy.
template <std::size_t N>
std::array<double, N> study_point() {
    std::array<double, N> p{};
    for (std::size_t i = 0; i < N; ++i) p[i] = 0.6 * std::sin(1.7 * static_cast<double>(i) + 0.4);
    return p;
}

// ---- the three families ---------------------------------------------------------------------

template <std::size_t N>
auto scalar_expression() {
    auto w = tl::variable<0, tl::vector<N>, "w">;
    return sum(exp(w) * sin(w)) + square(sum(w));
}

template <std::size_t M>
auto vector_expression() {
    auto [x] = tl::variables<"x">();
    std::array<double, M> c{};
    for (std::size_t i = 0; i < M; ++i) c[i] = static_cast<double>(i + 1) / static_cast<double>(M);
    auto k = tl::constant(c);
    return exp(x * k) * sin(k * x);
}

template <std::size_t N>
auto square_expression() {
    auto w = tl::variable<0, tl::vector<N>, "w">;
    return exp(w) * sin(w) + tanh(sum(w)) * w;
}

using tapeless_bench::row_major;

// ---- results as flat spans, for the start-up check ------------------------------------------

template <class R>
auto flat(const R& r) {
    if constexpr (requires { r[0].size(); })
        return row_major(r);
    else
        return r;
}

// ---- registration ---------------------------------------------------------------------------

// Registers <row>/<who>: fn(p) with p fed through DoNotOptimize, so nothing is constant-folded,
// and `predicted` (value sweeps; negative: none) as a counter.
template <std::size_t K, class Fn>
void add(const std::string& row, const std::string& who, const std::array<double, K>& point, Fn fn,
         double predicted) {
    const std::string name = row + "/" + who;
    benchmark::RegisterBenchmark(name.c_str(), [point, fn, predicted](benchmark::State& state) {
        std::array<double, K> p = point;
        for (auto _ : state) {
            benchmark::DoNotOptimize(p);
            auto out = fn(p);
            benchmark::DoNotOptimize(out);
            benchmark::ClobberMemory();
        }
        if (predicted >= 0) state.counters["predicted"] = predicted;
    });
}

bool all_agree = true;

// Forward against reverse to rounding, finite differences against reverse to their own accuracy.
template <class A, class B, class C>
void check_row(const std::string& row, const A& forward, const B& reverse, const C& differences) {
    const auto f = flat(forward), r = flat(reverse), d = flat(differences);
    all_agree = tb::agree(row + " forward vs reverse", tb::values_of(f), tb::values_of(r),
                          tb::exact_tolerance) &&
                all_agree;
    all_agree = tb::agree(row + " finite differences vs reverse", tb::values_of(d),
                          tb::values_of(r), tb::difference_tolerance) &&
                all_agree;
}

// The cost model's predictions in value sweeps: forward with n tangents, reverse with m rows.
template <class E>
std::pair<double, double> predictions(std::size_t n, std::size_t m) {
    constexpr tl::cost_estimate c = tl::cost<E>();
    const auto work = static_cast<double>(c.work);
    return {static_cast<double>(c.forward(n)) / work, static_cast<double>(c.reverse(m)) / work};
}

template <std::size_t N>
void add_scalar() {
    const auto e = scalar_expression<N>();
    const auto point = study_point<N>();
    const std::string row = "scalar_n" + std::to_string(N);
    auto plain = [e](const std::array<double, N>& p) { return tl::value(e, p); };
    auto forward = [e](const std::array<double, N>& p) {
        return tl::gradient(e, p, tl::forward_mode);
    };
    auto reverse = [e](const std::array<double, N>& p) { return tl::gradient(e, p); };
    auto differences = [plain](const std::array<double, N>& p) {
        return tb::central_difference(plain, p);
    };
    check_row(row, forward(point), reverse(point), differences(point));
    const auto [fwd, rev] = predictions<decltype(e)>(N, 1);
    add(row, "plain", point, plain, 1.0);
    add(row, "forward", point, forward, fwd);
    add(row, "reverse", point, reverse, rev);
    add(row, "finite_difference", point, differences, 2.0 * N);
}

template <std::size_t M>
void add_vector() {
    const auto e = vector_expression<M>();
    const std::array<double, 1> point{0.8};
    const std::string row = "vector_m" + std::to_string(M);
    auto plain = [e](const std::array<double, 1>& p) { return tl::value(e, p); };
    auto forward = [e](const std::array<double, 1>& p) {
        return tl::jacobian(e, p, tl::forward_mode);
    };
    auto reverse = [e](const std::array<double, 1>& p) {
        return tl::jacobian(e, p, tl::reverse_mode);
    };
    auto differences = [plain](const std::array<double, 1>& p) {
        return tb::central_difference(plain, p);
    };
    check_row(row, forward(point), reverse(point), differences(point));
    const auto [fwd, rev] = predictions<decltype(e)>(1, M);
    add(row, "plain", point, plain, 1.0);
    add(row, "forward", point, forward, fwd);
    add(row, "reverse", point, reverse, rev);
    add(row, "finite_difference", point, differences, 2.0);
}

template <std::size_t N>
void add_square() {
    const auto e = square_expression<N>();
    const auto point = study_point<N>();
    const std::string row = "square_n" + std::to_string(N);
    auto plain = [e](const std::array<double, N>& p) { return tl::value(e, p); };
    auto forward = [e](const std::array<double, N>& p) {
        return tl::jacobian(e, p, tl::forward_mode);
    };
    auto reverse = [e](const std::array<double, N>& p) {
        return tl::jacobian(e, p, tl::reverse_mode);
    };
    auto differences = [plain](const std::array<double, N>& p) {
        return tb::central_difference(plain, p);
    };
    check_row(row, forward(point), reverse(point), differences(point));
    const auto [fwd, rev] = predictions<decltype(e)>(N, N);
    add(row, "plain", point, plain, 1.0);
    add(row, "forward", point, forward, fwd);
    add(row, "reverse", point, reverse, rev);
    add(row, "finite_difference", point, differences, 2.0 * N);
}

// The sizes: powers of two up to 256. Registered family by family, row by row, so neighbouring
// measurements are of the same row. The vector-valued families start at 2: tl::jacobian takes a
// vector<1>-shaped result for a scalar one (m == 1), and so does tb::central_difference.
template <std::size_t... I>
void register_scalar(std::index_sequence<I...>) {
    (add_scalar<std::size_t{1} << I>(), ...);
}
template <std::size_t... I>
void register_vector_valued(std::index_sequence<I...>) {
    (add_vector<std::size_t{2} << I>(), ...);
    (add_square<std::size_t{2} << I>(), ...);
}

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    tb::add_common_context();
    register_scalar(std::make_index_sequence<9>{});        // n = 1 ... 256
    register_vector_valued(std::make_index_sequence<8>{}); // m, n = 2 ... 256
    if (!all_agree)
        tb::fail("forward, reverse and finite differences disagree (see above): the study would "
                 "compare wrong derivatives");
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
