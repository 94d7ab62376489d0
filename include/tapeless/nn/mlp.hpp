// tapeless/nn/mlp.hpp — multilayer perceptrons as tapeless expressions.
//
//   namespace nn = tl::nn;
//   using net = nn::mlp<nn::dense<784, 128>, nn::activations::relu, nn::dense<128, 10>>;
//   auto J = net::loss<nn::losses::softmax_cross_entropy, 32>();   // an ordinary tapeless
//   expression tl::to_string(J);
//       // softmax_cross_entropy(add_rowwise(matmul(relu(add_rowwise(matmul(X, W1), b1)), W2), b2),
//       //                       Y)
//   tl::nn::model<net, float> m(42);    // its parameters, initialised from seed 42
//
// A network is an expression over its parameters and a batch: layer l's weights W<l> (In × Out,
// row-major: a batch row x maps to x·W + b) are input slot 2l − 2, its bias b<l> slot 2l − 1, and
// the batch X (Batch × In) and the targets Y (Batch × Out) are data (tl::data: held fixed, no
// gradient) in the two slots after them. Its gradient is the generated reverse sweep, its
// Hessian-vector product the forward-over-reverse one: there is no backpropagation written here.
// The shapes are checked when the type is formed: a dense layer whose input size is not the
// previous one's output size is a compile error that says so.
//
// Layers: dense<In, Out>, and the activations (namespace activations: relu, tanh and sigmoid, each
// the tl:: function of that name applied elementwise) after a dense layer (the last dense layer is
// linear: its outputs are logits or regression values). Losses (namespace losses), from the
// network's outputs and the targets, each a mean over the batch:
//   softmax_cross_entropy   Y one-hot (or any distribution) per row, the outputs are logits
//                           (tl::softmax_cross_entropy)
//   binary_cross_entropy    Y in [0, 1] per output, the outputs are logits
//                           (tl::binary_cross_entropy_with_logits)
//   mse                     mean over all elements of (output − Y)² (tl::mse)
// The tags are in namespaces of their own so that none hides the tl:: function it names inside
// tapeless::nn.
//
// The parameters live in one flat array (model::parameters), layer by layer, W then b: an
// optimiser is one loop over it, a data-parallel gradient one sum, a saved model one block.
#ifndef TAPELESS_NN_MLP_HPP
#define TAPELESS_NN_MLP_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/hana/first.hpp>
#include <boost/hana/fold_left.hpp>
#include <boost/hana/integral_constant.hpp>
#include <boost/hana/pair.hpp>
#include <boost/hana/second.hpp>
#include <boost/hana/tuple.hpp>
#include <boost/hana/type.hpp>

#include "../tapeless.hpp"
#include "random.hpp"

namespace tapeless::nn {

// --- layers and losses ---------------------------------------------------------------------------

template <std::size_t In, std::size_t Out>
struct dense {
    static_assert(In > 0 && Out > 0,
                  "tapeless::nn::dense<In, Out>: a layer needs at least one input and one output");
    static constexpr std::size_t inputs = In, outputs = Out;
};
// Activation layers: tl::relu, tl::tanh, tl::sigmoid, elementwise.
namespace activations {
struct relu {};
struct tanh {};
struct sigmoid {};
} // namespace activations

// Losses, each a mean over the batch: tl::softmax_cross_entropy,
// tl::binary_cross_entropy_with_logits, tl::mse.
namespace losses {
struct softmax_cross_entropy {};
struct binary_cross_entropy {};
struct mse {};
} // namespace losses

namespace detail {

template <class L>
inline constexpr bool is_dense_v = false;
template <std::size_t I, std::size_t O>
inline constexpr bool is_dense_v<dense<I, O>> = true;
template <class L>
inline constexpr bool is_activation_v =
    std::is_same_v<L, activations::relu> || std::is_same_v<L, activations::tanh> ||
    std::is_same_v<L, activations::sigmoid>;
template <class L>
inline constexpr bool is_layer_v = is_dense_v<L> || is_activation_v<L>;
template <class L>
inline constexpr bool is_loss_v =
    std::is_same_v<L, losses::softmax_cross_entropy> ||
    std::is_same_v<L, losses::binary_cross_entropy> || std::is_same_v<L, losses::mse>;

struct layer_info {
    bool is_dense = false;
    std::size_t in = 0, out = 0;
    bool followed_by_relu = false; // (dense layers) the next layer is relu: He initialisation
};

template <class L>
constexpr layer_info info_of_layer() {
    if constexpr (is_dense_v<L>)
        return {true, L::inputs, L::outputs, false};
    else
        return {};
}

} // namespace detail

// --- the network type ---------------------------------------------------------------------------

template <class... Layers>
struct mlp {
    static_assert(sizeof...(Layers) > 0,
                  "tapeless::nn::mlp: a network needs at least one dense layer");
    static_assert((detail::is_layer_v<Layers> && ...),
                  "tapeless::nn::mlp: every layer must be tapeless::nn::dense<In, Out> or an "
                  "activation, tapeless::nn::activations::relu, tanh or sigmoid");

