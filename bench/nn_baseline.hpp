// bench/nn_baseline.hpp — the hand-written baseline of the MLP training benchmarks (bench/nn.cpp):
// two small multilayer perceptrons trained with manual backpropagation, written for speed the way
// a careful C++ programmer would, without BLAS. Every ratio of bench_nn divides by these, and the
// PyTorch script bench/peers/pytorch_mlp.py trains the same networks from the same numbers.
//
//   tanh_mlp<T, In, H1, H2, Out>   In → tanh H1 → tanh H2 → linear Out, mean-squared error, one
//                                  sample per step (row 1: 2-16-16-1 on y = sin x1 · cos x2).
//   relu_mlp<T, In, H, Out>        In → relu H → linear Out, softmax cross-entropy from the
//                                  logits, minibatches (rows 2-4: 784-128-10 on Fashion-MNIST).
//
// Layout (the same in the PyTorch script): the weight matrix of a layer is In × Out, row-major,
// w[i * Out + j] connecting input i to unit j, and a layer computes y = x · W + b with x a row
// vector, or a batch of rows (X · W + b). (torch.nn.Linear stores Out × In: it gets Wᵀ.)
//
// API (T float or double; sizes are template parameters so every loop has a static trip count):
//
//   init(net, rng)                       Glorot-uniform weights for tanh/linear layers, He-uniform
//                                        for relu layers, layer after layer, each matrix in its
//                                        row-major order; biases zero (tapeless/nn/random.hpp).
//   tensors(net)                         the parameters as spans, in the order w1, b1, w2, b2, ...
//   loss(net, x, t)                      tanh_mlp: the loss of one sample
//   loss(net, x, labels), accuracy(...)  relu_mlp: mean loss, fraction right, over any number of
//                                        rows (x holds rows · In pixels, labels one per row)
//   gradient(net, x, t, grad)            tanh_mlp: loss, and its gradient written into grad
//   gradient<B>(net, x, labels, grad)    relu_mlp: the same for a batch of B rows
//   sgd_step(net, x, t, lr)              one step of plain SGD (θ −= lr · ∇θ); returns the loss
//   sgd_step<B>(net, x, labels, lr)      before the step
//   adam_step<B>(net, state, x, labels, config)   one Adam step (PyTorch's formula, below)
//
// gradient, sgd_step and adam_step run the same backpropagation, which hands each finished piece
// of the gradient to a "sink": store it (gradient), or apply the update right there (sgd_step,
// adam_step), so the updates cost no second pass over the 100k weights. The finite-difference
// check of bench_nn therefore checks the code that is timed.
//
// The two matrix products that are 98% of the work of 784-128-10, the forward X·W1 and the weight
// gradient Xᵀ·δ1, are register-tiled: a tile of 8 rows × 2 vectors of accumulators stays in
// registers while the shared dimension streams past. Plain scalar loops did not get there: g++ 12
// (-O3 -march=native) interchanges such loops and stores the accumulators on every iteration, or
// fully unrolls them into scalar code. So the tile is written with GCC/clang vector extensions
// (vector_size), which both compilers keep in registers and turn into FMAs; everything else is
// plain loops over std::array and std::vector that the compiler vectorises by itself.
//
// Adam on x86: wrap the training loop in denormals_flushed (sets FTZ and DAZ in MXCSR, restores
// them on exit). Adam's first moment of a weight whose gradient stays zero (a pixel dark in all
// recent batches) shrinks by β1 = 0.9 per step into the subnormal range, and arithmetic on
// subnormals is slow on x86: on Fashion-MNIST, batch 32, 4,600 moments of W1 were subnormal after
// 1,000 steps and 9,400 after 8,000, and the steps took 20% longer than with FTZ/DAZ (Zen 4).
// Adam's square root only vectorises without errno (-fno-math-errno, as bench_nn is built;
// PyTorch is built so too).
#ifndef TAPELESS_BENCH_NN_BASELINE_HPP
#define TAPELESS_BENCH_NN_BASELINE_HPP

#include <tapeless/nn/optim.hpp>
#include <tapeless/nn/random.hpp>

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <numbers>
#include <span>
#include <tuple>
#include <type_traits>
#include <vector>

namespace tapeless_bench::nn_baseline {

// The seeds shared with bench/peers/pytorch_mlp.py: the weights come from rng(init_seed), the
// epoch order of the Fashion-MNIST rows from rng(order_seed), the samples of the regression row
// from rng(regression_data_seed).
inline constexpr std::uint64_t init_seed = 1;
inline constexpr std::uint64_t order_seed = 2;
inline constexpr std::uint64_t regression_data_seed = 3;

// -------------------------------------------------------------------------------------------------
// Storage and helpers
// -------------------------------------------------------------------------------------------------

// 64-byte aligned storage, so that vector loads of a weight row never straddle two cache lines
// more than they must (malloc aligns large blocks to 16 bytes only).
template <class T>
struct aligned_allocator {
    using value_type = T;
    static constexpr std::align_val_t alignment{64};
    aligned_allocator() noexcept = default;
    template <class U>
    constexpr aligned_allocator(const aligned_allocator<U>&) noexcept {}
    T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), alignment)); }
    void deallocate(T* p, std::size_t) noexcept { ::operator delete(p, alignment); }
    template <class U>
    bool operator==(const aligned_allocator<U>&) const noexcept {
        return true;
    }
};
template <class T>
using aligned_vector = std::vector<T, aligned_allocator<T>>;

