// expect: the tensors of one file must have one element type, all float or all double
#include <tapeless/nn/serialize.hpp>

#include <array>
namespace tl = tapeless;

int main() {
    tl::mat<float, 2, 5> weights{};
    std::array<double, 2> bias{};
    tl::nn::load_tensors("model.tlm", weights, bias);
}
