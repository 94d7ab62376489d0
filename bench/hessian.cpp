// bench/hessian.cpp — runtime of tapeless second derivatives (docs/benchmarks.md, Second
// derivatives), each row against the plain function and a hand-written derivative (the baseline
// every ratio divides by), all in one run, with the peers that are installed compiled into the same
// binary.
//
//   bench_hessian --benchmark_repetitions=10 --benchmark_min_time=0.2
//       --benchmark_report_aggregates_only=true --benchmark_enable_random_interleaving=true
//       --benchmark_out=hessian.json --benchmark_out_format=json
//   python3 bench/report.py hessian.json
//
// Rows:
//   f1_hessian              dense 2×2 Hessian of f(x, z) = e^{xz} + xz/ln x + sin(ln x)/(xz)
//                           at (2, 3)
//   rosenbrock_hessian_n10  dense 10×10 Hessian of Rosenbrock (tapeless: one array expression)
//   f1_hvp, rosenbrock_hvp_n10   H·v along v = (1, −0.5, 1, −0.5, ...)
// Contenders: plain (the function), handwritten, tapeless_dense (tl::hessian, one
// forward-over-reverse sweep pair on dual<double, n>), tapeless_hvp_columns (n Hessian-vector
// products), tapeless_sparse (one product per colour of the compile-time sparsity pattern: 3 for
// Rosenbrock's tridiagonal Hessian), tapeless_auto (tl::hessian's choice), finite_difference
// (central differences of the hand-written gradient); on the HVP rows tapeless_hvp (tl::hvp),
// tapeless_gradient (tl::gradient, for the ratio HVP / gradient) and handwritten_gradient. Peers
// (nested forward mode, the way their documentation gets second derivatives): ceres_nested_jet
// (Jet<Jet<double, n>, n>), eigen_nested_autodiff (AutoDiffScalar of AutoDiffScalar, fixed sizes),
// sacado_nested_sfad (SFad<SFad<double, n>, n>), boost_autodiff (fvar<double, 2, 2> from
// make_ftuple: 2×2 only; ten nested variables of order 2 would carry 3^10 coefficients per number).
#include <tapeless/tapeless.hpp>

#include <array>
#include <cstddef>
#include <string>
#include <type_traits>

#include "common.hpp"

#if defined(TAPELESS_BENCH_HESSIAN_EIGEN) && TAPELESS_BENCH_HESSIAN_EIGEN
#include <Eigen/Core>
#include <unsupported/Eigen/AutoDiff>
#define TAPELESS_BENCH_H_EIGEN 1
#else
#define TAPELESS_BENCH_H_EIGEN 0
#endif
#if defined(TAPELESS_BENCH_HESSIAN_CERES) && TAPELESS_BENCH_HESSIAN_CERES
#include <ceres/jet.h>
#define TAPELESS_BENCH_H_CERES 1
#else
#define TAPELESS_BENCH_H_CERES 0
#endif
#if defined(TAPELESS_BENCH_HESSIAN_SACADO) && TAPELESS_BENCH_HESSIAN_SACADO
#include <Sacado_No_Kokkos.hpp>
#define TAPELESS_BENCH_H_SACADO 1
#else
#define TAPELESS_BENCH_H_SACADO 0
#endif
#if __has_include(<boost/math/differentiation/autodiff.hpp>)
#include <boost/math/differentiation/autodiff.hpp>
#define TAPELESS_BENCH_H_BOOST 1
#else
#define TAPELESS_BENCH_H_BOOST 0
#endif

namespace tl = tapeless;
using namespace tl::literals;
namespace tb = tapeless_bench;

