// bench/rows.cpp — run-time sizes (docs/benchmarks.md, Run-time rows): expressions on
// vector<dynamic> against hand-written loops in the same run.
//
//   bench_rows --benchmark_repetitions=10 --benchmark_min_time=0.2
//       --benchmark_report_aggregates_only=true --benchmark_enable_random_interleaving=true
//       --benchmark_out=rows.json --benchmark_out_format=json
//   python3 bench/report.py rows.json
//
// Rows (each "<row>/handwritten" is the baseline its ratios divide by):
//   least_squares_n<N>     the gradient of Σ (a·exp(b·x_i) + c − y_i)² in (a, b, c) over N run-time
//                          points: /tapeless (tl::gradient_into), /tapeless_value_and_gradient
//   rosenbrock_rows_n<N>   the value and gradient of Rosenbrock on vector<dynamic>
//                          (drop_front/drop_back): /tapeless (gradient_into), /tapeless_static
//                          (tl::value_and_gradient on vector<N>, slices; N = 10, 100),
//                          /handwritten_one_loop (the terms' loop adding into g[i] and g[i+1])
//   rosenbrock_rows_hvp_n<N>  H·v of the same: /tapeless (tl::hvp), /tapeless_gradient (the
//                          gradient, to read H·v's cost in gradients)
//   lennard_jones_atoms<N> energy and forces over a run-time pair list (cutoff 2.5σ): /tapeless
//                          (gather over the pair list, gradient_into)
// Every contender is checked against the hand-written derivative and against central differences
// before it is timed; a disagreement stops the program.
#include <tapeless/tapeless.hpp>

#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include "common.hpp"

namespace tl = tapeless;
using namespace tl::literals;
namespace tb = tapeless_bench;