// Names a parameter tensor in a sink call: tensor_tag<0> is w1, <1> b1, <2> w2, ...
template <std::size_t K>
using tensor_tag = std::integral_constant<std::size_t, K>;

namespace detail {

// The widest vector registers the target has, and how many there are (the tile size below
// depends on it: 16 accumulators need 32 registers to leave room for the operands).
#if defined(__AVX512F__)
inline constexpr std::size_t vector_bytes = 64;
inline constexpr std::size_t vector_registers = 32;
#elif defined(__AVX__)
inline constexpr std::size_t vector_bytes = 32;
inline constexpr std::size_t vector_registers = 16;
#else
inline constexpr std::size_t vector_bytes = 16;
inline constexpr std::size_t vector_registers = 16;
#endif

template <class T>
struct simd {
    typedef T type __attribute__((vector_size(vector_bytes)));
    static constexpr std::size_t lanes = vector_bytes / sizeof(T);
};
template <class T>
using vec = typename simd<T>::type;
template <class T>
inline constexpr std::size_t lanes = simd<T>::lanes;

// A piece of a tensor: one element (V = T) or one vector of lanes<T> elements (V = vec<T>).
// load_as / store_as read and write one piece at p (any alignment); width<V> is its length.
template <class V, class T>
[[gnu::always_inline]] inline V load_as(const T* p) noexcept {
    V v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
template <class T, class V>
[[gnu::always_inline]] inline void store_as(T* p, const V& v) noexcept {
    std::memcpy(p, &v, sizeof v);
}
template <class V>
[[gnu::always_inline]] inline V relu(V v) noexcept {
    if constexpr (std::is_floating_point_v<V>) {
        return v > V(0) ? v : V(0);
    } else {
        for (std::size_t i = 0; i < sizeof(V) / sizeof(v[0]); ++i) // one vmaxps
            v[i] = v[i] > 0 ? v[i] : 0;
        return v;
    }
}
// Element by element; g++ turns the loop into one vsqrtps when errno need not be set
// (-fno-math-errno), else into calls of sqrtf.
template <class V>
[[gnu::always_inline]] inline V sqrt_of(V v) noexcept {
    if constexpr (std::is_floating_point_v<V>) {
        return std::sqrt(v);
    } else {
        for (std::size_t i = 0; i < sizeof(V) / sizeof(v[0]); ++i) v[i] = std::sqrt(v[i]);
        return v;
    }
}

// Register tile: R rows × NV vectors of accumulators, 16 of them with 32 vector registers (8 × 2),
// 8 with 16 (4 × 2; 16 accumulators would spill). On Zen 4 (AVX-512, -O3 -march=native), one
// 784-128-10 step of batch 32 took 128 µs with 8 × 2, 135-165 µs with 6 × 4 or 6 × 2 and 190 µs
// with 4 × 4: per step, 4 × 4 tiles read W1 from L2 twice as often as 8 × 2 (each 4-row block
// rereads all of W1), and the forward product is bound by that traffic, not by the FMAs. 8 × 2
// also divides 32, 128 and 784 exactly, so no tile is left over. (Define TAPELESS_BENCH_TILE_ROWS
// and TAPELESS_BENCH_TILE_VECTORS to try others.)
#ifndef TAPELESS_BENCH_TILE_ROWS
inline constexpr std::size_t tile_rows = vector_registers >= 32 ? 8 : 4;
inline constexpr std::size_t tile_vectors = 2;
#else
inline constexpr std::size_t tile_rows = TAPELESS_BENCH_TILE_ROWS;
inline constexpr std::size_t tile_vectors = TAPELESS_BENCH_TILE_VECTORS;
#endif

// C(r, c) = Σ_{d < depth} A(r, d) · B(d, c) for r in [r0, r0 + R) and c in [c0, c0 + NV·lanes),
// where A(r, d) = a[r · LdA + d · StepA] and B(d, c) = b[d · LdB + c]. Hands each finished
// vector of a row to ep(r, c, v) (C(r, c .. c + lanes − 1) = v). The accumulators stay in
// registers for the whole depth loop, and go to ep as vectors: with a pointer to them instead,
// g++ turned the update in ep into scalar code.
template <class T, std::size_t R, std::size_t NV, std::size_t LdA, std::size_t StepA,
          std::size_t LdB, class Ep>
[[gnu::always_inline]] inline void tile(const T* __restrict a, const T* __restrict b,
                                        std::size_t depth, std::size_t r0, std::size_t c0, Ep& ep) {
    constexpr std::size_t L = lanes<T>;
    vec<T> acc[R][NV] = {};
    const T* ar = a + r0 * LdA;
    const T* bc = b + c0;
    for (std::size_t d = 0; d < depth; ++d) {
        vec<T> bv[NV];
#pragma GCC unroll 16
        for (std::size_t j = 0; j < NV; ++j) bv[j] = load_as<vec<T>>(bc + d * LdB + j * L);
#pragma GCC unroll 16
        for (std::size_t r = 0; r < R; ++r) {
            const T s = ar[r * LdA + d * StepA];
#pragma GCC unroll 16
            for (std::size_t j = 0; j < NV; ++j) acc[r][j] += s * bv[j];
        }
    }
#pragma GCC unroll 16
    for (std::size_t r = 0; r < R; ++r) {
#pragma GCC unroll 16
        for (std::size_t j = 0; j < NV; ++j) ep(r0 + r, c0 + j * L, acc[r][j]);
    }
}

// C = A · B for `rows` rows and Cols columns (A and B as in tile()), handed to ep piece by piece:
// full register tiles, then single-vector tiles for the columns left over, then rows left over
// one at a time, and plain scalar loops for the last Cols mod lanes columns (ep(r, c, s) with s
// a single T).
template <class T, std::size_t Cols, std::size_t LdA, std::size_t StepA, std::size_t LdB, class Ep>
void gemm(const T* __restrict a, const T* __restrict b, std::size_t rows, std::size_t depth,
          Ep&& ep) {
    constexpr std::size_t L = lanes<T>;
    constexpr std::size_t R = tile_rows, NV = tile_vectors;
    constexpr std::size_t full_cols = Cols / (NV * L) * (NV * L); // covered by full tiles
    constexpr std::size_t vector_cols = Cols / L * L;             // covered by vectors
    auto row_block = [&]<std::size_t Rows>(std::size_t r0) {
        for (std::size_t c0 = 0; c0 < full_cols; c0 += NV * L)
            tile<T, Rows, NV, LdA, StepA, LdB>(a, b, depth, r0, c0, ep);
        for (std::size_t c0 = full_cols; c0 < vector_cols; c0 += L)
            tile<T, Rows, 1, LdA, StepA, LdB>(a, b, depth, r0, c0, ep);
        for (std::size_t r = r0; r < r0 + Rows; ++r)
            for (std::size_t c = vector_cols; c < Cols; ++c) {
                T s = 0;
                for (std::size_t d = 0; d < depth; ++d)
                    s += a[r * LdA + d * StepA] * b[d * LdB + c];
                ep(r, c, s);
            }
    };
    const std::size_t full_rows = rows - rows % R;
    for (std::size_t r0 = 0; r0 < full_rows; r0 += R) row_block.template operator()<R>(r0);
    for (std::size_t r0 = full_rows; r0 < rows; ++r0) row_block.template operator()<1>(r0);
}

template <class T>
T square(T x) noexcept {
    return x * x;
}

// Mean cross-entropy of softmax(logits) against the labels, for `rows` rows of Out logits; when
// `delta` is given, also its gradient with respect to the logits, (softmax − one-hot) / rows.
// The exponentials are taken after subtracting the row's maximum, so they cannot overflow.
template <class T, std::size_t Out>
T softmax_cross_entropy(const T* logits, const std::uint8_t* labels, std::size_t rows, T* delta) {
    T total = 0;
    const T inv_rows = T(1) / static_cast<T>(rows);
    for (std::size_t b = 0; b < rows; ++b) {
        const T* z = logits + b * Out;
        const T m = *std::max_element(z, z + Out);
        std::array<T, Out> e;
        T s = 0;
        for (std::size_t o = 0; o < Out; ++o) {
            e[o] = std::exp(z[o] - m);
            s += e[o];
        }
        const std::size_t y = labels[b];
        assert(y < Out);
        total += m + std::log(s) - z[y];
        if (delta != nullptr) {
            const T scale = inv_rows / s;
            for (std::size_t o = 0; o < Out; ++o) delta[b * Out + o] = e[o] * scale;
            delta[b * Out + y] -= inv_rows;
        }
    }
    return total * inv_rows;
}

} // namespace detail

// Sets the flush-to-zero and denormals-are-zero bits of MXCSR for its lifetime (x86; elsewhere it
// does nothing): tapeless::nn's guard, the same bits for both contenders. Use it around Adam
// training: see the top of this file.
using denormals_flushed = tapeless::nn::flush_denormals;

// -------------------------------------------------------------------------------------------------
// Sinks: what happens to each piece of the gradient. A sink is called as
// sink(tensor_tag<K>{}, offset, g) with g a T or a vector of lanes<T> of them (detail::vec<T>):
// the elements of parameter tensor K (the order of tensors(net)) from offset on have gradient g.
// Each element is reported exactly once per step, after the backward pass no longer needs its
// old value.
// -------------------------------------------------------------------------------------------------

namespace detail {
// Hands g[0 .. n − 1] to the sink as elements offset .. offset + n − 1 of tensor K: whole
// vectors, then single elements.
template <std::size_t K, class Sink, class T>
void sink_span(Sink& sink, std::size_t offset, const T* g, std::size_t n) {
    constexpr std::size_t L = lanes<T>;
    const std::size_t full = n - n % L;
    for (std::size_t i = 0; i < full; i += L)
        sink(tensor_tag<K>{}, offset + i, load_as<vec<T>>(g + i));
    for (std::size_t i = full; i < n; ++i) sink(tensor_tag<K>{}, offset + i, g[i]);
}
} // namespace detail

// Writes the gradient into a network of the same type.
template <class Net>
struct store_gradient {
    Net& grad;
    template <std::size_t K, class V>
    void operator()(tensor_tag<K>, std::size_t offset, const V& g) const {
        detail::store_as(grad.template tensor<K>().data() + offset, g);
    }
};

// θ −= lr · g
template <class Net, class T>
struct sgd_update {
    Net& net;
    T lr;
    template <std::size_t K, class V>
    void operator()(tensor_tag<K>, std::size_t offset, const V& g) const {
        T* w = net.template tensor<K>().data() + offset;
        detail::store_as(w, detail::load_as<V>(w) - lr * g);
    }
};

// Adam's hyperparameters (Kingma and Ba 2015; the defaults of torch.optim.Adam).
template <class T>
struct adam_config {
    T lr = T(1e-3);
    T beta1 = T(0.9);
    T beta2 = T(0.999);
    T eps = T(1e-8);
};

// Adam's moments: networks of the same type, zero at first, and the number of steps taken.
template <class Net>
struct adam_state {
    Net m{};
    Net v{};
    std::uint64_t step = 0;
};

// One Adam update, in PyTorch's form (torch.optim.Adam, single-tensor path):
//   m = β1 m + (1 − β1) g;  v = β2 v + (1 − β2) g²
//   θ −= (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε)
// with the bias corrections computed in double once per step (the division by √(1 − β2ᵗ) as a
// multiplication by its reciprocal).
template <class Net, class T>
struct adam_update {
    Net& net;
    adam_state<Net>& state;
    T beta1, one_minus_beta1, beta2, one_minus_beta2, step_size, inv_sqrt_bias2, eps;