namespace {

// ---- hand-written second derivatives ------------------------------------------------------------

// With u = xz, L = ln x, q = x/L, s = sin(L)/x:
//   f_xx = z² eᵘ + z q'' + s''/z,  f_xz = (1 + u) eᵘ + q' − s'/z²,  f_zz = x² eᵘ + 2 s/z³
//   q' = (1 − 1/L)/L, q'' = (2/L − 1)/(x L²), s' = (cos L − sin L)/x², s'' = (sin L − 3 cos L)/x³.
std::array<double, 4> f1_hessian(const std::array<double, 2>& p) {
    const double x = p[0], z = p[1];
    const double u = x * z, L = std::log(x), e = std::exp(u);
    const double sl = std::sin(L), cl = std::cos(L);
    const double il = 1.0 / L, ix = 1.0 / x, iz = 1.0 / z;
    const double dq = (1.0 - il) * il, ddq = (2.0 * il - 1.0) * il * il * ix;
    const double ix2 = ix * ix, iz2 = iz * iz;
    const double s = sl * ix, ds = (cl - sl) * ix2, dds = (sl - 3.0 * cl) * ix2 * ix;
    const double fxz = (1.0 + u) * e + dq - ds * iz2;
    return {z * z * e + z * ddq + dds * iz, fxz, fxz, x * x * e + 2.0 * s * iz2 * iz};
}

inline constexpr std::array<double, 2> f1_direction{1.0, -0.5};
template <std::size_t N>
constexpr std::array<double, N> direction() {
    std::array<double, N> v{};
    for (std::size_t i = 0; i < N; ++i) v[i] = i % 2 == 0 ? 1.0 : -0.5;
    return v;
}

std::array<double, 2> f1_hvp(const std::array<double, 2>& p) {
    const auto H = f1_hessian(p);
    const auto v = f1_direction;
    return {H[0] * v[0] + H[1] * v[1], H[2] * v[0] + H[3] * v[1]};
}

// ∂²/∂w_i² = 1200 w_i² − 400 w_{i+1} + 2 (i < n−1) + 200 (i > 0); ∂²/∂w_i∂w_{i+1} = −400 w_i.
template <std::size_t N>
std::array<double, N * N> rosenbrock_hessian(const std::array<double, N>& w) {
    std::array<double, N * N> H{};
    for (std::size_t i = 0; i + 1 < N; ++i) {
        H[i * N + i] += 1200.0 * w[i] * w[i] - 400.0 * w[i + 1] + 2.0;
        H[(i + 1) * N + i + 1] += 200.0;
        H[i * N + i + 1] = H[(i + 1) * N + i] = -400.0 * w[i];
    }
    return H;
}

template <std::size_t N>
std::array<double, N> rosenbrock_hvp(const std::array<double, N>& w) {
    constexpr auto v = direction<N>();
    std::array<double, N> r;
    for (std::size_t i = 0; i < N; ++i) {
        double d = i + 1 < N ? 1200.0 * w[i] * w[i] - 400.0 * w[i + 1] + 2.0 : 0.0;
        if (i > 0) d += 200.0;
        double acc = d * v[i];
        if (i > 0) acc += -400.0 * w[i - 1] * v[i - 1];
        if (i + 1 < N) acc += -400.0 * w[i] * v[i + 1];
        r[i] = acc;
    }
    return r;
}

// ---- tapeless -----------------------------------------------------------------------------------

auto f1_expression() {
    auto [x, z] = tl::variables<"x", "z">();
    return exp(x * z) + x * z / log(x) + sin(log(x)) / (x * z);
}

template <std::size_t N>
auto rosenbrock_expression() {
    auto w = tl::variable<0, tl::vector<N>, "w">;
    return sum(100_c * square(tl::slice<1, N - 1>(w) - square(tl::slice<0, N - 1>(w))) +
               square(1_c - tl::slice<0, N - 1>(w)));
}

template <std::size_t N, class M>
std::array<double, N * N> row_major(const M& H) {
    std::array<double, N * N> out;
    for (std::size_t i = 0; i < N; ++i)
        for (std::size_t j = 0; j < N; ++j) out[i * N + j] = H[i][j];
    return out;
}

// ---- peers: nested forward mode -----------------------------------------------------------------

// A constant of a (possibly nested) AD number type: nested Jets do not convert from double.
template <class T>
T constant_of(double c) {
    if constexpr (std::is_constructible_v<T, double>) {
        return T(c);
    } else {
        T r{};
        r.a = constant_of<std::remove_cvref_t<decltype(r.a)>>(c);
        return r;
    }
}

// Rosenbrock with constants of the number type (nested AD types do not all mix with double).
struct rosenbrock_generic {
    template <class T, std::size_t N>
    T operator()(const std::array<T, N>& w) const {
        const T one = constant_of<T>(1.0), hundred = constant_of<T>(100.0);
        T f = constant_of<T>(0.0);
        for (std::size_t i = 0; i + 1 < N; ++i) {
            const T t = w[i + 1] - w[i] * w[i];
            const T s = one - w[i];
            f = f + hundred * (t * t) + s * s;
        }
        return f;
    }
};

#if TAPELESS_BENCH_H_CERES
template <std::size_t N, class F>
std::array<double, N * N> ceres_hessian(const F& f, const std::array<double, N>& p) {
    using In = ceres::Jet<double, static_cast<int>(N)>;
    using Out = ceres::Jet<In, static_cast<int>(N)>;
    std::array<Out, N> a;
    for (std::size_t j = 0; j < N; ++j) {
        a[j] = Out(In(p[j], static_cast<int>(j)), static_cast<int>(j));
    }
    const Out y = f(a);
    std::array<double, N * N> H;
    for (std::size_t i = 0; i < N; ++i)
        for (std::size_t j = 0; j < N; ++j)
            H[i * N + j] = y.v[static_cast<int>(i)].v[static_cast<int>(j)];
    return H;
}

// H·v by forward-over-forward: outer tangents e_j (the gradient), inner tangent v.
template <std::size_t N, class F>
std::array<double, N> ceres_hvp(const F& f, const std::array<double, N>& p,
                                const std::array<double, N>& v) {
    using In = ceres::Jet<double, 1>;
    using Out = ceres::Jet<In, static_cast<int>(N)>;
    std::array<Out, N> a;
    for (std::size_t j = 0; j < N; ++j) {
        In x(p[j]);
        x.v[0] = v[j];
        a[j] = Out(x, static_cast<int>(j));
    }
    const Out y = f(a);
    std::array<double, N> r;
    for (std::size_t i = 0; i < N; ++i) r[i] = y.v[static_cast<int>(i)].v[0];
    return r;
}
#endif

#if TAPELESS_BENCH_H_EIGEN
template <std::size_t N, class F>
std::array<double, N * N> eigen_hessian(const F& f, const std::array<double, N>& p) {
    constexpr int n = static_cast<int>(N);
    using In = Eigen::AutoDiffScalar<Eigen::Matrix<double, n, 1>>;
    using Out = Eigen::AutoDiffScalar<Eigen::Matrix<In, n, 1>>;
    std::array<Out, N> a;
    for (std::size_t j = 0; j < N; ++j) {
        const int jj = static_cast<int>(j);
        a[j].value() = In(p[j], n, jj);
        a[j].derivatives() = Eigen::Matrix<In, n, 1>::Unit(n, jj);
        for (int k = 0; k < n; ++k) a[j].derivatives()[k].derivatives().setZero();
    }
    const Out y = f(a);
    std::array<double, N * N> H;
    for (std::size_t i = 0; i < N; ++i)
        for (std::size_t j = 0; j < N; ++j)
            H[i * N + j] = y.derivatives()[static_cast<int>(i)].derivatives()[static_cast<int>(j)];
    return H;
}
#endif

#if TAPELESS_BENCH_H_SACADO
template <std::size_t N, class F>
std::array<double, N * N> sacado_hessian(const F& f, const std::array<double, N>& p) {
    constexpr int n = static_cast<int>(N);
    using In = Sacado::Fad::SFad<double, n>;
    using Out = Sacado::Fad::SFad<In, n>;
    std::array<Out, N> a;
    for (std::size_t j = 0; j < N; ++j)
        a[j] = Out(n, static_cast<int>(j), In(n, static_cast<int>(j), p[j]));
    const Out y = f(a);
    std::array<double, N * N> H;
    for (std::size_t i = 0; i < N; ++i)
        for (std::size_t j = 0; j < N; ++j)
            H[i * N + j] = y.dx(static_cast<int>(i)).dx(static_cast<int>(j));
    return H;
}
#endif

#if TAPELESS_BENCH_H_SACADO
template <std::size_t N, class F>
std::array<double, N> sacado_hvp(const F& f, const std::array<double, N>& p,
                                 const std::array<double, N>& v) {
    constexpr int n = static_cast<int>(N);
    using In = Sacado::Fad::SFad<double, 1>;
    using Out = Sacado::Fad::SFad<In, n>;
    std::array<Out, N> a;
    for (std::size_t j = 0; j < N; ++j) {
        In x(1, 0, p[j]);
        x.fastAccessDx(0) = v[j];
        a[j] = Out(n, static_cast<int>(j), x);
    }
    const Out y = f(a);
    std::array<double, N> r;
    for (std::size_t i = 0; i < N; ++i) r[i] = y.dx(static_cast<int>(i)).dx(0);
    return r;
}
#endif

#if TAPELESS_BENCH_H_BOOST
std::array<double, 4> boost_f1_hessian(const std::array<double, 2>& p) {
    using namespace boost::math::differentiation;
    const auto v = make_ftuple<double, 2, 2>(p[0], p[1]);
    const auto& x = std::get<0>(v);
    const auto& z = std::get<1>(v);
    const auto u = x * z; // of the promoted type, second order in both
    const auto l = log(x);
    const auto y = exp(u) + u / l + sin(l) / u;
    const double xz = static_cast<double>(y.derivative(1, 1));
    return {static_cast<double>(y.derivative(2, 0)), xz, xz,
            static_cast<double>(y.derivative(0, 2))};
}
#endif

// ---- rows ---------------------------------------------------------------------------------------

template <std::size_t N, class F, class Hand, class HandGradient, class E, class Peer>
void add_hessian_row(const std::string& row, const std::array<double, N>& point, F f, Hand hand,
                     HandGradient hand_gradient, const E& e, Peer peer_f) {
    const auto reference = tb::add_baselines(row, point, f, hand);
    const auto ref = tb::values_of(reference);
    tb::add(
        row, "tapeless_dense", point,
        [=](const std::array<double, N>& p) {
            return row_major<N>(tl::hessian(e, p, tl::dense_mode));
        },
        ref);
    tb::add(
        row, "tapeless_hvp_columns", point,
        [=](const std::array<double, N>& p) {
            return row_major<N>(tl::hessian(e, p, tl::hvp_mode));
        },
        ref);
    tb::add(
        row, "tapeless_sparse", point,
        [=](const std::array<double, N>& p) {
            return row_major<N>(tl::hessian(e, p, tl::sparse_mode));
        },
        ref);
    tb::add(
        row, "tapeless_auto", point,
        [=](const std::array<double, N>& p) { return row_major<N>(tl::hessian(e, p)); }, ref);
    tb::add(
        row, "finite_difference", point,
        [hand_gradient](const std::array<double, N>& p) {
            return tb::central_difference(hand_gradient, p);
        },
        ref, tb::difference_tolerance);
#if TAPELESS_BENCH_H_CERES
    tb::add(
        row, "ceres_nested_jet", point,
        [=](const std::array<double, N>& p) { return ceres_hessian<N>(peer_f, p); }, ref);
#endif
#if TAPELESS_BENCH_H_EIGEN
    tb::add(
        row, "eigen_nested_autodiff", point,
        [=](const std::array<double, N>& p) { return eigen_hessian<N>(peer_f, p); }, ref);
#endif
#if TAPELESS_BENCH_H_SACADO
    tb::add(
        row, "sacado_nested_sfad", point,
        [=](const std::array<double, N>& p) { return sacado_hessian<N>(peer_f, p); }, ref);
#endif
    (void)peer_f;
}

template <std::size_t N, class F, class Hand, class HandGradient, class E, class Peer>
void add_hvp_row(const std::string& row, const std::array<double, N>& point, F f, Hand hand,
                 HandGradient hand_gradient, const E& e, const std::array<double, N>& v,
                 Peer peer_f) {
    const auto reference = tb::add_baselines(row, point, f, hand);
    tb::add(
        row, "tapeless_hvp", point,
        [=](const std::array<double, N>& p) { return tl::hvp(e, p, v); }, tb::values_of(reference));
    const auto g = hand_gradient(point);
    tb::add(row, "handwritten_gradient", point, hand_gradient, {});
    tb::add(
        row, "tapeless_gradient", point,
        [=](const std::array<double, N>& p) { return tl::gradient(e, p); }, tb::values_of(g));
#if TAPELESS_BENCH_H_CERES
    tb::add(
        row, "ceres_nested_jet", point,
        [=](const std::array<double, N>& p) { return ceres_hvp<N>(peer_f, p, v); },
        tb::values_of(reference));
#endif
#if TAPELESS_BENCH_H_SACADO
    tb::add(
        row, "sacado_nested_sfad", point,
        [=](const std::array<double, N>& p) { return sacado_hvp<N>(peer_f, p, v); },
        tb::values_of(reference));
#endif
    (void)peer_f;
}

void check_hand_written() {
    bool ok = true;
    for (double shift : {0.0, 0.137, -0.291}) {
        auto q = tb::f1_point;
        for (auto& v : q) v += shift;
        ok = tb::agree("f1_hessian vs differences of the gradient", tb::values_of(f1_hessian(q)),
                       tb::values_of(tb::central_difference(tb::fn<&tb::f1_gradient>{}, q)),
                       tb::difference_tolerance) &&
             ok;
        auto w = tb::rosenbrock_point<10>();
        for (auto& v : w) v += shift;
        ok = tb::agree(
                 "rosenbrock_hessian vs differences of the gradient",
                 tb::values_of(rosenbrock_hessian<10>(w)),
                 tb::values_of(tb::central_difference(tb::fn<&tb::rosenbrock_gradient<10>>{}, w)),
                 tb::difference_tolerance) &&
             ok;
    }
    const auto H = f1_hessian(tb::f1_point);
    const auto hv = f1_hvp(tb::f1_point);
    ok = tb::agree("f1_hvp vs H v", tb::values_of(hv),
                   tb::values_of(std::array{H[0] - 0.5 * H[1], H[2] - 0.5 * H[3]}), 1e-15) &&
         ok;
    const auto w = tb::rosenbrock_point<10>();
    const auto R = rosenbrock_hessian<10>(w);
    std::array<double, 10> rv{};
    constexpr auto v = direction<10>();
    for (std::size_t i = 0; i < 10; ++i)
        for (std::size_t j = 0; j < 10; ++j) rv[i] += R[i * 10 + j] * v[j];
    ok = tb::agree("rosenbrock_hvp vs H v", tb::values_of(rosenbrock_hvp<10>(w)), tb::values_of(rv),
                   1e-14) &&
         ok;
    if (!ok) tb::fail("a hand-written second derivative disagrees with its check");
}

void register_all() {
    add_hessian_row("f1_hessian", tb::f1_point, tb::f1_fn{}, tb::fn<&f1_hessian>{},
                    tb::fn<&tb::f1_gradient>{}, f1_expression(), tb::f1_fn{});
#if TAPELESS_BENCH_H_BOOST
    tb::add("f1_hessian", "boost_autodiff", tb::f1_point, tb::fn<&boost_f1_hessian>{},
            tb::values_of(f1_hessian(tb::f1_point)));
#endif
    add_hessian_row("rosenbrock_hessian_n10", tb::rosenbrock_point<10>(), tb::rosenbrock_fn{},
                    tb::fn<&rosenbrock_hessian<10>>{}, tb::fn<&tb::rosenbrock_gradient<10>>{},
                    rosenbrock_expression<10>(), rosenbrock_generic{});
    add_hvp_row("f1_hvp", tb::f1_point, tb::f1_fn{}, tb::fn<&f1_hvp>{}, tb::fn<&tb::f1_gradient>{},
                f1_expression(), f1_direction, tb::f1_fn{});
    add_hvp_row("rosenbrock_hvp_n10", tb::rosenbrock_point<10>(), tb::rosenbrock_fn{},
                tb::fn<&rosenbrock_hvp<10>>{}, tb::fn<&tb::rosenbrock_gradient<10>>{},
                rosenbrock_expression<10>(), direction<10>(), rosenbrock_generic{});
}

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    tb::check_handwritten();
    check_hand_written();
    tb::add_common_context();
    benchmark::AddCustomContext("peers_in_binary",
                                std::string(TAPELESS_BENCH_H_CERES ? "ceres " : "") +
                                    (TAPELESS_BENCH_H_EIGEN ? "eigen " : "") +
                                    (TAPELESS_BENCH_H_SACADO ? "sacado " : "") +
                                    (TAPELESS_BENCH_H_BOOST ? "boost_autodiff" : ""));
    register_all();
    tb::finish_checks();
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
