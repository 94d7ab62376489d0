// The twin of nn_parallel_parts.fail.cpp: 5 parts of 2 rows.
#include <tapeless/nn/batch.hpp>

namespace nn = tapeless::nn;

int main() {
    using net = nn::mlp<nn::dense<4, 3>, nn::activations::tanh, nn::dense<3, 2>>;
    nn::model<net, double> m(1);
    double x[10 * 4] = {}, y[10 * 2] = {}, g[net::parameter_count] = {};
    return nn::parallel_loss_and_gradient<nn::losses::softmax_cross_entropy, 10, 5>(m, x, y, g) >= 0
               ? 0
               : 1;
}