    adam_update(Net& n, adam_state<Net>& s, const adam_config<T>& c)
        : net(n), state(s), beta1(c.beta1), one_minus_beta1(T(1) - c.beta1), beta2(c.beta2),
          one_minus_beta2(T(1) - c.beta2), eps(c.eps) {
        const auto t = static_cast<double>(++state.step);
        const double bias1 = 1.0 - std::pow(static_cast<double>(c.beta1), t);
        const double bias2 = 1.0 - std::pow(static_cast<double>(c.beta2), t);
        step_size = static_cast<T>(static_cast<double>(c.lr) / bias1);
        inv_sqrt_bias2 = static_cast<T>(1.0 / std::sqrt(bias2));
    }

    template <std::size_t K, class V>
    void operator()(tensor_tag<K>, std::size_t offset, const V& g) const {
        using detail::load_as, detail::store_as;
        T* w = net.template tensor<K>().data() + offset;
        T* m = state.m.template tensor<K>().data() + offset;
        T* v = state.v.template tensor<K>().data() + offset;
        const V mi = beta1 * load_as<V>(m) + one_minus_beta1 * g;
        const V vi = beta2 * load_as<V>(v) + one_minus_beta2 * g * g;
        store_as(m, mi);
        store_as(v, vi);
        store_as(w, load_as<V>(w) - step_size * mi / (detail::sqrt_of(vi) * inv_sqrt_bias2 + eps));
    }
};

// -------------------------------------------------------------------------------------------------
// Row 1: In → tanh H1 → tanh H2 → linear Out, mean-squared error, one sample per step
// -------------------------------------------------------------------------------------------------
template <class T, std::size_t In, std::size_t H1, std::size_t H2, std::size_t Out>
struct tanh_mlp {
    using value_type = T;
    static constexpr std::size_t inputs = In, outputs = Out;
    std::array<T, In * H1> w1{}; // In × H1, row-major (y = x · W + b)
    std::array<T, H1> b1{};
    std::array<T, H1 * H2> w2{}; // H1 × H2
    std::array<T, H2> b2{};
    std::array<T, H2 * Out> w3{}; // H2 × Out
    std::array<T, Out> b3{};

