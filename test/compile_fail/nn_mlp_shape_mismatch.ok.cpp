// The twin of nn_mlp_shape_mismatch.fail.cpp: the layers' sizes chain.
#include <tapeless/nn/mlp.hpp>

namespace nn = tapeless::nn;

int main() {
    using net = nn::mlp<nn::dense<784, 128>, nn::activations::relu, nn::dense<128, 10>>;
    return net::parameter_count == 784 * 128 + 128 + 128 * 10 + 10 ? 0 : 1;
}
