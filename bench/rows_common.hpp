// bench/rows_common.hpp — what the benchmarks of run-time rows share (docs/benchmarks.md,
// Run-time rows): the checks every contender passes before it is timed, central differences, and
// registration. Each row has its own translation unit (bench/rows_fit.cpp,
// bench/rows_rosenbrock.cpp, bench/rows_lennard_jones.cpp), so that each compiles in under 3 s
// (g++ -O2), as the rows' goal asks.
//
//   bench_rows_fit --benchmark_repetitions=10 --benchmark_min_time=0.2
//       --benchmark_report_aggregates_only=true --benchmark_enable_random_interleaving=true
//       --benchmark_out=rows_fit.json --benchmark_out_format=json
//   python3 bench/report.py rows_fit.json rows_rosenbrock.json rows_lennard_jones.json
//
// Every "<row>/handwritten" is the baseline its row's ratios divide by. Every contender is checked
// against the hand-written derivative, and the hand-written derivative against central
// differences, before anything is timed; a disagreement stops the program.
#ifndef TAPELESS_BENCH_ROWS_COMMON_HPP
#define TAPELESS_BENCH_ROWS_COMMON_HPP

#include <tapeless/tapeless.hpp>

#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common.hpp"

namespace tapeless_bench::rows {

[[noreturn]] inline void fail(const std::string& what) {
    std::fprintf(stderr, "bench_rows: %s\n", what.c_str());
    std::exit(1);
}

inline void expect_close(const std::string& what, std::span<const double> got,
                         std::span<const double> want, double tol) {
    if (got.size() != want.size()) fail(what + ": sizes differ");
    double scale = 0;
    for (double w : want) scale = std::fmax(scale, std::fabs(w));
    for (std::size_t i = 0; i < got.size(); ++i)
        if (!(std::fabs(got[i] - want[i]) <= tol * (1 + scale)))
            fail(what + ": element " + std::to_string(i) + " is " + std::to_string(got[i]) +
                 ", expected " + std::to_string(want[i]));
}

// Central differences of f (a function of a std::vector<double>) at p.
template <class F>
std::vector<double> central_differences(const F& f, std::vector<double> p) {
    std::vector<double> g(p.size());
    for (std::size_t i = 0; i < p.size(); ++i) {
        const double x = p[i], h = 1e-6 * std::fmax(1.0, std::fabs(x));
        p[i] = x + h;
        const double up = f(p);
        p[i] = x - h;
        const double down = f(p);
        p[i] = x;
        g[i] = (up - down) / (2 * h);
    }
    return g;
}

// Registers "<row>/<who>": each iteration hides the inputs from the optimiser and keeps the result.
template <class Fn>
void add(const std::string& row, const std::string& who, Fn fn) {
    const std::string name = row + "/" + who;
    benchmark::RegisterBenchmark(name.c_str(), [fn](benchmark::State& state) {
        for (auto _ : state) {
            const double v = fn();
            benchmark::DoNotOptimize(v);
            benchmark::ClobberMemory();
        }
    });
}

} // namespace tapeless_bench::rows

#endif