    template <std::size_t K>
    auto& tensor() noexcept {
        return std::get<K>(std::tie(w1, b1, w2, b2, w3, b3));
    }
    template <std::size_t K>
    const auto& tensor() const noexcept {
        return std::get<K>(std::tie(w1, b1, w2, b2, w3, b3));
    }
};

template <class T, std::size_t In, std::size_t H1, std::size_t H2, std::size_t Out>
std::array<std::span<T>, 6> tensors(tanh_mlp<T, In, H1, H2, Out>& p) {
    return {p.w1, p.b1, p.w2, p.b2, p.w3, p.b3};
}
template <class T, std::size_t In, std::size_t H1, std::size_t H2, std::size_t Out>
std::array<std::span<const T>, 6> tensors(const tanh_mlp<T, In, H1, H2, Out>& p) {
    return {p.w1, p.b1, p.w2, p.b2, p.w3, p.b3};
}

// Glorot-uniform weights for all three layers (tanh, tanh, linear), biases zero.
template <class T, std::size_t In, std::size_t H1, std::size_t H2, std::size_t Out>
void init(tanh_mlp<T, In, H1, H2, Out>& p, tapeless::nn::rng& g) {
    p = {};
    tapeless::nn::glorot_uniform(g, std::span<T>(p.w1), In, H1);
    tapeless::nn::glorot_uniform(g, std::span<T>(p.w2), H1, H2);
    tapeless::nn::glorot_uniform(g, std::span<T>(p.w3), H2, Out);
}

namespace detail {

// a = tanh(x · W + b) for one row; the loop over the outputs is the inner one, so it vectorises.
template <class T, std::size_t N, std::size_t M, bool Tanh>
void dense_row(const std::array<T, N>& x, const std::array<T, N * M>& w, const std::array<T, M>& b,
               std::array<T, M>& out) {
    std::array<T, M> z = b;
    for (std::size_t i = 0; i < N; ++i) {
        const T xi = x[i];
        for (std::size_t j = 0; j < M; ++j) z[j] += xi * w[i * M + j];
    }
    if constexpr (Tanh) {
        for (std::size_t j = 0; j < M; ++j) out[j] = std::tanh(z[j]);
    } else {
        out = z;
    }
}

template <class T, std::size_t In, std::size_t H1, std::size_t H2, std::size_t Out>
struct tanh_activations {
    std::array<T, H1> a1;
    std::array<T, H2> a2;
    std::array<T, Out> y;
};

template <class T, std::size_t In, std::size_t H1, std::size_t H2, std::size_t Out>
void forward(const tanh_mlp<T, In, H1, H2, Out>& p, const std::array<T, In>& x,
             tanh_activations<T, In, H1, H2, Out>& act) {
    dense_row<T, In, H1, true>(x, p.w1, p.b1, act.a1);
    dense_row<T, H1, H2, true>(act.a1, p.w2, p.b2, act.a2);
    dense_row<T, H2, Out, false>(act.a2, p.w3, p.b3, act.y);
}

// da_in = W · δ for W of N × M rows (the old weights), then the weights' gradient, the outer
// product x ⊗ δ, row by row to the sink, and the bias gradient δ.
template <std::size_t KW, class T, std::size_t N, std::size_t M, class Sink>
void dense_row_backward(const std::array<T, N>& x, const std::array<T, N * M>& w,
                        const std::array<T, M>& delta, std::array<T, N>* d_in, Sink& sink) {
    if (d_in != nullptr)
        for (std::size_t i = 0; i < N; ++i) {
            T s = 0;
            for (std::size_t j = 0; j < M; ++j) s += w[i * M + j] * delta[j];
            (*d_in)[i] = s;
        }
    for (std::size_t i = 0; i < N; ++i) {
        std::array<T, M> g;
        for (std::size_t j = 0; j < M; ++j) g[j] = x[i] * delta[j];
        sink_span<KW>(sink, i * M, g.data(), M);
    }
    sink_span<KW + 1>(sink, 0, delta.data(), M);
}

// Forward, loss, backward; the gradient goes to the sink. Returns the loss.
template <class T, std::size_t In, std::size_t H1, std::size_t H2, std::size_t Out, class Sink>
T backprop(const tanh_mlp<T, In, H1, H2, Out>& p, const std::array<T, In>& x,
           const std::array<T, Out>& t, Sink&& sink) {
    tanh_activations<T, In, H1, H2, Out> act;
    forward(p, x, act);
    // loss = mean over the outputs of (y − t)², as torch.nn.MSELoss; ∂/∂y = 2 (y − t) / Out
    T loss = 0;
    std::array<T, Out> dy;
    for (std::size_t o = 0; o < Out; ++o) {
        const T e = act.y[o] - t[o];
        loss += e * e;
        dy[o] = T(2) / T(Out) * e;
    }
    loss /= T(Out);
    std::array<T, H2> d2;
    dense_row_backward<4>(act.a2, p.w3, dy, &d2, sink);
    for (std::size_t j = 0; j < H2; ++j) d2[j] *= T(1) - act.a2[j] * act.a2[j]; // tanh' = 1 − tanh²
    std::array<T, H1> d1;
    dense_row_backward<2>(act.a1, p.w2, d2, &d1, sink);
    for (std::size_t j = 0; j < H1; ++j) d1[j] *= T(1) - act.a1[j] * act.a1[j];
    dense_row_backward<0>(x, p.w1, d1, static_cast<std::array<T, In>*>(nullptr), sink);
    return loss;
}

} // namespace detail

template <class T, std::size_t In, std::size_t H1, std::size_t H2, std::size_t Out>
T loss(const tanh_mlp<T, In, H1, H2, Out>& p, const std::array<T, In>& x,
       const std::array<T, Out>& t) {
    detail::tanh_activations<T, In, H1, H2, Out> act;
    detail::forward(p, x, act);
    T s = 0;
    for (std::size_t o = 0; o < Out; ++o) s += detail::square(act.y[o] - t[o]);
    return s / T(Out);
}

template <class T, std::size_t In, std::size_t H1, std::size_t H2, std::size_t Out>
T gradient(const tanh_mlp<T, In, H1, H2, Out>& p, const std::array<T, In>& x,
           const std::array<T, Out>& t, tanh_mlp<T, In, H1, H2, Out>& grad) {
    return detail::backprop(p, x, t, store_gradient<tanh_mlp<T, In, H1, H2, Out>>{grad});
}

// The sink updates w3 after the backward pass has used it for δ2 (and w2 after δ1), so updating
// in place during the pass is the same as updating after it.
template <class T, std::size_t In, std::size_t H1, std::size_t H2, std::size_t Out>
T sgd_step(tanh_mlp<T, In, H1, H2, Out>& p, const std::array<T, In>& x, const std::array<T, Out>& t,
           T lr) {
    return detail::backprop(p, x, t, sgd_update<tanh_mlp<T, In, H1, H2, Out>, T>{p, lr});
}

// The regression data of row 1: n samples x = (x1, x2) uniform in [−π, π)², drawn x1 then x2 in
// double from rng(seed) and rounded to T, and y = sin x1 · cos x2 computed in double from the
// rounded x and rounded to T. Stored as xs[2 i], xs[2 i + 1] and ys[i].
template <class T>
struct regression_data {
    std::vector<T> xs, ys;
};
template <class T>
regression_data<T> make_regression_data(std::size_t n, std::uint64_t seed = regression_data_seed) {
    tapeless::nn::rng g(seed);
    regression_data<T> d;
    d.xs.resize(2 * n);
    d.ys.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const T x1 = static_cast<T>(g.uniform(-std::numbers::pi, std::numbers::pi));
        const T x2 = static_cast<T>(g.uniform(-std::numbers::pi, std::numbers::pi));
        d.xs[2 * i] = x1;
        d.xs[2 * i + 1] = x2;
        d.ys[i] =
            static_cast<T>(std::sin(static_cast<double>(x1)) * std::cos(static_cast<double>(x2)));
    }
    return d;
}

