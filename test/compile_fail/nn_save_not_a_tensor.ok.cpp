// The twin of nn_save_not_a_tensor.fail.cpp: a std::array and a tapeless::mat are tensors.
#include <tapeless/nn/serialize.hpp>

#include <array>
namespace tl = tapeless;

int main() {
    const std::array<float, 10> weights{};
    const tl::mat<float, 2, 5> matrix{};
    tl::nn::save_tensors("model.tlm", weights, matrix);
}