    static constexpr std::array<detail::layer_info, sizeof...(Layers)> layers = [] {
        std::array<detail::layer_info, sizeof...(Layers)> a{detail::info_of_layer<Layers>()...};
        constexpr bool relu_at[] = {std::is_same_v<Layers, activations::relu>...};
        for (std::size_t i = 0; i + 1 < a.size(); ++i)
            a[i].followed_by_relu = a[i].is_dense && relu_at[i + 1];
        return a;
    }();
    static constexpr std::size_t dense_count =
        (std::size_t{0} + ... + (detail::is_dense_v<Layers> ? 1 : 0));

    static_assert(layers[0].is_dense, "tapeless::nn::mlp: the first layer must be a dense layer");
    static_assert(
        [] {
            std::size_t width = 0;
            for (const auto& l : layers) {
                if (!l.is_dense) continue;
                if (width != 0 && l.in != width) return false;
                width = l.out;
            }
            return true;
        }(),
        "tapeless::nn::mlp: shape mismatch: each dense layer's input size must equal the previous "
        "dense "
        "layer's output size");
    static_assert(
        [] {
            for (std::size_t i = 1; i < layers.size(); ++i)
                if (!layers[i].is_dense && !layers[i - 1].is_dense) return false;
            return true;
        }(),
        "tapeless::nn::mlp: an activation must follow a dense layer (two activations in a row)");

private:
    // The sizes `member` (in or out) of the dense layers, in order.
    static constexpr std::array<std::size_t, dense_count>
    dense_sizes(std::size_t detail::layer_info::*member) {
        std::array<std::size_t, dense_count> r{};
        std::size_t k = 0;
        for (const auto& l : layers)
            if (l.is_dense) r[k++] = l.*member;
        return r;
    }

public:
    // Dense layer k's shape (0-based among the dense layers).
    static constexpr std::array<std::size_t, dense_count> fan_in =
        dense_sizes(&detail::layer_info::in);
    static constexpr std::array<std::size_t, dense_count> fan_out =
        dense_sizes(&detail::layer_info::out);
    static constexpr std::size_t inputs = fan_in[0], outputs = fan_out[dense_count - 1];

    // Where dense layer k's weights and bias start in the flat parameter array.
    static constexpr std::size_t weight_offset(std::size_t k) {
        std::size_t o = 0;
        for (std::size_t j = 0; j < k; ++j) o += fan_in[j] * fan_out[j] + fan_out[j];
        return o;
    }
    static constexpr std::size_t bias_offset(std::size_t k) {
        return weight_offset(k) + fan_in[k] * fan_out[k];
    }
    static constexpr std::size_t parameter_count = weight_offset(dense_count);
    // Input slots: 2k and 2k + 1 for dense layer k, then the batch and the targets.
    static constexpr std::size_t batch_slot = 2 * dense_count, target_slot = 2 * dense_count + 1;
    static constexpr std::size_t slot_count = 2 * dense_count + 2;

    // The batch X, Batch × inputs, as data.
    template <std::size_t Batch>
    static constexpr auto batch() {
        return tapeless::data<batch_slot, matrix<Batch, inputs>, "X">;
    }
    // The targets Y, Batch × outputs, as data.
    template <std::size_t Batch>
    static constexpr auto targets() {
        return tapeless::data<target_slot, matrix<Batch, outputs>, "Y">;
    }