// -------------------------------------------------------------------------------------------------
// Rows 2-4: In → relu H → linear Out, softmax cross-entropy, minibatches
// -------------------------------------------------------------------------------------------------
template <class T, std::size_t In, std::size_t H, std::size_t Out>
struct relu_mlp {
    using value_type = T;
    static constexpr std::size_t inputs = In, hidden = H, outputs = Out;
    static_assert(Out <= 256, "labels are std::uint8_t");
    aligned_vector<T> w1 = aligned_vector<T>(In * H); // In × H, row-major (y = x · W + b)
    aligned_vector<T> b1 = aligned_vector<T>(H);
    aligned_vector<T> w2 = aligned_vector<T>(H * Out); // H × Out
    aligned_vector<T> b2 = aligned_vector<T>(Out);

    template <std::size_t K>
    auto& tensor() noexcept {
        return std::get<K>(std::tie(w1, b1, w2, b2));
    }
    template <std::size_t K>
    const auto& tensor() const noexcept {
        return std::get<K>(std::tie(w1, b1, w2, b2));
    }
};

template <class T, std::size_t In, std::size_t H, std::size_t Out>
std::array<std::span<T>, 4> tensors(relu_mlp<T, In, H, Out>& p) {
    return {std::span<T>(p.w1), std::span<T>(p.b1), std::span<T>(p.w2), std::span<T>(p.b2)};
}
template <class T, std::size_t In, std::size_t H, std::size_t Out>
std::array<std::span<const T>, 4> tensors(const relu_mlp<T, In, H, Out>& p) {
    return {std::span<const T>(p.w1), std::span<const T>(p.b1), std::span<const T>(p.w2),
            std::span<const T>(p.b2)};
}

