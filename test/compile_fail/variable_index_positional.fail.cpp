// expect: a variable index beyond the inputs
// Positional inputs: the expression reads slots 0 and 1 (a vector and a scalar), one is passed.
#include <tapeless/tapeless.hpp>

#include <array>
namespace tl = tapeless;

int main() {
    auto w = tl::variable<0, tl::vector<2>, "w">;
    auto s = tl::variable<1, tl::scalar, "s">;
    auto f = sum(w) * s;
    return static_cast<int>(tl::value(f, std::array{1.0, 2.0}));
}
