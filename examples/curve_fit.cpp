// examples/curve_fit.cpp — a least-squares fit of y = a·exp(b·x) + c to 10,000 noisy points whose
// number is known only at run time.
//
// The data are tl::data of shape vector<tl::dynamic>, the parameters scalar variables; the sum of
// squared residuals is one expression, whatever the number of points. Each step of a damped
// Newton method (Levenberg–Marquardt on the exact Hessian) takes the value, the gradient and the
// 3×3 Hessian over (a, b, c) from tl::value_gradient_and_hessian (one sweep pair on dual numbers
// over the points; the data have no rows or columns in it). It prints the iterations and the
// recovered parameters, and exits with 1 if they are not within 2% of the ones the data were made
// with, or if the gradient at the optimum disagrees with central differences.
#include <tapeless/tapeless.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

namespace tl = tapeless;

namespace {

// Solves (H + lambda I) s = -g for a 3×3 H by Gaussian elimination with partial pivoting.
std::array<double, 3> newton_step(const std::vector<std::vector<double>>& h,
                                  const std::vector<double>& g, double lambda) {
    std::array<std::array<double, 4>, 3> m{};
    for (std::size_t i = 0; i < 3; ++i) {
        for (std::size_t j = 0; j < 3; ++j) m[i][j] = h[i][j] + (i == j ? lambda : 0.0);
        m[i][3] = -g[i];
    }
    for (std::size_t c = 0; c < 3; ++c) {
        std::size_t pivot = c;
        for (std::size_t r = c + 1; r < 3; ++r)
            if (std::fabs(m[r][c]) > std::fabs(m[pivot][c])) pivot = r;
        std::swap(m[c], m[pivot]);
        for (std::size_t r = c + 1; r < 3; ++r) {
            const double f = m[r][c] / m[c][c];
            for (std::size_t k = c; k < 4; ++k) m[r][k] -= f * m[c][k];
        }
    }
    std::array<double, 3> s{};
    for (std::size_t i = 3; i-- > 0;) {
        double v = m[i][3];
        for (std::size_t k = i + 1; k < 3; ++k) v -= m[i][k] * s[k];
        s[i] = v / m[i][i];
    }
    return s;
}

} // namespace

int main() {
    // the model and the loss: run-time rows for the data, scalars for the parameters
    const auto x = tl::data<0, tl::vector<tl::dynamic>, "x">;
    const auto y = tl::data<1, tl::vector<tl::dynamic>, "y">;
    const auto [a, b, c] = tl::variables_after<decltype(x + y), "a", "b", "c">();
    const auto loss = tl::sum(tl::pow<2>(a * exp(b * x) + c - y));

    // 10,000 points of 2.5·exp(−1.3 x) + 0.4 with Gaussian noise of standard deviation 0.05
    const double a_true = 2.5, b_true = -1.3, c_true = 0.4;
    std::mt19937 rng(20261207);
    std::normal_distribution<double> noise(0.0, 0.05);
    std::vector<double> xs, ys;
    for (std::size_t i = 0; i < 10000; ++i) {
        const double xi = 4.0 * static_cast<double>(i) / 10000.0;
        xs.push_back(xi);
        ys.push_back(a_true * std::exp(b_true * xi) + c_true + noise(rng));
    }

    std::array<double, 3> p{1.0, -0.3, 0.0};
    double lambda = 1e-3;
    std::printf("%4s %14s %10s %10s %10s %10s\n", "step", "loss", "a", "b", "c", "|grad|");
    for (int step = 0; step < 50; ++step) {
        const auto r = tl::value_gradient_and_hessian(loss, xs, ys, p[0], p[1], p[2]);
        const double norm =
            std::sqrt(r.gradient[0] * r.gradient[0] + r.gradient[1] * r.gradient[1] +
                      r.gradient[2] * r.gradient[2]);
        std::printf("%4d %14.8f %10.6f %10.6f %10.6f %10.3e\n", step, r.value, p[0], p[1], p[2],
                    norm);
        if (norm < 1e-9) break;
        // a step that lowers the loss, damping more until one does
        for (int tries = 0; tries < 30; ++tries) {
            const auto s = newton_step(r.hessian, r.gradient, lambda);
            const std::array<double, 3> q{p[0] + s[0], p[1] + s[1], p[2] + s[2]};
            if (tl::value(loss, xs, ys, q[0], q[1], q[2]) < r.value) {
                p = q;
                lambda = std::fmax(lambda / 10, 1e-12);
                break;
            }
            lambda *= 10;
        }
    }
    std::printf("recovered a = %.5f, b = %.5f, c = %.5f (made with %.2f, %.2f, %.2f)\n", p[0], p[1],
                p[2], a_true, b_true, c_true);

    // the gradient at the optimum against central differences of the loss
    std::array<double, 3> g{};
    tl::gradient_into(g, loss, xs, ys, p[0], p[1], p[2]);
    bool ok = true;
    for (std::size_t k = 0; k < 3; ++k) {
        std::array<double, 3> up = p, down = p;
        const double h = 1e-6;
        up[k] += h;
        down[k] -= h;
        const double diff = (tl::value(loss, xs, ys, up[0], up[1], up[2]) -
                             tl::value(loss, xs, ys, down[0], down[1], down[2])) /
                            (2 * h);
        if (std::fabs(diff - g[k]) > 1e-5) {
            std::printf("gradient %zu: %g, central difference %g\n", k, g[k], diff);
            ok = false;
        }
    }
    const std::array<double, 3> truth{a_true, b_true, c_true};
    for (std::size_t k = 0; k < 3; ++k)
        if (std::fabs(p[k] - truth[k]) > 0.02 * std::fabs(truth[k])) ok = false;
    if (!ok) {
        std::printf("the fit did not recover the parameters\n");
        return EXIT_FAILURE;
    }
    return EXIT_SUCCESS;
}