// He-uniform for the relu layer, Glorot-uniform for the linear output layer, biases zero.
template <class T, std::size_t In, std::size_t H, std::size_t Out>
void init(relu_mlp<T, In, H, Out>& p, tapeless::nn::rng& g) {
    p = {};
    tapeless::nn::he_uniform(g, std::span<T>(p.w1), In);
    tapeless::nn::glorot_uniform(g, std::span<T>(p.w2), H, Out);
}

namespace detail {

// a1 = relu(X · W1 + b1) for `rows` rows (register-tiled), written to a1 (rows × H).
template <class T, std::size_t In, std::size_t H, std::size_t Out>
void hidden_layer(const relu_mlp<T, In, H, Out>& p, const T* x, std::size_t rows, T* a1) {
    const T* b1 = p.b1.data();
    gemm<T, H, In, 1, H>(x, p.w1.data(), rows, In,
                         [=](std::size_t r, std::size_t c, const auto& z) {
                             using V = std::remove_cvref_t<decltype(z)>;
                             store_as(a1 + r * H + c, relu(z + load_as<V>(b1 + c)));
                         });
}

// Σ_i a[i] b[i] over N elements, with lanes<T> partial sums: the inner loop is one vector FMA
// (a single running sum would be a chain of dependent scalar FMAs: the compiler may not
// reassociate a floating-point sum).
template <std::size_t N, class T>
T dot(const T* a, const T* b) {
    constexpr std::size_t L = lanes<T>;
    constexpr std::size_t full = N - N % L;
    std::array<T, L> acc{};
    for (std::size_t i = 0; i < full; i += L)
        for (std::size_t j = 0; j < L; ++j) acc[j] += a[i + j] * b[i + j];
    T s = 0;
    for (std::size_t i = full; i < N; ++i) s += a[i] * b[i];
    for (std::size_t j = 0; j < L; ++j) s += acc[j];
    return s;
}

// W2ᵀ (Out × H): the output layer's loops then run along contiguous rows of length H.
template <class T, std::size_t In, std::size_t H, std::size_t Out>
void transpose_w2(const relu_mlp<T, In, H, Out>& p, T* w2t) {
    for (std::size_t h = 0; h < H; ++h)
        for (std::size_t o = 0; o < Out; ++o) w2t[o * H + h] = p.w2[h * Out + o];
}

// logits = a1 · W2 + b2 for `rows` rows, from W2ᵀ: one dot product of length H per logit.
template <class T, std::size_t In, std::size_t H, std::size_t Out>
void output_layer(const relu_mlp<T, In, H, Out>& p, const T* w2t, const T* a1, std::size_t rows,
                  T* logits) {
    for (std::size_t b = 0; b < rows; ++b)
        for (std::size_t o = 0; o < Out; ++o)
            logits[b * Out + o] = p.b2[o] + dot<H>(a1 + b * H, w2t + o * H);
}

// One batch of B rows: forward, loss, backward; the gradient goes to the sink. Returns the mean
// loss. The order of the backward pass lets the sink update each tensor in place: W2 is copied
// (transposed) before its update because δ1 = δ2 · W2ᵀ needs its old value; W1 is not needed
// again once δ1 is known.
template <std::size_t B, class T, std::size_t In, std::size_t H, std::size_t Out, class Sink>
T backprop(const relu_mlp<T, In, H, Out>& p, std::span<const T> x,
           std::span<const std::uint8_t> labels, Sink&& sink) {
    assert(x.size() == B * In && labels.size() == B);
    alignas(64) std::array<T, B * H> a1;    // relu activations; later δ1 in place
    alignas(64) std::array<T, B * Out> z2;  // logits; later δ2 in place
    alignas(64) std::array<T, Out * H> w2t; // the old W2, transposed
    transpose_w2(p, w2t.data());
    hidden_layer(p, x.data(), B, a1.data());
    output_layer(p, w2t.data(), a1.data(), B, z2.data());
    const T loss = softmax_cross_entropy<T, Out>(z2.data(), labels.data(), B, z2.data());
    const std::array<T, B* Out>& d2 = z2;

    // ∂W2 = a1ᵀ · δ2, accumulated transposed (Out × H) so the loop runs along rows of a1;
    // ∂b2 = Σ_b δ2
    {
        alignas(64) std::array<T, Out * H> g2t{};
        std::array<T, Out> gb2{};
        for (std::size_t b = 0; b < B; ++b)
            for (std::size_t o = 0; o < Out; ++o) {
                const T d = d2[b * Out + o];
                for (std::size_t h = 0; h < H; ++h) g2t[o * H + h] += d * a1[b * H + h];
                gb2[o] += d;
            }
        alignas(64) std::array<T, H * Out> g2;
        for (std::size_t h = 0; h < H; ++h)
            for (std::size_t o = 0; o < Out; ++o) g2[h * Out + o] = g2t[o * H + h];
        sink_span<2>(sink, 0, g2.data(), H * Out);
        sink_span<3>(sink, 0, gb2.data(), Out);
    }

    // δ1 = (δ2 · W2ᵀ) ⊙ [a1 > 0], over a1; ∂b1 = Σ_b δ1
    std::array<T, H> gb1{};
    for (std::size_t b = 0; b < B; ++b) {
        std::array<T, H> s{};
        for (std::size_t o = 0; o < Out; ++o) {
            const T d = d2[b * Out + o];
            for (std::size_t h = 0; h < H; ++h) s[h] += d * w2t[o * H + h];
        }
        T* d1 = a1.data() + b * H;
        for (std::size_t h = 0; h < H; ++h) {
            d1[h] = d1[h] > T(0) ? s[h] : T(0);
            gb1[h] += d1[h];
        }
    }
    sink_span<1>(sink, 0, gb1.data(), H);

    // ∂W1 = Xᵀ · δ1 (In × H), register-tiled: A(k, b) = x[b · In + k], B(b, h) = δ1[b · H + h].
    gemm<T, H, 1, In, H>(x.data(), a1.data(), In, B,
                         [&sink](std::size_t k, std::size_t h, const auto& g) {
                             sink(tensor_tag<0>{}, k * H + h, g);
                         });
    return loss;
}

} // namespace detail

