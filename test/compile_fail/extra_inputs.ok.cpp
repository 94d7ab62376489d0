// The twin of extra_inputs.fail.cpp: one input per slot.
#include <tapeless/tapeless.hpp>

#include <array>
namespace tl = tapeless;

int main() {
    auto [x, z] = tl::variables<"x", "z">();
    return static_cast<int>(tl::value(x * z, std::array{1.0, 2.0}));
}
