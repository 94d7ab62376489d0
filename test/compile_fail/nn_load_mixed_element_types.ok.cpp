// The twin of nn_load_mixed_element_types.fail.cpp: float tensors, loaded directly and as a tuple.
#include <tapeless/nn/serialize.hpp>

#include <array>
#include <tuple>
namespace tl = tapeless;

int main() {
    tl::mat<float, 2, 5> weights{};
    std::array<float, 2> bias{};
    tl::nn::load_tensors("model.tlm", weights, bias);
    tl::nn::load_tensors("model.tlm", std::tie(weights, bias));
}