// Mean cross-entropy over all rows of x (labels.size() rows), in chunks of 256 rows.
template <class T, std::size_t In, std::size_t H, std::size_t Out>
T loss(const relu_mlp<T, In, H, Out>& p, std::span<const T> x,
       std::span<const std::uint8_t> labels) {
    constexpr std::size_t chunk = 256;
    const std::size_t n = labels.size();
    assert(x.size() == n * In);
    std::vector<T> a1(chunk * H), z2(chunk * Out), w2t(Out * H);
    detail::transpose_w2(p, w2t.data());
    double total = 0;
    for (std::size_t b0 = 0; b0 < n; b0 += chunk) {
        const std::size_t rows = std::min(chunk, n - b0);
        detail::hidden_layer(p, x.data() + b0 * In, rows, a1.data());
        detail::output_layer(p, w2t.data(), a1.data(), rows, z2.data());
        total += static_cast<double>(detail::softmax_cross_entropy<T, Out>(
                     z2.data(), labels.data() + b0, rows, nullptr)) *
                 static_cast<double>(rows);
    }
    return n == 0 ? T(0) : static_cast<T>(total / static_cast<double>(n));
}

// The fraction of rows whose largest logit is at their label (the first largest on ties).
template <class T, std::size_t In, std::size_t H, std::size_t Out>
double accuracy(const relu_mlp<T, In, H, Out>& p, std::span<const T> x,
                std::span<const std::uint8_t> labels) {
    constexpr std::size_t chunk = 256;
    const std::size_t n = labels.size();
    assert(x.size() == n * In);
    std::vector<T> a1(chunk * H), z2(chunk * Out), w2t(Out * H);
    detail::transpose_w2(p, w2t.data());
    std::size_t right = 0;
    for (std::size_t b0 = 0; b0 < n; b0 += chunk) {
        const std::size_t rows = std::min(chunk, n - b0);
        detail::hidden_layer(p, x.data() + b0 * In, rows, a1.data());
        detail::output_layer(p, w2t.data(), a1.data(), rows, z2.data());
        for (std::size_t b = 0; b < rows; ++b) {
            const T* z = z2.data() + b * Out;
            const auto best = static_cast<std::size_t>(std::max_element(z, z + Out) - z);
            right += best == labels[b0 + b] ? 1u : 0u;
        }
    }
    return n == 0 ? 0.0 : static_cast<double>(right) / static_cast<double>(n);
}

