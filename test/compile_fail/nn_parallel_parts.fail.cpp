// expect: Parts must divide the batch size
#include <tapeless/nn/batch.hpp>

namespace nn = tapeless::nn;

int main() {
    using net = nn::mlp<nn::dense<4, 3>, nn::activations::tanh, nn::dense<3, 2>>;
    nn::model<net, double> m(1);
    double x[10 * 4] = {}, y[10 * 2] = {}, g[net::parameter_count] = {};
    // a batch of 10 rows cannot be split into 4 equal parts
    return nn::parallel_loss_and_gradient<nn::losses::softmax_cross_entropy, 10, 4>(m, x, y, g) > 0
               ? 0
               : 1;
}
