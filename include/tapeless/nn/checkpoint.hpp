// tapeless/nn/checkpoint.hpp — saving and loading a model: its layers' weights and biases as the
// tensors of one file (nn/serialize.hpp: atomic, versioned, shapes and a checksum).
//
//   tl::nn::save_model("fashion.tlm", m);   // W1, b1, W2, b2, ... in layer order
//   tl::nn::load_model("fashion.tlm", m);   // throws tl::nn::model_error; m unchanged then
//
// The file holds dense layer k's weights as a fan_in × fan_out matrix and its bias as a vector, so
// a file of another network (another width, another depth, double instead of float) is refused
// with the first tensor that differs.
#ifndef TAPELESS_NN_CHECKPOINT_HPP
#define TAPELESS_NN_CHECKPOINT_HPP

#include <cstddef>
#include <filesystem>
#include <tuple>
#include <utility>

#include "mlp.hpp"
#include "serialize.hpp"

namespace tapeless::nn {

namespace detail::checkpoint {

// The views (W1, b1, W2, b2, ...) of a model's flat parameters; P is T* or const T*.
template <class Net, class T, class P>
auto layer_views(P params) {
    const auto expand = [&]<std::size_t... K>(std::index_sequence<K...>) {
        return std::tuple_cat(std::make_tuple(
            tensor_view<T, Net::fan_in[K], Net::fan_out[K]>{params + Net::weight_offset(K)},
            tensor_view<T, Net::fan_out[K]>{params + Net::bias_offset(K)})...);
    };
    return expand(std::make_index_sequence<Net::dense_count>{});
}

} // namespace detail::checkpoint

// Writes the model's parameters to `file`, atomically replacing any file there.
template <class Net, class T>
void save_model(const std::filesystem::path& file, const model<Net, T>& m) {
    save_tensors(file, detail::checkpoint::layer_views<Net, const T>(m.parameters.data()));
}

// Reads the model's parameters from `file`: every tensor's shape and the element type must be the
// model's. On any error, a model_error naming the file and the problem, and m is unchanged.
template <class Net, class T>
void load_model(const std::filesystem::path& file, model<Net, T>& m) {
    auto views = detail::checkpoint::layer_views<Net, T>(m.parameters.data());
    load_tensors(file, views);
}

} // namespace tapeless::nn

#endif // TAPELESS_NN_CHECKPOINT_HPP
