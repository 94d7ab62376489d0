// bench/rows_fit.cpp — least_squares_n<N>: the gradient of Σ (a·exp(b·x_i) + c − y_i)² in (a, b, c)
// over N run-time points: /handwritten (one loop), /tapeless (tl::gradient_into),
// /tapeless_value_and_gradient (which also returns zeros for the data)
// (docs/benchmarks.md, Run-time rows; how to run: bench/rows_common.hpp).
#include "rows_common.hpp"

namespace tl = tapeless;
using namespace tl::literals;
namespace tb = tapeless_bench;
using namespace tapeless_bench::rows;

namespace {

// ---- least squares: a·exp(b·x) + c ------------------------------------------------------------

struct fit_data {
    std::vector<double> x, y;
};

fit_data make_fit(std::size_t n) {
    fit_data d;
    for (std::size_t i = 0; i < n; ++i) {
        const double x = 2.0 * static_cast<double>(i) / static_cast<double>(n);
        d.x.push_back(x);
        d.y.push_back(1.5 * std::exp(-0.8 * x) + 0.3 + 0.01 * std::sin(37.0 * x));
    }
    return d;
}

double fit_value(const fit_data& d, double a, double b, double c) {
    double v = 0;
    for (std::size_t i = 0; i < d.x.size(); ++i) {
        const double r = a * std::exp(b * d.x[i]) + c - d.y[i];
        v += r * r;
    }
    return v;
}

// The hand-written gradient: one loop, exp once per point.
[[gnu::noinline]] double fit_gradient(const fit_data& d, const double* p, double* g) {
    const double a = p[0], b = p[1], c = p[2];
    double v = 0, ga = 0, gb = 0, gc = 0;
    for (std::size_t i = 0; i < d.x.size(); ++i) {
        const double e = std::exp(b * d.x[i]);
        const double r = a * e + c - d.y[i];
        v += r * r;
        ga += 2 * r * e;
        gb += 2 * r * a * e * d.x[i];
        gc += 2 * r;
    }
    g[0] = ga;
    g[1] = gb;
    g[2] = gc;
    return v;
}

auto fit_expression() {
    const auto x = tl::data<0, tl::vector<tl::dynamic>, "x">;
    const auto y = tl::data<1, tl::vector<tl::dynamic>, "y">;
    const auto [a, b, c] = tl::variables_after<decltype(x + y), "a", "b", "c">();
    return tl::sum(tl::pow<2>(a * exp(b * x) + c - y));
}

void add_least_squares(std::size_t n) {
    const std::string row = "least_squares_n" + std::to_string(n);
    const auto d = std::make_shared<fit_data>(make_fit(n));
    const auto f = fit_expression();
    const std::vector<double> p{1.2, -0.6, 0.2};
    std::vector<double> hand(3), tape(3);
    fit_gradient(*d, p.data(), hand.data());
    tl::gradient_into(tape, f, d->x, d->y, p[0], p[1], p[2]);
    const auto diff = central_differences(
        [&](const std::vector<double>& q) { return fit_value(*d, q[0], q[1], q[2]); }, p);
    expect_close(row + ": hand-written against differences", hand, diff, 1e-6);
    expect_close(row + ": tapeless against hand-written", tape, hand, 1e-12);
    const auto [value, full] = tl::value_and_gradient(f, d->x, d->y, p[0], p[1], p[2]);
    const std::vector<double> g3{std::get<2>(full), std::get<3>(full), std::get<4>(full)};
    expect_close(row + ": value_and_gradient against hand-written", g3, hand, 1e-12);
    const double by_hand = fit_value(*d, p[0], p[1], p[2]);
    expect_close(row + ": value against hand-written", std::span<const double>(&value, 1),
                 std::span<const double>(&by_hand, 1), 1e-12);

    add(row, "handwritten", [d, p] {
        double g[3];
        double q[3] = {p[0], p[1], p[2]};
        benchmark::DoNotOptimize(q);
        const double v = fit_gradient(*d, q, g);
        benchmark::DoNotOptimize(g);
        return v;
    });
    add(row, "tapeless", [d, p, f] {
        double g[3];
        double q[3] = {p[0], p[1], p[2]};
        benchmark::DoNotOptimize(q);
        const double v = tl::gradient_into(g, f, d->x, d->y, q[0], q[1], q[2]);
        benchmark::DoNotOptimize(g);
        return v;
    });
    add(row, "tapeless_value_and_gradient", [d, p, f] {
        double q[3] = {p[0], p[1], p[2]};
        benchmark::DoNotOptimize(q);
        const auto r = tl::value_and_gradient(f, d->x, d->y, q[0], q[1], q[2]);
        return r.value + std::get<2>(r.gradient);
    });
}

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    tb::add_common_context();
    add_least_squares(1000);
    add_least_squares(100000);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
}
