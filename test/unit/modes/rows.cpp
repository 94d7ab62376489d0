// Run-time rows (vector<dynamic>, matrix<dynamic, C>): every mode that takes them against the same
// expression on a static shape (an independent engine: the fused sweeps), against central
// differences in long double, and across modes (reverse against jvp, hvp against differences of
// the gradient); the run-time shape checks and their messages; gradient_into's allocations.
#include <tapeless/tapeless.hpp>

#include <array>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <new>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "support/tolerances.hpp"

namespace tl = tapeless;
namespace tt = tapeless_test;
using namespace tl::literals;

// Every allocation of the test program is counted (gradient_into must make none).
namespace {
std::atomic<std::size_t> allocations{0};
}
// (Out of line, array forms too: inlined into a caller, g++ -O2 sees malloc's memory reach
// free and warns of a mismatched allocation.)
[[gnu::noinline]] void* operator new(std::size_t n) {
    ++allocations;
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc();
}
[[gnu::noinline]] void* operator new[](std::size_t n) {
    return operator new(n);
}
[[gnu::noinline]] void operator delete(void* p) noexcept {
    std::free(p);
}
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}
[[gnu::noinline]] void operator delete[](void* p) noexcept {
    operator delete(p);
}
[[gnu::noinline]] void operator delete[](void* p, std::size_t) noexcept {
    operator delete(p);
}

