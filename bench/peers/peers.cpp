// bench/peers/peers.cpp — the rows of bench/gradient.cpp computed by other AD libraries ("peers"),
// each next to the plain function and the hand-written derivative of the same run, so that every
// figure can be reported as a ratio to a baseline measured in the same process.
//
// Which peers are compiled in is decided by bench/peers/CMakeLists.txt (TAPELESS_BENCH_HAVE_*).
// How each peer is used (the way its documentation recommends for a small dense gradient):
//   eigen_autodiff: Eigen::AutoDiffScalar<Eigen::Matrix<double, K, 1>>, forward mode, one sweep
//     with a fixed-size derivative vector of K entries.
//   ceres_jet: ceres::Jet<double, K> (ceres/jet.h alone), forward mode, one sweep.
//   sacado_sfad: Sacado::Fad::SFad<double, K>, forward mode with expression templates, one sweep.
//   boost_autodiff: boost::math::differentiation fvar<double, 1> is univariate, so one sweep per
//     input (K sweeps), the input of that sweep seeded with derivative 1.
//   adolc_tape: ADOL-C. The function is taped once at start-up (trace_on/trace_off, not timed);
//     each timed call is one driver call on that existing tape: gradient() for a scalar function
//     (zero-order forward + first-order reverse over the tape), jacobian() for the 3×3 rows.
//     Re-taping per call would cost more.
// All forward-mode peers run the same generic source (tapeless_bench::f1_fn and friends) as the
// plain function.
#include "../common.hpp"

// Each is defined to 0 or 1 by bench/peers/CMakeLists.txt; 0 when built some other way.
#ifndef TAPELESS_BENCH_HAVE_EIGEN
#define TAPELESS_BENCH_HAVE_EIGEN 0
#endif
#ifndef TAPELESS_BENCH_HAVE_CERES
#define TAPELESS_BENCH_HAVE_CERES 0
#endif
#ifndef TAPELESS_BENCH_HAVE_SACADO
#define TAPELESS_BENCH_HAVE_SACADO 0
#endif
#ifndef TAPELESS_BENCH_HAVE_BOOST_AUTODIFF
#define TAPELESS_BENCH_HAVE_BOOST_AUTODIFF 0
#endif
#ifndef TAPELESS_BENCH_HAVE_ADOLC
#define TAPELESS_BENCH_HAVE_ADOLC 0
#endif

#include <array>
#include <cstddef>
#include <cstdio>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#if TAPELESS_BENCH_HAVE_EIGEN
#include <Eigen/Core>
#include <unsupported/Eigen/AutoDiff>
#endif
#if TAPELESS_BENCH_HAVE_CERES
#include <ceres/jet.h>
#endif
#if TAPELESS_BENCH_HAVE_SACADO
#include <Sacado_No_Kokkos.hpp>
#endif
#if TAPELESS_BENCH_HAVE_BOOST_AUTODIFF
#include <boost/math/differentiation/autodiff.hpp>
#endif
#if TAPELESS_BENCH_HAVE_ADOLC
#include <adolc/adolc.h>
#endif

namespace tb = tapeless_bench;

