// bench/rows_rosenbrock_hvp.cpp — rosenbrock_rows_hvp_n<N>: H·v of Rosenbrock on vector<dynamic>,
// /handwritten (the tridiagonal Hessian times v), /tapeless (tl::hvp), /tapeless_gradient (its
// gradient by tl::gradient_into, to read H·v's cost in gradients)
// (docs/benchmarks.md, Run-time rows; how to run: bench/rows_common.hpp).
#include "rows_rosenbrock.hpp"

namespace tl = tapeless;
using namespace tl::literals;
namespace tb = tapeless_bench;
using namespace tapeless_bench::rows;

namespace {

template <std::size_t N>
void add_rosenbrock_hvp() {
    const std::string row = "rosenbrock_rows_hvp_n" + std::to_string(N);
    const auto w = std::make_shared<std::vector<double>>(rosenbrock_start(N));
    auto u = std::make_shared<std::vector<double>>(N);
    for (std::size_t i = 0; i < N; ++i) (*u)[i] = std::sin(static_cast<double>(i));
    const auto f = rosenbrock_rows();
    std::vector<double> hand(N);
    rosenbrock_hvp(*w, *u, hand.data());
    const auto tape = tl::hvp(f, *w, *u);
    // H·v against differences of the hand-written gradient along u
    std::vector<double> wp(*w), wm(*w), gp(N), gm(N), diff(N);
    const double t = 1e-6;
    for (std::size_t i = 0; i < N; ++i) {
        wp[i] += t * (*u)[i];
        wm[i] -= t * (*u)[i];
    }
    rosenbrock_gradient(wp, gp.data());
    rosenbrock_gradient(wm, gm.data());
    for (std::size_t i = 0; i < N; ++i) diff[i] = (gp[i] - gm[i]) / (2 * t);
    expect_close(row + ": hand-written against differences", hand, diff, 1e-6);
    expect_close(row + ": tapeless against hand-written", tape, hand, 1e-12);
    add(row, "handwritten", [w, u] {
        benchmark::DoNotOptimize(w->data());
        thread_local std::vector<double> hv(N);
        return rosenbrock_hvp(*w, *u, hv.data());
    });
    add(row, "tapeless", [w, u, f] {
        benchmark::DoNotOptimize(w->data());
        const auto hv = tl::hvp(f, *w, *u);
        return hv[0];
    });
    add(row, "tapeless_gradient", [w, f] {
        benchmark::DoNotOptimize(w->data());
        thread_local std::vector<double> g(N);
        return tl::gradient_into(g, f, *w);
    });
}

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    tb::add_common_context();
    add_rosenbrock_hvp<10000>();
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
}