namespace {

[[noreturn]] void fail(const std::string& what) {
    std::fprintf(stderr, "bench_rows: %s\n", what.c_str());
    std::exit(1);
}

void expect_close(const std::string& what, std::span<const double> got,
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

// ---- Rosenbrock on vector<dynamic> --------------------------------------------------------------

double rosenbrock_value(const std::vector<double>& w) {
    double v = 0;
    for (std::size_t i = 0; i + 1 < w.size(); ++i) {
        const double t = w[i + 1] - w[i] * w[i];
        v += 100 * t * t + (1 - w[i]) * (1 - w[i]);
    }
    return v;
}

// The hand-written value and gradient for a run-time n, the fastest of the two ways a person
// would write them: the gradient element by element with no carried dependence (as
// bench/common.hpp's, n a variable: it vectorises), then the value's sum (a floating-point
// reduction, which g++ does not vectorise without -ffast-math).
[[gnu::noinline]] double rosenbrock_gradient(const std::vector<double>& w, double* g) {
    const std::size_t n = w.size();
    g[0] = -400.0 * w[0] * (w[1] - w[0] * w[0]) - 2.0 * (1.0 - w[0]);
    for (std::size_t i = 1; i + 1 < n; ++i)
        g[i] = 200.0 * (w[i] - w[i - 1] * w[i - 1]) - 400.0 * w[i] * (w[i + 1] - w[i] * w[i]) -
               2.0 * (1.0 - w[i]);
    g[n - 1] = 200.0 * (w[n - 1] - w[n - 2] * w[n - 2]);
    double v = 0;
    for (std::size_t i = 0; i + 1 < n; ++i) {
        const double t = w[i + 1] - w[i] * w[i];
        v += 100 * t * t + (1 - w[i]) * (1 - w[i]);
    }
    return v;
}

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

// H·v by hand: the Hessian of Rosenbrock is tridiagonal.
[[gnu::noinline]] double rosenbrock_hvp(const std::vector<double>& w, const std::vector<double>& u,
                                        double* hv) {
    const std::size_t n = w.size();
    for (std::size_t i = 0; i < n; ++i) hv[i] = 0;
    for (std::size_t i = 0; i + 1 < n; ++i) {
        const double hii = 1200 * w[i] * w[i] - 400 * w[i + 1] + 2, hij = -400 * w[i];
        hv[i] += hii * u[i] + hij * u[i + 1];
        hv[i + 1] += hij * u[i] + 200 * u[i + 1];
    }
    return hv[0];
}

auto rosenbrock_rows() {
    const auto w = tl::variable<0, tl::vector<tl::dynamic>, "w">;
    const auto head = tl::drop_back<1>(w);
    return tl::sum(100_c * square(tl::drop_front<1>(w) - square(head)) + square(1_c - head));
}

template <std::size_t N>
auto rosenbrock_static() {
    const auto w = tl::variable<0, tl::vector<N>, "w">;
    return sum(100_c * square(tl::slice<1, N - 1>(w) - square(tl::slice<0, N - 1>(w))) +
               square(1_c - tl::slice<0, N - 1>(w)));
}

std::vector<double> rosenbrock_start(std::size_t n) {
    std::vector<double> w(n);
    for (std::size_t i = 0; i < n; ++i) w[i] = (i % 2 == 0) ? -1.2 : 1.0;
    return w;
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

// ---- Lennard-Jones over a run-time pair list ----------------------------------------------------

struct atoms {
    std::vector<double> x, y, z;
    std::vector<std::uint32_t> i, j; // pairs within the cutoff
};

// n atoms on a jittered cubic lattice of spacing 1.1σ; pairs closer than 2.5σ.
atoms make_atoms(std::size_t n) {
    atoms a;
    std::size_t side = 1;
    while (side * side * side < n) ++side;
    for (std::size_t k = 0; k < n; ++k) {
        const double jitter = 0.05 * std::sin(static_cast<double>(k) * 12.9898);
        a.x.push_back(1.1 * static_cast<double>(k % side) + jitter);
        a.y.push_back(1.1 * static_cast<double>((k / side) % side) - jitter);
        a.z.push_back(1.1 * static_cast<double>(k / (side * side)) + 0.5 * jitter);
    }
    for (std::uint32_t p = 0; p < n; ++p)
        for (std::uint32_t q = p + 1; q < n; ++q) {
            const double dx = a.x[p] - a.x[q], dy = a.y[p] - a.y[q], dz = a.z[p] - a.z[q];
            if (dx * dx + dy * dy + dz * dz < 2.5 * 2.5) {
                a.i.push_back(p);
                a.j.push_back(q);
            }
        }
    return a;
}

// The energy Σ 4 (r⁻¹² − r⁻⁶) over the pairs and its gradient (minus the forces), by hand.
[[gnu::noinline]] double lj_gradient(const atoms& a, const double* x, const double* y,
                                     const double* z, double* gx, double* gy, double* gz) {
    const std::size_t n = a.x.size();
    for (std::size_t k = 0; k < n; ++k) gx[k] = gy[k] = gz[k] = 0;
    double e = 0;
    for (std::size_t p = 0; p < a.i.size(); ++p) {
        const std::uint32_t i = a.i[p], j = a.j[p];
        const double dx = x[i] - x[j], dy = y[i] - y[j], dz = z[i] - z[j];
        const double s = 1 / (dx * dx + dy * dy + dz * dz);
        const double s6 = s * s * s;
        e += 4 * (s6 * s6 - s6);
        // dE/d(r²) = 4 (−6 s⁷ + 3 s⁴)
        const double de = 4 * (-6 * s6 * s6 * s + 3 * s6 * s) * 2;
        gx[i] += de * dx;
        gx[j] -= de * dx;
        gy[i] += de * dy;
        gy[j] -= de * dy;
        gz[i] += de * dz;
        gz[j] -= de * dz;
    }
    return e;
}

auto lj_expression() {
    const auto x = tl::variable<0, tl::vector<tl::dynamic>, "x">;
    const auto y = tl::variable<1, tl::vector<tl::dynamic>, "y">;
    const auto z = tl::variable<2, tl::vector<tl::dynamic>, "z">;
    const auto i = tl::indices<3, "i">;
    const auto j = tl::indices<4, "j">;
    const auto dx = tl::gather(x, i) - tl::gather(x, j);
    const auto dy = tl::gather(y, i) - tl::gather(y, j);
    const auto dz = tl::gather(z, i) - tl::gather(z, j);
    const auto s = 1_c / (square(dx) + square(dy) + square(dz));
    const auto s6 = tl::pow<3>(s);
    return tl::sum(4_c * (square(s6) - s6));
}

void add_lennard_jones(std::size_t n) {
    const std::string row = "lennard_jones_atoms" + std::to_string(n);
    const auto a = std::make_shared<atoms>(make_atoms(n));
    const auto f = lj_expression();
    std::vector<double> hand(3 * n), tape(3 * n);
    lj_gradient(*a, a->x.data(), a->y.data(), a->z.data(), hand.data(), hand.data() + n,
                hand.data() + 2 * n);
    tl::gradient_into(tape, f, a->x, a->y, a->z, a->i, a->j);
    if (n <= 256) {
        std::vector<double> p(a->x);
        p.insert(p.end(), a->y.begin(), a->y.end());
        p.insert(p.end(), a->z.begin(), a->z.end());
        std::vector<double> g(3 * n);
        const auto energy = [&](const std::vector<double>& q) {
            return lj_gradient(*a, q.data(), q.data() + n, q.data() + 2 * n, g.data(), g.data() + n,
                               g.data() + 2 * n);
        };
        expect_close(row + ": hand-written against differences", hand,
                     central_differences(energy, p), 1e-6);
    }
    expect_close(row + ": tapeless against hand-written", tape, hand, 1e-12);
    add(row, "handwritten", [a] {
        thread_local std::vector<double> g;
        g.resize(3 * a->x.size());
        benchmark::DoNotOptimize(a->x.data());
        const std::size_t m = a->x.size();
        return lj_gradient(*a, a->x.data(), a->y.data(), a->z.data(), g.data(), g.data() + m,
                           g.data() + 2 * m);
    });
    add(row, "tapeless", [a, f] {
        thread_local std::vector<double> g;
        g.resize(3 * a->x.size());
        benchmark::DoNotOptimize(a->x.data());
        return tl::gradient_into(g, f, a->x, a->y, a->z, a->i, a->j);
    });
}

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    tb::add_common_context();
    add_least_squares(1000);
    add_least_squares(100000);
    add_rosenbrock<10>();
    add_rosenbrock<100>();
    add_rosenbrock<10000>();
    add_rosenbrock_hvp<10000>();
    add_lennard_jones(256);
    add_lennard_jones(4096);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
}
