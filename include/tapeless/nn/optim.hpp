// tapeless/nn/optim.hpp — optimisers over a flat parameter array, and flushing denormals.
//
//   tl::nn::sgd<float> opt(0.1f);                       // p −= lr (g + λ p)
//   tl::nn::momentum<float> opt(0.05f, 0.9f);            // u = μ u + g + λ p;  p −= lr u
//   tl::nn::adam<float> opt(1e-3f);                      // Kingma and Ba, bias-corrected
//   opt.weight_decay = 1e-4f;                            // L2: λ p added to the gradient
//   opt.step(params, grad);                              // std::span<T>, std::span<const T>
//   opt.step_and_clear(params, grad);                    // the same, leaving grad zero for the
//                                                        // next accumulation (one pass fewer)
//   { tl::nn::flush_denormals ftz; ... train ... }       // FTZ and DAZ while in scope
//
// Each step is one pass over the parameters (the state, where there is one, is allocated on the
// first step, sized like the parameters). Weight decay is the classic L2 penalty (λ/2)|p|²
// folded into the gradient, applied to every parameter, as torch.optim's weight_decay.
#ifndef TAPELESS_NN_OPTIM_HPP
#define TAPELESS_NN_OPTIM_HPP

#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

#if defined(__SSE__) || defined(_M_X64)
#include <xmmintrin.h>
#define TAPELESS_NN_HAS_MXCSR 1
#else
#define TAPELESS_NN_HAS_MXCSR 0
#endif

namespace tapeless::nn {

// Plain stochastic gradient descent: p ← p − lr (g + λ p).
template <class T>
struct sgd {
    T learning_rate;
    T weight_decay = T(0);
    explicit sgd(T lr, T wd = T(0)) : learning_rate(lr), weight_decay(wd) {}
    void step(std::span<T> p, std::span<const T> g) { update<false>(p, g.data()); }
    void step_and_clear(std::span<T> p, std::span<T> g) { update<true>(p, g.data()); }

private:
    template <bool Clear, class G>
    void update(std::span<T> p, G* g) {
        const T lr = learning_rate, wd = weight_decay;
        for (std::size_t i = 0; i < p.size(); ++i) {
            p[i] -= lr * (g[i] + wd * p[i]);
            if constexpr (Clear) g[i] = T(0);
        }
    }
};

// SGD with (heavy-ball) momentum: u ← μ u + (g + λ p), p ← p − lr u.
template <class T>
struct momentum {
    T learning_rate;
    T mu = T(0.9);
    T weight_decay = T(0);
    std::vector<T> velocity;
    explicit momentum(T lr, T mu_ = T(0.9), T wd = T(0))
        : learning_rate(lr), mu(mu_), weight_decay(wd) {}
    void step(std::span<T> p, std::span<const T> g) { update<false>(p, g.data()); }
    void step_and_clear(std::span<T> p, std::span<T> g) { update<true>(p, g.data()); }

private:
    template <bool Clear, class G>
    void update(std::span<T> p, G* g) {
        if (velocity.size() != p.size()) velocity.assign(p.size(), T(0));
        const T lr = learning_rate, m = mu, wd = weight_decay;
        for (std::size_t i = 0; i < p.size(); ++i) {
            velocity[i] = m * velocity[i] + (g[i] + wd * p[i]);
            p[i] -= lr * velocity[i];
            if constexpr (Clear) g[i] = T(0);
        }
    }
};

// Adam: m ← β₁ m + (1 − β₁) g, v ← β₂ v + (1 − β₂) g², p ← p − lr m̂ / (√v̂ + ε) with the bias
// corrections m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ) (g including λ p).
template <class T>
struct adam {
    T learning_rate = T(1e-3);
    T beta1 = T(0.9), beta2 = T(0.999), epsilon = T(1e-8);
    T weight_decay = T(0);
    std::vector<T> m, v;
    std::size_t t = 0;
    explicit adam(T lr = T(1e-3), T b1 = T(0.9), T b2 = T(0.999), T eps = T(1e-8), T wd = T(0))
        : learning_rate(lr), beta1(b1), beta2(b2), epsilon(eps), weight_decay(wd) {}
    void step(std::span<T> p, std::span<const T> g) { update<false>(p, g.data()); }
    void step_and_clear(std::span<T> p, std::span<T> g) { update<true>(p, g.data()); }

private:
    template <bool Clear, class G>
    void update(std::span<T> p, G* g) {
        if (m.size() != p.size()) {
            m.assign(p.size(), T(0));
            v.assign(p.size(), T(0));
            t = 0;
        }
        ++t;
        const T b1 = beta1, b2 = beta2, eps = epsilon, wd = weight_decay;
        const T c1 = T(1) / (T(1) - static_cast<T>(std::pow(b1, static_cast<T>(t))));
        const T c2 = T(1) / (T(1) - static_cast<T>(std::pow(b2, static_cast<T>(t))));
        const T lr = learning_rate;
        for (std::size_t i = 0; i < p.size(); ++i) {
            const T gi = g[i] + wd * p[i];
            m[i] = b1 * m[i] + (T(1) - b1) * gi;
            v[i] = b2 * v[i] + (T(1) - b2) * gi * gi;
            p[i] -= lr * (m[i] * c1) / (std::sqrt(v[i] * c2) + eps);
            if constexpr (Clear) g[i] = T(0);
        }
    }
};

// The calling thread's floating-point control word (MXCSR on x86; 0 elsewhere), and setting it:
// how a thread pool's workers take on their caller's flush_denormals.
inline unsigned current_fp_mode() noexcept {
#if TAPELESS_NN_HAS_MXCSR
    return _mm_getcsr();
#else
    return 0;
#endif
}
inline void set_fp_mode([[maybe_unused]] unsigned mode) noexcept {
#if TAPELESS_NN_HAS_MXCSR
    _mm_setcsr(mode);
#endif
}

// While in scope, denormal results are flushed to zero and denormal inputs read as zero (the
// x86 MXCSR FTZ and DAZ bits; elsewhere it does nothing). Training needs no denormals, and they
// are slow: Adam's second moments of the parameters that see Fashion-MNIST's always-blank border
// pixels decay geometrically into the denormal range, where every operation on them costs a
// hundred cycles (measured over a whole epoch of Fashion-MNIST training: much slower without
// it). Restores the previous mode on exit.
class flush_denormals {
public:
    flush_denormals() noexcept {
#if TAPELESS_NN_HAS_MXCSR
        saved_ = _mm_getcsr();
        _mm_setcsr(saved_ | 0x8040u); // FTZ (bit 15) | DAZ (bit 6)
#endif
    }
    ~flush_denormals() {
#if TAPELESS_NN_HAS_MXCSR
        _mm_setcsr(saved_);
#endif
    }
    flush_denormals(const flush_denormals&) = delete;
    flush_denormals& operator=(const flush_denormals&) = delete;

private:
    unsigned saved_ = 0;
};

} // namespace tapeless::nn

#endif // TAPELESS_NN_OPTIM_HPP
