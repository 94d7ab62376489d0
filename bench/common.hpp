// bench/common.hpp — what every runtime-benchmark binary shares, so that each ratio divides by a
// baseline measured in the same run (docs/benchmarks.md, Gradients):
//
//   * the points at which each row is measured;
//   * the test functions, written once as generic callables (`f1_fn{}(p)` with p a std::array of
//     double, ceres::Jet, Eigen::AutoDiffScalar, Sacado::Fad::SFad, boost fvar or adouble), so the
//     plain function and every operator-overloading peer run the same source;
//   * the hand-written derivatives: straight-line C++, the best a person would write;
//   * central finite differences (a contender of its own, and the check of the baselines);
//   * check_handwritten(): compares every hand-written derivative with finite differences at
//     several points and exits with a message if one is wrong (a wrong baseline makes every
//     ratio meaningless);
//   * add(): checks a contender's result against the reference, then registers it with Google
//     Benchmark, feeding its input through DoNotOptimize so nothing is constant-folded.
//
// Benchmarks are named "<row>/<contender>"; bench/report.py turns the JSON output into ratios.
// Register contenders row by row, so that neighbouring measurements are of the same row.
#ifndef TAPELESS_BENCH_COMMON_HPP
#define TAPELESS_BENCH_COMMON_HPP

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <span>
#include <string>
#include <type_traits>

#include <benchmark/benchmark.h>

