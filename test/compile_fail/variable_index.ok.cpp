// The twin of variable_index.fail.cpp: three inputs for three variables.
#include <tapeless/tapeless.hpp>

#include <array>
namespace tl = tapeless;

int main() {
    auto [x, y, z] = tl::variables<"x", "y", "z">();
    auto f = x * y + z;
    return static_cast<int>(tl::value(f, std::array{1.0, 2.0, 3.0}));
}