namespace {

template <class T>
struct is_std_array : std::false_type {};
template <class T, std::size_t M>
struct is_std_array<std::array<T, M>> : std::true_type {};

// One forward sweep with K derivative directions, input j seeded with the unit vector e_j.
// Peer::scalar<K> is the AD number, Peer::seed<K>(v, j) makes input j, Peer::d(y, j) reads ∂y/∂p_j.
template <class Peer, std::size_t K, class F>
auto forward_sweep(const F& f, const std::array<double, K>& p) {
    using T = typename Peer::template scalar<K>;
    const auto a = [&]<std::size_t... J>(std::index_sequence<J...>) {
        return std::array<T, K>{Peer::template seed<K>(p[J], J)...};
    }
    (std::make_index_sequence<K>{});
    const auto y = f(a);
    if constexpr (is_std_array<std::remove_cvref_t<decltype(y)>>::value) {
        constexpr std::size_t M = std::tuple_size_v<std::remove_cvref_t<decltype(y)>>;
        std::array<double, M * K> jac;
        for (std::size_t i = 0; i < M; ++i)
            for (std::size_t j = 0; j < K; ++j) jac[i * K + j] = Peer::d(y[i], j);
        return jac;
    } else {
        std::array<double, K> g;
        for (std::size_t j = 0; j < K; ++j) g[j] = Peer::d(y, j);
        return g;
    }
}

#if TAPELESS_BENCH_HAVE_EIGEN
struct eigen_autodiff {
    static constexpr const char* name = "eigen_autodiff";
    template <std::size_t K>
    using scalar = Eigen::AutoDiffScalar<Eigen::Matrix<double, static_cast<int>(K), 1>>;
    template <std::size_t K>
    static scalar<K> seed(double v, std::size_t j) {
        return scalar<K>(v, static_cast<int>(K), static_cast<int>(j));
    }
    template <class T>
    static double d(const T& y, std::size_t j) {
        return y.derivatives()[static_cast<Eigen::Index>(j)];
    }
};
#endif

#if TAPELESS_BENCH_HAVE_CERES
struct ceres_jet {
    static constexpr const char* name = "ceres_jet";
    template <std::size_t K>
    using scalar = ceres::Jet<double, static_cast<int>(K)>;
    template <std::size_t K>
    static scalar<K> seed(double v, std::size_t j) {
        return scalar<K>(v, static_cast<int>(j));
    }
    template <class T>
    static double d(const T& y, std::size_t j) {
        return y.v[static_cast<Eigen::Index>(j)];
    }
};
#endif

#if TAPELESS_BENCH_HAVE_SACADO
struct sacado_sfad {
    static constexpr const char* name = "sacado_sfad";
    template <std::size_t K>
    using scalar = Sacado::Fad::SFad<double, static_cast<int>(K)>;
    template <std::size_t K>
    static scalar<K> seed(double v, std::size_t j) {
        return scalar<K>(static_cast<int>(K), static_cast<int>(j), v);
    }
    template <class T>
    static double d(const T& y, std::size_t j) {
        return y.dx(static_cast<int>(j));
    }
};
#endif

#if TAPELESS_BENCH_HAVE_BOOST_AUTODIFF
// Boost's fvar is univariate here: K sweeps, sweep j seeding input j.
template <std::size_t K, class F>
auto boost_sweeps(const F& f, const std::array<double, K>& p) {
    using T = boost::math::differentiation::autodiff_fvar<double, 1>;
    auto a = [&]<std::size_t... J>(std::index_sequence<J...>) {
        return std::array<T, K>{T(p[J], false)...};
    }
    (std::make_index_sequence<K>{});
    using Y = std::remove_cvref_t<decltype(f(a))>;
    if constexpr (is_std_array<Y>::value) {
        constexpr std::size_t M = std::tuple_size_v<Y>;
        std::array<double, M * K> jac;
        for (std::size_t j = 0; j < K; ++j) {
            a[j] = T(p[j], true);
            const Y y = f(a);
            for (std::size_t i = 0; i < M; ++i)
                jac[i * K + j] = static_cast<double>(y[i].derivative(1));
            a[j] = T(p[j], false);
        }
        return jac;
    } else {
        std::array<double, K> g;
        for (std::size_t j = 0; j < K; ++j) {
            a[j] = T(p[j], true);
            g[j] = static_cast<double>(f(a).derivative(1));
            a[j] = T(p[j], false);
        }
        return g;
    }
}
#endif

#if TAPELESS_BENCH_HAVE_ADOLC
short next_adolc_tag() {
    static short tag = 0;
    return ++tag;
}

// Tapes f at p once; operator() then runs ADOL-C's driver on that tape.
template <std::size_t K, class F>
struct adolc_taped {
    using Y = std::remove_cvref_t<decltype(std::declval<const F&>()(
        std::declval<const std::array<double, K>&>()))>;
    static constexpr bool vector_valued = is_std_array<Y>::value;
    static constexpr std::size_t M = [] {
        if constexpr (vector_valued)
            return std::tuple_size_v<Y>;
        else
            return std::size_t{1};
    }();
    short tag;

