// expect: every argument must be a tensor, a std::array<T, N> or a tapeless::mat<T, R, C>
#include <tapeless/nn/serialize.hpp>

#include <vector>
namespace tl = tapeless;

int main() {
    const std::vector<float> weights(10); // a runtime size: not a tensor of the model file format
    tl::nn::save_tensors("model.tlm", weights);
}
