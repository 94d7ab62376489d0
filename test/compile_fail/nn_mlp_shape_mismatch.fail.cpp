// expect: shape mismatch: each dense layer's input size must equal the previous dense layer's output size
#include <tapeless/nn/mlp.hpp>

namespace nn = tapeless::nn;

int main() {
    // 128 outputs feed a layer that expects 64 inputs
    using net = nn::mlp<nn::dense<784, 128>, nn::activations::relu, nn::dense<64, 10>>;
    return static_cast<int>(net::parameter_count);
}
