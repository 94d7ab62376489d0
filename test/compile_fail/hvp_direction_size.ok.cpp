// The twin of hvp_direction_size.fail.cpp: a direction shaped like the inputs.
#include <tapeless/tapeless.hpp>

#include <array>
namespace tl = tapeless;

int main() {
    auto [x, z] = tl::variables<"x", "z">();
    auto hv = tl::hvp(exp(x * z), std::array{1.0, 2.0}, std::array{1.0, 0.0});
    (void)hv;
}
