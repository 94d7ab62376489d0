// expect: a variable index beyond the inputs
// The expression reads input slot 2 (a third variable), but only two inputs are passed.
#include <tapeless/tapeless.hpp>

#include <array>
namespace tl = tapeless;

int main() {
    auto [x, y, z] = tl::variables<"x", "y", "z">();
    auto f = x * y + z;
    return static_cast<int>(tl::value(f, std::array{1.0, 2.0}));
}