    adolc_taped(const F& f, const std::array<double, K>& p) : tag(next_adolc_tag()) {
        trace_on(tag);
        {
            std::array<adouble, K> a;
            for (std::size_t j = 0; j < K; ++j) a[j] <<= p[j];
            double out = 0.0;
            if constexpr (vector_valued) {
                auto y = f(a);
                for (adouble& yi : y) yi >>= out;
            } else {
                adouble y = f(a);
                y >>= out;
            }
        }
        trace_off();
    }

    auto operator()(const std::array<double, K>& p) const {
        if constexpr (vector_valued) {
            std::array<double, M * K> jac;
            std::array<double*, M> rows;
            for (std::size_t i = 0; i < M; ++i) rows[i] = jac.data() + i * K;
            ::jacobian(tag, static_cast<int>(M), static_cast<int>(K), p.data(), rows.data());
            return jac;
        } else {
            std::array<double, K> g;
            ::gradient(tag, static_cast<int>(K), p.data(), g.data());
            return g;
        }
    }
};
#endif

template <std::size_t K, class F, class Hand>
void add_row(const std::string& row, const std::array<double, K>& point, F f, Hand hand) {
    const auto reference = tb::add_baselines(row, point, f, hand);
    const auto expected = tb::values_of(reference);
    [[maybe_unused]] auto forward_peer = [&]<class Peer>() {
        tb::add(
            row, Peer::name, point,
            [f](const std::array<double, K>& p) { return forward_sweep<Peer>(f, p); }, expected);
    };
#if TAPELESS_BENCH_HAVE_EIGEN
    forward_peer.template operator()<eigen_autodiff>();
#endif
#if TAPELESS_BENCH_HAVE_CERES
    forward_peer.template operator()<ceres_jet>();
#endif
#if TAPELESS_BENCH_HAVE_SACADO
    forward_peer.template operator()<sacado_sfad>();
#endif
#if TAPELESS_BENCH_HAVE_BOOST_AUTODIFF
    tb::add(
        row, "boost_autodiff", point,
        [f](const std::array<double, K>& p) { return boost_sweeps(f, p); }, expected);
#endif
#if TAPELESS_BENCH_HAVE_ADOLC
    tb::add(row, "adolc_tape", point, adolc_taped<K, F>(f, point), expected);
#endif
}

template <std::size_t N>
void add_rosenbrock() {
    add_row(tb::rosenbrock_row<N>(), tb::rosenbrock_point<N>(), tb::rosenbrock_fn{},
            tb::fn<&tb::rosenbrock_gradient<N>>{});
}

void register_all() {
    add_row("f1_gradient", tb::f1_point, tb::f1_fn{}, tb::fn<&tb::f1_gradient>{});
    add_row("f2_derivative", tb::f2_point, tb::f2_fn{}, tb::fn<&tb::f2_derivative>{});
    add_rosenbrock<2>();
    add_rosenbrock<10>();
    add_rosenbrock<100>();
    add_row("lorenz_jacobian", tb::lorenz_point, tb::lorenz_fn{}, tb::fn<&tb::lorenz_jacobian>{});
    add_row("spherical_jacobian", tb::spherical_point, tb::spherical_fn{},
            tb::fn<&tb::spherical_jacobian>{});
}

std::string join(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& e : v) s += (s.empty() ? "" : ", ") + e;
    return s.empty() ? "none" : s;
}

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    tb::check_handwritten();

    std::vector<std::string> have, missing;
    auto note = [&](bool present, const char* peer) {
        (present ? have : missing).emplace_back(peer);
    };
    note(TAPELESS_BENCH_HAVE_EIGEN, "eigen_autodiff (libeigen3-dev)");
    note(TAPELESS_BENCH_HAVE_CERES, "ceres_jet (libceres-dev)");
    note(TAPELESS_BENCH_HAVE_SACADO, "sacado_sfad (libtrilinos-sacado-dev)");
    note(TAPELESS_BENCH_HAVE_BOOST_AUTODIFF, "boost_autodiff (libboost-dev)");
    note(TAPELESS_BENCH_HAVE_ADOLC, "adolc_tape (libadolc-dev)");
    std::fprintf(stderr, "peers found: %s\npeers not found: %s\n", join(have).c_str(),
                 join(missing).c_str());
    tb::add_common_context();
    benchmark::AddCustomContext("peers_found", join(have));
    benchmark::AddCustomContext("peers_missing", join(missing));

    register_all();
    tb::finish_checks();
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