namespace tapeless_bench {

// A Jacobian or Hessian (tl::row_matrix: rows() rows of cols() numbers) as one row-major array,
// for the start-up checks.
template <class Rows>
auto row_major(const Rows& m) {
    constexpr std::size_t R = Rows::rows(), C = Rows::cols();
    std::array<double, R * C> out{};
    for (std::size_t i = 0; i < R; ++i)
        for (std::size_t j = 0; j < C; ++j) out[i * C + j] = m[i][j];
    return out;
}

// -------------------------------------------------------------------------------------------------
// Points
// -------------------------------------------------------------------------------------------------
inline constexpr std::array<double, 2> f1_point{2.0, 3.0};
inline constexpr std::array<double, 1> f2_point{0.7};
inline constexpr std::array<double, 3> lorenz_point{1.5, -0.7, 20.0};
inline constexpr std::array<double, 3> spherical_point{2.0, 0.9, 0.4}; // r, theta, phi

// The classic Rosenbrock start (-1.2, 1, -1.2, 1, ...).
template <std::size_t N>
constexpr std::array<double, N> rosenbrock_point() {
    std::array<double, N> w{};
    for (std::size_t i = 0; i < N; ++i) w[i] = (i % 2 == 0) ? -1.2 : 1.0;
    return w;
}

// -------------------------------------------------------------------------------------------------
// The functions, written once. A repeated transcendental subexpression is named once, as a careful
// user would (it gives the operator-overloading peers their best case; tapeless shares identical
// subexpressions by itself).
// -------------------------------------------------------------------------------------------------

// f(x, z) = exp(x z) + x z / log(x) + sin(log(x)) / (x z)
struct f1_fn {
    template <class T>
    T operator()(const std::array<T, 2>& p) const {
        using std::exp, std::log, std::sin;
        const T& x = p[0];
        const T& z = p[1];
        const T u = x * z;
        const T l = log(x);
        return exp(u) + u / l + sin(l) / u;
    }
};

// f(x) = sqrt(c) + cos(c), c = x² + exp(x²)
struct f2_fn {
    template <class T>
    T operator()(const std::array<T, 1>& p) const {
        using std::cos, std::exp, std::sqrt;
        const T& x = p[0];
        const T a = x * x;
        const T c = a + exp(a);
        return sqrt(c) + cos(c);
    }
};

// f(w) = Σ_{i<n-1} 100 (w_{i+1} − w_i²)² + (1 − w_i)²
struct rosenbrock_fn {
    template <class T, std::size_t N>
    T operator()(const std::array<T, N>& w) const {
        T f(0.0);
        for (std::size_t i = 0; i + 1 < N; ++i) {
            const T t = w[i + 1] - w[i] * w[i];
            const T s = 1.0 - w[i];
            f += 100.0 * (t * t) + s * s;
        }
        return f;
    }
};

inline constexpr double lorenz_sigma = 10.0, lorenz_rho = 28.0, lorenz_beta = 8.0 / 3.0;

// F(x, y, z) = (σ (y − x), x (ρ − z) − y, x y − β z)
struct lorenz_fn {
    template <class T>
    std::array<T, 3> operator()(const std::array<T, 3>& p) const {
        const T& x = p[0];
        const T& y = p[1];
        const T& z = p[2];
        return {lorenz_sigma * (y - x), x * (lorenz_rho - z) - y, x * y - lorenz_beta * z};
    }
};

// F(r, θ, φ) = (r sin θ cos φ, r sin θ sin φ, r cos θ)
struct spherical_fn {
    template <class T>
    std::array<T, 3> operator()(const std::array<T, 3>& p) const {
        using std::cos, std::sin;
        const T& r = p[0];
        const T& th = p[1];
        const T& ph = p[2];
        const T rs = r * sin(th);
        return {rs * cos(ph), rs * sin(ph), r * cos(th)};
    }
};

// -------------------------------------------------------------------------------------------------
// Hand-written derivatives: the baseline every ratio divides by. Jacobians are row-major:
// J[3 i + j] = ∂F_i/∂p_j.
// -------------------------------------------------------------------------------------------------

// ∂f/∂x = z eᵘ + z/L − z/L² + cos L/(x u) − z sin L/u²,  ∂f/∂z = x eᵘ + x/L − x sin L/u²
// with u = x z, L = log x.
inline std::array<double, 2> f1_gradient(const std::array<double, 2>& p) {
    const double x = p[0], z = p[1];
    const double u = x * z;
    const double l = std::log(x);
    const double e = std::exp(u);
    const double s = std::sin(l), c = std::cos(l);
    const double il = 1.0 / l, iu = 1.0 / u;
    const double siu2 = s * iu * iu;
    return {z * e + z * il * (1.0 - il) + c * iu / x - z * siu2, x * e + x * il - x * siu2};
}

// f'(x) = 2x (1 + e^{x²}) (1/(2 sqrt c) − sin c),  c = x² + e^{x²}
inline std::array<double, 1> f2_derivative(const std::array<double, 1>& p) {
    const double x = p[0];
    const double a = x * x;
    const double e = std::exp(a);
    const double c = a + e;
    return {2.0 * x * (1.0 + e) * (0.5 / std::sqrt(c) - std::sin(c))};
}

// g_i = 200 (w_i − w_{i−1}²) [i > 0]  − 400 w_i (w_{i+1} − w_i²) − 2 (1 − w_i) [i < n−1].
// Interior elements in one loop without a carried dependence, so it vectorises. The pragma keeps
// the compiler from unrolling the n = 10 loop completely into scalar code once it is inlined into
// the benchmark loop (g++ 12 and clang++ 14, -O3 -march=native: 6.1 → 2.6 ns; n = 2 and 100 are
// unchanged).
template <std::size_t N>
std::array<double, N> rosenbrock_gradient(const std::array<double, N>& w) {
    static_assert(N >= 2);
    std::array<double, N> g;
    g[0] = -400.0 * w[0] * (w[1] - w[0] * w[0]) - 2.0 * (1.0 - w[0]);
#pragma GCC unroll 1
    for (std::size_t i = 1; i + 1 < N; ++i)
        g[i] = 200.0 * (w[i] - w[i - 1] * w[i - 1]) - 400.0 * w[i] * (w[i + 1] - w[i] * w[i]) -
               2.0 * (1.0 - w[i]);
    g[N - 1] = 200.0 * (w[N - 1] - w[N - 2] * w[N - 2]);
    return g;
}

inline std::array<double, 9> lorenz_jacobian(const std::array<double, 3>& p) {
    const double x = p[0], y = p[1], z = p[2];
    return {-lorenz_sigma,
            lorenz_sigma,
            0.0, //
            lorenz_rho - z,
            -1.0,
            -x, //
            y,
            x,
            -lorenz_beta};
}

inline std::array<double, 9> spherical_jacobian(const std::array<double, 3>& p) {
    const double r = p[0], th = p[1], ph = p[2];
    const double st = std::sin(th), ct = std::cos(th);
    const double sp = std::sin(ph), cp = std::cos(ph);
    const double rst = r * st, rct = r * ct;
    return {st * cp, rct * cp, -rst * sp, //
            st * sp, rct * sp, rst * cp,  //
            ct,      -rst,     0.0};
}

// -------------------------------------------------------------------------------------------------
// Central finite differences: h_j = cbrt(eps) max(1, |p_j|). For a scalar f the result is the
// gradient; for f returning std::array<double, M> the row-major M×K Jacobian.
// -------------------------------------------------------------------------------------------------
template <class T>
inline constexpr std::size_t output_size = 1;
template <std::size_t M>
inline constexpr std::size_t output_size<std::array<double, M>> = M;

template <class F, std::size_t K>
auto central_difference(const F& f, std::array<double, K> p) {
    using R = std::remove_cvref_t<decltype(f(p))>;
    constexpr std::size_t M = output_size<R>;
    std::array<double, M * K> d;
    const double step = std::cbrt(std::numeric_limits<double>::epsilon());
    for (std::size_t j = 0; j < K; ++j) {
        const double pj = p[j];
        const double h = step * std::max(1.0, std::abs(pj));
        p[j] = pj + h;
        const R up = f(p);
        p[j] = pj - h;
        const R down = f(p);
        p[j] = pj;
        const double width = (pj + h) - (pj - h);
        if constexpr (M == 1) {
            d[j] = (up - down) / width;
        } else {
            for (std::size_t i = 0; i < M; ++i) d[i * K + j] = (up[i] - down[i]) / width;
        }
    }
    return d;
}

// -------------------------------------------------------------------------------------------------
// Checking results
// -------------------------------------------------------------------------------------------------
inline std::span<const double> values_of(const double& v) {
    return {&v, 1};
}
template <std::size_t M>
std::span<const double> values_of(const std::array<double, M>& v) {
    return {v.data(), M};
}

// Relative tolerances: an AD contender against the hand-written derivative (same maths, other
// rounding), and finite differences against anything.
inline constexpr double exact_tolerance = 1e-9;
inline constexpr double difference_tolerance = 1e-6;

// Prints every element that differs; true when all agree within tol · max(1, |expected|).
inline bool agree(const std::string& what, std::span<const double> got,
                  std::span<const double> expected, double tol) {
    bool ok = got.size() == expected.size();
    if (!ok)
        std::fprintf(stderr, "%s: %zu values, expected %zu\n", what.c_str(), got.size(),
                     expected.size());
    for (std::size_t i = 0; ok && i < got.size(); ++i) {
        const double scale = std::max(1.0, std::abs(expected[i]));
        if (!(std::abs(got[i] - expected[i]) <= tol * scale)) {
            std::fprintf(stderr, "%s: element %zu is %.17g, expected %.17g (tolerance %g)\n",
                         what.c_str(), i, got[i], expected[i], tol * scale);
            ok = false;
        }
    }
    return ok;
}

[[noreturn]] inline void fail(const std::string& why) {
    std::fprintf(stderr, "benchmark aborted: %s\n", why.c_str());
    std::exit(1);
}

// Each hand-written derivative against central differences of the plain function, at the
// benchmark point and at two others (so a coincidence at one point cannot hide an error). The
// shifts stay small: the rounding error of a difference grows with |f| / h, and a large shift
// makes the 100-term Rosenbrock sum large.
inline void check_handwritten() {
    bool ok = true;
    auto check = [&](const std::string& name, const auto& fn, const auto& hand, auto p) {
        for (double shift : {0.0, 0.137, -0.291}) {
            auto q = p;
            for (std::size_t j = 0; j < q.size(); ++j)
                q[j] += shift * static_cast<double>(1 + j % 3) / 3.0;
            ok = agree(name + " (hand-written vs finite differences, shift " +
                           std::to_string(shift) + ")",
                       values_of(hand(q)), values_of(central_difference(fn, q)),
                       difference_tolerance) &&
                 ok;
        }
    };
    check("f1_gradient", f1_fn{}, f1_gradient, f1_point);
    check("f2_derivative", f2_fn{}, f2_derivative, f2_point);
    check("rosenbrock_gradient_n2", rosenbrock_fn{}, rosenbrock_gradient<2>, rosenbrock_point<2>());
    check("rosenbrock_gradient_n10", rosenbrock_fn{}, rosenbrock_gradient<10>,
          rosenbrock_point<10>());
    check("rosenbrock_gradient_n100", rosenbrock_fn{}, rosenbrock_gradient<100>,
          rosenbrock_point<100>());
    check("lorenz_jacobian", lorenz_fn{}, lorenz_jacobian, lorenz_point);
    check("spherical_jacobian", spherical_fn{}, spherical_jacobian, spherical_point);
    if (!ok)
        fail("a hand-written derivative disagrees with finite differences: every ratio would be "
             "meaningless");
}

// -------------------------------------------------------------------------------------------------
// Registration
// -------------------------------------------------------------------------------------------------

// Set by add() when a contender disagrees with its reference; checked by finish_checks().
inline bool& any_contender_wrong() {
    static bool wrong = false;
    return wrong;
}

// A function as a function object whose call is direct: fn<&f>{}. A function pointer stored in a
// registered benchmark is called indirectly and never inlined, which would slow the hand-written
// baselines down against the inlined contenders; add() refuses pointers.
template <auto F>
struct fn {
    template <class... A>
    auto operator()(const A&... a) const {
        return F(a...);
    }
};

// Checks fn(point) against `expected` (skipped when empty), then registers "<row>/<who>":
// each iteration hides the input from the optimiser (DoNotOptimize on an lvalue: the compiler
// must assume it was read and changed), computes, and forces the result to be materialised.
template <std::size_t K, class Fn>
void add(const std::string& row, const std::string& who, const std::array<double, K>& point, Fn fn,
         std::span<const double> expected, double tol = exact_tolerance) {
    static_assert(!std::is_pointer_v<Fn>,
                  "tapeless_bench::add: pass a function object (tapeless_bench::fn<&f>{}), "
                  "not a function pointer, so that the call can be inlined");
    const std::string name = row + "/" + who;
    if (!expected.empty() && !agree(name, values_of(fn(point)), expected, tol))
        any_contender_wrong() = true;
    benchmark::RegisterBenchmark(name.c_str(), [point, fn](benchmark::State& state) {
        std::array<double, K> p = point;
        for (auto _ : state) {
            benchmark::DoNotOptimize(p);
            auto out = fn(p);
            benchmark::DoNotOptimize(out);
            benchmark::ClobberMemory();
        }
    });
}

inline void finish_checks() {
    if (any_contender_wrong())
        fail("a contender's derivative disagrees with the hand-written one (see above)");
}

template <std::size_t N>
std::string rosenbrock_row() {
    return "rosenbrock_gradient_n" + std::to_string(N);
}

// Registers the two contenders every binary has: the plain function ("plain", checked against
// nothing) and the hand-written derivative ("handwritten"). Returns the hand-written result at the
// point, the reference for the other contenders of the row.
template <std::size_t K, class F, class Hand>
auto add_baselines(const std::string& row, const std::array<double, K>& point, F f, Hand hand) {
    add(row, "plain", point, f, {});
    const auto reference = hand(point);
    add(row, "handwritten", point, hand, {});
    return reference;
}

// Context recorded in the JSON output (read by bench/report.py).
inline void add_common_context() {
#if defined(__clang__)
    benchmark::AddCustomContext("compiler", "clang++ " __clang_version__);
#elif defined(__GNUC__)
    benchmark::AddCustomContext("compiler", "g++ " __VERSION__);
#endif
#if defined(__AVX512F__)
    benchmark::AddCustomContext("vector_isa", "avx512f");
#elif defined(__AVX2__)
    benchmark::AddCustomContext("vector_isa", "avx2");
#else
    benchmark::AddCustomContext("vector_isa", "baseline");
#endif
#if defined(__FAST_MATH__)
    benchmark::AddCustomContext("fast_math", "yes");
#endif
}

} // namespace tapeless_bench

#endif