    // The network's outputs for a batch of Batch rows (logits, or regression values): the layers
    // folded over the batch from the left. The fold's state is the expression so far and the
    // number of dense layers before the next layer, which numbers that layer's parameters.
    template <std::size_t Batch>
    static constexpr auto output() {
        static_assert(Batch > 0, "tapeless::nn::mlp: a batch has at least one row");
        namespace hana = boost::hana;
        const auto last = hana::fold_left(
            hana::tuple_t<Layers...>, hana::make_pair(batch<Batch>(), hana::size_c<0>),
            [](const auto& state, auto layer) {
                using L = typename decltype(layer)::type;
                return apply_layer<L>(hana::first(state), hana::second(state));
            });
        return hana::first(last);
    }

    // The mean loss over a batch of Batch rows.
    template <class Loss, std::size_t Batch>
    static constexpr auto loss() {
        static_assert(detail::is_loss_v<Loss>,
                      "tapeless::nn::mlp::loss<Loss, Batch>: Loss must be "
                      "tapeless::nn::losses::softmax_cross_entropy, binary_cross_entropy or mse");
        const auto out = output<Batch>();
        const auto y = targets<Batch>();
        if constexpr (std::is_same_v<Loss, losses::softmax_cross_entropy>)
            return tapeless::softmax_cross_entropy(out, y);
        else if constexpr (std::is_same_v<Loss, losses::binary_cross_entropy>)
            return tapeless::binary_cross_entropy_with_logits(out, y);
        else
            return tapeless::mse(out, y);
    }

private:
    // Layer L applied to h (K dense layers before it), with the count of dense layers after it.
    template <class L, class H, std::size_t K>
    static constexpr auto apply_layer(const H& h, boost::hana::size_t<K>) {
        namespace hana = boost::hana;
        if constexpr (detail::is_dense_v<L>) {
            constexpr auto W = variable<2 * K, matrix<L::inputs, L::outputs>,
                                        tapeless::detail::numbered('W', K + 1)>;
            constexpr auto b =
                variable<2 * K + 1, vector<L::outputs>, tapeless::detail::numbered('b', K + 1)>;
            return hana::make_pair(add_rowwise(matmul(h, W), b), hana::size_c<K + 1>);
        } else if constexpr (std::is_same_v<L, activations::relu>) {
            return hana::make_pair(tapeless::relu(h), hana::size_c<K>);
        } else if constexpr (std::is_same_v<L, activations::tanh>) {
            return hana::make_pair(tapeless::tanh(h), hana::size_c<K>);
        } else {
            return hana::make_pair(tapeless::sigmoid(h), hana::size_c<K>);
        }
    }
};

// --- parameters ----------------------------------------------------------------------------------

// A network's parameters, T = float or double, in one flat array: dense layer k's weights
// (fan_in × fan_out, row-major) at Net::weight_offset(k), its bias at Net::bias_offset(k).
template <class Net, class T = float>
struct model {
    static_assert(std::is_floating_point_v<T>,
                  "tapeless::nn::model<Net, T>: T must be float, double or long double");
    using net = Net;
    using value_type = T;

    std::vector<T> parameters;

    // Zero parameters.
    model() : parameters(Net::parameter_count, T(0)) {}
    // Initialised from a seed: init(rng(seed)).
    explicit model(std::uint64_t seed) : model() {
        rng g(seed);
        init(g);
    }

    // He uniform for a dense layer followed by relu, Glorot uniform otherwise; biases zero. Draws
    // layer by layer, each weight matrix in row-major order.
    void init(rng& g) {
        std::size_t k = 0;
        for (const auto& l : Net::layers) {
            if (!l.is_dense) continue;
            const auto w = weights(k);
            if (l.followed_by_relu)
                he_uniform(g, w, l.in);
            else
                glorot_uniform(g, w, l.in, l.out);
            for (T& b : bias(k)) b = T(0);
            ++k;
        }
    }

    std::span<T> weights(std::size_t k) {
        return {parameters.data() + Net::weight_offset(k), Net::fan_in[k] * Net::fan_out[k]};
    }
    std::span<const T> weights(std::size_t k) const {
        return {parameters.data() + Net::weight_offset(k), Net::fan_in[k] * Net::fan_out[k]};
    }
    std::span<T> bias(std::size_t k) {
        return {parameters.data() + Net::bias_offset(k), Net::fan_out[k]};
    }
    std::span<const T> bias(std::size_t k) const {
        return {parameters.data() + Net::bias_offset(k), Net::fan_out[k]};
    }
};

} // namespace tapeless::nn

#endif // TAPELESS_NN_MLP_HPP
