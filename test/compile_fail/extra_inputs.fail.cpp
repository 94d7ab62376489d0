// expect: more inputs than input slots: Given inputs were passed but the expression reads Read input slots
// The expression reads slots 0 and 1; three inputs are passed (check_extra_inputs<3, 2>).
#include <tapeless/tapeless.hpp>

#include <array>
namespace tl = tapeless;

int main() {
    auto [x, z] = tl::variables<"x", "z">();
    return static_cast<int>(tl::value(x * z, std::array{1.0, 2.0, 3.0}));
}
