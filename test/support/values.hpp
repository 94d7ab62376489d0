// test/support/values.hpp — comparing floating-point results in the value tests.
//
//   same_value(a, b)          bit-for-bit agreement as numbers: NaN equals NaN (any payload), and
//                             +0 and -0 are told apart; infinities compare exactly
//   ulps_apart(got, want)     how many units in the last place of `want` separate the two
//   within_ulps(got, want, n) ulps_apart <= n, with NaN/inf/zero handled as by same_value, except
//                             that the sign of a zero is not checked
//   close(got, want, rel, abs)  |got - want| <= abs + rel |want|; NaN and inf must match exactly
//   edge_points<T>()          0, -0, ±1, ±inf, NaN, ±denorm_min, ±min, max, lowest, ±tiny
//                             (1e-300 for double), ±700, ±0.5, ±2, ±big (1e300 for double)
//   show(v)                   a value printed with enough digits to tell it apart from its
//                             neighbours (for failure messages)
//   opaque(v)                 the value, hidden from the optimiser (no constant folding of the
//                             reference computation at -O1 and above)
//   rng                       a small deterministic generator (splitmix64)
#ifndef TAPELESS_TEST_SUPPORT_VALUES_HPP
#define TAPELESS_TEST_SUPPORT_VALUES_HPP

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iomanip>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace tapeless_test {

template <class T>
T opaque(T v) {
    volatile T t = v;
    return t;
}

template <class T>
bool same_value(T a, T b) {
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
    return a == b && std::signbit(a) == std::signbit(b);
}

// The spacing of T's values at |v|: the gap from |v| to its neighbour away from zero (at max, the
// gap below it). Never less than denorm_min.
template <class T>
T ulp(T v) {
    using L = std::numeric_limits<T>;
    v = std::fabs(v);
    if (std::isinf(v) || std::isnan(v)) return L::infinity();
    if (v == L::max()) return v - std::nextafter(v, T(0));
    return std::nextafter(v, L::infinity()) - v;
}

// The distance between got and want in units of ulp(want); 0 when they are the same number (±0
// are the same here), +inf when one of them is NaN or infinite and the other is not the same.
template <class T>
T ulps_apart(T got, T want) {
    using L = std::numeric_limits<T>;
    if (std::isnan(got) || std::isnan(want))
        return std::isnan(got) && std::isnan(want) ? T(0) : L::infinity();
    if (got == want) return T(0);
    if (std::isinf(got) || std::isinf(want)) return L::infinity();
    return std::fabs(got - want) / ulp(want);
}

template <class T>
bool within_ulps(T got, T want, double n) {
    return ulps_apart(got, want) <= static_cast<T>(n);
}

// Relative-plus-absolute closeness. NaN must meet NaN and an infinity the same infinity.
template <class T>
bool close(T got, T want, T rel, T abs = T(0)) {
    if (std::isnan(got) || std::isnan(want)) return std::isnan(got) && std::isnan(want);
    if (std::isinf(got) || std::isinf(want)) return got == want;
    return std::fabs(got - want) <= abs + rel * std::fabs(want);
}

// --- the points where elementwise operations are checked --------------------------------------

// A tiny but normal magnitude, 1e-300 for double (a 10^-300 for each type).
template <class T>
constexpr T tiny() {
    if constexpr (sizeof(T) == sizeof(float))
        return T(1e-30f);
    else if constexpr (std::numeric_limits<T>::max_exponent > 1024)
        return T(1e-4000L);
    else
        return T(1e-300);
}
// A huge but finite magnitude, 1e300 for double.
template <class T>
constexpr T big() {
    if constexpr (sizeof(T) == sizeof(float))
        return T(1e30f);
    else if constexpr (std::numeric_limits<T>::max_exponent > 1024)
        return T(1e4000L);
    else
        return T(1e300);
}

inline constexpr std::size_t edge_count = 23;

template <class T>
constexpr std::array<T, edge_count> edge_points() {
    using L = std::numeric_limits<T>;
    return {T(0),
            -T(0),
            T(1),
            T(-1),
            L::infinity(),
            -L::infinity(),
            L::quiet_NaN(),
            L::denorm_min(),
            -L::denorm_min(),
            L::min(),
            -L::min(),
            L::max(),
            L::lowest(),
            tiny<T>(),
            -tiny<T>(),
            T(700),
            T(-700),
            T(0.5),
            T(-0.5),
            T(2),
            T(-2),
            big<T>(),
            -big<T>()};
}

// The edge points, each read through opaque(): the optimiser cannot fold the library's calls on
// them at compile time (with a correctly rounded MPFR result where the run-time libm differs).
template <class T>
std::array<T, edge_count> opaque_edge_points() {
    std::array<T, edge_count> e = edge_points<T>();
    for (T& v : e) v = opaque(v);
    return e;
}

template <class T>
std::vector<T> edge_vector() {
    const auto e = edge_points<T>();
    return {e.begin(), e.end()};
}

// --- printing -------------------------------------------------------------------------------

template <class T>
std::string show(T v) {
    std::ostringstream os;
    os << std::setprecision(std::numeric_limits<T>::max_digits10) << v;
    return os.str();
}

// --- a deterministic generator ----------------------------------------------------------------

struct rng {
    std::uint64_t state;
    explicit rng(std::uint64_t seed) : state(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    // Uniform in [lo, hi).
    template <class T = double>
    T uniform(T lo, T hi) {
        const long double u = static_cast<long double>(next() >> 11) * 0x1p-53L;
        return static_cast<T>(static_cast<long double>(lo) +
                              u * (static_cast<long double>(hi) - static_cast<long double>(lo)));
    }
    // N values uniform in [lo, hi).
    template <class T, std::size_t N>
    std::array<T, N> array(T lo, T hi) {
        std::array<T, N> a{};
        for (auto& v : a) v = uniform<T>(lo, hi);
        return a;
    }
};

} // namespace tapeless_test

#endif
