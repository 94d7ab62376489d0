// tapeless/nn/random.hpp — the nn layer's random numbers: one small generator whose stream is the
// same on every platform and in every language, so that a tapeless network, the hand-written
// baseline in bench/ and the PyTorch script in bench/peers/ start from the same weights and see
// the samples in the same order. (The standard library's distributions are implementation-defined:
// std::uniform_real_distribution on libstdc++ and libc++ give different numbers from one engine.)
//
//   tl::nn::rng g(42);
//   double u = g.uniform();                 // [0, 1), 53 random bits
//   std::size_t k = g.below(10);            // 0..9
//   tl::nn::glorot_uniform(g, w, fan_in, fan_out);   // U(−a, a), a = √(6 / (fan_in + fan_out))
//   tl::nn::he_uniform(g, w, fan_in);                // U(−a, a), a = √(6 / fan_in)
//   tl::nn::shuffle(g, indices);            // Fisher–Yates, from the back
//
// The generator is splitmix64 (Steele, Lea and Flood 2014): state += 0x9e3779b97f4a7c15, then two
// xor-shift-multiply rounds. below(n) is the high half of the 128-bit product next() · n (Lemire's
// multiply-shift, without the rejection step: a bias of at most n / 2⁶⁴).
#ifndef TAPELESS_NN_RANDOM_HPP
#define TAPELESS_NN_RANDOM_HPP

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>

namespace tapeless::nn {

class rng {
public:
    constexpr explicit rng(std::uint64_t seed) noexcept : state_(seed) {}

    constexpr std::uint64_t next() noexcept {
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    // Uniform in [0, 1): the top 53 bits of next(), times 2⁻⁵³.
    constexpr double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    // Uniform in [a, b).
    constexpr double uniform(double a, double b) noexcept { return a + (b - a) * uniform(); }
    // An integer in [0, n), n ≥ 1.
    constexpr std::size_t below(std::size_t n) noexcept {
        // the high 64 bits of the 128-bit product, from 32-bit halves
        const std::uint64_t x = next(), y = n;
        const std::uint64_t xl = x & 0xffffffffu, xh = x >> 32, yl = y & 0xffffffffu, yh = y >> 32;
        const std::uint64_t ll = xl * yl, lh = xl * yh, hl = xh * yl, hh = xh * yh;
        const std::uint64_t mid = (ll >> 32) + (lh & 0xffffffffu) + (hl & 0xffffffffu);
        return static_cast<std::size_t>(hh + (lh >> 32) + (hl >> 32) + (mid >> 32));
    }

private:
    std::uint64_t state_;
};

// Fills w with U(−a, a), drawn in order. Values are drawn in double and rounded to T.
template <class T>
void uniform_fill(rng& g, std::span<T> w, double a) {
    for (T& x : w) x = static_cast<T>(g.uniform(-a, a));
}

// Glorot (Xavier) uniform initialisation, for tanh and sigmoid layers: Var = 2 / (fan_in +
// fan_out).
template <class T>
void glorot_uniform(rng& g, std::span<T> w, std::size_t fan_in, std::size_t fan_out) {
    uniform_fill(g, w, std::sqrt(6.0 / static_cast<double>(fan_in + fan_out)));
}

// He (Kaiming) uniform initialisation, for relu layers: Var = 2 / fan_in.
template <class T>
void he_uniform(rng& g, std::span<T> w, std::size_t fan_in) {
    uniform_fill(g, w, std::sqrt(6.0 / static_cast<double>(fan_in)));
}

// Fisher–Yates: for i = n − 1 down to 1, swap element i with element below(i + 1).
template <class I>
void shuffle(rng& g, std::span<I> v) {
    for (std::size_t i = v.size(); i > 1; --i) {
        const std::size_t j = g.below(i);
        using std::swap;
        swap(v[i - 1], v[j]);
    }
}

} // namespace tapeless::nn

#endif // TAPELESS_NN_RANDOM_HPP
