// tapeless/check/finite_difference.hpp — derivatives by finite differences, and a gradient check.
//
//   tl::central_difference(f, p, i)        (f(p + h e_i) − f(p − h e_i)) / 2h, error O(h²)
//   tl::richardson_difference(f, p, i)     Richardson extrapolation of central differences with
//                                          steps h and h/2: error O(h⁴)
//   auto r = tl::check_gradient(f, p);     reverse mode against Richardson differences
//   if (!r.ok) std::cout << r.worst_index << ": " << r.gradient << " vs " << r.difference;
// f is anything tl::value accepts (an expression or a callable) over one flat std::array of
// scalars. Differences are taken in long double, whatever the inputs' type.
#ifndef TAPELESS_CHECK_FINITE_DIFFERENCE_HPP
#define TAPELESS_CHECK_FINITE_DIFFERENCE_HPP

#include <array>
#include <cmath>
#include <cstddef>

#include "../modes/gradient.hpp"
#include "../modes/value.hpp"

namespace tapeless {

// The step used for input i: a relative step, scaled like the input (at least `h` itself).
template <class T, std::size_t N>
long double difference_step(const std::array<T, N>& p, std::size_t i, long double h) {
    const long double a = std::fabs(static_cast<long double>(p[i]));
    return h * (a > 1.0L ? a : 1.0L);
}

// ∂f/∂x_i at p by a central difference with relative step h; the step actually taken is the
// difference of the two points (so its rounding does not enter the quotient).
template <class F, class T, std::size_t N>
long double central_difference(const F& f, const std::array<T, N>& p, std::size_t i,
                               long double h = 1e-6L) {
    std::array<long double, N> up{}, down{};
    for (std::size_t k = 0; k < N; ++k) up[k] = down[k] = static_cast<long double>(p[k]);
    const long double s = difference_step(p, i, h);
    up[i] += s;
    down[i] -= s;
    return (static_cast<long double>(tapeless::value(f, up)) -
            static_cast<long double>(tapeless::value(f, down))) /
           (up[i] - down[i]);
}

// ∂f/∂x_i at p by Richardson extrapolation: (4 D(h/2) − D(h)) / 3 with D the central difference.
template <class F, class T, std::size_t N>
long double richardson_difference(const F& f, const std::array<T, N>& p, std::size_t i,
                                  long double h = 1e-3L) {
    const long double d1 = central_difference(f, p, i, h);
    const long double d2 = central_difference(f, p, i, h / 2);
    return (4 * d2 - d1) / 3;
}

template <class T, std::size_t N>
struct gradient_check {
    std::array<T, N> gradient{};             // reverse mode
    std::array<long double, N> difference{}; // Richardson differences
    long double max_abs_error = 0, max_rel_error = 0;
    std::size_t worst_index = 0;
    bool ok = true;
};

// The gradient of f at p by reverse mode, against Richardson-extrapolated differences: ok when
// every component agrees within rel_tol relative to the larger magnitude, plus abs_tol.
template <class F, class T, std::size_t N>
gradient_check<T, N> check_gradient(const F& f, const std::array<T, N>& p,
                                    long double rel_tol = 1e-6L, long double abs_tol = 1e-9L) {
    gradient_check<T, N> r;
    r.gradient = tapeless::gradient(f, p);
    long double worst = -1;
    for (std::size_t i = 0; i < N; ++i) {
        r.difference[i] = richardson_difference(f, p, i);
        const long double g = static_cast<long double>(r.gradient[i]);
        const long double err = std::fabs(g - r.difference[i]);
        const long double scale = std::fmax(std::fabs(g), std::fabs(r.difference[i]));
        const long double rel = scale > 0 ? err / scale : 0;
        if (err > r.max_abs_error) r.max_abs_error = err;
        if (rel > r.max_rel_error) r.max_rel_error = rel;
        const long double badness = err - (abs_tol + rel_tol * scale);
        if (badness > worst) {
            worst = badness;
            r.worst_index = i;
        }
        if (!(err <= abs_tol + rel_tol * scale)) r.ok = false;
    }
    return r;
}

} // namespace tapeless

#endif