// The mean loss of the batch, and its gradient written into grad.
template <std::size_t B, class T, std::size_t In, std::size_t H, std::size_t Out>
T gradient(const relu_mlp<T, In, H, Out>& p, std::span<const T> x,
           std::span<const std::uint8_t> labels, relu_mlp<T, In, H, Out>& grad) {
    return detail::backprop<B>(p, x, labels, store_gradient<relu_mlp<T, In, H, Out>>{grad});
}

// One SGD step on a batch of B rows; returns the batch's mean loss before the step.
template <std::size_t B, class T, std::size_t In, std::size_t H, std::size_t Out>
T sgd_step(relu_mlp<T, In, H, Out>& p, std::span<const T> x, std::span<const std::uint8_t> labels,
           T lr) {
    return detail::backprop<B>(p, x, labels, sgd_update<relu_mlp<T, In, H, Out>, T>{p, lr});
}

// One Adam step on a batch of B rows; returns the batch's mean loss before the step. Run it under
// denormals_flushed for speed (see the top of the file).
template <std::size_t B, class T, std::size_t In, std::size_t H, std::size_t Out>
T adam_step(relu_mlp<T, In, H, Out>& p, adam_state<relu_mlp<T, In, H, Out>>& state,
            std::span<const T> x, std::span<const std::uint8_t> labels,
            const adam_config<T>& config = {}) {
    return detail::backprop<B>(p, x, labels,
                               adam_update<relu_mlp<T, In, H, Out>, T>(p, state, config));
}

} // namespace tapeless_bench::nn_baseline

#endif // TAPELESS_BENCH_NN_BASELINE_HPP