namespace {

constexpr std::size_t n = 7;

// Points of n elements inside every domain used below (positive, below 1 in magnitude for asin).
std::array<double, n> point(int seed) {
    std::array<double, n> x{};
    for (std::size_t i = 0; i < n; ++i)
        x[i] = 0.15 + 0.1 * static_cast<double>((i * 3 + static_cast<std::size_t>(seed)) % n);
    return x;
}

template <class A>
std::vector<double> as_vector(const A& a) {
    return std::vector<double>(a.begin(), a.end());
}

// The expressions, each built once on vector<dynamic> and once on vector<n> by the same lambda.
// a and b are scalar variables (broadcast into the rows), z a vector variable.
const auto rosenbrock = [](auto z, auto a, auto b) {
    return tl::sum(100 * tl::pow<2>(z * z - a) + tl::pow<2>(b - z));
};
const auto broadcast = [](auto z, auto a, auto b) {
    return tl::sum(tl::pow<2>(a * exp(b * z) + 0.5 - z)) + a * b;
};
const auto transcendental = [](auto z, auto a, auto b) {
    return tl::mean(sin(z) * cos(a * z) + tanh(z) - log(z + a * a) + sqrt(z) * asin(z) +
                    tl::sigmoid(z / a) + b * pow(z, a));
};
const auto products = [](auto z, auto a, auto b) {
    return tl::dot(z, exp(a * z)) * tl::sum(z / b) + tl::pow<3>(tl::mean(z));
};

// Row nodes that read reductions of rows: a second loop over the rows (graph/rows.hpp, stages).
const auto normalised = [](auto z, auto a, auto b) {
    const auto centred = z - tl::mean(z);
    const auto e = exp(a * z);
    return tl::sum(tl::pow<2>(centred)) * b + tl::dot(e / tl::sum(e), z) +
           tl::mean(tl::pow<2>(centred / sqrt(tl::mean(tl::pow<2>(centred)) + b)));
};

// drop_front and drop_back: slices on the static shape.
const auto chained_rosenbrock = [](auto z, auto a, auto b) {
    const auto head = tl::drop_back<1>(z);
    const auto tail = tl::drop_front<1>(z);
    return tl::sum(100 * tl::pow<2>(tail - head * head) * a + tl::pow<2>(b - head)) +
           tl::sum(tl::drop_front<2>(z) * tl::drop_back<2>(z));
};

template <class T>
long double ld(const T& x) {
    return static_cast<long double>(x);
}

// Central difference of f along element k of z (long double evaluations).
template <class F>
long double difference_z(const F& f, const std::array<double, n>& z, double a, double b,
                         std::size_t k) {
    std::vector<long double> zl(z.begin(), z.end());
    const long double h = 1e-6L;
    zl[k] = z[k] + h;
    const long double up =
        tl::value(f, zl, static_cast<long double>(a), static_cast<long double>(b));
    zl[k] = z[k] - h;
    const long double down =
        tl::value(f, zl, static_cast<long double>(a), static_cast<long double>(b));
    return (up - down) / (2 * h);
}
template <class F>
long double difference_param(const F& f, const std::array<double, n>& z, double a, double b,
                             std::size_t which) {
    std::vector<long double> zl(z.begin(), z.end());
    const long double h = 1e-6L;
    long double al = a, bl = b;
    (which == 0 ? al : bl) += h;
    const long double up = tl::value(f, zl, al, bl);
    (which == 0 ? al : bl) -= 2 * h;
    const long double down = tl::value(f, zl, al, bl);
    return (up - down) / (2 * h);
}

template <class Build>
void expect_rows(const char* label, const Build& build) {
    const auto zd = tl::variable<0, tl::vector<tl::dynamic>, "z">;
    const auto zs = tl::variable<0, tl::vector<n>, "z">;
    const auto a = tl::variable<1, tl::scalar, "a">;
    const auto b = tl::variable<2, tl::scalar, "b">;
    const auto fd = build(zd, a, b);
    const auto fs = build(zs, a, b);
    const double av = 1.3, bv = 0.7;
    for (int seed = 0; seed < 3; ++seed) {
        const auto z = point(seed);
        const auto zv = as_vector(z);
        BOOST_TEST_CONTEXT(label << " at seed " << seed) {
            // value: against the static shape, and in long double
            const double vd = tl::value(fd, zv, av, bv);
            const double vs = tl::value(fs, z, av, bv);
            BOOST_TEST(tt::agree(vd, vs, tt::tolerances::modes), "value " << vd << " vs " << vs);
            // gradient: against the static shape's, and against central differences
            const auto [gz, ga, gb] = tl::gradient(fd, std::span<const double>(zv), av, bv);
            const auto [sz, sa, sb] = tl::gradient(fs, z, av, bv);
            BOOST_TEST(gz.size() == n);
            for (std::size_t k = 0; k < n; ++k) {
                BOOST_TEST(tt::agree(gz[k], sz[k], tt::tolerances::modes),
                           "d/dz" << k << ": " << gz[k] << " vs static " << sz[k]);
                const long double fdk = difference_z(fd, z, av, bv, k);
                BOOST_TEST(tt::agree(gz[k], fdk, tt::tolerances::differences),
                           "d/dz" << k << ": " << gz[k] << " vs difference " << ld(fdk));
            }
            BOOST_TEST(tt::agree(ga, sa, tt::tolerances::modes), "d/da " << ga << " vs " << sa);
            BOOST_TEST(tt::agree(gb, sb, tt::tolerances::modes), "d/db " << gb << " vs " << sb);
            BOOST_TEST(
                tt::agree(ga, difference_param(fd, z, av, bv, 0), tt::tolerances::differences));
            BOOST_TEST(
                tt::agree(gb, difference_param(fd, z, av, bv, 1), tt::tolerances::differences));
            // gradient_into: the same numbers, variables in slot order
            std::vector<double> into(n + 2);
            const double vi = tl::gradient_into(into, fd, zv, av, bv);
            BOOST_TEST(vi == vd);
            for (std::size_t k = 0; k < n; ++k) BOOST_TEST(into[k] == gz[k]);
            BOOST_TEST(into[n] == ga);
            BOOST_TEST(into[n + 1] == gb);
            // jvp: against ∇f · v (the gradient was checked against the static shape's)
            const auto dir = point(seed + 1);
            const auto dirv = as_vector(dir);
            const double dza = 0.3, dzb = -0.2;
            const double jd = tl::jvp(fd, std::tuple{std::span<const double>(zv), av, bv},
                                      std::tuple{std::span<const double>(dirv), dza, dzb});
            long double dot = ld(ga) * dza + ld(gb) * dzb;
            for (std::size_t k = 0; k < n; ++k) dot += ld(gz[k]) * dir[k];
            BOOST_TEST(tt::agree(jd, dot, tt::tolerances::reordered, std::fabs(jd) + 1),
                       "jvp " << jd << " vs gradient . dir " << ld(dot));
            // hvp: against the static shape's, and against differences of the gradient
            const auto [hz, ha, hb] =
                tl::hvp(fd, std::tuple{zv, av, bv}, std::tuple{dirv, dza, dzb});
            const auto [tz, ta, tb] = tl::hvp(fs, std::tuple{z, av, bv}, std::tuple{dir, dza, dzb});
            const double t = 1e-5;
            std::vector<double> zp(n), zm(n);
            for (std::size_t k = 0; k < n; ++k) {
                zp[k] = z[k] + t * dir[k];
                zm[k] = z[k] - t * dir[k];
            }
            const auto [pz, pa, pb] = tl::gradient(fd, zp, av + t * dza, bv + t * dzb);
            const auto [mz, ma, mb] = tl::gradient(fd, zm, av - t * dza, bv - t * dzb);
            double scale = 1;
            for (std::size_t k = 0; k < n; ++k) scale = std::fmax(scale, std::fabs(hz[k]));
            for (std::size_t k = 0; k < n; ++k) {
                BOOST_TEST(tt::agree(hz[k], tz[k], tt::tolerances::reordered, scale),
                           "(Hv)_z" << k << ": " << hz[k] << " vs static " << tz[k]);
                const double diff = (pz[k] - mz[k]) / (2 * t);
                BOOST_TEST(tt::agree(hz[k], diff, tt::tolerances::differences, scale),
                           "(Hv)_z" << k << ": " << hz[k] << " vs difference " << diff);
            }
            BOOST_TEST(tt::agree(ha, ta, tt::tolerances::reordered, scale));
            BOOST_TEST(tt::agree(hb, tb, tt::tolerances::reordered, scale));
            BOOST_TEST(tt::agree(ha, (pa - ma) / (2 * t), tt::tolerances::differences, scale));
            BOOST_TEST(tt::agree(hb, (pb - mb) / (2 * t), tt::tolerances::differences, scale));
        }
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(rows)

BOOST_AUTO_TEST_CASE(every_mode_against_static_shapes_and_differences) {
    expect_rows("rosenbrock", rosenbrock);
    expect_rows("broadcast scalars", broadcast);
    expect_rows("transcendental", transcendental);
    expect_rows("products and reductions", products);
    expect_rows("drop_front and drop_back", chained_rosenbrock);
    expect_rows("rows that read reductions of rows", normalised);
}

// gather: a pair list over run-time points, indices repeated; against the hand-written loop,
// central differences, and hvp against differences of the gradient.
BOOST_AUTO_TEST_CASE(gather_pairs) {
    const auto x = tl::variable<0, tl::vector<tl::dynamic>, "x">;
    const auto i = tl::indices<1, "i">;
    const auto j = tl::indices<2, "j">;
    const auto [k] = tl::variables_after<decltype(x + i + j), "k">();
    const auto xi = tl::gather(x, i);
    const auto xj = tl::gather(x, j);
    const auto f = tl::sum(k * tl::pow<2>(xi - xj) * exp(xi / 4));
    const std::vector<double> xs{0.3, -0.5, 1.1, 0.7, -0.2};
    const std::vector<int> is{0, 0, 1, 3, 4, 4, 2};
    const std::vector<std::size_t> js{1, 2, 2, 0, 1, 1, 3};
    const double kv = 1.7;
    double v = 0;
    std::vector<double> g(xs.size());
    double gk = 0;
    for (std::size_t p = 0; p < is.size(); ++p) {
        const double a = xs[static_cast<std::size_t>(is[p])], b = xs[js[p]];
        const double e = std::exp(a / 4), d = a - b;
        v += kv * d * d * e;
        gk += d * d * e;
        g[static_cast<std::size_t>(is[p])] += kv * (2 * d * e + d * d * e / 4);
        g[js[p]] -= kv * 2 * d * e;
    }
    BOOST_TEST(tt::agree(tl::value(f, xs, is, js, kv), v, tt::tolerances::modes));
    const auto [gx, gi, gj, gkv] = tl::gradient(f, xs, std::span<const int>(is), js, kv);
    BOOST_TEST(gx.size() == xs.size());
    // indices are held fixed, like data: zeros of their length
    BOOST_TEST(gi.size() == is.size());
    for (double z : gi) BOOST_TEST(z == 0.0);
    BOOST_TEST(gj.size() == js.size());
    for (std::size_t p = 0; p < xs.size(); ++p) {
        BOOST_TEST(tt::agree(gx[p], g[p], tt::tolerances::modes),
                   p << ": " << gx[p] << " vs " << g[p]);
        std::vector<long double> xl(xs.begin(), xs.end());
        const long double h = 1e-6L;
        xl[p] += h;
        const long double up = tl::value(f, xl, is, js, static_cast<long double>(kv));
        xl[p] -= 2 * h;
        const long double down = tl::value(f, xl, is, js, static_cast<long double>(kv));
        BOOST_TEST(tt::agree(gx[p], (up - down) / (2 * h), tt::tolerances::differences));
    }
    BOOST_TEST(tt::agree(gkv, gk, tt::tolerances::modes));
    std::vector<double> into(xs.size() + 1);
    tl::gradient_into(into, f, xs, is, js, kv);
    for (std::size_t p = 0; p < xs.size(); ++p) BOOST_TEST(into[p] == gx[p]);
    BOOST_TEST(into[xs.size()] == gkv);
    // H · v against differences of the gradient
    const std::vector<double> dir{0.5, -1.0, 0.25, 0.0, 2.0};
    const std::vector<int> no_i(is.size());
    const std::vector<std::size_t> no_j(js.size());
    const auto [hx, hi, hj, hk] =
        tl::hvp(f, std::tuple{xs, is, js, kv}, std::tuple{dir, no_i, no_j, 0.5});
    const double t = 1e-5;
    std::vector<double> xp(xs), xm(xs);
    for (std::size_t p = 0; p < xs.size(); ++p) {
        xp[p] += t * dir[p];
        xm[p] -= t * dir[p];
    }
    const auto gp = tl::gradient(f, xp, is, js, kv + t * 0.5);
    const auto gm = tl::gradient(f, xm, is, js, kv - t * 0.5);
    double scale = 1;
    for (double h : hx) scale = std::fmax(scale, std::fabs(h));
    for (std::size_t p = 0; p < xs.size(); ++p)
        BOOST_TEST(tt::agree(hx[p], (std::get<0>(gp)[p] - std::get<0>(gm)[p]) / (2 * t),
                             tt::tolerances::differences, scale));
    BOOST_TEST(tt::agree(hk, (std::get<3>(gp) - std::get<3>(gm)) / (2 * t),
                         tt::tolerances::differences, scale));
    // jvp against ∇f · v
    const double jv = tl::jvp(f, std::tuple{xs, is, js, kv}, std::tuple{dir, no_i, no_j, 0.5});
    long double dot = gkv * 0.5;
    for (std::size_t p = 0; p < xs.size(); ++p) dot += gx[p] * dir[p];
    BOOST_TEST(tt::agree(jv, dot, tt::tolerances::reordered, std::fabs(jv) + 1));
}

// A gather from a static vector, and the index check.
BOOST_AUTO_TEST_CASE(gather_index_errors) {
    const auto w = tl::variable<0, tl::vector<3>, "w">;
    const auto i = tl::indices<1, "i">;
    const auto f = tl::sum(tl::pow<2>(tl::gather(w, i)));
    const std::array<double, 3> ws{1.0, 2.0, 3.0};
    const std::vector<unsigned> is{2, 2, 0};
    BOOST_TEST(tl::value(f, ws, is) == 19.0);
    const auto [gw, gi] = tl::gradient(f, ws, is);
    BOOST_TEST(gw[0] == 2.0);
    BOOST_TEST(gw[1] == 0.0);
    BOOST_TEST(gw[2] == 12.0);
    const std::vector<int> bad{0, 3, 1};
    std::string what = "(nothing thrown)";
    try {
        (void)tl::value(f, ws, bad);
    } catch (const tl::index_error& e) {
        what = e.what();
    }
    BOOST_TEST(what.find("gather(w, i): index 3 at position 1 is out of range: w has 3 elements") !=
                   std::string::npos,
               what);
    const std::vector<int> negative{0, -1};
    BOOST_CHECK_THROW((void)tl::value(f, ws, negative), tl::index_error);
    // nothing is written when the check fails
    std::vector<double> keep(3, 42.0);
    BOOST_CHECK_THROW(tl::gradient_into(keep, f, ws, bad), tl::index_error);
    for (double k : keep) BOOST_TEST(k == 42.0);
}

// A root with run-time rows: its value and jvp are vectors of the input's length.
BOOST_AUTO_TEST_CASE(row_root) {
    const auto x = tl::variable<0, tl::vector<tl::dynamic>, "x">;
    const auto c = tl::variable<1, tl::scalar, "c">;
    const auto f = exp(x) * c + x;
    const std::vector<double> xs{0.0, 0.5, -1.0};
    const auto y = tl::value(f, xs, 2.0);
    BOOST_TEST(y.size() == xs.size());
    for (std::size_t i = 0; i < xs.size(); ++i) BOOST_TEST(y[i] == std::exp(xs[i]) * 2.0 + xs[i]);
    const std::vector<double> dx{1.0, 0.0, 2.0};
    const auto d = tl::jvp(f, std::tuple{xs, 2.0}, std::tuple{dx, 0.5});
    for (std::size_t i = 0; i < xs.size(); ++i)
        BOOST_TEST(tt::agree(d[i], (std::exp(xs[i]) * 2.0 + 1) * dx[i] + std::exp(xs[i]) * 0.5,
                             tt::tolerances::modes));
    // an empty input gives an empty result
    BOOST_TEST(tl::value(f, std::vector<double>{}, 2.0).empty());
}

// Data slots: no gradient entries in gradient_into, zeros in gradient; a least-squares fit.
BOOST_AUTO_TEST_CASE(least_squares_with_data) {
    const auto x = tl::data<0, tl::vector<tl::dynamic>, "x">;
    const auto y = tl::data<1, tl::vector<tl::dynamic>, "y">;
    const auto [a, b, c] = tl::variables_after<decltype(x + y), "a", "b", "c">();
    const auto f = tl::sum(tl::pow<2>(a * exp(b * x) + c - y));
    std::vector<double> xs, ys;
    for (int i = 0; i < 50; ++i) {
        xs.push_back(0.02 * i);
        ys.push_back(2.0 * std::exp(-1.5 * 0.02 * i) + 0.3 + 0.01 * std::sin(7.0 * i));
    }
    const double av = 1.8, bv = -1.2, cv = 0.4;
    // the hand-written gradient
    double ga = 0, gb = 0, gc = 0, v = 0;
    for (std::size_t i = 0; i < xs.size(); ++i) {
        const double e = std::exp(bv * xs[i]), r = av * e + cv - ys[i];
        v += r * r;
        ga += 2 * r * e;
        gb += 2 * r * av * e * xs[i];
        gc += 2 * r;
    }
    std::array<double, 3> g{};
    const double value = tl::gradient_into(g, f, xs, ys, av, bv, cv);
    BOOST_TEST(tt::agree(value, v, tt::tolerances::modes));
    BOOST_TEST(tt::agree(g[0], ga, tt::tolerances::modes));
    BOOST_TEST(tt::agree(g[1], gb, tt::tolerances::modes));
    BOOST_TEST(tt::agree(g[2], gc, tt::tolerances::modes));
    const auto full = tl::gradient(f, xs, ys, av, bv, cv);
    for (double d : std::get<0>(full)) BOOST_TEST(d == 0.0);
    for (double d : std::get<1>(full)) BOOST_TEST(d == 0.0);
    BOOST_TEST(std::get<2>(full) == g[0]);
}

// Rows that never meet may have different lengths: one loop per extent group.
BOOST_AUTO_TEST_CASE(extent_groups) {
    const auto x = tl::variable<0, tl::vector<tl::dynamic>, "x">;
    const auto y = tl::variable<1, tl::vector<tl::dynamic>, "y">;
    const auto f = tl::sum(x * x) * tl::mean(exp(y));
    const std::vector<double> xs{1.0, 2.0}, ys{0.0, 1.0, 2.0};
    const double sx = 5.0, my = (1 + std::exp(1.0) + std::exp(2.0)) / 3;
    BOOST_TEST(tt::agree(tl::value(f, xs, ys), sx * my, tt::tolerances::modes));
    const auto [gx, gy] = tl::gradient(f, xs, ys);
    BOOST_TEST(gx.size() == 2u);
    BOOST_TEST(gy.size() == 3u);
    for (std::size_t i = 0; i < 2; ++i)
        BOOST_TEST(tt::agree(gx[i], 2 * xs[i] * my, tt::tolerances::modes));
    for (std::size_t i = 0; i < 3; ++i)
        BOOST_TEST(tt::agree(gy[i], sx * std::exp(ys[i]) / 3, tt::tolerances::modes));
}

// matrix<dynamic, C>: elementwise and reductions over all elements, rows a run-time number.
BOOST_AUTO_TEST_CASE(matrix_rows) {
    const auto X = tl::variable<0, tl::matrix<tl::dynamic, 3>, "X">;
    const auto f = tl::sum(X * X * X);
    const std::vector<double> xs{1, 2, 3, 4, 5, 6};
    BOOST_TEST(tl::value(f, xs) == 441.0);
    const auto g = tl::gradient(f, xs);
    for (std::size_t i = 0; i < xs.size(); ++i) BOOST_TEST(g[i] == 3 * xs[i] * xs[i]);
    BOOST_CHECK_THROW(tl::value(f, std::vector<double>{1, 2, 3, 4}), tl::shape_error);
}

// The message of a failed run-time check names what is wrong.
template <class F>
std::string message_of(const F& call) {
    try {
        call();
    } catch (const tl::shape_error& e) {
        return e.what();
    }
    return "(nothing thrown)";
}

BOOST_AUTO_TEST_CASE(shape_errors_name_the_inputs_and_lengths) {
    const auto x = tl::variable<0, tl::vector<tl::dynamic>, "x">;
    const auto y = tl::data<1, tl::vector<tl::dynamic>, "y">;
    const auto w = tl::variable<2, tl::vector<3>, "w">;
    const auto f = tl::sum(x * y) + tl::mean(x) + tl::sum(w);
    const std::vector<double> four{1, 2, 3, 4}, three{1, 2, 3}, two{1, 2};
    const std::string mismatch = message_of([&] { (void)tl::value(f, four, three, three); });
    BOOST_TEST(mismatch.find("mul") != std::string::npos, mismatch);
    BOOST_TEST(mismatch.find("x has 4") != std::string::npos, mismatch);
    BOOST_TEST(mismatch.find("y has 3") != std::string::npos, mismatch);
    const std::string short_w = message_of([&] { (void)tl::value(f, four, four, two); });
    BOOST_TEST(short_w.find("w") != std::string::npos, short_w);
    BOOST_TEST(short_w.find("has 2 elements where its variable has 3") != std::string::npos,
               short_w);
    const auto d = tl::sum(tl::drop_front<2>(x));
    const std::string drop = message_of([&] { (void)tl::value(d, two); });
    BOOST_TEST(drop.find("needs more than 2 elements: x has 2") != std::string::npos, drop);
    const std::vector<double> none;
    const std::string empty = message_of([&] { (void)tl::gradient(f, none, none, three); });
    BOOST_TEST(empty.find("mean of an empty input") != std::string::npos, empty);
    std::array<double, 3> small{};
    const std::string out =
        message_of([&] { (void)tl::gradient_into(small, f, four, four, three); });
    BOOST_TEST(
        out.find("the output has 3 elements where the variables have 7") != std::string::npos, out);
    const std::string dir = message_of([&] {
        (void)tl::jvp(f, std::tuple{four, four, three}, std::tuple{three, four, three});
    });
    BOOST_TEST(dir.find("direction of input 0 (x) has 3 elements") != std::string::npos, dir);
    // nothing was written: gradient_into's output keeps its contents when the check fails
    std::vector<double> keep(7, 42.0);
    BOOST_CHECK_THROW(tl::gradient_into(keep, f, four, three, three), tl::shape_error);
    for (double k : keep) BOOST_TEST(k == 42.0);
}

// gradient_into allocates nothing, whatever the length (the row sweeps store nothing of size n).
BOOST_AUTO_TEST_CASE(gradient_into_allocates_nothing) {
    const auto x = tl::data<0, tl::vector<tl::dynamic>, "x">;
    const auto z = tl::variable<1, tl::vector<tl::dynamic>, "z">;
    const auto [a] = tl::variables_after<decltype(x + z), "a">();
    const auto f = tl::sum(tl::pow<2>(a * exp(z * x) - z)) + tl::mean(sin(z));
    for (std::size_t len : {1u, 100u, 100000u}) {
        const std::vector<double> xs(len, 0.5), zs(len, 0.25);
        std::vector<double> out(len + 1);
        const std::size_t before = allocations.load();
        const double v = tl::gradient_into(out, f, std::span<const double>(xs), zs, 1.5);
        const std::size_t after = allocations.load();
        BOOST_TEST(after == before, "gradient_into allocated " << after - before << " times");
        BOOST_TEST(std::isfinite(v));
    }
    // the count can fail: a call that returns a vector allocates
    const std::vector<double> xs(10, 0.5), zs(10, 0.25);
    const std::size_t before = allocations.load();
    const auto g = tl::gradient(f, xs, zs, 1.5);
    BOOST_TEST(allocations.load() > before);
    BOOST_TEST(std::get<1>(g).size() == 10u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(rows_second)

// Forward mode in chunks of eight, and the dense Hessian from dual<T, 8> sweep pairs: against
// reverse mode, against hvp (columns), against the static shape's Hessian, and symmetric.
BOOST_AUTO_TEST_CASE(forward_chunks_and_hessian) {
    const auto z = tl::variable<0, tl::vector<tl::dynamic>, "z">;
    const auto x = tl::data<1, tl::vector<tl::dynamic>, "x">;
    const auto [a] = tl::variables_after<decltype(z + x), "a">();
    const auto f = tl::sum(exp(a * z) * x + tl::pow<2>(z)) * tl::mean(sin(z)) +
                   tl::sum(tl::pow<2>(tl::drop_front<1>(z) - tl::drop_back<1>(z)));
    for (std::size_t len : {1u, 7u, 8u, 9u, 19u}) {
        std::vector<double> zs(len), xs(len);
        for (std::size_t i = 0; i < len; ++i) {
            zs[i] = 0.3 + 0.1 * std::sin(3.0 * static_cast<double>(i));
            xs[i] = 1.0 + 0.5 * std::cos(static_cast<double>(i));
        }
        if (len == 1) continue; // drop_front<1> needs two elements: checked below
        BOOST_TEST_CONTEXT("length " << len) {
            const auto rev = tl::value_and_gradient(f, zs, xs, 0.7);
            const auto fwd = tl::value_and_gradient(f, zs, xs, 0.7, tl::forward_mode);
            BOOST_TEST(tt::agree(fwd.value, rev.value, tt::tolerances::modes));
            for (std::size_t i = 0; i < len; ++i)
                BOOST_TEST(tt::agree(std::get<0>(fwd.gradient)[i], std::get<0>(rev.gradient)[i],
                                     tt::tolerances::modes));
            BOOST_TEST(tt::agree(std::get<2>(fwd.gradient), std::get<2>(rev.gradient),
                                 tt::tolerances::modes));
            const auto h = tl::value_gradient_and_hessian(f, zs, xs, 0.7);
            const std::size_t m = len + 1;
            BOOST_TEST(h.gradient.size() == m);
            BOOST_TEST(h.hessian.size() == m);
            for (std::size_t i = 0; i < len; ++i)
                BOOST_TEST(
                    tt::agree(h.gradient[i], std::get<0>(rev.gradient)[i], tt::tolerances::modes));
            double scale = 1;
            for (const auto& row : h.hessian)
                for (double v : row) scale = std::fmax(scale, std::fabs(v));
            for (std::size_t j = 0; j < m; ++j) {
                // column j against H · e_j
                std::vector<double> ez(len), ex(len);
                double ea = 0;
                (j < len ? ez[j] : ea) = 1;
                const auto [hz, hx, ha] =
                    tl::hvp(f, std::tuple{zs, xs, 0.7}, std::tuple{ez, ex, ea});
                for (std::size_t i = 0; i < len; ++i)
                    BOOST_TEST(tt::agree(h.hessian[i][j], hz[i], tt::tolerances::same_rule, scale));
                BOOST_TEST(tt::agree(h.hessian[len][j], ha, tt::tolerances::same_rule, scale));
                for (std::size_t i = 0; i < m; ++i)
                    BOOST_TEST(tt::agree(h.hessian[i][j], h.hessian[j][i],
                                         tt::tolerances::reordered, scale));
            }
            if (len == 7) {
                // the static shape's Hessian (over z, x and a: x's rows and columns are zero)
                const auto zs7 = tl::variable<0, tl::vector<7>, "z">;
                const auto xs7 = tl::data<1, tl::vector<7>, "x">;
                const auto f7 = tl::sum(exp(a * zs7) * xs7 + tl::pow<2>(zs7)) * tl::mean(sin(zs7)) +
                                tl::sum(tl::pow<2>(tl::drop_front<1>(zs7) - tl::drop_back<1>(zs7)));
                std::array<double, 7> z7{}, x7{};
                std::copy(zs.begin(), zs.end(), z7.begin());
                std::copy(xs.begin(), xs.end(), x7.begin());
                const auto H7 = tl::hessian(f7, z7, x7, 0.7);
                for (std::size_t i = 0; i < 7; ++i) {
                    for (std::size_t j = 0; j < 7; ++j)
                        BOOST_TEST(
                            tt::agree(h.hessian[i][j], H7[i][j], tt::tolerances::reordered, scale));
                    BOOST_TEST(
                        tt::agree(h.hessian[i][7], H7[i][7], tt::tolerances::reordered, scale));
                }
            }
        }
    }
}

// The dense Hessian and forward mode of an expression with two stages, against the static shape.
BOOST_AUTO_TEST_CASE(hessian_with_stages_against_static) {
    const auto zd = tl::variable<0, tl::vector<tl::dynamic>, "z">;
    const auto zs = tl::variable<0, tl::vector<n>, "z">;
    const auto a = tl::variable<1, tl::scalar, "a">;
    const auto b = tl::variable<2, tl::scalar, "b">;
    const auto fd = normalised(zd, a, b);
    const auto fs = normalised(zs, a, b);
    const auto z = point(1);
    const auto h = tl::value_gradient_and_hessian(fd, as_vector(z), 1.3, 0.7);
    const auto H = tl::hessian(fs, z, 1.3, 0.7);
    double scale = 1;
    for (const auto& row : h.hessian)
        for (double v : row) scale = std::fmax(scale, std::fabs(v));
    BOOST_TEST(h.hessian.size() == n + 2);
    for (std::size_t i = 0; i < n + 2; ++i)
        for (std::size_t j = 0; j < n + 2; ++j)
            BOOST_TEST(tt::agree(h.hessian[i][j], H[i][j], tt::tolerances::reordered, scale),
                       "H" << i << "," << j << ": " << h.hessian[i][j] << " vs static " << H[i][j]);
    const auto fw = tl::gradient(fd, as_vector(z), 1.3, 0.7, tl::forward_mode);
    const auto rv = tl::gradient(fd, as_vector(z), 1.3, 0.7);
    for (std::size_t i = 0; i < n; ++i)
        BOOST_TEST(tt::agree(std::get<0>(fw)[i], std::get<0>(rv)[i], tt::tolerances::modes));
}

// matvec over a batch of run-time rows: logistic regression on matrix<dynamic, 3> data, and a
// gradient with respect to the batch itself; against the static matrix<5, 3>, differences and hvp.
BOOST_AUTO_TEST_CASE(matvec_over_a_batch) {
    constexpr std::size_t rows = 5, cols = 3;
    const auto w = tl::variable<2, tl::vector<cols>, "w">;
    const auto c = tl::variable<3, tl::scalar, "c">;
    const auto build = [&](auto X, auto y) {
        const auto z = tl::matvec(X, w) + c;
        return tl::sum(tl::softplus(-y * z)) + 0.5 * tl::dot(w, w) +
               tl::mean(tl::pow<2>(z - tl::mean(z)));
    };
    const auto fd = build(tl::variable<0, tl::matrix<tl::dynamic, cols>, "X">,
                          tl::data<1, tl::vector<tl::dynamic>, "y">);
    const auto fs =
        build(tl::variable<0, tl::matrix<rows, cols>, "X">, tl::data<1, tl::vector<rows>, "y">);
    tl::mat<double, rows, cols> Xs{};
    std::array<double, rows> ys{};
    for (std::size_t i = 0; i < rows; ++i) {
        for (std::size_t j = 0; j < cols; ++j)
            Xs(i, j) = std::sin(static_cast<double>(3 * i + j + 1));
        ys[i] = i % 2 == 0 ? 1.0 : -1.0;
    }
    const std::array<double, cols> ws{0.3, -0.7, 1.1};
    const double cv = 0.2;
    const std::vector<double> Xd(Xs.begin(), Xs.end()), yd(ys.begin(), ys.end());
    BOOST_TEST(tt::agree(tl::value(fd, Xd, yd, ws, cv), tl::value(fs, Xs, ys, ws, cv),
                         tt::tolerances::modes));
    const auto [gX, gy, gw, gc] = tl::gradient(fd, Xd, yd, ws, cv);
    const auto [sX, sy, sw, sc] = tl::gradient(fs, Xs, ys, ws, cv);
    for (std::size_t k = 0; k < rows * cols; ++k)
        BOOST_TEST(tt::agree(gX[k], sX.data[k], tt::tolerances::modes), "dX" << k);
    for (std::size_t k = 0; k < cols; ++k)
        BOOST_TEST(tt::agree(gw[k], sw[k], tt::tolerances::modes), "dw" << k);
    BOOST_TEST(tt::agree(gc, sc, tt::tolerances::modes));
    // against central differences in w (long double)
    for (std::size_t k = 0; k < cols; ++k) {
        std::array<long double, cols> up{}, down{};
        for (std::size_t j = 0; j < cols; ++j) up[j] = down[j] = ws[j];
        const long double h = 1e-6L;
        up[k] += h;
        down[k] -= h;
        const std::vector<long double> Xl(Xd.begin(), Xd.end()), yl(yd.begin(), yd.end());
        const long double diff = (tl::value(fd, Xl, yl, up, static_cast<long double>(cv)) -
                                  tl::value(fd, Xl, yl, down, static_cast<long double>(cv))) /
                                 (2 * h);
        BOOST_TEST(tt::agree(gw[k], diff, tt::tolerances::differences));
    }
    // hvp against the static shape's
    std::vector<double> dX(rows * cols);
    for (std::size_t k = 0; k < dX.size(); ++k) dX[k] = std::cos(static_cast<double>(k));
    tl::mat<double, rows, cols> dXs{};
    std::copy(dX.begin(), dX.end(), dXs.begin());
    const std::array<double, cols> dw{1.0, -0.5, 0.25};
    const std::vector<double> no_y(rows);
    const auto [hX, hy, hw, hc] =
        tl::hvp(fd, std::tuple{Xd, yd, ws, cv}, std::tuple{dX, no_y, dw, 0.5});
    const auto [tX, ty, tw, tc] = tl::hvp(fs, std::tuple{Xs, ys, ws, cv},
                                          std::tuple{dXs, std::array<double, rows>{}, dw, 0.5});
    double scale = 1;
    for (double v : hX) scale = std::fmax(scale, std::fabs(v));
    for (std::size_t k = 0; k < rows * cols; ++k)
        BOOST_TEST(tt::agree(hX[k], tX.data[k], tt::tolerances::reordered, scale));
    for (std::size_t k = 0; k < cols; ++k)
        BOOST_TEST(tt::agree(hw[k], tw[k], tt::tolerances::reordered, scale));
    BOOST_TEST(tt::agree(hc, tc, tt::tolerances::reordered, scale));
    // a batch that is not whole rows
    BOOST_CHECK_THROW(tl::value(fd, std::vector<double>(7), yd, ws, cv), tl::shape_error);
    // a batch whose row count differs from y's length
    BOOST_CHECK_THROW(tl::value(fd, std::vector<double>(12), yd, ws, cv), tl::shape_error);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(rows_cost)

// The cost model on run-time rows: counts linear in the number of rows, and at n rows the counts
// of one value sweep are those of the same expression on vector<n>.
BOOST_AUTO_TEST_CASE(counts_are_functions_of_the_extents) {
    const auto zd = tl::variable<0, tl::vector<tl::dynamic>, "z">;
    const auto zs = tl::variable<0, tl::vector<n>, "z">;
    const auto a = tl::variable<1, tl::scalar, "a">;
    const auto b = tl::variable<2, tl::scalar, "b">;
    const auto check = [&](const char* label, const auto& build) {
        const auto fd = build(zd, a, b);
        const auto fs = build(zs, a, b);
        const auto at = tl::cost_at(fd, n);
        const auto st = tl::cost(fs);
        BOOST_TEST_CONTEXT(label) {
            BOOST_TEST(at.work == st.work);
            BOOST_TEST(at.ops.arithmetic == st.ops.arithmetic);
            BOOST_TEST(at.ops.transcendental == st.ops.transcendental);
            BOOST_TEST(at.ops.reductions == st.ops.reductions);
            BOOST_TEST(at.ops.multiply_adds == st.ops.multiply_adds);
            BOOST_TEST(at.derivative_work == st.derivative_work);
            BOOST_TEST(at.propagation_work == st.propagation_work);
            const auto c10 = tl::cost_at(fd, 10), c20 = tl::cost_at(fd, 20),
                       c30 = tl::cost_at(fd, 30);
            BOOST_TEST(c30.work - c20.work == c20.work - c10.work);
            BOOST_TEST(c30.work > c20.work);
            BOOST_TEST(c30.reverse() - c20.reverse() == c20.reverse() - c10.reverse());
        }
    };
    check("broadcast", broadcast);
    check("transcendental", transcendental);
    check("products", products);
}

BOOST_AUTO_TEST_SUITE_END()
