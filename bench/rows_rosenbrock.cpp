// bench/rows_rosenbrock.cpp — rosenbrock_rows_n<N>: the value and gradient of Rosenbrock on
// vector<dynamic> (drop_front/drop_back): /handwritten (the gradient element by element, then the
// value), /handwritten_one_loop (the terms' loop adding into g[i] and g[i+1]), /tapeless
// (gradient_into), /tapeless_static (tl::value_and_gradient on vector<N>, N = 10, 100). H·v is in
// bench/rows_rosenbrock_hvp.cpp.
// (docs/benchmarks.md, Run-time rows; how to run: bench/rows_common.hpp).
#include "rows_rosenbrock.hpp"

namespace tl = tapeless;
using namespace tl::literals;
namespace tb = tapeless_bench;
using namespace tapeless_bench::rows;

namespace {

// The other way: one loop over the terms, each adding into the two elements it reads (a carried
// dependence through g, as tapeless's row loop has).
[[gnu::noinline]] double rosenbrock_gradient_one_loop(const std::vector<double>& w, double* g) {
    const std::size_t n = w.size();
    double v = 0;
    for (std::size_t i = 0; i < n; ++i) g[i] = 0;
    for (std::size_t i = 0; i + 1 < n; ++i) {
        const double t = w[i + 1] - w[i] * w[i];
        v += 100 * t * t + (1 - w[i]) * (1 - w[i]);
        g[i] += -400 * w[i] * t - 2 * (1 - w[i]);
        g[i + 1] += 200 * t;
    }
    return v;
}

template <std::size_t N>
auto rosenbrock_static() {
    const auto w = tl::variable<0, tl::vector<N>, "w">;
    return sum(100_c * square(tl::slice<1, N - 1>(w) - square(tl::slice<0, N - 1>(w))) +
               square(1_c - tl::slice<0, N - 1>(w)));
}

template <std::size_t N>
void add_rosenbrock() {
    const std::string row = "rosenbrock_rows_n" + std::to_string(N);
    const auto w = std::make_shared<std::vector<double>>(rosenbrock_start(N));
    const auto f = rosenbrock_rows();
    std::vector<double> hand(N), tape(N);
    rosenbrock_gradient(*w, hand.data());
    tl::gradient_into(tape, f, *w);
    if (N <= 100)
        expect_close(row + ": hand-written against differences", hand,
                     central_differences(rosenbrock_value, *w), 1e-6);
    expect_close(row + ": tapeless against hand-written", tape, hand, 1e-12);
    std::vector<double> one_loop(N);
    rosenbrock_gradient_one_loop(*w, one_loop.data());
    expect_close(row + ": one-loop hand-written against hand-written", one_loop, hand, 1e-12);
    add(row, "handwritten", [w] {
        std::vector<double>& x = *w;
        benchmark::DoNotOptimize(x.data());
        thread_local std::vector<double> g(N);
        return rosenbrock_gradient(x, g.data());
    });
    add(row, "handwritten_one_loop", [w] {
        std::vector<double>& x = *w;
        benchmark::DoNotOptimize(x.data());
        thread_local std::vector<double> g(N);
        return rosenbrock_gradient_one_loop(x, g.data());
    });
    add(row, "tapeless", [w, f] {
        std::vector<double>& x = *w;
        benchmark::DoNotOptimize(x.data());
        thread_local std::vector<double> g(N);
        return tl::gradient_into(g, f, x);
    });
    if constexpr (N <= 100) {
        const auto fs = rosenbrock_static<N>();
        std::array<double, N> p{};
        std::copy(w->begin(), w->end(), p.begin());
        const auto gs = tl::gradient(fs, p);
        expect_close(row + ": static tapeless against hand-written", gs, hand, 1e-12);
        add(row, "tapeless_static", [p, fs] {
            std::array<double, N> q = p;
            benchmark::DoNotOptimize(q);
            const auto r = tl::value_and_gradient(fs, q);
            benchmark::DoNotOptimize(r.gradient);
            return r.value;
        });
    }
}

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    tb::add_common_context();
    add_rosenbrock<10>();
    add_rosenbrock<100>();
    add_rosenbrock<10000>();
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
}
