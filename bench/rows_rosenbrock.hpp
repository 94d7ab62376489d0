// bench/rows_rosenbrock.hpp — Rosenbrock on vector<dynamic> for bench/rows_rosenbrock.cpp and
// bench/rows_rosenbrock_hvp.cpp: the function, its hand-written gradient and H·v, the expression.
#ifndef TAPELESS_BENCH_ROWS_ROSENBROCK_HPP
#define TAPELESS_BENCH_ROWS_ROSENBROCK_HPP

#include "rows_common.hpp"

namespace tapeless_bench::rows {

inline double rosenbrock_value(const std::vector<double>& w) {
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
[[gnu::noinline]] inline double rosenbrock_gradient(const std::vector<double>& w, double* g) {
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

// H·v by hand: the Hessian of Rosenbrock is tridiagonal.
[[gnu::noinline]] inline double rosenbrock_hvp(const std::vector<double>& w,
                                               const std::vector<double>& u, double* hv) {
    const std::size_t n = w.size();
    for (std::size_t i = 0; i < n; ++i) hv[i] = 0;
    for (std::size_t i = 0; i + 1 < n; ++i) {
        const double hii = 1200 * w[i] * w[i] - 400 * w[i + 1] + 2, hij = -400 * w[i];
        hv[i] += hii * u[i] + hij * u[i + 1];
        hv[i + 1] += hij * u[i] + 200 * u[i + 1];
    }
    return hv[0];
}

inline auto rosenbrock_rows() {
    namespace tl = tapeless;
    using namespace tl::literals;
    const auto w = tl::variable<0, tl::vector<tl::dynamic>, "w">;
    const auto head = tl::drop_back<1>(w);
    return tl::sum(100_c * tl::square(tl::drop_front<1>(w) - tl::square(head)) +
                   tl::square(1_c - head));
}

inline std::vector<double> rosenbrock_start(std::size_t n) {
    std::vector<double> w(n);
    for (std::size_t i = 0; i < n; ++i) w[i] = (i % 2 == 0) ? -1.2 : 1.0;
    return w;
}

} // namespace tapeless_bench::rows

#endif
